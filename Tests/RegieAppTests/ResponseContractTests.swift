import ChildProgram
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

/// Every answer of the contract has its schema, and the real answers hold to it: a real
/// server over PostgreSQL with a real delivery behind it answers every operation that has a
/// body, and python-jsonschema (`Tests/Interop/jsonschema-peer`) validates each body against
/// that operation's response schema in the served document. A client generated from the same
/// document by openapi-python-client walks the README's walk-through with typed models.
@Suite("The contract describes every answer")
struct ResponseContractTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The document as a JSON object.
    static func document(_ data: Data = OpenAPIDocument.json(workflows: try? TestPostgres.workflows)) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Every `$ref` in `value`.
    static func references(in value: Any) -> [String] {
        switch value {
        case let object as [String: Any]:
            return ((object["$ref"] as? String).map { [$0] } ?? []) + object.values.flatMap { references(in: $0) }
        case let array as [Any]: return array.flatMap { references(in: $0) }
        default: return []
        }
    }

    @Test("every answer of every operation has a schema: success bodies by media type, errors as problems, and every reference resolves")
    func everyAnswerDescribed() throws {
        let document = try Self.document()
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var undescribed: [String] = []
        for operation in OpenAPIDocument.operations {
            let responses = try #require(
                (paths[operation.path]?[operation.method] as? [String: Any])?["responses"] as? [String: [String: Any]])
            for (code, response) in responses {
                let content = response["content"] as? [String: [String: Any]]
                // No Content and Not Modified have no body.
                if code == "204" || code == "304" {
                    if content != nil { undescribed.append("\(operation.method) \(operation.path) \(code) has a body") }
                    continue
                }
                let schemas = (content ?? [:]).compactMapValues { $0["schema"] as? [String: Any] }
                let generic = schemas.values.contains { $0.count == 1 && $0["type"] as? String == "object" }
                if schemas.isEmpty || generic { undescribed.append("\(operation.method) \(operation.path) \(code)") }
                if Int(code).map({ $0 >= 400 }) == true {
                    #expect(
                        schemas["application/problem+json"]?["$ref"] as? String == "#/components/schemas/Problem",
                        "\(operation.method) \(operation.path) \(code)")
                }
            }
        }
        #expect(undescribed.isEmpty, "\(undescribed.sorted())")
        let components = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let unresolved = Set(Self.references(in: document)).filter {
            !$0.hasPrefix("#/components/schemas/") || components[String($0.dropFirst("#/components/schemas/".count))] == nil
        }
        #expect(unresolved.isEmpty, "\(unresolved.sorted())")
        let names = OpenAPIDocument.describedTypes.map { $0.schemaName }
        #expect(Set(names).count == names.count, "two types share a component name")
    }

    @Test("the vocabularies are enumerated: streams, delivery statuses, the phases of the loaded workflows, roles and failure classes")
    func vocabularies() throws {
        let components = try #require((try Self.document()["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        func values(_ name: String) -> [String] { components[name]?["enum"] as? [String] ?? [] }
        #expect(values(OpenAPIDocument.stroom) == ["VS", "SHV"])
        #expect(Set(values(OpenAPIDocument.leveringStatus)) == Set(LeveringenController.statuses))
        #expect(values(OpenAPIDocument.gemeenteFase).contains("toestemming_gegeven"))
        #expect(values(OpenAPIDocument.gemeenteFase).contains("opgeschort"))
        #expect(values(OpenAPIDocument.dienstFase).contains("fsc_acceptatie"))
        #expect(Set(values(OpenAPIDocument.rol)) == Set(Role.allCases.map(\.rawValue)))
        #expect(values(OpenAPIDocument.foutKlasse).contains("signature"))
        let levering = try #require(components["Levering"]?["properties"] as? [String: [String: Any]])
        #expect(levering["id"]?["format"] as? String == "uuid")
        #expect(levering["aangemaaktOp"]?["format"] as? String == "date-time")
        #expect(levering["periodeStart"]?["format"] as? String == "date")
        #expect((levering["afgerondOp"]?["type"] as? [String]) == ["string", "null"], "optional fields are nullable")
        #expect((components["Levering"]?["required"] as? [String])?.contains("afgerondOp") == false)
    }

    /// One answer to check: which operation, which status, and the body.
    struct Answer {
        let method: String
        let path: String
        let status: Int
        let mediaType: String
        let body: Any
        /// The key of this answer in the combined document the peer validates.
        var key: String { "\(method) \(path) \(status)" }
    }

    /// Calls the server and keeps the answer for validation; returns the decoded body.
    final class Caller: @unchecked Sendable {
        var answers: [Answer] = []
        /// The document as the server served it.
        var served = Data()

        @discardableResult
        func call(
            _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, operation: String, headers: HTTPFields,
            body: Any? = nil, raw: Data? = nil, expect status: Int, sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> [String: Any] {
            let data = try raw ?? body.map { try JSONSerialization.data(withJSONObject: $0) }
            var fields = headers
            if data != nil { fields[.contentType] = "application/json" }
            let response = try await client.execute(uri: uri, method: method, headers: fields, body: data.map { ByteBuffer(data: $0) })
            #expect(
                Int(response.status.code) == status, "\(method) \(uri): \(String(buffer: response.body))", sourceLocation: sourceLocation)
            let mediaType = response.headers[.contentType]?.split(separator: ";").first.map(String.init) ?? ""
            let parsed = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
            answers.append(
                Answer(method: method.rawValue.lowercased(), path: operation, status: status, mediaType: mediaType, body: parsed))
            return parsed as? [String: Any] ?? [:]
        }
    }

    @Test("every route's real answers, successes and problems, hold to the operation's response schema in the served document")
    func realAnswersHoldToTheirSchemas() async throws {
        try await ExchangeFixture.with(gemeenten: 2, schemaViolations: .count, faults: DatakwaliteitLeveringTests.oneBadRecordPerPage) {
            fixture in
            let delivered = fixture.codes[0]
            try await fixture.enqueue([delivered])
            try await fixture.drain()
            let delivery = try await fixture.delivery(delivered).id.uuidString.lowercased()
            let other = fixture.codes[1]
            let onboarded = try #require(try LeveringFixtures.gemeenten(8).last { !fixture.codes.contains($0) })
            var app = try await KwaliteitApp(pool: fixture.pool)
            app.dependencies.meldingSleutel = MeldingSleutel(bytes: Array(repeating: 7, count: 32))
            let team = try await app.headers(.projectteam)
            let admin = try await app.headers(.admin)
            let gemeente = try await app.headers(.gemeente, scope: onboarded.rawValue)
            let deliveredGemeente = try await app.headers(.gemeente, scope: delivered.rawValue)
            let supplier = try await app.headers(.leverancier, scope: "xxllnc")
            let caller = Caller()
            try await app.application().test(.live) { client in
                let g = "/v1/gemeenten/{gemeentecode}"
                for path in ["/health/live", "/health/ready", "/v1/health/live", "/v1/health/ready"] {
                    try await caller.call(client, .get, path, operation: path, headers: [:], expect: 200)
                }
                let response = try await client.execute(uri: "/v1/openapi.json", method: .get)
                caller.served = Data(buffer: response.body)
                try await caller.call(client, .get, "/v1/openapi.json", operation: "/v1/openapi.json", headers: [:], expect: 200)

                // The README's onboarding of one gemeente, then a correction by the project team.
                let here = "/v1/gemeenten/\(onboarded.rawValue)"
                try await caller.call(
                    client, .put, here + "/leveranciers/VS", operation: g + "/leveranciers/{stroom}", headers: team,
                    body: ["leverancier": "xxllnc", "organisatienaam": "Gemeente"], expect: 200)
                try await caller.call(
                    client, .post, here + "/dpia-akkoorden", operation: g + "/dpia-akkoorden", headers: gemeente,
                    body: [
                        "besluitdatum": "2025-10-01", "goedkeurendeRol": "FG", "documentreferentie": "DPIA-2025-17",
                        "documentSha256": String(repeating: "ab", count: 32),
                    ], expect: 201)
                let consented = try await caller.call(
                    client, .post, here + "/toestemmingen", operation: g + "/toestemmingen", headers: gemeente,
                    body: [
                        "leverancier": "xxllnc", "stromen": ["VS"], "besluitdatum": "2025-10-15", "besluitvormendOrgaan": "college van B&W",
                        "documentreferentie": "B&W-2025-88", "documentSha256": String(repeating: "cd", count: 32),
                        "geldigVan": "2025-11-01",
                    ], expect: 201)
                let consent = try #require((consented["toestemmingen"] as? [[String: Any]])?.first?["id"] as? String)
                try await caller.call(client, .get, here, operation: g, headers: gemeente, expect: 200)
                try await caller.call(
                    client, .get, here + "/toestemmingen", operation: g + "/toestemmingen", headers: gemeente, expect: 200)
                try await caller.call(
                    client, .post, here + "/toestemmingen/\(consent)/intrekkingen", operation: g + "/toestemmingen/{id}/intrekkingen",
                    headers: gemeente, body: ["reden": "raadsbesluit"], expect: 201)
                try await caller.call(
                    client, .post, here + "/fase-overgangen", operation: g + "/fase-overgangen", headers: team,
                    body: ["naar": "opgeschort", "reden": "wacht op het college"], expect: 201)

                // The overviews, as each reader sees them.
                for headers in [team, deliveredGemeente, supplier] {
                    try await caller.call(
                        client, .get, "/v1/gemeenten?paginaGrootte=5", operation: "/v1/gemeenten", headers: headers, expect: 200)
                }
                try await caller.call(client, .get, "/v1/voortgang", operation: "/v1/voortgang", headers: team, expect: 200)
                for (headers, query) in [(team, ""), (team, "?provincie=Utrecht"), (deliveredGemeente, "")] {
                    try await caller.call(client, .get, "/v1/cijfers\(query)", operation: "/v1/cijfers", headers: headers, expect: 200)
                }
                try await caller.call(
                    client, .get, "/v1/cijfers?gemeente=\(delivered.rawValue)", operation: "/v1/cijfers", headers: deliveredGemeente,
                    expect: 200)
                try await caller.call(client, .get, "/v1/leveranciers", operation: "/v1/leveranciers", headers: team, expect: 200)
                try await caller.call(
                    client, .get, "/v1/leveranciers/xxllnc", operation: "/v1/leveranciers/{id}", headers: supplier, expect: 200)
                try await caller.call(
                    client, .get, "/v1/audit-gebeurtenissen?paginaGrootte=50", operation: "/v1/audit-gebeurtenissen", headers: team,
                    expect: 200)

                // The delivery that ran: its attempts, pages and report, in full and suppressed.
                try await caller.call(client, .get, "/v1/leveringen", operation: "/v1/leveringen", headers: team, expect: 200)
                try await caller.call(
                    client, .get, "/v1/leveringen/\(delivery)", operation: "/v1/leveringen/{id}", headers: team, expect: 200)
                for headers in [team, deliveredGemeente] {
                    try await caller.call(
                        client, .get, "/v1/leveringen/\(delivery)/op-orde-rapport", operation: "/v1/leveringen/{id}/op-orde-rapport",
                        headers: headers, expect: 200)
                    try await caller.call(
                        client, .get, "/v1/gemeenten/\(delivered.rawValue)/datakwaliteit", operation: g + "/datakwaliteit",
                        headers: headers,
                        expect: 200)
                }

                // A trigger, a given-up delivery retried, and a cancellation.
                try await caller.call(
                    client, .post, "/v1/leveringen", operation: "/v1/leveringen", headers: team,
                    body: ["stroom": "VS", "gemeenten": [other.rawValue, onboarded.rawValue], "periode": "2026-02", "doel": "test"],
                    expect: 201)
                let queue = LeveringQueue(pool: fixture.pool)
                let claimed = try #require(
                    try await queue.claim(
                        owner: "w", limit: 1, perSupplierLimit: 1, lease: .seconds(60), now: Date().addingTimeInterval(3600)
                    )
                    .first)
                // A digest that does not match is final: the delivery is given up at once.
                let givenUpStatus = try await queue.fail(
                    claimed.id, owner: "w",
                    failure: LeveringFailure(.signature, "digest_mismatch", httpStatus: 200, code: "digest_mismatch"),
                    figures: .init(httpStatus: 200), now: Date())
                #expect(givenUpStatus == .opgegeven)
                let givenUp = claimed.id.uuidString.lowercased()
                try await caller.call(
                    client, .get, "/v1/leveringen/\(givenUp)", operation: "/v1/leveringen/{id}", headers: team, expect: 200)
                try await caller.call(
                    client, .post, "/v1/leveringen/\(givenUp)/herhalingen", operation: "/v1/leveringen/{id}/herhalingen", headers: team,
                    expect: 201)
                try await caller.call(
                    client, .post, "/v1/leveringen/\(givenUp)/annuleringen", operation: "/v1/leveringen/{id}/annuleringen", headers: team,
                    body: ["reden": "dubbel"], expect: 201)

                // Standardisation, the table, and a supplier's check of its export.
                try await caller.call(
                    client, .post, "/v1/standaardisaties", operation: "/v1/standaardisaties", headers: supplier,
                    body: ["lijst": "signaalpartner", "teksten": ["Belastingdienst", "", "Telefonie"]], expect: 200)
                let entry = try await caller.call(
                    client, .post, "/v1/vertalingen", operation: "/v1/vertalingen", headers: team,
                    body: ["lijst": "signaalpartner", "tekst": "Belastingdienst Utrecht", "waarde": "Belastingdienst"], expect: 201)
                let entryID = try #require(entry["id"] as? String)
                try await caller.call(client, .get, "/v1/vertalingen", operation: "/v1/vertalingen", headers: team, expect: 200)
                try await caller.call(
                    client, .get, "/v1/vertalingen/\(entryID)", operation: "/v1/vertalingen/{id}", headers: team, expect: 200)
                for example in ["meervoudigVoorbeeld.json", "enkelvoudigVoorbeeld.json"] {
                    try await caller.call(
                        client, .post, "/v1/validaties?stroom=VS", operation: "/v1/validaties", headers: supplier,
                        raw: try OfficieleVoorbeelden.bytes(example), expect: 200)
                }

                // Tokens, and the supplier's own step, last (it suspends the service).
                let token = try await caller.call(
                    client, .post, "/v1/tokens", operation: "/v1/tokens", headers: admin,
                    body: ["rol": "gemeente", "scope": onboarded.rawValue, "geldigheidInDagen": 30, "omschrijving": "contract"], expect: 201
                )
                let tokenID = try #require(token["id"] as? String)
                try await caller.call(client, .get, "/v1/tokens", operation: "/v1/tokens", headers: admin, expect: 200)
                try await caller.call(client, .get, "/v1/tokens/\(tokenID)", operation: "/v1/tokens/{id}", headers: admin, expect: 200)
                try await caller.call(
                    client, .post, "/v1/leveranciers/xxllnc/diensten/VS/fase-overgangen",
                    operation: "/v1/leveranciers/{id}/diensten/{stroom}/fase-overgangen", headers: team,
                    body: ["naar": "opgeschort", "reden": "onderhoud"], expect: 200)

                // Subscriptions to meldingen: the soorten, a mailbox and a webhook, read, listed, changed, rotated.
                try await caller.call(
                    client, .get, "/v1/meldingen/soorten", operation: "/v1/meldingen/soorten", headers: supplier, expect: 200)
                let abonnement = "/v1/abonnementen/{id}"
                try await caller.call(
                    client, .post, "/v1/abonnementen", operation: "/v1/abonnementen", headers: gemeente,
                    body: ["kanaal": "email", "adres": "meldingen@gemeente.nl", "soorten": ["gemeente.achterstand"]], expect: 201)
                let hook = try await caller.call(
                    client, .post, "/v1/abonnementen", operation: "/v1/abonnementen", headers: supplier,
                    body: ["kanaal": "webhook", "adres": "https://hooks.xxllnc.example/ddas", "soorten": ["leverancier.storing"]],
                    expect: 201)
                let hookID = try #require(hook["id"] as? String)
                try await caller.call(client, .get, "/v1/abonnementen", operation: "/v1/abonnementen", headers: team, expect: 200)
                try await caller.call(client, .get, "/v1/abonnementen/\(hookID)", operation: abonnement, headers: supplier, expect: 200)
                try await caller.call(
                    client, .patch, "/v1/abonnementen/\(hookID)", operation: abonnement, headers: supplier,
                    body: ["soorten": ["leverancier.storing", "leverancier.stil"], "omschrijving": "beheer"], expect: 200)
                try await caller.call(
                    client, .post, "/v1/abonnementen/\(hookID)/geheim", operation: abonnement + "/geheim", headers: supplier, expect: 201)
                try await caller.call(
                    client, .post, "/v1/abonnementen", operation: "/v1/abonnementen", headers: supplier, body: ["kanaal": "sms"],
                    expect: 400)

                // The spreadsheets and the page: answers in the media types the document names.
                let alternatives: [(uri: String, operation: String, accept: String)] = [
                    ("/v1/gemeenten", "/v1/gemeenten", "text/csv"), ("/v1/voortgang", "/v1/voortgang", "text/csv"),
                    ("/v1/cijfers", "/v1/cijfers", "text/csv"),
                    ("/v1/leveringen/\(delivery)/op-orde-rapport", "/v1/leveringen/{id}/op-orde-rapport", "text/html"),
                ]
                let documented = try Self.document(caller.served)["paths"] as? [String: [String: Any]]
                for alternative in alternatives {
                    var headers = team
                    headers[.accept] = alternative.accept
                    let answer = try await client.execute(uri: alternative.uri, method: .get, headers: headers)
                    let mediaType = answer.headers[.contentType]?.split(separator: ";").first.map(String.init)
                    #expect(answer.status == .ok && mediaType == alternative.accept, "\(alternative.uri)")
                    let content = ((documented?[alternative.operation]?["get"] as? [String: Any])?["responses"] as? [String: Any])
                        .flatMap { ($0["200"] as? [String: Any])?["content"] as? [String: Any] }
                    #expect(content?[alternative.accept] != nil, "\(alternative.operation) does not document \(alternative.accept)")
                }

                // Problems: unknown, unauthenticated, refused, invalid (with invalid-params), conflicting.
                try await caller.call(client, .get, "/v1/gemeenten/GM9999", operation: g, headers: team, expect: 404)
                try await caller.call(client, .get, "/v1/gemeenten", operation: "/v1/gemeenten", headers: [:], expect: 401)
                try await caller.call(client, .get, "/v1/tokens", operation: "/v1/tokens", headers: team, expect: 403)
                try await caller.call(
                    client, .get, "/v1/leveringen?pagina=0&status=klaar", operation: "/v1/leveringen", headers: team, expect: 400)
                try await caller.call(
                    client, .post, "/v1/leveringen/\(delivery)/annuleringen", operation: "/v1/leveringen/{id}/annuleringen", headers: team,
                    body: ["reden": "te laat"], expect: 409)
            }
            let violations = try await Self.validate(caller.answers, against: Self.document(caller.served))
            #expect(violations.isEmpty, "\(violations)")
            let covered = Set(caller.answers.filter { $0.status < 300 }.map { "\($0.method) \($0.path)" })
            let withBody = OpenAPIDocument.operations.filter { $0.produces == nil && !$0.responses.contains(204) }.map {
                "\($0.method) \($0.path)"
            }
            #expect(Set(withBody).subtracting(covered).isEmpty, "not called: \(Set(withBody).subtracting(covered).sorted())")
        }
    }

    /// What python-jsonschema finds: one document of every answer by key, one schema that is
    /// the served document with a property per key referring to that answer's schema in it.
    static func validate(_ answers: [Answer], against document: [String: Any]) async throws -> [String] {
        func escape(_ part: String) -> String { part.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }
        var schema = document
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        var properties: [String: Any] = [:]
        var instance: [String: Any] = [:]
        for (index, answer) in answers.enumerated() {
            let key = "\(index) \(answer.key)"
            let paths = document["paths"] as? [String: [String: Any]]
            let content =
                ((paths?[answer.path]?[answer.method] as? [String: Any])?["responses"] as? [String: [String: Any]])?[
                    String(answer.status)]?[
                    "content"] as? [String: Any]
            #expect(content?[answer.mediaType] != nil, "\(answer.key) answered \(answer.mediaType), which is not documented")
            properties[key] = [
                "$ref":
                    "#/paths/\(escape(answer.path))/\(answer.method)/responses/\(answer.status)/content/\(escape(answer.mediaType))/schema"
            ]
            instance[key] = answer.body
        }
        schema["type"] = "object"
        schema["properties"] = properties
        schema["required"] = Array(properties.keys)
        let folder = try TestPostgres.temporaryFolder("ddas-response-contract")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let schemaFile = URL(fileURLWithPath: folder).appendingPathComponent("schema.json")
        let instanceFile = URL(fileURLWithPath: folder).appendingPathComponent("answers.json")
        try JSONSerialization.data(withJSONObject: schema).write(to: schemaFile)
        try JSONSerialization.data(withJSONObject: instance).write(to: instanceFile)
        let run = try await ChildProgram.script("Tests/Interop/jsonschema-peer", [schemaFile.path, instanceFile.path])
        try #require(run.status == 0, "the jsonschema peer did not run: \(run.errors)")
        let found = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [[String: String]])
        return found.map { "\($0["pointer"] ?? "") \($0["keyword"] ?? "")" }
    }

    @Test("a client generated from the served document by openapi-python-client walks the README's walk-through with typed models")
    func generatedClientWalksTheReadme() async throws {
        let app = try await TestApp.make()
        let team = try await app.dependencies.tokens.issue(
            role: .projectteam, scope: nil, expiresAt: nil, description: "DDAS projectteam", by: .commandLine)
        let gemeente = try await app.dependencies.tokens.issue(
            role: .gemeente, scope: "GM0363", expiresAt: nil, description: "tests", by: .commandLine)
        try await app.application().test(.live) { client in
            let port = try #require(client.port)
            let run = try await ChildProgram.script(
                "Tests/Interop/openapi-client-peer", ["http://127.0.0.1:\(port)", team.secret, gemeente.secret])
            try #require(run.status == 0, "the generated client did not walk: \(run.errors)\n\(run.output)")
            let steps = run.output.split(separator: "\n").map(String.init)
            #expect(
                steps == [
                    "leverancier VS: xxllnc (huidig)", "fase: dpia_akkoord", "fase: toestemming_gegeven",
                    "gemeente GM0363 Amsterdam: toestemming_gegeven, 1 toestemming(en), 1 actief",
                    "fase: toestemming_ingetrokken", "toestemming actief: False",
                ], "\(run.output)")
        }
        await app.pool.close()
    }
}
