import Foundation
import Postgres
import RegieDomain

/// Writes and verifies the audit trail.
///
/// "Queue, then integrate", as transparency logs do: `append` runs on the caller's
/// connection, inside the caller's transaction, and only inserts the event into the pending
/// queue (`audit_wachtrij`, migration 0017), so an event is stored if and only if the change
/// it describes is, and no writer waits for another. ``integrate(pool:wait:batchSize:)``, the
/// sequencer, links committed pending events to the chain one at a time under an advisory
/// lock that only it takes. Every reader here integrates first, so what was committed before
/// a read is in the chain when it is read.
public struct AuditLog: Sendable {
    /// The sequencer's lock. It is the key that appends took before the queue, so that during
    /// a rolling update an older process and a newer sequencer still take turns on the head.
    static let lockKey = 4_221_342_000_003

    public init() {}

    /// Queues an event; the caller must have a transaction open on `connection`. Returns the
    /// event's place in the queue, not yet its sequence: the sequencer gives that when it
    /// links the event (``integrate(pool:wait:batchSize:)``).
    @discardableResult
    public func append(_ event: AuditEvent, on connection: PostgresConnection) async throws -> Int64 {
        try await connection.query(
            """
            INSERT INTO audit_wachtrij (occurred_at, actor, actor_role, action, object_type, object_id, before, after, result, origin,
                                        request_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            RETURNING id
            """,
            [
                event.occurredAt, event.actor, event.actorRole, event.action, event.objectType, event.objectID,
                try event.before.map { try PostgresJSON(encoding: $0) }, try event.after.map { try PostgresJSON(encoding: $0) },
                event.result.rawValue, event.origin, event.requestID,
            ]
        ).first.orThrow().decode("id", as: Int64.self)
    }

    /// Appends an event in a transaction of its own (for refusals, which change nothing else).
    public func append(_ event: AuditEvent, pool: PostgresPool) async throws {
        try await pool.withTransaction { connection in
            try await append(event, on: connection)
        }
    }

    /// Appends a refusal, counted: the first refusal of an actor for an action in a minute is
    /// an event; later ones in that minute only raise the count of `audit_weigeringen` that
    /// names that event (``refusalCounts(of:pool:)``). Returns the count so far.
    @discardableResult
    public func appendRefusal(_ event: AuditEvent, pool: PostgresPool) async throws -> Int {
        let minute = Date(timeIntervalSince1970: (event.occurredAt.timeIntervalSince1970 / 60).rounded(.down) * 60)
        let key: [(any PostgresEncodable)?] = [event.actor, event.action, minute]
        return try await pool.withTransaction { connection in
            let count = try await connection.query(
                """
                INSERT INTO audit_weigeringen (actor, action, minuut, aantal) VALUES ($1, $2, $3, 1)
                ON CONFLICT (actor, action, minuut) DO UPDATE SET aantal = audit_weigeringen.aantal + 1
                RETURNING aantal
                """, key
            ).first.orThrow().decode("aantal", as: Int.self)
            if count == 1 {
                // The sequencer fills in audit_seq when it links the event.
                let pending = try await append(event, on: connection)
                try await connection.execute(
                    "UPDATE audit_weigeringen SET wachtrij_id = $4 WHERE actor = $1 AND action = $2 AND minuut = $3", key + [pending])
            }
            return count
        }
    }

    /// How many refusals each of the refused events `sequences` stands for (events not listed: one).
    public func refusalCounts(of sequences: [Int64], pool: PostgresPool) async throws -> [Int64: Int] {
        guard let first = sequences.min(), let last = sequences.max() else { return [:] }
        try await integrate(pool: pool)
        let wanted = Set(sequences)
        var counts: [Int64: Int] = [:]
        for row in try await pool.query(
            "SELECT audit_seq, aantal FROM audit_weigeringen WHERE audit_seq BETWEEN $1 AND $2", [first, last])
        {
            let sequence = try row.decode("audit_seq", as: Int64.self)
            if wanted.contains(sequence) { counts[sequence] = try row.decode("aantal", as: Int.self) }
        }
        return counts
    }

    /// The outcome of walking the chain.
    public enum Verification: Sendable, Equatable {
        /// Every event links to the one before and hashes to its stored hash.
        case intact(events: Int64)
        /// The first event that does not.
        case broken(sequence: Int64, reason: String)
    }

    /// The last event of a verified chain, remembered outside the database so that a later
    /// verification can tell whether the trail still extends it.
    public struct Head: Sendable, Equatable {
        public let sequence: Int64
        /// The event's hash.
        public let hash: Data

        public init(sequence: Int64, hash: Data) {
            self.sequence = sequence
            self.hash = hash
        }
    }

    /// Walks the whole chain in order, in batches, after linking the pending events.
    public func verify(pool: PostgresPool, batchSize: Int = 1000) async throws -> Verification {
        try await verify(extending: nil, pool: pool, batchSize: batchSize).verification
    }

