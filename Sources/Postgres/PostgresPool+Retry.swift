import Logging

/// How a transaction that lost to a concurrent one is run again.
///
/// PostgreSQL breaks a deadlock (`40P01`) by failing one of the transactions involved, ends
/// a serializable transaction that cannot be ordered (`40001`), and gives up a lock wait at
/// `lock_timeout` (`55P03`). In each case nothing of the transaction was kept and running
/// it again is correct; the caller's own work (a pull, a request) did not fail. So such a
/// transaction is retried in place, a bounded number of times, after a random wait up to an
/// exponentially growing cap ("full jitter"), so that the two losers do not meet again.
public struct TransientRetry: Sendable {
    /// Tries in all, the first included.
    public var attempts: Int
    /// The cap of the first wait; it doubles with each retry, up to `maximumDelay`.
    public var baseDelay: Duration
    public var maximumDelay: Duration

    /// A policy; `attempts` is at least 1.
    public init(attempts: Int = 6, baseDelay: Duration = .milliseconds(10), maximumDelay: Duration = .milliseconds(500)) {
        precondition(attempts >= 1, "at least one try")
        self.attempts = attempts
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    /// The policy the delivery engine's transactions use.
    public static let standard = TransientRetry()

    /// The wait before retry number `retry` (1 for the first): random, up to the cap.
    func delay(beforeRetry retry: Int) -> Duration {
        let doubled = baseDelay * (1 << min(retry - 1, 20))
        let cap = min(doubled, maximumDelay)
        let capNanoseconds = max(1, cap.components.seconds * 1_000_000_000 + cap.components.attoseconds / 1_000_000_000)
        return .nanoseconds(Int64.random(in: 0...capNanoseconds))
    }
}

extension PostgresError {
    /// A deadlock, a serialization failure or a lock timeout: the transaction may simply run again.
    public var isTransient: Bool { isDeadlock || isSerializationFailure || isLockTimeout }
}

extension PostgresPool {
    /// Runs `body` in a transaction, as `withTransaction`, and runs it again (in a new
    /// transaction) when it fails with a transient error (`PostgresError.isTransient`), up to
    /// `retry.attempts` tries; each retry is logged at warning with the SQLSTATE, never the
    /// statement or its values. `body` must be safe to run again: everything it wrote to the
    /// database was rolled back, and whatever it does outside it must be idempotent.
    public func withTransaction<T: Sendable>(
        isolation: TransactionIsolation = .readCommitted,
        retrying retry: TransientRetry,
        logger: Logger,
        operation: String,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await withTransaction(isolation: isolation, body)
            } catch let error as PostgresError where error.isTransient && attempt < retry.attempts {
                logger.warning(
                    "transaction lost to a concurrent one; running it again",
                    metadata: [
                        "operation": "\(operation)", "sqlstate": "\(error.sqlState ?? "")", "attempt": "\(attempt)",
                        "attempts": "\(retry.attempts)",
                    ])
                try await Task.sleep(for: retry.delay(beforeRetry: attempt))
                attempt += 1
            }
        }
    }
}
