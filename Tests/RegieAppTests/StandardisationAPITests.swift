import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

@Suite("Standardisation: POST /v1/standaardisaties and the maintained table /v1/vertalingen")
struct StandardisationAPITests {
    struct Result: Decodable {
        struct Item: Decodable {
            let tekst: String
            let waarde: String
            let regel: String
        }
        let lijst: String
        let tabelversie: Int64
        let resultaten: [Item]
    }

    struct Entry: Decodable {
        struct Change: Decodable {
            let versie: Int64
            let actie: String
            let waardeVoor: String?
            let waardeNa: String?
            let gewijzigdDoor: String
        }
        let id: String
        let lijst: String
        let tekst: String
        let waarde: String
        let versie: Int64
        let wijzigingen: [Change]?
    }

    struct Entries: Decodable {
        let tabelversie: Int64
        let vertalingen: [Entry]
    }

    static func body(_ json: String) -> ByteBuffer { ByteBuffer(string: json) }

    static func json(_ headers: HTTPFields) -> HTTPFields {
        var fields = headers
        fields[.contentType] = "application/json"
        return fields
    }

    /// How many rows the table and its history have, and the audit chain's length.
    static func footprint(_ pool: PostgresPool) async throws -> [Int] {
        var counts: [Int] = []
        for table in ["standaardisatie_vertalingen", "standaardisatie_wijzigingen", "audit_events WHERE result = 'ok'"] {
            counts.append(try await pool.queryTrail("SELECT count(*) AS n FROM \(table)").first?.decode("n", as: Int.self) ?? -1)
        }
        return counts
    }

    @Test("a batch keeps its order; blank is LEEG, nonsense ONBEKEND, official values and known variants map, with the rule")
    func standardise() async throws {
        let app = try await TestApp.make()
        let gemeente = try await app.headers(.gemeente, scope: "GM0363")
        try await app.application().test(.router) { client in
            let texts = ["Telefonisch", "", "   ", "asdf qwerty", "Huisbezoek", "HUISBEZOEK", "Brief verstuurd"]
            let encoded = String(decoding: try JSONEncoder().encode(texts), as: UTF8.self)
            let result = try await client.execute(
                uri: "/v1/standaardisaties", method: .post, headers: Self.json(gemeente),
                body: Self.body("{\"lijst\": \"contactsoort\", \"teksten\": \(encoded)}")
            ) { response in
                #expect(response.status == .ok)
                return try response.json(Result.self)
            }
            #expect(result.lijst == "contactsoort" && result.tabelversie == 0)
            #expect(result.resultaten.map(\.tekst) == texts)
            let values = result.resultaten.map(\.waarde)
            #expect(values[0] == "Telefoon")
            #expect(values[1] == "LEEG" && values[2] == "LEEG")
            #expect(values[3] == "ONBEKEND" && result.resultaten[3].regel == "onbekend")
            #expect(values[4] == "Huisbezoek" && values[5] == "Huisbezoek" && result.resultaten[4].regel == "officieel")
            #expect(values[6] == "Brief")
        }
        await app.pool.close()
    }

