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

@Suite("GET /v1/gemeenten/{code}: ETag, 304, the latest history with its link")
struct GemeenteDetailTests {
    struct Detail: Decodable {
        let naam: String
        let versie: Int
        let geschiedenis: [Event]
        let geschiedenisVolledig: String
        let toestemmingen: [OnboardingAPITests.Toestemming]
    }

    struct Event: Decodable {
        let actie: String
    }

    static let ifNoneMatch = HTTPField.Name("If-None-Match")!

    func send(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ json: String, _ headers: HTTPFields
    ) async throws -> TestResponse {
        try await client.execute(
            uri: uri, method: method, headers: headers + [.contentType: "application/json"], body: ByteBuffer(string: json))
    }

    /// The detail as the project team gets it with `If-None-Match: etag` (none when nil).
    func detail(_ client: some TestClientProtocol, _ app: TestApp, etag: String? = nil) async throws -> TestResponse {
        var headers = app.projectteam
        if let etag { headers[Self.ifNoneMatch] = etag }
        return try await client.execute(uri: "/v1/gemeenten/GM0363", method: .get, headers: headers)
    }

    @Test("the current ETag in If-None-Match is 304 without a body; after each kind of change the old one gets 200 and the new body")
    func notModifiedUntilChanged() async throws {
        let app = try await TestApp.make()
        let gemeente = try await app.headers(.gemeente, scope: "GM0363")
        let base = "/v1/gemeenten/GM0363"
        try await app.application().test(.router) { client in
            var first = try await detail(client, app)
            #expect(first.status == .ok)
            var etag = try #require(first.headers[.eTag])
            let unchanged = try await detail(client, app, etag: etag)
            #expect(unchanged.status == .notModified)
            #expect(unchanged.body.readableBytes == 0)
            #expect(unchanged.headers[.eTag] == etag)
            #expect(try await detail(client, app, etag: "W/\(etag), \"999999\"").status == .notModified)
            #expect(try await detail(client, app, etag: "\"999999\"").status == .ok)

            // Each kind of change the detail shows: supplier, DPIA, consent given and revoked, a move, the register.
            let register = try String(contentsOf: TestPostgres.resources.gemeentenRegister, encoding: .utf8)
                .replacingOccurrences(of: "GM0363,Amsterdam", with: "GM0363,Amsterdam-Centrum")
            let changes: [(String, () async throws -> HTTPResponse.Status)] = [
                (
                    "supplier",
                    {
                        try await send(client, .put, base + "/leveranciers/VS", OnboardingAPITests.supplier("xxllnc"), app.projectteam)
                            .status
                    }
                ),
                ("dpia", { try await send(client, .post, base + "/dpia-akkoorden", OnboardingAPITests.dpia, gemeente).status }),
                ("consent", { try await send(client, .post, base + "/toestemmingen", OnboardingAPITests.consent(), gemeente).status }),
                (
                    "revocation",
                    {
                        let id: UUID = try #require(try await app.pool.query("SELECT id FROM toestemmingen").first?.decode("id"))
                        return try await send(
                            client, .post, base + "/toestemmingen/\(id.uuidString.lowercased())/intrekkingen", #"{"reden": "besluit"}"#,
                            gemeente
                        ).status
                    }
                ),
                (
                    "move",
                    {
                        try await send(
                            client, .post, base + "/fase-overgangen", #"{"naar": "opgeschort", "reden": "pauze"}"#, app.projectteam
                        ).status
                    }
                ),
                (
                    "register",
                    {
                        let loaded = try await PostgresGemeenteStore(pool: app.pool).load(try GemeentenRegister(csv: register))
                        return loaded.updated == 1 ? .ok : .internalServerError
                    }
                ),
            ]
            for (kind, change) in changes {
                #expect(try await change().code < 300, "the \(kind) change")
                let after = try await detail(client, app, etag: etag)
                #expect(after.status == .ok, "after the \(kind) change")
                #expect(after.headers[.eTag] != etag, "after the \(kind) change")
                #expect(after.body != first.body, "after the \(kind) change")
                etag = try #require(after.headers[.eTag])
                first = after
                #expect(try await detail(client, app, etag: etag).status == .notModified, "after the \(kind) change")
            }
            #expect(try first.json(Detail.self).naam == "Amsterdam-Centrum")
        }
        await app.pool.close()
    }

