import Foundation
import RegieDomain

/// Charts as inline SVG, drawn on the server: no script, text in the picture, and a title and
/// description for screen readers (the same figures are also in a table beside each chart).
enum SVGChart {
    /// Horizontal bars: one per `(label, value)`, scaled to the largest value (or `maximum`).
    static func bars(id: String, title: String, description: String, _ bars: [(label: String, value: Int)], maximum: Int? = nil)
        -> String
    {
        let e = HTMLPage.escape
        let top = max(maximum ?? 0, bars.map(\.value).max() ?? 0, 1)
        let labelWidth = 190
        let barWidth = 360
        let rowHeight = 28
        let height = bars.count * rowHeight + 8
        var svg = """
            <svg role="img" aria-labelledby="\(id)-t \(id)-d" width="\(labelWidth + barWidth + 70)" height="\(height)" \
            viewBox="0 0 \(labelWidth + barWidth + 70) \(height)" xmlns="http://www.w3.org/2000/svg">
            <title id="\(id)-t">\(e(title))</title><desc id="\(id)-d">\(e(description))</desc>

            """
        for (index, bar) in bars.enumerated() {
            let y = index * rowHeight + 4
            let width = Int((Double(bar.value) / Double(top) * Double(barWidth)).rounded())
            svg += """
                <text x="\(labelWidth - 8)" y="\(y + 18)" text-anchor="end" font-size="14" fill="#1a1a1a">\(e(bar.label))</text>
                <rect x="\(labelWidth)" y="\(y + 4)" width="\(max(width, 1))" height="18" fill="#0b4f9c"/>
                <text x="\(labelWidth + max(width, 1) + 6)" y="\(y + 18)" font-size="14" fill="#1a1a1a">\(bar.value)</text>

                """
        }
        return svg + "</svg>"
    }

    /// The plan's milestones on a time axis: a mark per due month with its phases and how many
    /// gemeenten reached them, and a line for today.
    static func timeline(title: String, description: String, milestones: [(due: DueMonth, label: String)], today: Date) -> String {
        let e = HTMLPage.escape
        guard let first = milestones.map(\.due).min(), let last = milestones.map(\.due).max() else { return "" }
        let start = first.year * 12 + first.month - 2
        let end = max(last.year * 12 + last.month + 1, monthIndex(today) + 1)
        let width = 760
        let left = 20
        let span = Double(width - 2 * left)
        func x(_ month: Double) -> Int { left + Int((month - Double(start)) / Double(end - start) * span) }
        let id = "tijdlijn"
        var grouped: [DueMonth: [String]] = [:]
        for milestone in milestones { grouped[milestone.due, default: []].append(milestone.label) }
        // Neighbouring marks put their labels on alternating bands, so that they do not overlap.
        let lines = grouped.values.map(\.count).max() ?? 1
        let height = 60 + 2 * lines * 18
        var svg = """
            <svg role="img" aria-labelledby="\(id)-t \(id)-d" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
            xmlns="http://www.w3.org/2000/svg">
            <title id="\(id)-t">\(e(title))</title><desc id="\(id)-d">\(e(description))</desc>
            <line x1="\(left)" y1="30" x2="\(width - left)" y2="30" stroke="#1a1a1a" stroke-width="2"/>

            """
        for (index, due) in grouped.keys.sorted().enumerated() {
            let band = index % 2 * lines * 18
            let position = x(Double(due.year * 12 + due.month) - 0.5)
            svg += """
                <circle cx="\(position)" cy="30" r="6" fill="#0b4f9c"/>
                <text x="\(position)" y="18" font-size="13" text-anchor="middle" fill="#1a1a1a">\(e(due.description))</text>

                """
            for (line, label) in (grouped[due] ?? []).enumerated() {
                svg += """
                    <text x="\(position)" y="\(52 + band + line * 18)" font-size="12" text-anchor="middle" fill="#1a1a1a">\(e(label))</text>

                    """
            }
        }
        let now = x(Double(monthIndex(today)) - 0.5)
        svg += """
            <line x1="\(now)" y1="8" x2="\(now)" y2="\(height - 4)" stroke="#a00000" stroke-width="2" stroke-dasharray="4 3"/>
            <text x="\(now - 4)" y="\(height - 6)" font-size="12" text-anchor="end" fill="#a00000">vandaag</text>
            </svg>
            """
        return svg
    }

    /// Months since year 0 of a date in Dutch time (`year * 12 + month`).
    static func monthIndex(_ date: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = DueMonth.planTimeZone
        let parts = calendar.dateComponents([.year, .month], from: date)
        return (parts.year ?? 2026) * 12 + (parts.month ?? 1)
    }
}
