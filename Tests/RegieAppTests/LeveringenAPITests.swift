import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

@Suite("/v1/leveringen")
struct LeveringenAPITests {
    struct Page: Decodable {
        struct Item: Decodable {
            let id: String
            let gemeentecode: String
            let status: String
        }
        struct Paging: Decodable { let totaal: Int }
        let leveringen: [Item]
        let paginering: Paging
    }

    @Test("lists with filters and scopes, shows attempts, cancels once, retries what was given up")
    func deliveries() async throws {
        let app = try await TestApp.make()
        let queue = LeveringQueue(pool: app.pool)
        let codes = try LeveringFixtures.gemeenten(3)
        try await LeveringFixtures.grantConsent(codes, pool: app.pool)
        try await queue.enqueue(LeveringFixtures.requests(codes, notBefore: Date().addingTimeInterval(-60)))
        let claimed = try await queue.claim(owner: "w", limit: 1, perSupplierLimit: 10, lease: .seconds(60), now: Date())
        let givenUp = try #require(claimed.first)
        _ = try await queue.fail(
            givenUp.id, owner: "w", failure: LeveringFailure(.forbidden, "HTTP 403", httpStatus: 403), figures: .init(httpStatus: 403),
            now: Date())
        let scheduler = try await app.headers(.scheduler)
        let own = try await app.headers(.gemeente, scope: codes[0].rawValue)
        try await app.application().test(.router) { client in
            let all = try await client.execute(uri: "/v1/leveringen", method: .get, headers: scheduler) { try $0.json(Page.self) }
            #expect(all.paginering.totaal == 3)
            let open = try await client.execute(uri: "/v1/leveringen?status=gepland", method: .get, headers: scheduler) {
                try $0.json(Page.self)
            }
            #expect(open.paginering.totaal == 2)
            let mine = try await client.execute(uri: "/v1/leveringen", method: .get, headers: own) { try $0.json(Page.self) }
            #expect(mine.leveringen.map(\.gemeentecode) == [codes[0].rawValue])
            try await client.execute(uri: "/v1/leveringen?gemeente=\(codes[1].rawValue)", method: .get, headers: own) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/leveringen?status=klaar&stroom=XX", method: .get, headers: scheduler) { response in
                #expect(response.status == .badRequest)
                #expect(Set(response.problem()?.invalidParams?.map(\.name) ?? []) == ["status", "stroom"])
            }
            try await client.execute(uri: "/v1/leveringen/\(givenUp.id.uuidString)", method: .get, headers: app.projectteam) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("\"status\":\"opgegeven\""))
                #expect(response.text.contains("\"httpStatus\":403"))
            }
            let waiting = try #require(open.leveringen.first)
            let cancel = { () async throws -> TestResponse in
                try await client.execute(
                    uri: "/v1/leveringen/\(waiting.id)/annuleringen", method: .post,
                    headers: scheduler + [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"reden": "verkeerde periode"}"#))
            }
            #expect(try await cancel().status == .created)
            #expect(try await cancel().status == .conflict)
            try await client.execute(uri: "/v1/leveringen/\(givenUp.id.uuidString)/herhalingen", method: .post, headers: scheduler) {
                response in
                #expect(response.status == .created)
                #expect(response.text.contains("\"status\":\"gepland\""))
            }
            try await client.execute(uri: "/v1/leveringen/\(givenUp.id.uuidString)/herhalingen", method: .post, headers: scheduler) {
                response in
                #expect(response.status == .conflict)
            }
        }
        let audited = try await app.pool.queryTrail("SELECT action FROM audit_events WHERE object_type = 'levering' ORDER BY seq").map {
            try $0.decode("action", as: String.self)
        }
        #expect(audited == ["levering.geannuleerd", "levering.herhaald"])
        await app.pool.close()
    }

    struct Triggered: Decodable {
        struct Skipped: Decodable { let gemeentecode: String }
        let aangemaakt: Int
        let bestaand: Int
        let periodes: [String]
        let overgeslagen: [Skipped]
    }

    @Test("manual triggers and a backfill of 6 periods: only gemeenten with consent, each delivery once, bad input one 400")
    func triggers() async throws {
        let app = try await TestApp.make()
        let codes = try LeveringFixtures.gemeenten(4)
        try await LeveringFixtures.grantConsent(Array(codes.prefix(3)), pool: app.pool)
        try await app.pool.query("UPDATE leverancier_diensten SET fase = 'actief' WHERE leverancier_id = 'xxllnc'")
        let scheduler = try await app.headers(.scheduler)
        try await app.application().test(.router) { client in
            func post(_ json: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/v1/leveringen", method: .post, headers: scheduler + [.contentType: "application/json"],
                    body: ByteBuffer(string: json))
            }
            let selection = "[\"\(codes[0].rawValue)\", \"\(codes[1].rawValue)\", \"\(codes[3].rawValue)\"]"
            var response = try await post(#"{"stroom": "VS", "gemeenten": \#(selection), "periode": "2025-Q4"}"#)
            #expect(response.status == .created)
            var triggered = try response.json(Triggered.self)
            #expect(triggered.aangemaakt == 2)
            #expect(triggered.overgeslagen.map(\.gemeentecode) == [codes[3].rawValue])
            response = try await post(#"{"stroom": "VS", "gemeenten": \#(selection), "periode": "2025-Q4"}"#)
            triggered = try response.json(Triggered.self)
            #expect(triggered.aangemaakt == 0)
            #expect(triggered.bestaand == 2)
            response = try await post(#"{"stroom": "VS", "leverancier": "xxllnc", "van": "2024-Q3", "tot": "2025-Q4"}"#)
            #expect(response.status == .created)
            triggered = try response.json(Triggered.self)
            #expect(triggered.periodes == ["2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"])
            #expect(triggered.aangemaakt == 18)
            response = try await post(#"{"stroom": "XX", "gemeenten": ["x"], "periode": "2099-Q1"}"#)
            #expect(response.status == .badRequest)
            #expect(Set(response.problem()?.invalidParams?.map(\.name) ?? []) == ["stroom", "gemeenten", "periode"])
            response = try await post(
                #"{"stroom": "VS", "leverancier": "xxllnc", "fase": "aangemeld", "van": "2025-Q1", "tot": "2025-03"}"#)
            #expect(response.status == .badRequest)
            #expect(Set(response.problem()?.invalidParams?.map(\.name) ?? []) == ["gemeenten", "tot"])
        }
        let counts = try await app.pool.query("SELECT doel, count(*) AS n FROM leveringen GROUP BY doel ORDER BY doel").map {
            "\(try $0.decode("doel", as: String.self))=\(try $0.decode("n", as: Int.self))"
        }
        #expect(counts == ["herlevering=18", "regulier=2"])
        await app.pool.close()
    }
}
