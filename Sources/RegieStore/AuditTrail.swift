import Foundation
import Postgres
import RegieDomain

/// The audit trail over the pool: the events that change nothing else (refusals), reading,
/// verifying and linking the pending events. Changes queue their events with
/// ``AuditLog/append(_:on:)`` in their own transaction; every read here links the pending
/// events first (``AuditLog/integrate(pool:wait:batchSize:)``), so it sees every event
/// committed before it in the chain.
public struct AuditTrail: Sendable {
    let pool: PostgresPool
    let log = AuditLog()

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Appends an event in a transaction of its own.
    public func append(_ event: AuditEvent) async throws {
        try await log.append(event, pool: pool)
    }

    /// Appends a refusal, counted per actor, action and minute (``AuditLog/appendRefusal(_:pool:)``).
    @discardableResult
    public func appendRefusal(_ event: AuditEvent) async throws -> Int {
        try await log.appendRefusal(event, pool: pool)
    }

    /// Events in order, filtered by object and period, one page at a time; with the total.
    public func events(
        objectType: String?, objectID: String?, from: Date?, until: Date?, offset: Int, limit: Int
    ) async throws -> (events: [(sequence: Int64, event: AuditEvent)], total: Int) {
        try await log.events(
            objectType: objectType, objectID: objectID, from: from, until: until, offset: offset, limit: limit, pool: pool)
    }

    /// How many refusals each of the refused events `sequences` stands for (events not listed: one).
    public func refusalCounts(of sequences: [Int64]) async throws -> [Int64: Int] {
        try await log.refusalCounts(of: sequences, pool: pool)
    }

    /// Walks the whole chain and checks that it still holds `remembered` (``AuditLog/verify(extending:pool:batchSize:)``).
    public func verify(extending remembered: AuditLog.Head?) async throws -> (verification: AuditLog.Verification, head: AuditLog.Head?) {
        try await log.verify(extending: remembered, pool: pool)
    }

    /// Links the committed pending events to the chain (the sequencer's round); returns how
    /// many. With `wait`, it waits for a round at work in another process; without, it leaves
    /// the work to it.
    @discardableResult
    public func integrate(wait: Bool = true) async throws -> Int {
        try await log.integrate(pool: pool, wait: wait)
    }

    /// Whether the trail holds any event by `actor`.
    public func hasEvents(by actor: String) async throws -> Bool {
        try await log.integrate(pool: pool)
        return try await pool.query("SELECT 1 FROM audit_events WHERE actor = $1 LIMIT 1", [actor]).count > 0
    }

    /// A name that tells databases apart: the cluster's system identifier and the database's
    /// name, hashed (32 hex digits).
    public func databaseIdentity() async throws -> String {
        let row = try await pool.query(
            """
            SELECT left(encode(sha256(convert_to(
                (SELECT system_identifier FROM pg_control_system())::text || '/' || current_database(), 'UTF8')), 'hex'), 32) AS name
            """
        ).first
        return try row?.decode("name", as: String.self) ?? "unknown"
    }
}
