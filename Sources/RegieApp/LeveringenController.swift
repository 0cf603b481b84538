import DDASExchange
import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain
import RegieStore

/// Deliveries: `GET /v1/leveringen` (filters, paginated), `GET /v1/leveringen/{id}` with its
/// attempts, and the operator actions `POST .../annuleringen` and `POST .../herhalingen`.
/// A `gemeente` token sees its own deliveries, a `leverancier` token those from itself.
struct LeveringenController {
    let queue: LeveringQueue
    let onboarding: OnboardingStore
    let schedule: LeveringSchedule
    let reports: OpOrdeRapportStore
    let codeLists: [String: CodeListValues]

    func addRoutes(to routes: APIRoutes) {
        routes.get("/v1/leveringen", use: list)
        routes.on("/v1/leveringen", method: .post, use: trigger)
        routes.get("/v1/leveringen/:id", use: show)
        routes.on("/v1/leveringen/:id/annuleringen", method: .post, use: cancel)
        routes.on("/v1/leveringen/:id/herhalingen", method: .post, use: retry)
        routes.get("/v1/leveringen/:id/op-orde-rapport", use: qualityReport)
    }

    struct Item: Encodable {
        let id: String
        let gemeentecode: String
        let leverancier: String
        let stroom: String
        let periode: String
        let periodeStart: String
        let periodeEind: String
        let doel: String
        let status: String
        let pogingen: Int
        let maxPogingen: Int
        let volgendePogingOp: Date
        let laatsteFoutKlasse: String?
        let laatsteFout: String?
        let aangemaaktOp: Date
        let gestartOp: Date?
        let afgerondOp: Date?

        init(_ record: LeveringRecord) {
            id = record.id.uuidString.lowercased()
            gemeentecode = record.gemeente.rawValue
            leverancier = record.leverancierID
            stroom = record.stroom.rawValue
            periode = record.periode
            periodeStart = record.periodeStart.description
            periodeEind = record.periodeEind.description
            doel = record.doel
            status = record.status
            pogingen = record.pogingen
            maxPogingen = record.maxPogingen
            volgendePogingOp = record.volgendePogingOp
            laatsteFoutKlasse = record.laatsteFoutKlasse
            laatsteFout = record.laatsteFout
            aangemaaktOp = record.aangemaaktOp
            gestartOp = record.gestartOp
            afgerondOp = record.afgerondOp
        }
    }

    struct Poging: Encodable {
        let poging: Int
        let gestartOp: Date
        let afgerondOp: Date?
        let httpStatus: Int?
        let foutKlasse: String?
        let paginas: Int
        let records: Int
        let bytes: Int
        /// How the supplier signed the pages: `kp-apis`, `body` or `gemengd`.
        let ondertekening: String?
    }

    /// A page handed over to CBS: counts and checksum.
    struct HandedOverPage: Encodable {
        let pagina: Int
        let records: Int
        let bytes: Int
        let sha256: String
    }

    struct Detail: Encodable {
        let levering: Item
        let pogingen: [Poging]
        let paginas: [HandedOverPage]

        func encode(to encoder: any Encoder) throws {
            try levering.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(pogingen, forKey: .pogingHistorie)
            try container.encode(paginas, forKey: .overgedragenPaginas)
        }

        enum Key: String, CodingKey { case pogingHistorie, overgedragenPaginas }
    }

    static let statuses = ["gepland", "bezig", "geslaagd", "mislukt", "opgegeven", "geannuleerd"]
    static let purposes = ["test", "regulier", "herlevering"]

    @Sendable func list(_ request: Request, context: RegieRequestContext) async throws -> Response {
        var query = ListQuery(request, known: ["gemeente", "leverancier", "stroom", "status", "periode", "doel"])
        var filter = LeveringQueue.Filter(
            leverancierID: query["leverancier"], status: query["status"], periode: query["periode"], doel: query["doel"])
        if let text = query["gemeente"] {
            filter.gemeente = Gemeentecode(text)
            if filter.gemeente == nil { query.invalid("gemeente", "must be a gemeentecode") }
        }
        if let text = query["stroom"] {
            filter.stroom = Stroom(rawValue: text)
            if filter.stroom == nil { query.invalid("stroom", "must be VS or SHV") }
        }
        if let status = filter.status, !Self.statuses.contains(status) {
            query.invalid("status", "must be one of " + Self.statuses.joined(separator: ", "))
        }
        if let doel = filter.doel, !Self.purposes.contains(doel) {
            query.invalid("doel", "must be one of " + Self.purposes.joined(separator: ", "))
        }
        try query.finish()
        // A gemeente sees its own deliveries, a supplier those from itself (AccessGuard refused asking for another's).
        if let own = context.callerScope.gemeente { filter.gemeente = own }
        if let own = context.callerScope.leverancier { filter.leverancierID = own }
        let page = try await queue.list(filter, offset: query.offset, limit: query.pageSize)
        return query.response("leveringen", page.records.map(Item.init), total: page.total, request: request)
    }

    /// The delivery of the path (``AccessGuard`` has decided who may act on it).
    func delivery(_ context: RegieRequestContext) async throws -> (LeveringRecord, [LeveringPoging]) {
        let id = try context.pathID(code: "invalid-levering-id", what: "delivery")
        guard let found = try await queue.find(id) else {
            throw Problem(.notFound, code: "levering-not-found", detail: "There is no delivery with this id.")
        }
        return found
    }

    @Sendable func show(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let (record, attempts) = try await delivery(context)
        return JSONBody.response(
            Detail(
                levering: Item(record),
                pogingen: attempts.map {
                    Poging(
                        poging: $0.poging, gestartOp: $0.gestartOp, afgerondOp: $0.afgerondOp, httpStatus: $0.httpStatus,
                        foutKlasse: $0.foutKlasse,
                        paginas: $0.paginas, records: $0.records, bytes: $0.bytes, ondertekening: $0.ondertekening)
                },
                paginas: try await queue.pages(record.id).map {
                    HandedOverPage(pagina: $0.pagina, records: $0.records, bytes: $0.bytes, sha256: $0.sha256)
                }))
    }

    struct CancelBody: Decodable {
        let reden: String?
    }

    @Sendable func cancel(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let (record, _) = try await delivery(context)
        let body = try await JSONBody.decode(CancelBody.self, from: request, context: context)
        var check = FieldCheck()
        let reason = check.text(body.reden, "reden")
        try check.finish()
        guard let principal = context.principal else { throw Problem.unauthorized }
        guard try await queue.cancel(record.id, reason: reason, by: .api(principal, requestID: context.requestID), now: Date()) else {
            throw Problem(
                .conflict, code: "levering-already-ended", title: "Conflict", detail: "This delivery has already ended (\(record.status)).")
        }
        return try await changed(record.id)
    }

    @Sendable func retry(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let (record, _) = try await delivery(context)
        guard let principal = context.principal else { throw Problem.unauthorized }
        guard try await queue.retry(record.id, by: .api(principal, requestID: context.requestID), now: Date()) else {
            throw Problem(
                .conflict, code: "levering-not-given-up", title: "Conflict",
                detail: "Only a delivery that was given up (opgegeven) is retried; this one is \(record.status).")
        }
        return try await changed(record.id)
    }

    func changed(_ id: UUID) async throws -> Response {
        guard let (record, _) = try await queue.find(id) else {
            throw Problem(.notFound, code: "levering-not-found", detail: "There is no delivery with this id.")
        }
        var response = JSONBody.response(Item(record), status: .created)
        response.headers[.location] = "/v1/leveringen/\(record.id.uuidString.lowercased())"
        return response
    }
}
