import EmbeddedPostgres
import Foundation
import Postgres
import RegieTestSupport
import Testing

@Suite("Recovery from a PostgreSQL restart")
struct RecoveryTests {
    @Test("work in flight fails as a lost connection; the next query after the restart works")
    func poolRecovers() async throws {
        let cluster = try await TestPostgres.privateCluster()
        let configuration = PostgresConfiguration(connectionString: cluster.connectionString)
        let pool = TestPostgres.makePool(configuration, size: 3)
        // Fill the pool with idle connections that the restart will kill.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { try await pool.query("SELECT pg_sleep(0.05)") } }
            try await group.waitForAll()
        }
        let events = try PostgresListener.events(configuration: configuration, channels: ["wake"], logger: TestPostgres.logger)
        var listener = events.makeAsyncIterator()
        #expect(await listener.next() == .listening)

        let inFlight = Task { try await pool.query("SELECT pg_sleep(60)") }
        try await waitUntil { try await pool.query("SELECT 1 FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)'").count == 1 }
        try await cluster.restart()

        let error = await #expect(throws: PostgresError.self) { try await inFlight.value }
        #expect(error?.isConnectionLost == true)
        // No restart of the client: the pool drops its dead connections and opens new ones.
        #expect(try await pool.query("SELECT 1 AS one").first?.decode("one", as: Int.self) == 1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 { group.addTask { try await pool.query("SELECT 1") } }
            try await group.waitForAll()
        }
        // The listener reconnects by itself and says so before it hears again.
        #expect(await listener.next() == .interrupted)
        var event = await listener.next()
        while event == .interrupted { event = await listener.next() }
        #expect(event == .listening)
        try await pool.query("SELECT pg_notify($1, $2)", ["wake", "after restart"])
        #expect(await listener.next() == .notification(channel: "wake", payload: "after restart"))

        await pool.close()
        try await cluster.stop()
    }
}
