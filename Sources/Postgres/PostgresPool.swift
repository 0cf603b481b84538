import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
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
/// - Its state is behind a lock, not an actor: lending a free connection costs no hop, so a
///   statement's only hop is onto its connection's thread. Waiters are served in arrival
///   order; they need no task each: one timer task per pool wakes at the earliest deadline.
public final class PostgresPool: Service, Sendable {
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
        let id: UInt64
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Grant, any Error>
    }

    private struct State {
        var idle: [PostgresConnection] = []
        var openCount = 0
        /// In arrival order; deadlines grow along it (one timeout for all).
        var waiters = CircularBuffer<Waiter>()
        var nextWaiterID: UInt64 = 0
        /// Waiters counted but not yet queued, and those of them cancelled meanwhile.
        var arriving: Set<UInt64> = []
        var cancelledWhileArriving: Set<UInt64> = []
        var isTimerRunning = false
        var isClosed = false
    }

    /// The pool's limits.
    public let configuration: Configuration
    private let threadPool: NIOThreadPool
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    /// A pool; no connection is opened until the first use.
    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        // One thread per connection: a blocked statement never holds up another connection.
        self.threadPool = NIOThreadPool(numberOfThreads: configuration.maximumConnections)
        self.threadPool.start()
    }

    /// Lends a connection to `body` and takes it back, however `body` ends.
    public func withConnection<T: Sendable>(
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection = try await acquire()
        do {
            let value = try await body(connection)
            release(connection)
            return value
        } catch {
            release(connection)
            throw error
        }
    }

    /// Runs `body` in a transaction: committed when `body` returns, rolled back when it throws.
    ///
    /// The `BEGIN` is not sent on its own: it travels with the first statement of `body`, in
    /// one round trip, and `COMMIT` is one more, so a transaction of one statement takes two
    /// round trips. A body that runs no statement sends nothing. A body may end the
    /// transaction itself, its last statements and the commit in one round trip:
    /// `connection.pipeline([..., ("COMMIT", [])])`; a transaction the body ended is not
    /// committed or rolled back again.
    public func withTransaction<T: Sendable>(
        isolation: TransactionIsolation = .readCommitted,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            try await connection.withTransaction(isolation: isolation, body)
        }
    }

    /// Runs one statement on a pooled connection.
    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) async throws -> PostgresRows {
        try await withConnection { try await $0.query(sql, parameters) }
    }

    /// Connections open now, in use or idle.
    public var openConnections: Int {
        get async { state.withLockedValue { $0.openCount } }
    }

    /// Callers waiting for a connection now.
    public var waitingCallers: Int {
        get async { state.withLockedValue { $0.waiters.count } }
    }

    /// Waits for graceful shutdown, then closes the pool.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Refuses new work, fails the waiting callers, closes idle connections; connections in
    /// use close when they come back.
    public func close() async {
        let taken = state.withLockedValue { state -> (CircularBuffer<Waiter>, [PostgresConnection])? in
            guard !state.isClosed else { return nil }
            state.isClosed = true
            defer {
                state.waiters.removeAll()
                state.idle.removeAll()
            }
            state.openCount -= state.idle.count
            return (state.waiters, state.idle)
        }
        guard let (waiters, idle) = taken else { return }
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(.poolClosed))
        }
        idle.forEach { $0.close() }
        try? await threadPool.shutdownGracefully()
    }

    private enum Step {
        case use(PostgresConnection)
        case open
        case wait(UInt64)
        case closed
    }

    private func acquire() async throws -> PostgresConnection {
        while true {
            let step = state.withLockedValue { state -> Step in
                if state.isClosed { return .closed }
                if let connection = state.idle.popLast() { return .use(connection) }
                if state.openCount < configuration.maximumConnections {
                    state.openCount += 1
                    return .open
                }
                state.nextWaiterID += 1
                state.arriving.insert(state.nextWaiterID)
                return .wait(state.nextWaiterID)
            }
            switch step {
            case .closed:
                throw PostgresError(.poolClosed)
            case .use(let connection):
                if connection.isUsable() { return connection }
                connection.close()
                state.withLockedValue { $0.openCount -= 1 }
            case .open:
                return try await openReserved()
            case .wait(let id):
                switch try await waitForGrant(id) {
                case .connection(let connection):
                    return connection
                case .slot:
                    return try await openReserved()
                }
            }
        }
    }

    /// Opens a connection for a place already counted in `openCount`.
    private func openReserved() async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(configuration: configuration.connection, threadPool: threadPool)
        } catch {
            state.withLockedValue { $0.openCount -= 1 }
            handOnFreedSlot()
            logger.warning("PostgreSQL connection failed", metadata: ["error": "\(error)"])
            throw error
        }
    }

    private enum Arrival {
        case queued(startTimer: Bool)
        case refused(any Error)
    }

    private func waitForGrant(_ id: UInt64) async throws -> Grant {
        let deadline = ContinuousClock.now + configuration.acquireTimeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let arrival = state.withLockedValue { state -> Arrival in
                    state.arriving.remove(id)
                    if state.cancelledWhileArriving.remove(id) != nil { return .refused(CancellationError()) }
                    if state.isClosed { return .refused(PostgresError(.poolClosed)) }
                    state.waiters.append(Waiter(id: id, deadline: deadline, continuation: continuation))
                    defer { state.isTimerRunning = true }
                    return .queued(startTimer: !state.isTimerRunning)
                }
                switch arrival {
                case .refused(let error):
                    continuation.resume(throwing: error)
                case .queued(let startTimer):
                    if startTimer { Task { await self.expireWaiters() } }
                }
            }
        } onCancel: {
            let waiter = state.withLockedValue { state -> Waiter? in
                if state.arriving.contains(id) {
                    state.cancelledWhileArriving.insert(id)
                    return nil
                }
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// The pool's one timer: sleeps until the first waiter's deadline, fails those whose
    /// deadline passed with `poolTimeout`, and ends when no one waits.
    private func expireWaiters() async {
        while true {
            let (expired, next) = state.withLockedValue { state -> ([Waiter], ContinuousClock.Instant?) in
                let now = ContinuousClock.now
                var expired: [Waiter] = []
                while let first = state.waiters.first, first.deadline <= now {
                    expired.append(state.waiters.removeFirst())
                }
                let next = state.waiters.first?.deadline
                if next == nil { state.isTimerRunning = false }
                return (expired, next)
            }
            for waiter in expired {
                waiter.continuation.resume(
                    throwing: PostgresError(.poolTimeout, context: "no connection free within \(configuration.acquireTimeout)"))
            }
            guard let next else { return }
            try? await Task.sleep(until: next, clock: .continuous)
        }
    }

    private enum Return {
        case handedTo(Waiter)
        case kept
        case discarded(wasLost: Bool)
    }

    private func release(_ connection: PostgresConnection) {
        let usable = connection.isUsable()
        let outcome = state.withLockedValue { state -> Return in
            guard !state.isClosed, usable else {
                state.openCount -= 1
                return .discarded(wasLost: !connection.isClosed && !state.isClosed)
            }
            if let waiter = state.waiters.popFirst() { return .handedTo(waiter) }
            state.idle.append(connection)
            return .kept
        }
        switch outcome {
        case .handedTo(let waiter):
            waiter.continuation.resume(returning: .connection(connection))
        case .kept:
            break
        case .discarded(let wasLost):
            connection.close()
            if wasLost { pruneIdle() }
            handOnFreedSlot()
        }
    }

    /// A place came free: the first waiter may open a connection in it.
    private func handOnFreedSlot() {
        let waiter = state.withLockedValue { state -> Waiter? in
            guard !state.isClosed, state.openCount < configuration.maximumConnections, let waiter = state.waiters.popFirst() else {
                return nil
            }
            state.openCount += 1
            return waiter
        }
        waiter?.continuation.resume(returning: .slot)
    }

    /// Closes every idle connection that is no longer usable.
    private func pruneIdle() {
        let dead = state.withLockedValue { state -> [PostgresConnection] in
            var usable: [PostgresConnection] = []
            var dead: [PostgresConnection] = []
            for connection in state.idle {
                if connection.isUsable() { usable.append(connection) } else { dead.append(connection) }
            }
            state.idle = usable
            state.openCount -= dead.count
            return dead
        }
        if !dead.isEmpty {
            logger.info("closing lost PostgreSQL connections", metadata: ["count": "\(dead.count)"])
        }
        dead.forEach { $0.close() }
        // Each freed place may go to a waiter.
        dead.forEach { _ in handOnFreedSlot() }
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
