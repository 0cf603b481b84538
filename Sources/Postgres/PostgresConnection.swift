import CLibPQ
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOPosix

/// One libpq connection.
///
/// libpq's calls block, so every call runs on the pool's `NIOThreadPool`, never on
/// Swift's cooperative pool or an event loop: one hop there and back per statement (or per
/// pipeline). A connection is used by one task at a time (the pool guarantees it); it is
/// `@unchecked Sendable` so it can be handed between them.
///
/// Each statement is prepared on its first use and executed by name afterwards (see
/// `PostgresStatementCache`); results whose columns all have a binary reader come in
/// binary, and the hot parameter types go in binary. A cached statement that has become
/// stale (`0A000` after a table changed, `26000` after `DEALLOCATE ALL`) is prepared again
/// and run once more when that is safe: outside a transaction, or as the first statement
/// of a `withTransaction` (whose `BEGIN` travels with it). Inside a transaction that has
/// run other statements the error surfaces (the transaction is aborted) and the entry is
/// dropped, so the caller's retry of the transaction succeeds.
public final class PostgresConnection: @unchecked Sendable {
    let handle: OpaquePointer
    private let cancelHandle: OpaquePointer?
    private let threadPool: NIOThreadPool
    private(set) var isClosed = false
    /// Statements prepared on this connection; used on its thread only.
    var statementCache = PostgresStatementCache()
    /// A `BEGIN` not yet sent: it goes with the next statement, in the same round trip.
    var pendingBegin: String?
    /// Set when a pipeline broke off half-way: the connection's state is unknown.
    var isBroken = false
    var statementSerial: UInt64 = 0
    /// The serial of the statement running now, 0 when none: a cancellation that arrives
    /// late must not cancel the next one.
    let activeStatement = NIOLockedValueBox<UInt64>(0)

    private init(handle: OpaquePointer, threadPool: NIOThreadPool) {
        self.handle = handle
        self.cancelHandle = PQgetCancel(handle)
        self.threadPool = threadPool
    }

    deinit {
        if !isClosed { PQfinish(handle) }
        if let cancelHandle { PQfreeCancel(cancelHandle) }
    }

    /// Opens a connection; the blocking connect runs on `threadPool`.
    public static func connect(configuration: PostgresConfiguration, threadPool: NIOThreadPool) async throws -> PostgresConnection {
        try await threadPool.runIfActive {
            try connectBlocking(configuration: configuration, threadPool: threadPool)
        }
    }

    /// Connects on the calling thread. For threads that are allowed to block (the listener's).
    static func connectBlocking(configuration: PostgresConfiguration, threadPool: NIOThreadPool) throws -> PostgresConnection {
        let handle = try openHandle(configuration: configuration)
        return PostgresConnection(handle: handle, threadPool: threadPool)
    }