    @Test("bad input is a 400 listing every error; other media types 415; roles without access 401/403")
    func badInput() async throws {
        let app = try await TestApp.make()
        let team = Self.json(app.projectteam)
        let tooMany = "[" + Array(repeating: "\"x\"", count: 10_001).joined(separator: ",") + "]"
        let tooLong = "[\"" + String(repeating: "a", count: 1_001) + "\"]"
        let cases: [(String, [String])] = [
            ("{}", ["lijst", "teksten"]),
            ("{\"lijst\": \"kleur\", \"teksten\": [\"x\"]}", ["lijst"]),
            ("{\"lijst\": \"eindresultaat\", \"teksten\": []}", ["teksten"]),
            ("{\"lijst\": \"eindresultaat\", \"teksten\": \(tooMany)}", ["teksten"]),
            ("{\"lijst\": \"eindresultaat\", \"teksten\": \(tooLong)}", ["teksten/0"]),
        ]
        try await app.application().test(.router) { client in
            for (body, names) in cases {
                try await client.execute(uri: "/v1/standaardisaties", method: .post, headers: team, body: Self.body(body)) { response in
                    #expect(response.status == .badRequest, "\(body.prefix(60))")
                    #expect(response.problem()?.invalidParams?.map(\.name) == names, "\(body.prefix(60))")
                }
            }
            try await client.execute(
                uri: "/v1/standaardisaties", method: .post, headers: team,
                body: Self.body("{\"lijst\": \"eindresultaat\", \"teksten\": [1]}")
            ) { response in
                #expect(response.status == .badRequest)
            }
            var plain = app.projectteam
            plain[.contentType] = "text/plain"
            try await client.execute(uri: "/v1/standaardisaties", method: .post, headers: plain, body: Self.body("Brief")) { response in
                #expect(response.status == .unsupportedMediaType)
            }
            let refused: [(HTTPFields, HTTPResponse.Status)] = [
                (HTTPFields(), .unauthorized), (Self.json(try await app.headers(.scheduler)), .forbidden),
                (Self.json(try await app.headers(.admin)), .forbidden),
            ]
            for (headers, status) in refused {
                try await client.execute(
                    uri: "/v1/standaardisaties", method: .post, headers: headers,
                    body: Self.body("{\"lijst\": \"contactsoort\", \"teksten\": [\"Brief\"]}")
                ) { response in
                    #expect(response.status == status)
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
        }
        await app.pool.close()
    }

    @Test("the project team maintains the table: versioned, audited, used at once; others may read it, not change it")
    func maintainedTable() async throws {
        let app = try await TestApp.make()
        let team = Self.json(app.projectteam)
        let gemeente = Self.json(try await app.headers(.gemeente, scope: "GM0363"))
        let entry = "{\"lijst\": \"eindresultaat\", \"tekst\": \"Afgehandeld volgens protocol B7\", \"waarde\": "
        try await app.application().test(.router) { client in
            let standardise: @Sendable () async throws -> Result.Item = {
                try await client.execute(
                    uri: "/v1/standaardisaties", method: .post, headers: team,
                    body: Self.body("{\"lijst\": \"eindresultaat\", \"teksten\": [\"afgehandeld volgens PROTOCOL b7!\"]}")
                ) { response in try #require(try response.json(Result.self).resultaten.first) }
            }
            #expect(try await standardise().waarde == "ONBEKEND")

            let before = try await Self.footprint(app.pool)
            let refused: [(HTTPFields, String, HTTPResponse.Status)] = [
                (gemeente, entry + "\"Vervolghulp en/of verwijzing niet financieel\"}", .forbidden),
                (team, entry + "\"Doorverwezen\"}", .badRequest),
                (team, entry + "\"LEEG\"}", .badRequest),
                (team, "{\"lijst\": \"eindresultaat\", \"tekst\": \"  \", \"waarde\": \"ONBEKEND\"}", .badRequest),
                (team, "{\"lijst\": \"eindresultaat\", \"tekst\": \"...\", \"waarde\": \"ONBEKEND\"}", .badRequest),
                (
                    team, "{\"lijst\": \"eindresultaat\", \"tekst\": \"\(String(repeating: "x", count: 201))\", \"waarde\": \"ONBEKEND\"}",
                    .badRequest
                ),
                (team, "{\"tekst\": \"x\", \"waarde\": \"ONBEKEND\"}", .badRequest),
            ]
            for (headers, body, status) in refused {
                try await client.execute(uri: "/v1/vertalingen", method: .post, headers: headers, body: Self.body(body)) { response in
                    #expect(response.status == status, "\(body)")
                }
            }
            #expect(try await Self.footprint(app.pool) == before, "a refused change changes nothing")

            let created = try await client.execute(
                uri: "/v1/vertalingen", method: .post, headers: team, body: Self.body(entry + "\"Vervolghulp en/of verwijzing\"}")
            ) { response in
                #expect(response.status == .created)
                #expect(response.headers[.location]?.hasPrefix("/v1/vertalingen/") == true)
                return try response.json(Entry.self)
            }
            #expect(try await standardise().waarde == "Vervolghulp en/of verwijzing")
            #expect(try await standardise().regel == "tabel")
            try await client.execute(
                uri: "/v1/vertalingen", method: .post, headers: team, body: Self.body(entry + "\"Vervolghulp en/of verwijzing\"}")
            ) { response in
                #expect(response.status == .ok)
                let again = try response.json(Entry.self)
                #expect(again.versie == created.versie, "the same value again is no change")
            }
            let changed = try await client.execute(
                uri: "/v1/vertalingen", method: .post, headers: team,
                body: Self.body(entry + "\"Vervolghulp en/of verwijzing niet financieel\"}")
            ) { response in
                #expect(response.status == .ok)
                return try response.json(Entry.self)
            }
            #expect(changed.id == created.id && changed.versie > created.versie)
            #expect(try await standardise().waarde == "Vervolghulp en/of verwijzing niet financieel")

            let detail = try await client.execute(uri: "/v1/vertalingen/\(created.id)", method: .get, headers: gemeente) { response in
                #expect(response.status == .ok)
                return try response.json(Entry.self)
            }
            #expect(detail.wijzigingen?.map(\.actie) == ["toegevoegd", "gewijzigd"])
            #expect(detail.wijzigingen?.last?.waardeVoor == "Vervolghulp en/of verwijzing")
            let list = try await client.execute(uri: "/v1/vertalingen?lijst=eindresultaat", method: .get, headers: gemeente) { response in
                #expect(response.status == .ok)
                return try response.json(Entries.self)
            }
            #expect(list.vertalingen.map(\.id) == [created.id] && list.tabelversie == changed.versie)
            try await client.execute(uri: "/v1/vertalingen?lijst=contactsoort", method: .get, headers: gemeente) { response in
                let entries = try response.json(Entries.self)
                #expect(entries.vertalingen.isEmpty)
            }
            try await client.execute(uri: "/v1/vertalingen?lijst=kleur", method: .get, headers: gemeente) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/vertalingen/\(created.id)", method: .delete, headers: gemeente) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/vertalingen/\(created.id)", method: .delete, headers: team) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/vertalingen/\(created.id)", method: .delete, headers: team) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/vertalingen/geen-id", method: .get, headers: team) { response in
                #expect(response.status == .badRequest)
            }
            #expect(try await standardise().waarde == "ONBEKEND")
        }
        let actions = try await app.pool.queryTrail(
            "SELECT action FROM audit_events WHERE object_type = 'vertaling' ORDER BY seq"
        ).map { try $0.decode("action", as: String.self) }
        #expect(actions == ["standaardisatie.toegevoegd", "standaardisatie.gewijzigd", "standaardisatie.verwijderd"])
        let history = try await app.pool.query("SELECT count(*) AS n FROM standaardisatie_wijzigingen").first?.decode("n", as: Int.self)
        #expect(history == 3)
        await #expect(throws: (any Error).self) {
            try await app.pool.query("UPDATE standaardisatie_wijzigingen SET waarde_na = 'x'")
        }
        await app.pool.close()
    }
}
