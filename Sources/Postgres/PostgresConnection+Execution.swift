import CLibPQ
import Foundation

/// A statement and its parameters, as the connection runs it.
struct PostgresStatement: Sendable {
    let sql: String
    let parameters: [(any PostgresEncodable)?]

    var cacheKey: PostgresStatementCache.Key {
        PostgresStatementCache.Key(
            sql: sql, parameterTypes: parameters.map { value in value.map { type(of: $0).postgresType.rawValue } ?? 0 })
    }
}

/// The parameters of one statement laid out for libpq: one buffer, binary for the hot types.
struct PostgresEncodedParameters {
    private var buffer: [UInt8] = []
    private var starts: [Int] = []
    private var lengths: [Int32] = []
    private var formats: [Int32] = []

    init(_ parameters: [(any PostgresEncodable)?]) {
        for value in parameters {
            guard let value else {
                starts.append(-1)
                lengths.append(0)
                formats.append(0)
                continue
            }
            let start = buffer.count
            starts.append(start)
            if let binary = value as? any PostgresBinaryEncodable {
                binary.appendPostgresBinary(to: &buffer)
                formats.append(1)
            } else {
                buffer.append(contentsOf: value.postgresText.utf8)
                buffer.append(0)
                formats.append(0)
            }
            lengths.append(Int32(buffer.count - start))
        }
        // A zero-length value still needs a non-NULL pointer.
        buffer.append(0)
    }

    /// Calls `body` with the values, lengths and formats libpq takes.
    func withPointers<T>(
        _ body: ([UnsafePointer<CChar>?], [Int32], [Int32]) -> T
    ) -> T {
        buffer.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!)
            let values: [UnsafePointer<CChar>?] = starts.map { start in
                start < 0 ? nil : (base + start).assumingMemoryBound(to: CChar.self)
            }
            return body(values, lengths, formats)
        }
    }
}

extension PostgresConnection {
    /// SQLSTATEs that say a cached statement is stale: `0A000` ("cached plan must not change
    /// result type", after a table changed) and `26000` (the server no longer has it, after
    /// `DEALLOCATE ALL` or `DISCARD ALL`).
    static let staleStatementStates: Set<String> = ["0A000", "26000"]

    /// Runs `statements` on this thread: a single cached statement with `PQexecPrepared`,
    /// anything else (a first use, several statements, a deferred `BEGIN`) as one pipeline.
    func runBlocking(_ statements: [PostgresStatement]) throws -> [PostgresRows] {
        statementSerial &+= 1
        activeStatement.withLockedValue { $0 = statementSerial }
        defer { activeStatement.withLockedValue { $0 = 0 } }
        deallocatePendingBlocking()
        let begin = pendingBegin
        pendingBegin = nil
        if begin == nil, statements.count == 1, let entry = statementCache.lookup(statements[0].cacheKey) {
            let statement = statements[0]
            let result = PostgresEncodedParameters(statement.parameters).withPointers { values, lengths, formats in
                PQexecPrepared(
                    handle, entry.name, Int32(values.count), values, lengths, formats, entry.binaryResults ? 1 : 0)
            }
            defer { PQclear(result) }
            do {
                return [try Self.rows(from: result, connection: handle)]
            } catch let error as PostgresError where Self.staleStatementStates.contains(error.sqlState ?? "") {
                statementCache.remove(statement.cacheKey, stillOnServer: error.sqlState == "0A000")
                // Outside a transaction nothing ran: prepare it again and run it once more.
                guard PQtransactionStatus(handle) == PQTRANS_IDLE else { throw error }
                deallocatePendingBlocking()
            }
        }
        return try runPipelineBlocking(statements, begin: begin, retryStale: true)
    }

