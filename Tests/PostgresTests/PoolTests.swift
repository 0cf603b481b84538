import Foundation
import Postgres
import RegieTestSupport
import Testing

@Suite("Connection pool")
struct PoolTests {
    @Test("100 concurrent queries over a pool of 4 all answer, on at most 4 connections")
    func concurrentQueries() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 4)
        let results = try await withThrowingTaskGroup(of: (Int, Int, Int).self) { group in
            for number in 0..<100 {
                group.addTask {
                    let row = try #require(try await pool.query("SELECT $1::int8 AS n, pg_backend_pid() AS pid", [number]).first)
                    return (number, try row.decode("n", as: Int.self), try row.decode("pid", as: Int.self))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 100)
        #expect(results.allSatisfy { $0.0 == $0.1 })
        #expect(Set(results.map(\.2)).count <= 4)
        #expect(await pool.openConnections <= 4)
        await pool.close()
    }

    @Test("a transaction commits when its body returns and rolls back when it throws")
    func transactions() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase())
        try await pool.query("CREATE TABLE items (name text PRIMARY KEY)")
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await pool.withTransaction { connection in
                try await connection.execute("INSERT INTO items VALUES ($1)", ["rolled back"])
                throw Refused()
            }
        }
        try await pool.withTransaction { connection in
            try await connection.execute("INSERT INTO items VALUES ($1)", ["kept"])
        }
        let names = try await pool.query("SELECT name FROM items ORDER BY name").map { try $0.decode("name", as: String.self) }
        #expect(names == ["kept"])
        // The connection that saw the rollback is clean for the next caller.
        let open = try await pool.withConnection { $0.isInTransaction }
        #expect(open == false)
        await pool.close()
    }

    @Test("a caller that finds no free connection waits at most the acquire timeout")
    func boundedWait() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 1, acquireTimeout: .milliseconds(200))
        let (holder, releaseSignal) = await holdConnection(of: pool)
        let error = await #expect(throws: PostgresError.self) {
            try await pool.query("SELECT 1")
        }
        #expect(error?.kind == .poolTimeout)
        releaseSignal.yield()
        try await holder.value
        // Once the connection is back, callers are served again.
        #expect(try await pool.query("SELECT 1 AS one").count == 1)
        await pool.close()
    }

    @Test("a closed pool refuses work with poolClosed")
    func closedPool() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase())
        try await pool.query("SELECT 1")
        await pool.close()
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(error?.kind == .poolClosed)
    }

    @Test("a cancelled task cancels its statement on the server")
    func cancellation() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase())
        let started = ContinuousClock.now
        let sleeper = Task { try await pool.query("SELECT pg_sleep(30)") }
        // Wait until the statement is really running, then cancel the task.
        try await waitUntil {
            try await pool.query("SELECT 1 FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'").count == 1
        }
        sleeper.cancel()
        let error = await #expect(throws: PostgresError.self) { try await sleeper.value }
        #expect(error?.kind == .cancelled)
        #expect(ContinuousClock.now - started < .seconds(20))
        await pool.close()
    }

    @Test("an idle connection the server ended (its reason sent, then the socket closed) is not handed to the next caller")
    func idleConnectionEndedByServer() async throws {
        let database = try await TestPostgres.emptyDatabase()
        let pool = TestPostgres.makePool(database, size: 1)
        let pid = try #require(try await pool.query("SELECT pg_backend_pid() AS pid").first).decode("pid", as: Int.self)
        let other = TestPostgres.makePool(database, size: 1)
        try await other.query("SELECT pg_terminate_backend($1::int)", [pid])
        // Once the backend has exited (gone, or a zombie: its sockets are closed), its reason
        // and the end of its stream both wait in the idle connection's socket.
        try await waitUntil { processHasExited(pid) }
        await other.close()

        let next = try #require(try await pool.query("SELECT pg_backend_pid() AS pid").first).decode("pid", as: Int.self)
        #expect(next != pid)
        await pool.close()
    }
}

/// Whether process `pid` of this machine has exited: no longer listed, or a zombie whose
/// parent has not yet collected it.
func processHasExited(_ pid: Int) -> Bool {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
    // The state follows the command name, which is in parentheses and may hold spaces.
    guard let end = status.lastIndex(of: ")") else { return false }
    return status[status.index(after: end)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
}

/// Polls `condition` until it holds, failing after `timeout`: for state that changes in
/// another process, where there is no signal to wait on.
func waitUntil(timeout: Duration = .seconds(15), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition not met within \(timeout)")
            throw CancellationError()
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}
