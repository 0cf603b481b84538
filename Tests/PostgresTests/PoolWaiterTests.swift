import Foundation
import NIOConcurrencyHelpers
import Postgres
import RegieTestSupport
import Testing

@Suite("Callers waiting for a connection")
struct PoolWaiterTests {
    @Test("100 callers waiting on a pool of one are all served, in the order they came")
    func fairOrder() async throws {
        // No waiter gives up while the hundred line up, however slow the machine.
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 1, acquireTimeout: .seconds(600))
        let (holder, release) = await holdConnection(of: pool)
        let served = NIOLockedValueBox<[Int]>([])
        var waiters: [Task<Void, any Error>] = []
        for number in 0..<100 {
            waiters.append(
                Task {
                    try await pool.withConnection { connection in
                        served.withLockedValue { $0.append(number) }
                        try await connection.query("SELECT $1::int8 AS n", [number])
                    }
                })
            // The next caller comes only once this one waits.
            try await waitUntil { await pool.waitingCallers == number + 1 }
        }
        release.yield()
        try await holder.value
        for waiter in waiters { try await waiter.value }
        #expect(served.withLockedValue { $0 } == Array(0..<100))
        #expect(await pool.waitingCallers == 0)
        #expect(await pool.openConnections == 1)
        await pool.close()
    }

    @Test("every waiter not served within the acquire timeout gets poolTimeout, and the pool serves callers after")
    func manyTimeouts() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 1, acquireTimeout: .milliseconds(300))
        let (holder, release) = await holdConnection(of: pool)
        let started = ContinuousClock.now
        let outcomes = await withTaskGroup(of: PostgresError.Kind?.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    do {
                        try await pool.query("SELECT 1")
                        return nil
                    } catch let error as PostgresError {
                        return error.kind
                    } catch {
                        return nil
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.count == 100)
        #expect(outcomes.allSatisfy { $0 == .poolTimeout })
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(await pool.waitingCallers == 0)
        release.yield()
        try await holder.value
        #expect(try await pool.query("SELECT 1 AS one").count == 1)
        await pool.close()
    }

    @Test("a cancelled waiter leaves the queue with CancellationError; the ones behind it are still served")
    func cancelledWaiter() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 1)
        let (holder, release) = await holdConnection(of: pool)
        let first = Task { try await pool.query("SELECT 1 AS n") }
        try await waitUntil { await pool.waitingCallers == 1 }
        let second = Task { try await pool.query("SELECT 2 AS n") }
        try await waitUntil { await pool.waitingCallers == 2 }
        first.cancel()
        await #expect(throws: CancellationError.self) { try await first.value }
        #expect(await pool.waitingCallers == 1)
        release.yield()
        try await holder.value
        #expect(try await second.value.first?.decode("n", as: Int.self) == 2)
        await pool.close()
    }

    @Test("closing the pool fails its waiters with poolClosed")
    func closeFailsWaiters() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 1)
        let (holder, release) = await holdConnection(of: pool)
        let waiter = Task { try await pool.query("SELECT 1") }
        try await waitUntil { await pool.waitingCallers == 1 }
        await pool.close()
        let error = await #expect(throws: PostgresError.self) { try await waiter.value }
        #expect(error?.kind == .poolClosed)
        release.yield()
        try await holder.value
    }

    @Test("cancelling a running statement returns promptly with cancelled, and the connection serves the next caller")
    func promptCancellation() async throws {
        let database = try await TestPostgres.emptyDatabase()
        let pool = TestPostgres.makePool(database, size: 1)
        let observer = TestPostgres.makePool(database, size: 1)
        let pid = try #require(try await pool.query("SELECT pg_backend_pid() AS pid").first).decode("pid", as: Int.self)
        let sleeper = Task { try await pool.query("SELECT pg_sleep(31)") }
        try await waitUntil {
            try await observer.query(
                "SELECT 1 FROM pg_stat_activity WHERE pid = $1::int AND state = 'active' AND query LIKE 'SELECT pg_sleep%'", [pid]
            ).count == 1
        }
        let cancelled = ContinuousClock.now
        sleeper.cancel()
        let error = await #expect(throws: PostgresError.self) { try await sleeper.value }
        #expect(error?.kind == .cancelled)
        #expect(ContinuousClock.now - cancelled < .seconds(5))
        let next = try #require(try await pool.query("SELECT pg_backend_pid() AS pid").first).decode("pid", as: Int.self)
        #expect(next == pid)
        await observer.close()
        await pool.close()
    }
}

/// Holds a connection of `pool` until the returned continuation yields; the task ends then.
func holdConnection(of pool: PostgresPool) async -> (Task<Void, any Error>, AsyncStream<Void>.Continuation) {
    let (acquired, acquiredSignal) = AsyncStream.makeStream(of: Void.self)
    let (release, releaseSignal) = AsyncStream.makeStream(of: Void.self)
    let holder = Task {
        try await pool.withConnection { _ in
            acquiredSignal.yield()
            for await _ in release { break }
        }
    }
    for await _ in acquired { break }
    return (holder, releaseSignal)
}
