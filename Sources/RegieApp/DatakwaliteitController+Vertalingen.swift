import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain
import RegieStore
import Standardisation

extension DatakwaliteitController {
    struct Entry: Encodable {
        let id: String
        let lijst: String
        let tekst: String
        let sleutel: String
        let waarde: String
        let versie: Int64
        let gewijzigdOp: Date
        let gewijzigdDoor: String

        init(_ entry: Vertaling) {
            id = entry.id.uuidString.lowercased()
            lijst = entry.lijst
            tekst = entry.tekst
            sleutel = entry.sleutel
            waarde = entry.waarde
            versie = entry.versie
            gewijzigdOp = entry.gewijzigdOp
            gewijzigdDoor = entry.gewijzigdDoor
        }
    }

    struct Change: Encodable {
        let versie: Int64
        let actie: String
        let tekst: String
        let waardeVoor: String?
        let waardeNa: String?
        let gewijzigdOp: Date
        let gewijzigdDoor: String
    }

    struct EntryDetail: Encodable {
        let vertaling: Entry
        let wijzigingen: [Change]

        func encode(to encoder: any Encoder) throws {
            try vertaling.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(wijzigingen, forKey: .wijzigingen)
        }

        enum Key: String, CodingKey { case wijzigingen }
    }

    struct EntryList: Encodable {
        let tabelversie: Int64
        let vertalingen: [Entry]
    }

    struct PutBody: Decodable {
        let lijst: String?
        let tekst: String?
        let waarde: String?
    }

    /// `GET /v1/vertalingen?lijst=`: the maintained table, with its version.
    @Sendable func listEntries(_ request: Request, context: RegieRequestContext) async throws -> Response {
        var query = ListQuery(request, known: ["lijst"])
        if let name = query["lijst"], CodeList(rawValue: name) == nil {
            query.invalid("lijst", "must be one of " + CodeList.allCases.map(\.rawValue).joined(separator: ", "))
        }
        try query.finish()
        let entries = try await standardisation.store.entries(lijst: query["lijst"])
        return JSONBody.response(EntryList(tabelversie: try await standardisation.store.version(), vertalingen: entries.map(Entry.init)))
    }

    /// `POST /v1/vertalingen`: sets the official value of a free text in a list (201 for a new
    /// entry, 200 for a changed or unchanged one). The value must be one of the list's
    /// official values, or `ONBEKEND` to mark a text that a human must map.
    @Sendable func putEntry(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(PutBody.self, from: request, context: context)
        var check = FieldCheck()
        let list = Self.codeList(body.lijst, check: &check)
        let text = check.text(body.tekst, "tekst", maximum: 200)
        let key = TextNormalisation.normalise(text)
        if !text.isEmpty, key.isEmpty { check.add("tekst", "must hold letters or digits") }
        let value = body.waarde ?? ""
        if let list, !list.accepts(value) {
            check.add(
                "waarde", "must be one of the official values of \(list.rawValue), or \(StandardisedValue.onbekend)")
        }
        try check.finish()
        guard let list, let principal = context.principal else { throw Problem.unauthorized }
        let (entry, created) = try await standardisation.store.put(
            lijst: list.rawValue, tekst: text, sleutel: key, waarde: value,
            actor: .api(principal, requestID: context.requestID), now: Date())
        var response = JSONBody.response(Entry(entry), status: created ? .created : .ok)
        response.headers[.location] = "/v1/vertalingen/\(entry.id.uuidString.lowercased())"
        return response
    }

    /// `GET /v1/vertalingen/{id}`: one entry with every change to it.
    @Sendable func showEntry(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let id = try context.pathID(code: "invalid-vertaling-id", what: "vertaling")
        guard let entry = try await standardisation.store.entry(id) else { throw Self.entryNotFound }
        let changes = try await standardisation.store.history(id).map {
            Change(
                versie: $0.versie, actie: $0.actie, tekst: $0.tekst, waardeVoor: $0.waardeVoor, waardeNa: $0.waardeNa,
                gewijzigdOp: $0.gewijzigdOp, gewijzigdDoor: $0.gewijzigdDoor)
        }
        return JSONBody.response(EntryDetail(vertaling: Entry(entry), wijzigingen: changes))
    }

    /// `DELETE /v1/vertalingen/{id}`: removes an entry (204); its history stays.
    @Sendable func deleteEntry(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let id = try context.pathID(code: "invalid-vertaling-id", what: "vertaling")
        guard let principal = context.principal else { throw Problem.unauthorized }
        guard try await standardisation.store.delete(id, actor: .api(principal, requestID: context.requestID), now: Date()) else {
            throw Self.entryNotFound
        }
        return Response(status: .noContent)
    }

    static let entryNotFound = Problem(.notFound, code: "vertaling-not-found", detail: "There is no entry with this id.")
}
