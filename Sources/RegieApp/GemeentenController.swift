import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain
import RegieStore

/// The gemeenten and where they stand: `GET /v1/gemeenten` (filters `provincie`, `fase`,
/// `leverancier`, `achterstallig`; paginated) and `GET /v1/gemeenten/{gemeentecode}` (with its
/// history and an `ETag`). A `gemeente` token sees its own gemeente only.
struct GemeentenController {
    let store: any GemeenteStore
    let onboarding: OnboardingStore
    /// The status rows of the CSV download.
    let status: StatusStore

    func addRoutes(to routes: APIRoutes) {
        routes.get("/v1/gemeenten", use: list)
        routes.get("/v1/gemeenten/:gemeentecode", use: show)
    }

    /// A gemeente in the overview.
    struct Item: Encodable {
        let gemeentecode: String
        let naam: String
        let provinciecode: String
        let provincie: String
        let arbeidsmarktregio: String
        let fase: String
        let faseSinds: Date
        let dagenInFase: Int
        let achterstallig: Bool
        let leveranciers: [String: String]
        let toestemming: [String: Bool]
    }

    @Sendable func list(_ request: Request, context: RegieRequestContext) async throws -> Response {
        var query = ListQuery(request, known: ["provincie", "fase", "leverancier", "achterstallig"], defaultPageSize: 500)
        var provinceCode: String? = nil
        if let wanted = query["provincie"] {
            let provinces = try await store.provinces()
            if let match = provinces.first(where: {
                $0.code.caseInsensitiveCompare(wanted) == .orderedSame || $0.name.caseInsensitiveCompare(wanted) == .orderedSame
            }) {
                provinceCode = match.code
            } else {
                query.invalid("provincie", "is not a province; known: " + provinces.map(\.name).joined(separator: ", "))
            }
        }
        let engine = WorkflowEngine(onboarding.workflows.gemeente)
        let knownStates = onboarding.workflows.gemeente.phases.map(\.name) + onboarding.workflows.gemeente.sideStates.map(\.name)
        if let fase = query["fase"], !knownStates.contains(fase) {
            query.invalid("fase", "is not a phase; known: " + knownStates.joined(separator: ", "))
        }
        var overdueOnly: Bool? = nil
        if let text = query["achterstallig"] {
            overdueOnly = text == "true" ? true : text == "false" ? false : nil
            if overdueOnly == nil { query.invalid("achterstallig", "must be true or false") }
        }
        try query.finish()
        let now = Date()
        var items = try await onboarding.overview(
            provinceCode: provinceCode, fase: query["fase"], leverancierID: query["leverancier"], now: now
        ).map {
            row in
            Item(
                gemeentecode: row.gemeente.code.rawValue, naam: row.gemeente.name, provinciecode: row.gemeente.provinceCode,
                provincie: row.gemeente.province, arbeidsmarktregio: row.gemeente.arbeidsmarktregio, fase: row.fase,
                faseSinds: row.faseSinds,
                dagenInFase: max(0, Int(now.timeIntervalSince(row.faseSinds) / 86_400)),
                achterstallig: engine.overdue(phase: row.fase, now: now),
                leveranciers: Dictionary(uniqueKeysWithValues: row.leveranciers.map { ($0.key.rawValue, $0.value) }),
                toestemming: Dictionary(uniqueKeysWithValues: row.toestemming.map { ($0.key.rawValue, $0.value) }))
        }
        if let overdueOnly { items = items.filter { $0.achterstallig == overdueOnly } }
        if let own = context.callerScope.gemeente {
            items = items.filter { $0.gemeentecode == own.rawValue }
        }
        // A supplier sees the gemeenten that have active consent for it (DESIGN.md §2).
        if let supplier = context.callerScope.leverancier {
            items = items.filter { item in item.leveranciers.contains { item.toestemming[$0.key] == true && $0.value == supplier } }
        }
        if CSVTable.isPreferred(by: request) {
            // The spreadsheet gets every row that matches, not one page.
            let wanted = Set(items.map(\.gemeentecode))
            let rows = try await status.rows(now: now).filter { wanted.contains($0.gemeente.code.rawValue) }
            let entries = try await status.phaseEntries()
            return GemeentenCSV.table(rows, entries: entries, definition: onboarding.workflows.gemeente, now: now).response(
                filename: "ddas-gemeenten-\(amsterdamDay(now)).csv")
        }
        return query.response("gemeenten", query.slice(items), total: items.count, request: request)
    }

    /// An event of a gemeente's history.
    struct HistoryItem: Encodable {
        let moment: Date
        let actie: String
        let actorRol: String
        let voor: [String: String]?
        let na: [String: String]?
    }

    struct Detail: Encodable {
        let gemeente: GemeenteDetail
        let geschiedenis: [HistoryItem]

        func encode(to encoder: any Encoder) throws {
            try gemeente.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(geschiedenis, forKey: .geschiedenis)
        }

        enum Key: String, CodingKey { case geschiedenis }
    }

    /// One gemeente by `GM0363` or `0363`, with its records and history.
    @Sendable func show(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let code = try context.gemeentecode()
        guard let state = try await onboarding.status(code) else {
            throw Problem(.notFound, code: "gemeente-not-found", detail: "There is no gemeente \(code) in the register.")
        }
        let history = try await onboarding.history(objectType: "gemeente", objectID: code.rawValue).map {
            HistoryItem(moment: $0.occurredAt, actie: $0.action, actorRol: $0.actorRole, voor: $0.before, na: $0.after)
        }
        var response = JSONBody.response(Detail(gemeente: GemeenteDetail(state), geschiedenis: history))
        response.headers[.eTag] = EntityTag.header(state.versie)
        return response
    }
}
