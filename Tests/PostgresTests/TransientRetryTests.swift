import Foundation
import Postgres
import RegieTestSupport
import Synchronization
import Testing

/// A one-shot signal between two tasks: `fire` once, `wait` until it was fired.
final class Signal: Sendable {
    private let state = Mutex<(fired: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func fire() {
        let waiters = state.withLock { state in
            state.fired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let fired = state.withLock { state in
                if !state.fired { state.waiters.append(continuation) }
                return state.fired
            }
            if fired { continuation.resume() }
        }
    }
}

@Suite("Transactions that lose to a concurrent one")
struct TransientRetryTests {
    @Test("two transactions that lock two rows in opposite order: PostgreSQL fails one with 40P01, it runs again, both commit")
    func deadlockRunsAgain() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 4)
        try await pool.query("CREATE TABLE tellers (id integer PRIMARY KEY, waarde integer NOT NULL)")
        try await pool.query("INSERT INTO tellers VALUES (1, 0), (2, 0)")
        let firstHolds = Signal()
        let secondHolds = Signal()
        let tries = Mutex<[String: Int]>([:])
        let retry = TransientRetry(attempts: 4, baseDelay: .milliseconds(5), maximumDelay: .milliseconds(20))
        let crossing: @Sendable (String, Int, Int, Signal, Signal) async throws -> Void = { name, first, second, holds, other in
            try await pool.withTransaction(retrying: retry, logger: TestPostgres.logger, operation: name) { connection in
                let attempt = tries.withLock { tries in
                    tries[name, default: 0] += 1
                    return tries[name] ?? 0
                }
                try await connection.query("UPDATE tellers SET waarde = waarde + 1 WHERE id = $1", [first])
                if attempt == 1 {
                    holds.fire()
                    await other.wait()
                }
                try await connection.query("UPDATE tellers SET waarde = waarde + 1 WHERE id = $1", [second])
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await crossing("een", 1, 2, firstHolds, secondHolds) }
            group.addTask { try await crossing("twee", 2, 1, secondHolds, firstHolds) }
            try await group.waitForAll()
        }
        let values = try await pool.query("SELECT waarde FROM tellers ORDER BY id").map { try $0.decode("waarde", as: Int.self) }
        #expect(values == [2, 2])
        let counts = tries.withLock { $0 }
        #expect((counts["een"] ?? 0) + (counts["twee"] ?? 0) == 3, "\(counts)")
        await pool.close()
    }

    @Test("a transient error past the last try, and any other error, reach the caller unchanged")
    func boundedAndSelective() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 2)
        let tries = Mutex(0)
        let retry = TransientRetry(attempts: 3, baseDelay: .milliseconds(1), maximumDelay: .milliseconds(2))
        await #expect(throws: PostgresError.self) {
            try await pool.withTransaction(retrying: retry, logger: TestPostgres.logger, operation: "test") { connection in
                tries.withLock { $0 += 1 }
                try await connection.query("SELECT 1")
                throw PostgresError(.server, sqlState: "40001")
            }
        }
        #expect(tries.withLock { $0 } == 3)
        tries.withLock { $0 = 0 }
        await #expect(throws: PostgresError.self) {
            try await pool.withTransaction(retrying: retry, logger: TestPostgres.logger, operation: "test") { connection in
                tries.withLock { $0 += 1 }
                try await connection.query("SELECT 1 / 0")
            }
        }
        #expect(tries.withLock { $0 } == 1)
        await pool.close()
    }
}
