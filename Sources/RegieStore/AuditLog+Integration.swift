import Foundation
import Postgres
import RegieDomain

/// The sequencer of the audit trail: it links the committed events of the pending queue to
/// the chain.
///
/// Writers only insert into `audit_wachtrij` (``AuditLog/append(_:on:)``): no lock, no read
/// of the chain, so audited transactions commit side by side. The sequencer, in a short
/// transaction of its own under the advisory lock ``AuditLog/lockKey`` (only the sequencer
/// takes it, so two processes never both link), reads the pending events it can see in id
/// order, gives each the next dense `seq` and its hash link (``AuditChain/hash(previous:event:sequence:)``,
/// as before the queue), inserts them into the append-only `audit_events` and deletes them
/// from the queue, all in one commit. Events of transactions still running are not visible
/// yet and come in a later round; those of a rolled-back transaction never exist. So the
/// chain's order is the order of integration, and the chain stays one dense, linear list.
extension AuditLog {
    /// Links the committed pending events to the chain and returns how many it linked.
    ///
    /// With `wait` (what readers do, so that they read every event committed before them),
    /// it waits for a sequencer at work in another session and then links what is left;
    /// without (the periodic sequencer), it leaves the work to that session. An empty queue
    /// costs one read of the queue's primary key and takes no lock.
    @discardableResult
    public func integrate(pool: PostgresPool, wait: Bool = true, batchSize: Int = 500) async throws -> Int {
        try await pool.withConnection { try await integrate(on: $0, wait: wait, batchSize: batchSize) }
    }

    /// ``integrate(pool:wait:batchSize:)`` on a connection the caller holds outside a
    /// transaction (a reader that goes on reading on it).
    @discardableResult
    public func integrate(on connection: PostgresConnection, wait: Bool = true, batchSize: Int = 500) async throws -> Int {
        precondition(batchSize > 0, "a batch holds at least one event")
        var linked = 0
        while try await connection.query("SELECT id FROM audit_wachtrij ORDER BY id LIMIT 1").count > 0 {
            let round = try await connection.withTransaction { connection -> Int? in
                if wait {
                    try await connection.query("SELECT pg_advisory_xact_lock($1)", [Self.lockKey])
                } else {
                    let locked = try await connection.query("SELECT pg_try_advisory_xact_lock($1) AS locked", [Self.lockKey])
                    guard try locked.first.orThrow().decode("locked", as: Bool.self) else { return nil }
                }
                return try await link(batchSize: batchSize, on: connection)
            }
            // Another sequencer is at work, or this round emptied what it could see.
            guard let round else { return linked }
            linked += round
            if round < batchSize { return linked }
        }
        return linked
    }

    /// One round, under the lock: the oldest `batchSize` pending events, linked.
    private func link(batchSize: Int, on connection: PostgresConnection) async throws -> Int {
        let pending = try await connection.query(
            """
            SELECT id, occurred_at, actor, actor_role, action, object_type, object_id, before, after, result, origin, request_id
            FROM audit_wachtrij ORDER BY id LIMIT $1
            """, [batchSize])
        guard pending.count > 0 else { return 0 }
        let head = try await connection.query("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").first
        var sequence = try head?.decode("seq", as: Int64.self) ?? 0
        var previous = try head?.decode("hash", as: Data.self) ?? AuditChain.genesis
        var links: (ids: [String], sequences: [String], previous: [String], hashes: [String]) = ([], [], [], [])
        var refused: (ids: [String], sequences: [String]) = ([], [])
        for row in pending {
            sequence += 1
            let id = try row.decode("id", as: Int64.self)
            let event = try Self.event(from: row)
            let hash = AuditChain.hash(previous: previous, event: event, sequence: sequence)
            links.ids.append(String(id))
            links.sequences.append(String(sequence))
            links.previous.append(previous.hex)
            links.hashes.append(hash.hex)
            if event.result == .refused {
                refused.ids.append(String(id))
                refused.sequences.append(String(sequence))
            }
            previous = hash
        }
        // The fields are copied in SQL as the writer stored them; only seq and the links are new.
        let inserted = try await connection.execute(
            """
            INSERT INTO audit_events (seq, occurred_at, actor, actor_role, action, object_type, object_id, before, after, result, origin,
                                      request_id, previous_hash, hash)
            SELECT l.seq, q.occurred_at, q.actor, q.actor_role, q.action, q.object_type, q.object_id, q.before, q.after, q.result,
                   q.origin, q.request_id, decode(l.previous_hash, 'hex'), decode(l.hash, 'hex')
            FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS l(id, seq, previous_hash, hash)
            JOIN audit_wachtrij q ON q.id = l.id
            ORDER BY l.seq
            """, [links.ids, links.sequences, links.previous, links.hashes])
        guard inserted == pending.count else {
            throw PostgresError(.protocolViolation, context: "a pending audit event vanished while it was linked")
        }
        try await connection.execute("DELETE FROM audit_wachtrij WHERE id = ANY($1::bigint[])", [links.ids])
        if !refused.ids.isEmpty {
            try await connection.execute(
                """
                UPDATE audit_weigeringen w SET audit_seq = l.seq
                FROM unnest($1::bigint[], $2::bigint[]) AS l(id, seq) WHERE w.wachtrij_id = l.id
                """, [refused.ids, refused.sequences])
        }
        return pending.count
    }
}

extension Data {
    /// Every byte in hex.
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
