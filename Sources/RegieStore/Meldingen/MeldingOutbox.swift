import Foundation
import Logging
import Postgres
import RegieDomain

/// The transactional outbox of meldingen (see `Migrations/0019_meldingen.sql`).
///
/// - ``record(_:now:on:)`` writes a melding and one message per active subscription that wants
///   it, on the caller's connection inside the caller's transaction: the melding exists exactly
///   when the change that caused it committed. Its `sleutel` makes it once: a second record of
///   the same occurrence (another replica, a detector's next pass) changes nothing.
/// - Only the parties the melding may reach (``Melding/ontvangers``) get a message: another
///   gemeente's or supplier's subscription never matches.
/// - A dispatcher claims due messages with `FOR UPDATE SKIP LOCKED` under a lease, sends them
///   outside any transaction, and writes the outcome only while it still holds the lease; every
///   change of a message's state is decided by ``MeldingBezorging`` (with the retry policy the
///   outbox was given), read `FOR UPDATE` and written in the same transaction.
public struct MeldingOutbox: Sendable {
    /// The channel a NOTIFY goes to when messages are queued.
    public static let channel = "meldingen"

    let pool: PostgresPool
    /// The retries of a message: attempts, backoff and its cap.
    public let policy: RetryPolicy
    /// Draws the backoff's jitter, in `0...1` (tests fix it).
    let jitter: @Sendable () -> Double

    /// An outbox on `pool` whose retries follow `policy`.
    public init(
        pool: PostgresPool, policy: RetryPolicy = MeldingOutbox.standardPolicy,
        jitter: @escaping @Sendable () -> Double = { .random(in: 0...1) }
    ) {
        self.pool = pool
        self.policy = policy
        self.jitter = jitter
    }

    /// Eight attempts, from 30 s doubling to at most an hour, with full jitter: about six hours
    /// before a message is given up.
    public static let standardPolicy = RetryPolicy(baseDelay: 30, maxDelay: 3600, maxAttempts: 8)

    /// Writes `melding` and its messages on `connection` (inside the caller's transaction);
    /// true when it was new, false when its key was recorded before.
    @discardableResult
    public static func record(_ melding: Melding, now: Date, on connection: PostgresConnection) async throws -> Bool {
        let id = UUID()
        let inhoud = PostgresJSON(text: String(decoding: try Melding.encoded(melding), as: UTF8.self))
        let inserted = try await connection.query(
            """
            INSERT INTO meldingen (id, soort, sleutel, gemeente_code, leverancier_id, inhoud, plaatsgevonden_op, vastgelegd_op)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (sleutel) DO NOTHING
            RETURNING id
            """,
            [
                id, melding.soort.rawValue, melding.sleutel, melding.gemeente?.rawValue, melding.leverancier, inhoud,
                melding.plaatsgevondenOp, now,
            ]
        ).first
        guard inserted != nil else { return false }
        let parties = melding.ontvangers.map(\.opgeslagen)
        guard !parties.isEmpty else { return true }
        // Each receiving party by kind and identity, as two parallel arrays.
        let messages = try await connection.execute(
            """
            INSERT INTO melding_bezorgingen (id, melding_id, abonnement_id, status, volgende_poging_op, aangemaakt_op)
            SELECT gen_random_uuid(), $1, a.id, 'wachtend', $4, $4
            FROM melding_abonnementen a
            JOIN unnest($2::text[], $3::text[]) AS p (soort, partij) ON a.partij_soort = p.soort AND a.partij = p.partij
            WHERE a.opgezegd_op IS NULL AND $5 = ANY (a.soorten)
            """, [id, parties.map(\.soort), parties.map(\.partij), now, melding.soort.rawValue])
        if messages > 0 {
            try await connection.query("SELECT pg_notify($1, $2)", [channel, String(messages)])
        }
        return true
    }

    /// Writes `melding` in a transaction of its own (a detector's finding, the digest); true when new.
    @discardableResult
    public func record(_ melding: Melding, now: Date = Date()) async throws -> Bool {
        try await pool.withTransaction { try await Self.record(melding, now: now, on: $0) }
    }
}