    static func openHandle(configuration: PostgresConfiguration) throws -> OpaquePointer {
        // Earlier keywords are defaults the connection string may override; the ones after
        // `dbname` (which libpq expands into the whole string) are forced.
        let pairs: [(String, String)] = [
            ("application_name", configuration.applicationName),
            ("connect_timeout", String(configuration.connectTimeoutSeconds)),
            ("dbname", configuration.connectionString),
            ("client_encoding", "UTF8"),
        ]
        let keywords = pairs.map { strdup($0.0) }
        let values = pairs.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        var keywordPointers: [UnsafePointer<CChar>?] = keywords.map { UnsafePointer($0) } + [nil]
        var valuePointers: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        guard let handle = PQconnectdbParams(&keywordPointers, &valuePointers, 1) else {
            throw PostgresError(.connectionFailed, context: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let error = connectionFailure(handle)
            PQfinish(handle)
            throw error
        }
        // Server notices ("relation already exists, skipping") would go to standard error
        // unfiltered, and may quote values: they are dropped.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        // Fixed session settings the row decoding relies on.
        let settings = PQexec(handle, "SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'; SET IntervalStyle = 'iso_8601'")
        let ok = PQresultStatus(settings) == PGRES_COMMAND_OK
        PQclear(settings)
        guard ok else {
            PQfinish(handle)
            throw PostgresError(.connectionFailed, context: "the session settings were refused")
        }
        if let role = configuration.sessionRole {
            // set_config('role', ...) is SET ROLE with the name as a parameter.
            let switched = role.withCString { name -> Bool in
                var values: [UnsafePointer<CChar>?] = [name]
                let result = PQexecParams(handle, "SELECT set_config('role', $1, false)", 1, nil, &values, nil, nil, 0)
                defer { PQclear(result) }
                return PQresultStatus(result) == PGRES_TUPLES_OK
            }
            guard switched else {
                let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
                PQfinish(handle)
                throw PostgresError(
                    .connectionFailed, context: "cannot switch to the database role \(role); see deploy/README.md, Database roles",
                    serverMessage: message)
            }
        }
        return handle
    }

    /// A connection failure naming host and port, with the password (if libpq knew one) removed.
    static func connectionFailure(_ handle: OpaquePointer) -> PostgresError {
        let host = PQhost(handle).map { String(cString: $0) } ?? "?"
        let port = PQport(handle).map { String(cString: $0) } ?? "?"
        var message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
        if let password = PQpass(handle).map({ String(cString: $0) }), !password.isEmpty {
            message = message.replacingOccurrences(of: password, with: "********")
        }
        // The reason only: the last line libpq wrote ("Connection refused", "password authentication failed ...").
        let reason =
            message.split(separator: "\n").last.map {
                String($0).replacingOccurrences(of: "FATAL:  ", with: "")
            } ?? "unknown reason"
        return PostgresError(.connectionFailed, context: "cannot connect to \(host) port \(port): \(reason)", serverMessage: message)
    }

    /// Runs a statement with its values as parameters (`$1`, `$2`, ...) and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) async throws -> PostgresRows {
        try await run([PostgresStatement(sql: sql, parameters: parameters)])[0]
    }

    /// Runs several statements in one round trip (libpq's pipeline mode) and returns their
    /// rows, in order.
    ///
    /// The statements run one after the other as usual; only the waiting is shared. When one
    /// fails, its error is thrown and the statements after it do not run. Outside a
    /// transaction the pipeline is one implicit transaction, so the statements before the
    /// failing one are rolled back too: all or nothing. Inside a transaction the failure
    /// aborts the transaction, as any failing statement does. Keep pipelines to a few dozen
    /// statements: their parameters and results are all held in memory at once.
    @discardableResult
    public func pipeline(_ statements: [(sql: String, parameters: [(any PostgresEncodable)?])]) async throws -> [PostgresRows] {
        guard !statements.isEmpty else { return [] }
        return try await run(statements.map { PostgresStatement(sql: $0.sql, parameters: $0.parameters) })
    }

    private func run(_ statements: [PostgresStatement]) async throws -> [PostgresRows] {
        guard !isClosed else { throw PostgresError(.connectionLost, context: "the connection is closed") }
        return try await withTaskCancellationHandler {
            try await threadPool.runIfActive { [self] in
                try runBlocking(statements)
            }
        } onCancel: {
            cancelRunningStatement()
        }
    }

    /// Threads that may block on `PQcancel`, a network round trip of its own: never the
    /// cooperative pool or an event loop, where `onCancel` runs.
    private static let cancellationThreads: NIOThreadPool = {
        let threads = NIOThreadPool(numberOfThreads: 1)
        threads.start()
        return threads
    }()

    /// Asks the server, from a thread of its own, to cancel the statement running now.
    private func cancelRunningStatement() {
        let serial = activeStatement.withLockedValue { $0 }
        guard serial != 0, cancelHandle != nil else { return }
        Self.cancellationThreads.submit { [self] state in
            guard state == .active, activeStatement.withLockedValue({ $0 }) == serial, let cancelHandle else { return }
            var buffer = [CChar](repeating: 0, count: 256)
            _ = PQcancel(cancelHandle, &buffer, Int32(buffer.count))
        }
    }

