import Foundation
import Postgres
import RegieTestSupport
import Testing

@Suite("Errors carry SQLSTATE and no values")
struct ErrorTests {
    @Test("a unique violation is told apart, and its description holds neither SQL nor the value")
    func uniqueViolation() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase())
        try await pool.query("CREATE TABLE people (bsn text CONSTRAINT people_bsn_key UNIQUE)")
        try await pool.query("INSERT INTO people VALUES ($1)", ["111222333"])
        let error = await #expect(throws: PostgresError.self) {
            try await pool.query("INSERT INTO people VALUES ($1)", ["111222333"])
        }
        #expect(error?.isUniqueViolation == true)
        #expect(error?.sqlState == "23505")
        #expect(error?.constraint == "people_bsn_key")
        #expect(error?.description.contains("111222333") == false)
        #expect(error?.description.contains("INSERT") == false)
        #expect(error?.description.contains("unique_violation") == true)
        await pool.close()
    }

    @Test("a serialization failure is told apart")
    func serializationFailure() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 2)
        try await pool.query("CREATE TABLE counters (id int PRIMARY KEY, value int NOT NULL)")
        try await pool.query("INSERT INTO counters VALUES (1, 0)")
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withTransaction(isolation: .repeatableRead) { first in
                _ = try await first.query("SELECT value FROM counters WHERE id = 1")
                // Another transaction changes the row after this one took its snapshot.
                try await pool.query("UPDATE counters SET value = value + 1 WHERE id = 1")
                try await first.execute("UPDATE counters SET value = value + 10 WHERE id = 1")
            }
        }
        #expect(error?.isSerializationFailure == true)
        #expect(error?.sqlState == "40001")
        let value = try await pool.query("SELECT value FROM counters WHERE id = 1").first?.decode("value", as: Int.self)
        #expect(value == 1)
        await pool.close()
    }

    @Test("a lock timeout is told apart")
    func lockTimeout() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 2)
        try await pool.query("CREATE TABLE rows (id int PRIMARY KEY)")
        try await pool.query("INSERT INTO rows VALUES (1)")
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withTransaction { holder in
                try await holder.query("SELECT id FROM rows WHERE id = 1 FOR UPDATE")
                try await pool.withTransaction { waiter in
                    try await waiter.execute("SET LOCAL lock_timeout = '100ms'")
                    try await waiter.query("SELECT id FROM rows WHERE id = 1 FOR UPDATE")
                }
            }
        }
        #expect(error?.isLockTimeout == true)
        #expect(error?.sqlState == "55P03")
        await pool.close()
    }

    @Test("a connection ended by the server is a lost connection, and the pool replaces it")
    func lostConnection() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 1)
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { connection in
                let pid = try #require(try await connection.query("SELECT pg_backend_pid() AS pid").first).decode("pid", as: Int.self)
                // A second pool (the first has one connection, in use here) ends this backend.
                let other = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 1)
                try await other.query("SELECT pg_terminate_backend($1::int)", [pid])
                await other.close()
                try await connection.query("SELECT 1")
            }
        }
        #expect(error?.isConnectionLost == true)
        #expect(try await pool.query("SELECT 1 AS one").count == 1)
        await pool.close()
    }

    @Test("a syntax error carries its SQLSTATE and no SQL text")
    func syntaxError() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase())
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELEKT geheim") }
        #expect(error?.sqlState == "42601")
        #expect(error?.kind == .server)
        #expect(error?.description.contains("geheim") == false)
        await pool.close()
    }

    @Test("an unreachable server names host and port, never the password")
    func unreachable() async throws {
        let pool = TestPostgres.makePool(
            .init(connectionString: "host=127.0.0.1 port=1 user=regie password=Zeer-Geheim-42 dbname=regie connect_timeout=5"), size: 1)
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(error?.kind == .connectionFailed)
        let text = error?.description ?? ""
        #expect(text.contains("127.0.0.1"))
        #expect(text.contains("port 1"))
        #expect(!text.contains("Zeer-Geheim-42"))
        #expect(error?.serverMessage?.contains("Zeer-Geheim-42") != true)
        await pool.close()
    }
}
