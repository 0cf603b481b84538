import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain
import RegieStore

/// `GET /v1/voortgang`: where everyone stands, for the project team; as JSON, or with
/// `Accept: text/csv` the table of all gemeenten for the spreadsheet.
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
        let rows = try await status.rows(now: now)
        let entries = try await status.phaseEntries()
        let definition = onboarding.workflows.gemeente
        if CSVTable.isPreferred(by: request) {
            return GemeentenCSV.table(rows, entries: entries, definition: definition, now: now).response(
                filename: "ddas-voortgang-\(amsterdamDay(now)).csv")
        }
        let report = VoortgangReport.build(
            rows: rows, entries: entries, suppliers: try await onboarding.suppliers(),
            deliveries: try await status.latestPeriodDeliveries(),
            definition: definition, now: now)
        return JSONBody.response(report)
    }
}