    @Test("a gemeente whose consent ends on a date is always answered in full: its records' activity changes with the day")
    func dayDependentAlwaysFull() async throws {
        let app = try await TestApp.make()
        let gemeente = try await app.headers(.gemeente, scope: "GM0363")
        let base = "/v1/gemeenten/GM0363"
        try await app.application().test(.router) { client in
            _ = try await send(client, .put, base + "/leveranciers/VS", OnboardingAPITests.supplier("xxllnc"), app.projectteam)
            let ending = OnboardingAPITests.consent().replacingOccurrences(
                of: #""geldigVan": "2025-11-01""#, with: #""geldigVan": "2025-11-01", "geldigTot": "2099-12-31""#)
            #expect(try await send(client, .post, base + "/toestemmingen", ending, gemeente).status == .created)
            let etag = try #require(try await detail(client, app).headers[.eTag])
            let again = try await detail(client, app, etag: etag)
            #expect(again.status == .ok)
            #expect(try again.json(Detail.self).toestemmingen.first?.actief == true)
        }
        await app.pool.close()
    }

    @Test("the detail shows the latest 20 events, oldest first, and links to the whole history in the audit list")
    func boundedHistory() async throws {
        let app = try await TestApp.make()
        let gemeente = try await app.headers(.gemeente, scope: "GM0363")
        let base = "/v1/gemeenten/GM0363"
        try await app.application().test(.router) { client in
            _ = try await send(client, .put, base + "/leveranciers/VS", OnboardingAPITests.supplier("xxllnc"), app.projectteam)
            for round in 0..<12 {
                let given = try await send(client, .post, base + "/toestemmingen", OnboardingAPITests.consent(), gemeente)
                let id = try #require(given.headers[.location])
                _ = try await send(client, .post, id + "/intrekkingen", #"{"reden": "ronde \#(round)"}"#, gemeente)
            }
            let detail = try await detail(client, app).json(Detail.self)
            #expect(detail.geschiedenis.count == GemeentenController.historyLimit)
            #expect(detail.geschiedenis.last?.actie == "toestemming.ingetrokken")
            #expect(detail.geschiedenisVolledig == "/v1/audit-gebeurtenissen?objecttype=gemeente&object=GM0363")
            let all = try await app.pool.query(
                "SELECT count(*) AS n FROM audit_events WHERE object_type = 'gemeente' AND object_id = 'GM0363' AND result = 'ok'"
            ).first?.decode("n", as: Int.self)
            #expect((all ?? 0) > GemeentenController.historyLimit)
            try await client.execute(uri: detail.geschiedenisVolledig, method: .get, headers: app.projectteam) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("\"totaal\":\(all ?? 0)"))
            }
        }
        await app.pool.close()
    }

    @Test("giving and revoking consent answer with the gemeente and only the record the request changed, however long the history")
    func consentAnswersTheChange() async throws {
        let app = try await TestApp.make()
        let gemeente = try await app.headers(.gemeente, scope: "GM0363")
        let base = "/v1/gemeenten/GM0363"
        try await app.application().test(.router) { client in
            _ = try await send(client, .put, base + "/leveranciers/VS", OnboardingAPITests.supplier("xxllnc"), app.projectteam)
            _ = try await send(client, .post, base + "/dpia-akkoorden", OnboardingAPITests.dpia, gemeente)
            for round in 0..<3 {
                let given = try await send(client, .post, base + "/toestemmingen", OnboardingAPITests.consent(), gemeente)
                #expect(given.status == .created)
                let record = try #require(try given.json(OnboardingAPITests.Detail.self).toestemmingen.only)
                #expect(record.actief && record.ingetrokkenOp == nil)
                #expect(given.headers[.location] == base + "/toestemmingen/" + record.id)
                #expect(try given.json(OnboardingAPITests.Detail.self).fase == "toestemming_gegeven")
                let revoked = try await send(
                    client, .post, base + "/toestemmingen/\(record.id)/intrekkingen", #"{"reden": "ronde \#(round)"}"#, gemeente)
                #expect(revoked.status == .created)
                let after = try revoked.json(OnboardingAPITests.Detail.self)
                #expect(after.toestemmingen.map(\.id) == [record.id])
                #expect(after.toestemmingen.first?.ingetrokkenOp != nil && after.toestemmingen.first?.actief == false)
                #expect(after.fase == "toestemming_ingetrokken")
                #expect(revoked.headers[.eTag] == "\"\(after.versie)\"")
            }
            // The detail still lists every record.
            #expect(try await detail(client, app).json(Detail.self).toestemmingen.count == 3)
        }
        await app.pool.close()
    }
}

extension Array {
    /// The one element, or nil when there are none or several.
    fileprivate var only: Element? { count == 1 ? first : nil }
}
