import Foundation
import Postgres
import RegieDomain
import RegieStore

/// The status report for a terminal (`ddas-regie rapport`): the same figures as
/// `GET /v1/voortgang`, as aligned plain text, or as its JSON.
public enum TerminalReport {
    /// How the report is printed.
    public enum Format: String, Sendable, CaseIterable {
        /// Aligned tables for a terminal.
        case tabel
        /// The spreadsheet of `GET /v1/voortgang` with `Accept: text/csv`.
        case csv
        /// The JSON of `GET /v1/voortgang`.
        case json
    }

    /// The report of the database behind `stores`, as `format`; the tables list at most
    /// `attentionLimit` gemeenten that need attention (nil: all).
    public static func render(stores: RegieStores, now: Date, attentionLimit: Int?, format: Format) async throws -> String {
        let status = stores.status
        let onboarding = stores.onboarding
        let workflows = onboarding.workflows
        let rows = try await status.rows(now: now)
        let entries = try await status.phaseEntries()
        if format == .csv {
            return GemeentenCSV.table(rows, entries: entries, definition: workflows.gemeente, now: now).text
        }
        let report = VoortgangReport.build(
            rows: rows, entries: entries, suppliers: try await onboarding.suppliers(),
            deliveries: try await status.latestPeriodDeliveries(),
            definition: workflows.gemeente, now: now)
        if format == .json {
            return String(decoding: try JSONBody.encoder.encode(report), as: UTF8.self) + "\n"
        }
        return text(report, attentionLimit: attentionLimit)
    }

    static func text(_ report: VoortgangReport, attentionLimit: Int?) -> String {
        var out = "DDAS voortgang op \(report.peildatum): \(report.gemeenten) gemeenten\n\n"
        let milestones = Dictionary(uniqueKeysWithValues: report.planning.map { ($0.fase, $0) })
        var phases = [["fase", "nu", "bereikt", "deadline", "op tijd", "te laat", "achterstallig", "max dagen"]]
        for phase in report.perFase {
            let due = milestones[phase.fase]
            phases.append([
                phase.fase, String(phase.aantal), String(phase.bereikt), due?.deadline ?? "", due.map { String($0.opTijd) } ?? "",
                due.map { String($0.teLaat) } ?? "", due.map { String($0.achterstallig) } ?? "",
                due?.maxDagenAchterstallig.map(String.init) ?? "",
            ])
        }
        out += table(phases, numeric: Set(1...7).subtracting([3]))
        out += "zijstaten: " + report.zijstaten.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n\n"

        var suppliers = [["leverancier", "gemeenten"] + ["stroom", "fase dienst", "dagen in fase"]]
        for group in report.perLeverancier {
            let services = report.diensten.filter { $0.leverancier == group.naam }
            if services.isEmpty {
                suppliers.append([group.naam, String(group.totaal), "", "", ""])
            }
            for (index, service) in services.enumerated() {
                suppliers.append([
                    index == 0 ? group.naam : "", index == 0 ? String(group.totaal) : "", service.stroom, service.fase,
                    String(service.dagenInFase),
                ])
            }
        }
        out += table(suppliers, numeric: [1, 4]) + "\n"

        if report.leveringen.isEmpty {
            out += "leveringen: nog geen\n\n"
        }
        for period in report.leveringen {
            let states = period.perStatus.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            out += "leveringen \(period.stroom) \(period.periode): \(period.totaal) (\(states))\n"
        }
        if !report.leveringen.isEmpty { out += "\n" }

        let shown = attentionLimit.map { Array(report.aandacht.prefix($0)) } ?? report.aandacht
        out += "aandacht: \(report.aandacht.count) gemeenten"
        out += shown.count < report.aandacht.count ? " (de eerste \(shown.count); --alle toont ze allemaal)\n" : "\n"
        var attention = [["gemeente", "naam", "fase", "waarom"]]
        for entry in shown {
            attention.append([entry.gemeentecode, entry.naam, entry.fase, entry.redenen.map(\.tekst).joined(separator: "; ")])
        }
        out += table(attention, numeric: [])
        return out
    }

    /// Rows as columns padded to their widest cell (right-aligned where `numeric`), a rule under the header.
    static func table(_ rows: [[String]], numeric: Set<Int>) -> String {
        guard let header = rows.first else { return "" }
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ row: [String]) -> String {
            row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: max(0, widths[index] - cell.count))
                return index == row.count - 1 && !numeric.contains(index) ? cell : numeric.contains(index) ? padding + cell : cell + padding
            }.joined(separator: "  ")
        }
        var out = line(header) + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows.dropFirst() { out += line(row) + "\n" }
        return out
    }
}
