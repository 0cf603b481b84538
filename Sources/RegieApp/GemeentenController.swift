import Foundation
import HTTPTypes
import Hummingbird
import Postgres
import RegieDomain
import RegieStore
import Synchronization

/// The gemeenten and where they stand: `GET /v1/gemeenten` (filters `provincie`, `fase`,
/// `leverancier`, `achterstallig`; paginated) and `GET /v1/gemeenten/{gemeentecode}` (with its
/// history and an `ETag`). A `gemeente` token sees its own gemeente only.
struct GemeentenController {
    let store: any GemeenteStore
    let onboarding: OnboardingStore
    /// The status rows of the CSV download.
    let status: StatusStore
    /// The encoded details, by gemeente, version and day.
    let details = GemeenteDetailCache()

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
        let unfiltered =
            provinceCode == nil && query["fase"] == nil && query["leverancier"] == nil && overdueOnly == nil
            && context.callerScope.gemeente == nil && context.callerScope.leverancier == nil
        if CSVTable.isPreferred(by: request) && unfiltered {
            // Every active gemeente: the report of the status snapshot, encoded once per version.
            return try await csv(now: now)
        }
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
            let snapshot = try await status.snapshot(now: now)
            let rows = snapshot.rows.filter { wanted.contains($0.gemeente.code.rawValue) }
            return GemeentenCSV.table(rows, entries: snapshot.entries, definition: onboarding.workflows.gemeente, now: now).response(
                filename: "ddas-gemeenten-\(amsterdamDay(now)).csv")
        }
        return query.response("gemeenten", query.slice(items), total: items.count, request: request)
    }

    /// The CSV of every active gemeente.
    func csv(now: Date) async throws -> Response {
        let snapshot = try await status.snapshot(now: now)
        let definition = onboarding.workflows.gemeente
        let clock = VoortgangController.reportClock(snapshot, definition: definition, now: now)
        let data = status.report("gemeenten.csv", of: snapshot, clock: clock) {
            Data(GemeentenCSV.table(snapshot.rows, entries: snapshot.entries, definition: definition, now: now).text.utf8)
        }
        return CSVTable.response(data, filename: "ddas-gemeenten-\(amsterdamDay(now)).csv")
    }

    /// An event of a gemeente's history.
    struct HistoryItem: Encodable {
        let moment: Date
        let actie: String
        let actorRol: String
        let voor: [String: String]?
        let na: [String: String]?
    }

    /// How many events of its history a gemeente's detail shows; the audit list has them all.
    static let historyLimit = 20

    struct Detail: Encodable {
        let gemeente: GemeenteDetail
        /// The latest ``GemeentenController/historyLimit`` events, oldest first.
        let geschiedenis: [HistoryItem]
        /// The whole history: the audit list of this gemeente, paginated.
        let geschiedenisVolledig: String

        func encode(to encoder: any Encoder) throws {
            try gemeente.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(geschiedenis, forKey: .geschiedenis)
            try container.encode(geschiedenisVolledig, forKey: .geschiedenisVolledig)
        }

        enum Key: String, CodingKey { case geschiedenis, geschiedenisVolledig }
    }

    /// One gemeente by `GM0363` or `0363`, with its records and latest history. `If-None-Match`
    /// with the current ETag is a `304` without a body; the body of a version is encoded once.
    @Sendable func show(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let code = try context.gemeentecode()
        let asked = EntityTag.versions(request.headers[.ifNoneMatch])
        let day = amsterdamDay(Date())
        let cache = details
        guard
            let found = try await onboarding.detail(
                code, historyLimit: Self.historyLimit,
                known: { versie in
                    (versie.sameEveryDay && asked.matches(versie.versie)) || cache.body(code, versie.versie, day: day) != nil
                })
        else { throw Self.notFound(code) }
        let (versie, read) = (found.versie, found.read)
        if versie.sameEveryDay && asked.matches(versie.versie) {
            return Response(status: .notModified, headers: [.eTag: EntityTag.header(versie.versie)])
        }
        let body: Data
        if let read {
            body = Self.encode(read, code: code, day: day)
            cache.keep(body, for: code, read.status.versie, day: day)
        } else if let kept = cache.body(code, versie.versie, day: day) {
            body = kept
        } else {
            // Dropped between the two looks (the cache was full): read it again.
            guard let read = try await onboarding.detail(code, historyLimit: Self.historyLimit, known: { _ in false })?.read else {
                throw Self.notFound(code)
            }
            return JSONBody.response(encoded: Self.encode(read, code: code, day: day), headers: read.status.versie)
        }
        return JSONBody.response(encoded: body, headers: versie.versie)
    }

    static func notFound(_ code: Gemeentecode) -> Problem {
        Problem(.notFound, code: "gemeente-not-found", detail: "There is no gemeente \(code) in the register.")
    }

    /// The body of a gemeente's detail as of `day`.
    static func encode(_ read: GemeenteDetailRead, code: Gemeentecode, day: PostgresDate) -> Data {
        let history = read.history.map {
            HistoryItem(moment: $0.occurredAt, actie: $0.action, actorRol: $0.actorRole, voor: $0.before, na: $0.after)
        }
        let detail = Detail(
            gemeente: GemeenteDetail(read.status, today: day), geschiedenis: history,
            geschiedenisVolledig: "/v1/audit-gebeurtenissen?objecttype=gemeente&object=\(code.rawValue)")
        return (try? JSONBody.encoder.encode(detail)) ?? Data("{}".utf8)
    }
}