    /// Walks the whole chain and checks that it still holds `remembered`, the head of an earlier
    /// verification, unchanged: a trail cut short or rewritten from an event before it (the
    /// chain recomputed by someone who could get past the triggers) is broken. Returns the
    /// head of the chain it verified (nil for an empty trail). Pending events are linked
    /// first: an event not yet in the chain is not verified, and none stays pending.
    public func verify(extending remembered: Head?, pool: PostgresPool, batchSize: Int = 1000) async throws -> (
        verification: Verification, head: Head?
    ) {
        try await integrate(pool: pool)
        let outcome = try await walk(pool: pool, batchSize: batchSize) { head in
            guard let remembered, head.sequence == remembered.sequence, head.hash != remembered.hash else { return nil }
            return "it is not the event \(remembered.sequence) verified before (hash \(remembered.hash.hexPrefix)): the trail was rewritten"
        }
        guard case .intact(let events) = outcome.verification, let remembered, events < remembered.sequence else { return outcome }
        return (
            .broken(
                sequence: events + 1,
                reason:
                    "the trail ends at event \(events), but event \(remembered.sequence) (hash \(remembered.hash.hexPrefix)) was verified before: it was truncated"
            ), outcome.head
        )
    }

    private func walk(pool: PostgresPool, batchSize: Int, check: (Head) -> String?) async throws -> (
        verification: Verification, head: Head?
    ) {
        var previous = AuditChain.genesis
        var expected: Int64 = 1
        var head: Head?
        while true {
            let rows = try await pool.query(
                """
                SELECT seq, occurred_at, actor, actor_role, action, object_type, object_id, before, after, result, origin,
                       request_id, previous_hash, hash
                FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT $2
                """, [expected, batchSize])
            if rows.count == 0 { return (.intact(events: expected - 1), head) }
            for row in rows {
                let sequence = try row.decode("seq", as: Int64.self)
                guard sequence == expected else {
                    return (.broken(sequence: expected, reason: "event \(expected) is missing"), head)
                }
                guard try row.decode("previous_hash", as: Data.self) == previous else {
                    return (.broken(sequence: sequence, reason: "it does not link to the event before it"), head)
                }
                let event = try Self.event(from: row)
                let hash = AuditChain.hash(previous: previous, event: event, sequence: sequence)
                guard try row.decode("hash", as: Data.self) == hash else {
                    return (.broken(sequence: sequence, reason: "its content does not match its hash"), head)
                }
                if let reason = check(Head(sequence: sequence, hash: hash)) { return (.broken(sequence: sequence, reason: reason), head) }
                head = Head(sequence: sequence, hash: hash)
                previous = hash
                expected += 1
            }
        }
    }

    /// Events in order, filtered by object and period, one page at a time; with the total.
    /// The pending events are linked first.
    public func events(
        objectType: String?, objectID: String?, from: Date?, until: Date?, offset: Int, limit: Int, pool: PostgresPool
    ) async throws -> (events: [(sequence: Int64, event: AuditEvent)], total: Int) {
        try await integrate(pool: pool)
        let parameters: [(any PostgresEncodable)?] = [objectType, objectID, from, until]
        let total =
            try await pool.query(
                """
                SELECT count(*) AS n FROM audit_events
                WHERE ($1::text IS NULL OR object_type = $1) AND ($2::text IS NULL OR object_id = $2)
                  AND ($3::timestamptz IS NULL OR occurred_at >= $3) AND ($4::timestamptz IS NULL OR occurred_at < $4)
                """, parameters
            ).first?.decode("n", as: Int.self) ?? 0
        let rows = try await pool.query(
            """
            SELECT seq, occurred_at, actor, actor_role, action, object_type, object_id, before, after, result, origin, request_id
            FROM audit_events
            WHERE ($1::text IS NULL OR object_type = $1) AND ($2::text IS NULL OR object_id = $2)
              AND ($3::timestamptz IS NULL OR occurred_at >= $3) AND ($4::timestamptz IS NULL OR occurred_at < $4)
            ORDER BY seq LIMIT $5 OFFSET $6
            """, parameters + [limit, offset])
        return (try rows.map { (try $0.decode("seq", as: Int64.self), try Self.event(from: $0)) }, total)
    }

    static func event(from row: PostgresRow) throws -> AuditEvent {
        func fields(_ column: String) throws -> [String: String]? {
            try row.decode(column, as: PostgresJSON?.self).map { try $0.decode([String: String].self) }
        }
        return AuditEvent(
            occurredAt: try row.decode("occurred_at"), actor: try row.decode("actor"), actorRole: try row.decode("actor_role"),
            action: try row.decode("action"), objectType: try row.decode("object_type"), objectID: try row.decode("object_id"),
            before: try fields("before"), after: try fields("after"),
            result: AuditEvent.Result(rawValue: try row.decode("result")) ?? .refused, origin: try row.decode("origin"),
            requestID: try row.decode("request_id"))
    }
}

extension Data {
    /// The first 8 bytes in hex: enough to tell two hashes apart in a message.
    var hexPrefix: String { prefix(8).map { String(format: "%02x", $0) }.joined() + "…" }
}