    /// Runs `body` in a transaction on this connection, which must not be in one: committed when
    /// `body` returns, rolled back when it throws; the same round trips as
    /// ``PostgresPool/withTransaction(isolation:_:)``, which lends a connection and runs this.
    public func withTransaction<T: Sendable>(
        isolation: TransactionIsolation = .readCommitted,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        guard !isInTransaction else {
            throw PostgresError(.protocolViolation, context: "a transaction is already open on this connection")
        }
        pendingBegin = isolation.beginStatement
        let value: T
        do {
            value = try await body(self)
        } catch {
            if pendingBegin != nil {
                pendingBegin = nil
            } else if isInTransaction {
                // A failed rollback leaves the connection in a transaction; the pool then closes it.
                _ = try? await execute("ROLLBACK")
            }
            throw error
        }
        if pendingBegin != nil {
            pendingBegin = nil
        } else if isInTransaction {
            try await execute("COMMIT")
        }
        return value
    }

    /// Runs a statement and returns the count of rows it touched.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) async throws -> Int {
        try await query(sql, parameters).affectedRows
    }

    /// Runs a script of several statements without parameters (PostgreSQL's simple query
    /// protocol). For trusted, fixed text only, such as migration files: never for input.
    /// A script may change tables, so the connection's prepared statements are dropped.
    public func executeScript(_ sql: String) async throws {
        guard !isClosed else { throw PostgresError(.connectionLost, context: "the connection is closed") }
        try await threadPool.runIfActive { [self] in
            let script = pendingBegin.map { $0 + ";\n" + sql } ?? sql
            pendingBegin = nil
            statementCache.removeAll()
            let result = PQexec(handle, script)
            defer { PQclear(result) }
            _ = try Self.rows(from: result, connection: handle)
        }
    }

    /// Whether the connection is still open to the server as far as can be told without a
    /// round trip: reads anything the server sent (a shutdown notice, an EOF) without blocking.
    ///
    /// A server that ends a connection sends its reason first and closes the socket after;
    /// one read takes only the reason, so reading goes on while more is waiting (bounded),
    /// and what was read is parsed, until the end of the stream shows the connection lost.
    public func isUsable() -> Bool {
        guard !isClosed, !isBroken, pendingBegin == nil, PQstatus(handle) == CONNECTION_OK else { return false }
        for _ in 0..<Self.maximumReadsWhileIdle {
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { break }
            guard PQconsumeInput(handle) == 1 else { return false }
            _ = PQisBusy(handle)
            guard PQstatus(handle) == CONNECTION_OK else { return false }
        }
        return PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// Reads of unsolicited input (notices, parameter changes, a shutdown reason) before the
    /// check gives up waiting for more; the end of the stream follows the reason at once.
    private static let maximumReadsWhileIdle = 8

    /// Whether a transaction is open (or failed and not yet rolled back).
    public var isInTransaction: Bool {
        pendingBegin != nil || PQtransactionStatus(handle) != PQTRANS_IDLE
    }

    /// Closes the connection; later calls fail with `connectionLost`.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        PQfinish(handle)
    }

    /// The one place that turns a libpq result and connection status into rows or a typed error.
    static func rows(from result: OpaquePointer?, connection: OpaquePointer) throws -> PostgresRows {
        guard let result else {
            throw lostOrFailed(connection, sqlState: nil)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            break
        default:
            let sqlState = field(result, "C")
            if PQstatus(connection) != CONNECTION_OK {
                throw lostOrFailed(connection, sqlState: sqlState)
            }
            let kind: PostgresError.Kind = sqlState == "57014" ? .cancelled : .server
            throw PostgresError(
                kind, sqlState: sqlState, column: field(result, "c"), constraint: field(result, "n"),
                table: field(result, "t"), serverMessage: field(result, "M"))
        }
        return PostgresRows(result: result)
    }

    static func lostOrFailed(_ connection: OpaquePointer, sqlState: String?) -> PostgresError {
        if PQstatus(connection) != CONNECTION_OK {
            return PostgresError(
                .connectionLost, sqlState: sqlState,
                context: "the connection to PostgreSQL was lost",
                serverMessage: String(cString: PQerrorMessage(connection)))
        }
        return PostgresError(.protocolViolation, sqlState: sqlState, serverMessage: String(cString: PQerrorMessage(connection)))
    }

    private static func field(_ result: OpaquePointer, _ code: Character) -> String? {
        guard let ascii = code.asciiValue, let value = PQresultErrorField(result, Int32(ascii)) else { return nil }
        return String(cString: value)
    }
}
