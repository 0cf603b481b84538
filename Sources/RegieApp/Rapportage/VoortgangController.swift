import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain
import RegieStore

/// `GET /v1/voortgang`: where everyone stands, for the project team; as JSON, or with
/// `Accept: text/csv` the table of all gemeenten for the spreadsheet.
///
/// The answer comes from the status store's snapshot (one small query while nothing changed)
/// and is encoded once per data version, day and clock reading (``reportClock(_:definition:now:)``).
struct VoortgangController {
    let status: StatusStore
    let onboarding: OnboardingStore

    func addRoutes(to routes: APIRoutes) {
        routes.get("/v1/voortgang", use: show)
    }

    @Sendable func show(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let query = ListQuery(request, known: [])
        try query.finish()
        let now = Date()
        let snapshot = try await status.snapshot(now: now)
        let definition = onboarding.workflows.gemeente
        let clock = Self.reportClock(snapshot, definition: definition, now: now)
        if CSVTable.isPreferred(by: request) {
            let data = status.report("voortgang.csv", of: snapshot, clock: clock) {
                Data(GemeentenCSV.table(snapshot.rows, entries: snapshot.entries, definition: definition, now: now).text.utf8)
            }
            return CSVTable.response(data, filename: "ddas-voortgang-\(amsterdamDay(now)).csv")
        }
        let data = try status.report("voortgang.json", of: snapshot, clock: clock) {
            try JSONBody.encoder.encode(
                VoortgangReport.build(
                    rows: snapshot.rows, entries: snapshot.entries, suppliers: snapshot.suppliers, deliveries: snapshot.deliveries,
                    definition: definition, now: now))
        }
        return JSONBody.response(encoded: data)
    }

    /// What of the reports changes with the time alone, at `now`: the day, the days past each
    /// due month that is over, and the days each supplier service has been in its phase. Two
    /// moments with the same reading give the same report of one snapshot.
    static func reportClock(_ snapshot: StatusSnapshot, definition: WorkflowDefinition, now: Date) -> [Int] {
        let day = amsterdamDay(now)
        var clock = [day.year * 10_000 + day.month * 100 + day.day]
        for phase in definition.phases {
            guard let due = phase.due else { continue }
            clock.append(due.hasPassed(at: now) ? Int(now.timeIntervalSince(due.end()) / 86_400) : -1)
        }
        for supplier in snapshot.suppliers {
            for service in supplier.diensten { clock.append(max(0, Int(now.timeIntervalSince(service.faseSinds) / 86_400))) }
        }
        return clock
    }
}
