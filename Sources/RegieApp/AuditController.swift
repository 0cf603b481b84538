import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain
import RegieStore

/// `GET /v1/audit-gebeurtenissen`: the audit trail for the project team, filtered by object
/// (`objecttype`, `object`) and period (`van`, `tot`: dates or times, `tot` exclusive), paginated.
struct AuditController {
    let trail: AuditTrail

    func addRoutes(to routes: APIRoutes) {
        routes.get("/v1/audit-gebeurtenissen", use: list)
    }

    struct Item: Encodable {
        let volgnummer: Int64
        let moment: Date
        let actor: String
        let actorRol: String
        let actie: String
        let objecttype: String
        let object: String
        let voor: [String: String]?
        let na: [String: String]?
        let resultaat: String
        let herkomst: String
        let requestId: String?
        /// For a refused event: how many refusals of this token for this action in that minute
        /// it stands for (``Refusals``).
        let aantal: Int?
    }

    @Sendable func list(_ request: Request, context: RegieRequestContext) async throws -> Response {
        var query = ListQuery(request, known: ["objecttype", "object", "van", "tot"], defaultPageSize: 100)
        let from = Self.moment(query["van"])
        let until = Self.moment(query["tot"])
        if query["van"] != nil && from == nil { query.invalid("van", "must be a date (YYYY-MM-DD) or a time (RFC 3339)") }
        if query["tot"] != nil && until == nil { query.invalid("tot", "must be a date (YYYY-MM-DD) or a time (RFC 3339)") }
        if let from, let until, until <= from { query.invalid("tot", "must be after van") }
        try query.finish()
        let page = try await trail.events(
            objectType: query["objecttype"], objectID: query["object"], from: from, until: until, offset: query.offset,
            limit: query.pageSize)
        let counts = try await trail.refusalCounts(of: page.events.filter { $0.event.result == .refused }.map(\.sequence))
        let items = page.events.map { sequence, event in
            Item(
                volgnummer: sequence, moment: event.occurredAt, actor: event.actor, actorRol: event.actorRole, actie: event.action,
                objecttype: event.objectType, object: event.objectID, voor: event.before, na: event.after, resultaat: event.result.rawValue,
                herkomst: event.origin, requestId: event.requestID, aantal: event.result == .refused ? counts[sequence] ?? 1 : nil)
        }
        return query.response("auditGebeurtenissen", items, total: page.total, request: request)
    }

    /// A date (the start of that day in Amsterdam) or an RFC 3339 time.
    static func moment(_ text: String?) -> Date? {
        guard let text else { return nil }
        if let time = ISO8601DateFormatter().date(from: text) { return time }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/Amsterdam")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: text)
    }
}
