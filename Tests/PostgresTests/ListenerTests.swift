import Foundation
import Postgres
import RegieTestSupport
import Testing

@Suite("LISTEN/NOTIFY")
struct ListenerTests {
    @Test("a notification sent after .listening arrives with its channel and payload")
    func notifications() async throws {
        let configuration = try await TestPostgres.emptyDatabase()
        let pool = TestPostgres.makePool(configuration)
        let events = try PostgresListener.events(
            configuration: configuration, channels: ["leveringen", "other"], logger: TestPostgres.logger)
        var iterator = events.makeAsyncIterator()
        #expect(await iterator.next() == .listening)
        try await pool.query("SELECT pg_notify($1, $2)", ["leveringen", "42"])
        try await pool.query("SELECT pg_notify($1, $2)", ["other", ""])
        #expect(await iterator.next() == .notification(channel: "leveringen", payload: "42"))
        #expect(await iterator.next() == .notification(channel: "other", payload: ""))
        await pool.close()
    }

    @Test("a channel name that is not a plain identifier is refused")
    func badChannel() async throws {
        #expect(throws: PostgresError.self) {
            _ = try PostgresListener.events(configuration: .environment, channels: ["x\"; DROP TABLE y; --"], logger: TestPostgres.logger)
        }
    }
}