    /// Sends `begin` (if any) and every statement, preparing those not yet cached, then one
    /// sync, and reads every result: one round trip.
    private func runPipelineBlocking(_ statements: [PostgresStatement], begin: String?, retryStale: Bool) throws -> [PostgresRows] {
        guard PQenterPipelineMode(handle) == 1 else {
            throw PostgresError(.protocolViolation, context: "cannot enter pipeline mode")
        }
        // (key, name, prepared in this pipeline)
        var plans: [(key: PostgresStatementCache.Key, name: String, isNew: Bool)] = []
        var sent = true
        if let begin {
            sent = PQsendQueryParams(handle, begin, 0, nil, nil, nil, nil, 0) == 1
        }
        for statement in statements where sent {
            let key = statement.cacheKey
            let cached = statementCache.lookup(key)
            let name = cached?.name ?? statementCache.makeName()
            if cached == nil {
                sent = PQsendPrepare(handle, name, statement.sql, Int32(key.parameterTypes.count), key.parameterTypes) == 1
            }
            sent =
                sent
                && PostgresEncodedParameters(statement.parameters).withPointers { values, lengths, formats in
                    PQsendQueryPrepared(
                        handle, name, Int32(values.count), values, lengths, formats, cached?.binaryResults == true ? 1 : 0)
                } == 1
            plans.append((key, name, cached == nil))
        }
        guard sent, PQpipelineSync(handle) == 1 else {
            isBroken = true
            throw Self.lostOrFailed(handle, sqlState: nil)
        }
        var firstError: PostgresError?
        var staleKey: PostgresStatementCache.Key?
        if begin != nil {
            firstError = nextResultError()
        }
        var results: [PostgresRows] = []
        for plan in plans {
            if plan.isNew, let error = nextResultError() {
                // The prepare failed (a syntax error, an unknown table): nothing to deallocate.
                firstError = firstError ?? error
                _ = nextResultError()
                continue
            }
            let result = nextResult()
            defer { PQclear(result) }
            do {
                let rows = try Self.rows(from: result, connection: handle)
                results.append(rows)
                if plan.isNew {
                    let binary = !rows.columns.isEmpty && rows.columns.allSatisfy { PostgresBinary.binaryResultTypes.contains($0.type) }
                    statementCache.insert(plan.key, name: plan.name, binaryResults: binary)
                }
            } catch let error as PostgresError {
                if plan.isNew {
                    statementCache.discard(name: plan.name)
                } else if firstError == nil, Self.staleStatementStates.contains(error.sqlState ?? "") {
                    statementCache.remove(plan.key, stillOnServer: error.sqlState == "0A000")
                    staleKey = plan.key
                }
                firstError = firstError ?? error
            }
        }
        try finishPipelineBlocking()
        guard let firstError else { return results }
        if retryStale, staleKey != nil {
            // Retried only when everything the failure undid was sent here: outside a
            // transaction (the pipeline was one implicit transaction), or in the one it began.
            switch PQtransactionStatus(handle) {
            case PQTRANS_IDLE where begin == nil:
                return try runPipelineBlocking(statements, begin: nil, retryStale: false)
            case PQTRANS_INERROR where begin != nil:
                PQclear(PQexec(handle, "ROLLBACK"))
                return try runPipelineBlocking(statements, begin: begin, retryStale: false)
            default:
                break
            }
        }
        throw firstError
    }

    /// The next result of the pipeline, and the NULL that ends it consumed.
    private func nextResult() -> OpaquePointer? {
        let result = PQgetResult(handle)
        if result != nil {
            while let extra = PQgetResult(handle) { PQclear(extra) }
        }
        return result
    }

    /// The next result's error, if it is one.
    private func nextResultError() -> PostgresError? {
        let result = nextResult()
        defer { PQclear(result) }
        do {
            _ = try Self.rows(from: result, connection: handle)
            return nil
        } catch let error as PostgresError {
            return error
        } catch {
            return PostgresError(.protocolViolation)
        }
    }

    /// Reads the sync and leaves pipeline mode.
    private func finishPipelineBlocking() throws {
        let sync = PQgetResult(handle)
        let synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC
        PQclear(sync)
        guard synced, PQexitPipelineMode(handle) == 1 else {
            isBroken = true
            throw Self.lostOrFailed(handle, sqlState: nil)
        }
    }

    /// Deallocates evicted and stale statements when no transaction is open (a name the server
    /// no longer knows then fails harmlessly); inside one they wait for a later statement.
    func deallocatePendingBlocking() {
        let names = statementCache.pendingDeallocations
        guard !names.isEmpty, PQtransactionStatus(handle) == PQTRANS_IDLE else { return }
        // The names are this module's own (`ddas_s` and a number), never input. One of them
        // unknown to the server (a `DISCARD ALL` ran) fails the batch: then one at a time.
        let batch = PQexec(handle, names.map { "DEALLOCATE \($0)" }.joined(separator: "; "))
        let failed = PQresultStatus(batch) != PGRES_COMMAND_OK
        PQclear(batch)
        if failed {
            for name in names { PQclear(PQexec(handle, "DEALLOCATE \(name)")) }
        }
        statementCache.deallocationsDone()
    }
}
