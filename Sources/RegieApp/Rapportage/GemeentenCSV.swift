import Foundation
import RegieDomain
import RegieStore

/// The gemeenten as one CSV row each, for the spreadsheet: code, name, province, supplier,
/// phase, since, due, days overdue, consent since, per stream (VS, SHV) side by side the
/// period and state of its last delivery, next delivery, last error. Dates as `YYYY-MM-DD`
/// in Dutch time.
enum GemeentenCSV {
    /// The streams, in the order of their columns.
    static let streams = ["VS", "SHV"]

    static let header =
        [
            "gemeentecode", "naam", "provincie", "leverancier", "fase", "fase sinds", "volgende deadline", "dagen achterstallig",
            "toestemming sinds",
        ] + streams.flatMap { ["laatste levering \($0)", "status laatste levering \($0)"] } + ["volgende levering", "laatste fout"]

    static func table(
        _ rows: [GemeenteStatusRow], entries: [String: [(fase: String, moment: Date)]], definition: WorkflowDefinition, now: Date
    ) -> CSVTable {
        let engine = WorkflowEngine(definition)
        var table = CSVTable(header: header)
        for row in rows {
            let main = VoortgangReport.mainPhase(row, entries: entries[row.gemeente.code.rawValue] ?? [], definition: definition)
            let deadline = VoortgangReport.deadline(after: main, engine: engine, now: now)
            let suppliers = row.leveranciers.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue): \($0.value)" }
            // The error of the most recent last delivery that did not succeed, of either stream.
            let failed = row.laatsteLeveringen.filter { $0.status != "geslaagd" }.max { $0.moment < $1.moment }
            table.rows.append(
                [
                    row.gemeente.code.rawValue, row.gemeente.name, row.gemeente.province, suppliers.joined(separator: ", "), row.fase,
                    day(row.faseSinds), deadline?.due ?? "", deadline.map { String($0.overdueDays) } ?? "",
                    row.toestemmingSinds?.description ?? "",
                ] + streams.flatMap { [row.laatsteLevering($0)?.periode ?? "", row.laatsteLevering($0)?.status ?? ""] } + [
                    row.volgendeLevering.map(day) ?? "", failed?.fout ?? "",
                ])
        }
        return table
    }

    /// `YYYY-MM-DD` of a moment, in Dutch time.
    static func day(_ date: Date) -> String { amsterdamDay(date).description }
}
