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
        let queue = DeliveryQueue(pool: app.pool)
        let codes = try DeliveryFixtures.gemeenten(3)
        try await DeliveryFixtures.grantConsent(codes, pool: app.pool)
        try await queue.enqueue(DeliveryFixtures.requests(codes, notBefore: Date().addingTimeInterval(-60)))
        let claimed = try await queue.claim(owner: "w", limit: 1, perSupplierLimit: 10, lease: .seconds(60), now: Date())
        let givenUp = try #require(claimed.first)
        _ = try await queue.fail(
            givenUp.id, owner: "w", final: true, nextAttemptAt: Date(), errorClass: "forbidden", message: "HTTP 403",
            figures: .init(httpStatus: 403), now: Date())
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
        let audited = try await app.pool.query("SELECT action FROM audit_events WHERE object_type = 'levering' ORDER BY seq").map {
            try $0.decode("action", as: String.self)
        }
        #expect(audited == ["levering.geannuleerd", "levering.herhaald"])
        await app.pool.close()
    }
}
