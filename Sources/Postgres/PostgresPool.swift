import Foundation
import Logging
import NIOPosix
import ServiceLifecycle

/// A bounded pool of libpq connections; a swift-service-lifecycle `Service`.
///
/// - Connections are opened lazily, up to `maximumConnections`; a caller that finds none
///   free waits at most `acquireTimeout`, then gets `poolTimeout`.
/// - A connection goes back to the pool only when it is healthy and outside a transaction;
///   anything else is closed and its place freed. When one connection is found lost (the
///   server restarted, the network broke) every idle one is checked too, so the next
///   caller after recovery gets a fresh, working connection instead of a dead one.
/// - The pool is usable as soon as it is made (migrations run before the service group
///   starts); `run()` only waits for shutdown and then closes it.
public actor PostgresPool: Service {
    /// The pool's limits.
    public struct Configuration: Sendable {
        /// Where the connections go.
        public var connection: PostgresConfiguration
        /// Most connections open at once.
        public var maximumConnections: Int
        /// Longest wait for a free connection.
        public var acquireTimeout: Duration

        /// Limits with defaults suited to one service replica.
        public init(connection: PostgresConfiguration, maximumConnections: Int = 10, acquireTimeout: Duration = .seconds(10)) {
            precondition(maximumConnections > 0, "a pool needs at least one connection")
            self.connection = connection
            self.maximumConnections = maximumConnections
            self.acquireTimeout = acquireTimeout
        }
    }

    private enum Grant {
        case connection(PostgresConnection)
        case slot
    }

    private struct Waiter {
        let continuation: CheckedContinuation<Grant, any Error>
        let timeout: Task<Void, Never>
    }

    /// The pool's limits.
    public nonisolated let configuration: Configuration
    private let threadPool: NIOThreadPool
    private let logger: Logger
    private var idle: [PostgresConnection] = []
    private var openCount = 0
    private var waiters: [UInt64: Waiter] = [:]
    private var waiterOrder: [UInt64] = []
    private var nextWaiterID: UInt64 = 0
    private var isClosed = false

    /// A pool; no connection is opened until the first use.
    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        // One thread per connection: a blocked statement never holds up another connection.
        self.threadPool = NIOThreadPool(numberOfThreads: configuration.maximumConnections)
        self.threadPool.start()
    }

    /// Lends a connection to `body` and takes it back, however `body` ends.
    public nonisolated func withConnection<T: Sendable>(
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection = try await acquire()
        do {
            let value = try await body(connection)
            await release(connection)
            return value
        } catch {
            await release(connection)
            throw error
        }
    }

    /// Runs `body` in a transaction: committed when `body` returns, rolled back when it throws.
    public nonisolated func withTransaction<T: Sendable>(
        isolation: TransactionIsolation = .readCommitted,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            try await connection.execute(isolation.beginStatement)
            let value: T
            do {
                value = try await body(connection)
            } catch {
                // A failed rollback leaves the connection in a transaction; the pool then closes it.
                _ = try? await connection.execute("ROLLBACK")
                throw error
            }
            try await connection.execute("COMMIT")
            return value
        }
    }

    /// Runs one statement on a pooled connection.
    @discardableResult
    public nonisolated func query(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) async throws -> PostgresRows {
        try await withConnection { try await $0.query(sql, parameters) }
    }

    /// Connections open now, in use or idle.
    public var openConnections: Int { openCount }

    /// Waits for graceful shutdown, then closes the pool.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Refuses new work, fails the waiting callers, closes idle connections; connections in
    /// use close when they come back.
    public func close() async {
        guard !isClosed else { return }
        isClosed = true
        for id in waiterOrder {
            if let waiter = waiters.removeValue(forKey: id) {
                waiter.timeout.cancel()
                waiter.continuation.resume(throwing: PostgresError(.poolClosed))
            }
        }
        waiterOrder.removeAll()
        for connection in idle {
            connection.close()
        }
        openCount -= idle.count
        idle.removeAll()
        try? await threadPool.shutdownGracefully()
    }

    private func acquire() async throws -> PostgresConnection {
        guard !isClosed else { throw PostgresError(.poolClosed) }
        while let connection = idle.popLast() {
            if connection.isUsable() { return connection }
            discard(connection)
        }
        if openCount < configuration.maximumConnections {
            openCount += 1
            return try await openReserved()
        }
        switch try await waitForGrant() {
        case .connection(let connection):
            return connection
        case .slot:
            return try await openReserved()
        }
    }

    /// Opens a connection for a place already counted in `openCount`.
    private func openReserved() async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(configuration: configuration.connection, threadPool: threadPool)
        } catch {
            openCount -= 1
            handOnFreedSlot()
            logger.warning("PostgreSQL connection failed", metadata: ["error": "\(error)"])
            throw error
        }
    }

    private func waitForGrant() async throws -> Grant {
        nextWaiterID += 1
        let id = nextWaiterID
        let timeoutDuration = configuration.acquireTimeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let timeout = Task { [weak self] in
                    try? await Task.sleep(for: timeoutDuration)
                    guard !Task.isCancelled else { return }
                    await self?.failWaiter(id, with: PostgresError(.poolTimeout, context: "no connection free within \(timeoutDuration)"))
                }
                waiters[id] = Waiter(continuation: continuation, timeout: timeout)
                waiterOrder.append(id)
            }
        } onCancel: {
            Task { await self.failWaiter(id, with: CancellationError()) }
        }
    }

    private func failWaiter(_ id: UInt64, with error: any Error) {
        guard let waiter = waiters.removeValue(forKey: id) else { return }
        waiterOrder.removeAll { $0 == id }
        waiter.timeout.cancel()
        waiter.continuation.resume(throwing: error)
    }

    private func popWaiter() -> Waiter? {
        while !waiterOrder.isEmpty {
            let id = waiterOrder.removeFirst()
            if let waiter = waiters.removeValue(forKey: id) {
                waiter.timeout.cancel()
                return waiter
            }
        }
        return nil
    }

    private func release(_ connection: PostgresConnection) {
        guard !isClosed, connection.isUsable() else {
            let wasLost = !connection.isClosed && !isClosed
            discard(connection)
            if wasLost { pruneIdle() }
            handOnFreedSlot()
            return
        }
        if let waiter = popWaiter() {
            waiter.continuation.resume(returning: .connection(connection))
        } else {
            idle.append(connection)
        }
    }

    /// A place came free: the first waiter may open a connection in it.
    private func handOnFreedSlot() {
        guard !isClosed, openCount < configuration.maximumConnections, let waiter = popWaiter() else { return }
        openCount += 1
        waiter.continuation.resume(returning: .slot)
    }

    private func discard(_ connection: PostgresConnection) {
        connection.close()
        openCount -= 1
    }

    /// Closes every idle connection that is no longer usable.
    private func pruneIdle() {
        var usable: [PostgresConnection] = []
        var dead: [PostgresConnection] = []
        for connection in idle {
            if connection.isUsable() { usable.append(connection) } else { dead.append(connection) }
        }
        if !dead.isEmpty {
            logger.info("closing lost PostgreSQL connections", metadata: ["count": "\(dead.count)"])
        }
        dead.forEach(discard)
        idle = usable
    }
}

/// The isolation level of a transaction.
public enum TransactionIsolation: Sendable {
    case readCommitted
    case repeatableRead
    case serializable

    var beginStatement: String {
        switch self {
        case .readCommitted: "BEGIN ISOLATION LEVEL READ COMMITTED"
        case .repeatableRead: "BEGIN ISOLATION LEVEL REPEATABLE READ"
        case .serializable: "BEGIN ISOLATION LEVEL SERIALIZABLE"
        }
    }
}