extension JSONBody {
    /// A 200 of an encoded gemeente detail with its version as the ETag.
    static func response(encoded data: Data, headers versie: Int) -> Response {
        var answer = Self.response(encoded: data)
        answer.headers[.eTag] = EntityTag.header(versie)
        return answer
    }
}

/// The encoded details of gemeenten, by code, version and day: a version changes with every
/// change the detail shows, and the day with what `actief` of a consent record says. Bounded:
/// when full, it starts over.
final class GemeenteDetailCache: Sendable {
    struct Key: Hashable {
        let code: Gemeentecode
        let versie: Int
        let day: PostgresDate
    }

    static let capacity = 2_000
    private let bodies = Mutex<[Key: Data]>([:])

    func body(_ code: Gemeentecode, _ versie: Int, day: PostgresDate) -> Data? {
        bodies.withLock { $0[Key(code: code, versie: versie, day: day)] }
    }

    func keep(_ body: Data, for code: Gemeentecode, _ versie: Int, day: PostgresDate) {
        bodies.withLock { bodies in
            if bodies.count >= Self.capacity { bodies.removeAll(keepingCapacity: true) }
            // An older version of the gemeente is never asked for again.
            if versie > 1 { bodies[Key(code: code, versie: versie - 1, day: day)] = nil }
            bodies[Key(code: code, versie: versie, day: day)] = body
        }
    }
}

extension EntityTag {
    /// The versions an `If-None-Match` names (`*`: any).
    struct Versions: Sendable {
        let any: Bool
        let versions: Set<Int>

        func matches(_ versie: Int) -> Bool { any || versions.contains(versie) }
    }

    /// The versions `header` names; tags that name no version are ignored.
    static func versions(_ header: String?) -> Versions {
        guard let header else { return Versions(any: false, versions: []) }
        var versions: Set<Int> = []
        for part in header.split(separator: ",") {
            var tag = part.trimmingCharacters(in: .whitespaces)
            if tag == "*" { return Versions(any: true, versions: []) }
            if tag.hasPrefix("W/") { tag = String(tag.dropFirst(2)) }
            if tag.count >= 3, tag.hasPrefix("\""), tag.hasSuffix("\""), let version = Int(tag.dropFirst().dropLast()) {
                versions.insert(version)
            }
        }
        return Versions(any: false, versions: versions)
    }
}
