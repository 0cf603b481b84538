import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain
import RegieStore

extension LeveringenController {
    /// `GET /v1/leveringen/{id}/op-orde-rapport`: the delivery's data-quality report, as JSON
    /// or (with `Accept: text/html`) as a page in Dutch. Small cells are suppressed for
    /// everyone but the project team. 404 when the delivery has no report (yet).
    @Sendable func qualityReport(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let (record, _) = try await delivery(context)
        guard let stored = try await reports.report(levering: record.id) else {
            throw Problem(
                .notFound, code: "op-orde-rapport-not-found",
                detail: "This delivery has no op-orde-rapport: it is made once a pull has read every page.")
        }
        let cells = SmallCells(applies: context.principal?.role != .projectteam)
        let report = try OpOrdeRapport(stored: stored, record: record, codeLists: codeLists, cells: cells)
        if HTMLPage.isPreferred(by: request) {
            return HTMLPage.response(OpOrdeRapportPage.render(report))
        }
        return JSONBody.response(report)
    }
}
