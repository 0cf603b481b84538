import Foundation
import RegieDomain
import RegieStore

/// The gemeenten as one CSV row each, for the spreadsheet: code, name, province, supplier,
/// phase, since, due, days overdue, consent since, last delivery, its state, next delivery,
/// last error. Dates as `YYYY-MM-DD` in Dutch time.
enum GemeentenCSV {
    static let header = [
        "gemeentecode", "naam", "provincie", "leverancier", "fase", "fase sinds", "volgende deadline", "dagen achterstallig",
        "toestemming sinds", "laatste levering", "status laatste levering", "volgende levering", "laatste fout",
    ]

    static func table(
        _ rows: [GemeenteStatusRow], entries: [String: [(fase: String, moment: Date)]], definition: WorkflowDefinition, now: Date
    ) -> CSVTable {
        let engine = WorkflowEngine(definition)
        var table = CSVTable(header: header)
        for row in rows {
            let main = VoortgangReport.mainPhase(row, entries: entries[row.gemeente.code.rawValue] ?? [], definition: definition)
            let deadline = VoortgangReport.deadline(after: main, engine: engine, now: now)
            let suppliers = row.leveranciers.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue): \($0.value)" }
            let last = row.laatsteLevering
            table.rows.append([
                row.gemeente.code.rawValue, row.gemeente.name, row.gemeente.province, suppliers.joined(separator: ", "), row.fase,
                day(row.faseSinds), deadline?.due ?? "", deadline.map { String($0.overdueDays) } ?? "",
                row.toestemmingSinds?.description ?? "", last.map { "\($0.stroom) \($0.periode)" } ?? "", last?.status ?? "",
                row.volgendeLevering.map(day) ?? "", last?.status == "geslaagd" ? "" : (last?.fout ?? ""),
            ])
        }
        return table
    }

    /// `YYYY-MM-DD` of a moment, in Dutch time.
    static func day(_ date: Date) -> String { amsterdamDay(date).description }
}
