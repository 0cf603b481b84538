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

@Suite("Reporting: an unchanged report is kept, a change is in the very next answer")
struct VoortgangCacheTests {
    static let csv: HTTPFields = [.accept: "text/csv"]

    /// The three reports: voortgang as JSON and as CSV, and the gemeenten as CSV.
    func reports(_ client: some TestClientProtocol, _ app: TestApp) async throws -> [String] {
        var bodies: [String] = []
        for (uri, extra) in [("/v1/voortgang", HTTPFields()), ("/v1/voortgang", Self.csv), ("/v1/gemeenten", Self.csv)] {
            bodies.append(
                try await client.execute(uri: uri, method: .get, headers: app.projectteam + extra) { response in
                    #expect(response.status == .ok)
                    return response.text
                })
        }
        return bodies
    }

    @Test("asked twice the reports are the same; a phase move is in the next answer of each")
    func changeVisibleAtOnce() async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            let before = try await reports(client, app)
            #expect(try await reports(client, app) == before)
            #expect(
                try await client.execute(
                    uri: "/v1/gemeenten/GM0014/fase-overgangen", method: .post,
                    headers: app.projectteam + [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"naar": "geblokkeerd", "reden": "onderzoek"}"#)
                ).status == .created)
            let after = try await reports(client, app)
            for (old, new) in zip(before, after) { #expect(old != new) }
            #expect(after[0].contains("\"geblokkeerd\":1"))
            #expect(after[1].contains("GM0014;Groningen;Groningen;;geblokkeerd"))
        }
        await app.pool.close()
    }

    @Test("a write that commits while a report is computed is in the next answer: the report is never kept under a newer version")
    func writeDuringReport() async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            let before = try await reports(client, app)
            // The write is open while the reports are computed, and commits after.
            let during = try await app.pool.withTransaction { connection in
                _ = try await connection.execute("UPDATE gemeenten SET fase = 'opgeschort', versie = versie + 1 WHERE code = 'GM0014'")
                return try await reports(client, app)
            }
            #expect(during == before)
            let after = try await reports(client, app)
            for (old, new) in zip(before, after) { #expect(old != new) }
            #expect(after[0].contains("\"opgeschort\":1"))
        }
        await app.pool.close()
    }

    @Test("deliveries that change state are in the next report; a lease renewal does not change the data version")
    func deliveries() async throws {
        let app = try await TestApp.make()
        try await app.application().test(.router) { client in
            let queue = LeveringQueue(pool: app.pool)
            #expect(try await queue.enqueue(LeveringFixtures.requests([Gemeentecode("GM0034")!], notBefore: Date())) == 1)
            let before = try await reports(client, app)
            let status = StatusStore(pool: app.pool)
            let version = try await status.dataVersie()
            _ = try await app.pool.execute("UPDATE leveringen SET lease_tot = now() WHERE gemeente_code = 'GM0034'")
            _ = try await app.pool.execute("UPDATE leveringen SET status = 'gepland' WHERE gemeente_code = 'GM9999'")
            #expect(try await status.dataVersie() == version)
            _ = try await app.pool.execute(
                "UPDATE leveringen SET status = 'opgegeven', laatste_fout_klasse = 'signature', afgerond_op = now() WHERE gemeente_code = 'GM0034'"
            )
            #expect(try await status.dataVersie() > version)
            let after = try await reports(client, app)
            for (old, new) in zip(before, after) { #expect(old != new) }
            #expect(after[1].contains("opgegeven"))
        }
        await app.pool.close()
    }
}
