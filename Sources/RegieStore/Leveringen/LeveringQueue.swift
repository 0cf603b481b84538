import Foundation
import Logging
import Postgres
import RegieDomain

/// A delivery to schedule: one stream of one gemeente for one reporting period and purpose.
public struct LeveringRequest: Sendable {
    public let gemeente: Gemeentecode
    public let leverancierID: String
    public let stroom: Stroom
    /// The period's key: `2026-03`, `2026-Q1`, `2026-H1`.
    public let periode: String
    public let periodeStart: PostgresDate
    public let periodeEind: PostgresDate
    /// `test`, `regulier` or `herlevering`.
    public let doel: String
    public let maxPogingen: Int
    /// Not claimed before this time.
    public let notBefore: Date

    public init(
        gemeente: Gemeentecode, leverancierID: String, stroom: Stroom, periode: String, periodeStart: PostgresDate,
        periodeEind: PostgresDate,
        doel: String, maxPogingen: Int, notBefore: Date
    ) {
        self.gemeente = gemeente
        self.leverancierID = leverancierID
        self.stroom = stroom
        self.periode = periode
        self.periodeStart = periodeStart
        self.periodeEind = periodeEind
        self.doel = doel
        self.maxPogingen = maxPogingen
        self.notBefore = notBefore
    }
}

/// A delivery a worker holds the lease of.
public struct ClaimedLevering: Sendable, Equatable {
    public let id: UUID
    public let gemeente: Gemeentecode
    public let leverancierID: String
    public let stroom: Stroom
    public let periode: String
    /// The period's first and last day, as the supplier is asked for them.
    public let periodeStart: PostgresDate
    public let periodeEind: PostgresDate
    /// The name the supplier knows the gemeente by (`aanleverende_organisatie`).
    public let organisatienaam: String
    public let doel: String
    /// The attempt this claim is (1 for the first).
    public let poging: Int
    public let leaseTot: Date

    /// A claim as the queue returns it; tests make their own.
    public init(
        id: UUID, gemeente: Gemeentecode, leverancierID: String, stroom: Stroom, periode: String, periodeStart: PostgresDate,
        periodeEind: PostgresDate, organisatienaam: String, doel: String, poging: Int, leaseTot: Date
    ) {
        self.id = id
        self.gemeente = gemeente
        self.leverancierID = leverancierID
        self.stroom = stroom
        self.periode = periode
        self.periodeStart = periodeStart
        self.periodeEind = periodeEind
        self.organisatienaam = organisatienaam
        self.doel = doel
        self.poging = poging
        self.leaseTot = leaseTot
    }
}

/// The delivery queue in PostgreSQL (see `Migrations/0005_leveringen.sql`).
///
/// - `enqueue` inserts with `ON CONFLICT DO NOTHING` on (gemeente, stream, period, purpose):
///   two schedulers, or one restarted, never make a second delivery.
/// - `claim` takes due rows with `FOR UPDATE SKIP LOCKED` in one statement, under the row
///   lock of each supplier's slot row, which makes the per-supplier limit exact across all
///   processes without one supplier's claims waiting for another's (see
///   `LeveringQueue+Claim.swift`; the pulls themselves run outside any transaction).
/// - Every change of status is decided by ``LeveringLifecycle`` (with the retry policy of the
///   levering's stream): the queue reads the row `FOR UPDATE`, asks, and writes the decision
///   in the same transaction. Its SQL selects and applies; it never decides.
/// - `heartbeat`, `complete` and `fail` act only while the caller still holds the lease; a
///   worker whose lease was rescued learns so from a `false` (or nil) and must not hand
///   anything over.
/// - `rescue` takes rows whose lease expired `FOR UPDATE SKIP LOCKED` and the lifecycle
///   re-checks state and expiry, so it cannot undo a worker that finished a moment before.
public struct LeveringQueue: Sendable {
    /// The channel a NOTIFY goes to when work is queued.
    public static let channel = "leveringen"

    let pool: PostgresPool
    /// How the worker's own transactions (claim, hand-over, failure, cancellation) are run
    /// again after a deadlock, serialization failure or lock timeout.
    let transientRetry: TransientRetry
    let logger: Logger
    /// What decides every change of a levering's status.
    public let lifecycle: LeveringLifecycle
    /// Draws the jitter (a number in `0...1`) of a failed attempt's backoff.
    let jitter: @Sendable () -> Double

    /// A queue on `pool`, whose changes `lifecycle` decides (with the retry policy of each
    /// stream); `jitter` draws the backoff's jitter (tests fix it).
    public init(
        pool: PostgresPool, lifecycle: LeveringLifecycle = LeveringLifecycle(),
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        transientRetry: TransientRetry = .standard, logger: Logger = Logger(label: "ddas-regie.leveringen")
    ) {
        self.pool = pool
        self.lifecycle = lifecycle
        self.jitter = jitter
        self.transientRetry = transientRetry
        self.logger = logger
    }

    /// A transaction of the worker's, run again in place when it loses to a concurrent one:
    /// such a loss is neither an attempt of the supplier nor an internal failure.
    func workerTransaction<T: Sendable>(_ operation: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await pool.withTransaction(retrying: transientRetry, logger: logger, operation: operation, body)
    }

    /// Queues deliveries, with an audit event in the same transaction when one is given (a
    /// manual trigger); returns how many were new.
    @discardableResult
    public func enqueue(_ requests: [LeveringRequest], audit event: AuditEvent? = nil) async throws -> Int {
        guard !requests.isEmpty || event != nil else { return 0 }
        return try await pool.withTransaction { connection in
            if let event { try await AuditLog().append(event, on: connection) }
            var inserted = 0
            for request in requests {
                inserted += try await connection.execute(
                    """
                    INSERT INTO leveringen (id, gemeente_code, leverancier_id, stroom, periode, periode_start, periode_eind, doel, max_pogingen,
                                            volgende_poging_op)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                    ON CONFLICT (gemeente_code, stroom, periode, doel) DO NOTHING
                    """,
                    [
                        UUID(), request.gemeente.rawValue, request.leverancierID, request.stroom.rawValue, request.periode,
                        request.periodeStart,
                        request.periodeEind, request.doel, request.maxPogingen, request.notBefore,
                    ])
            }
            if inserted > 0 {
                try await connection.query("SELECT pg_notify($1, $2)", [Self.channel, String(inserted)])
            }
            return inserted
        }
    }

    /// Cancels due deliveries that no longer have active consent (it expired, or the supplier
    /// changed) so they leave the queue with a reason; returns how many. A maintenance step:
    /// `claim` never takes such a delivery whether or not this ran.
    @discardableResult
    public func cancelWithoutConsent(now: Date) async throws -> Int {
        try await workerTransaction("cancel without consent") { connection in
            let rows = try await connection.query(
                """
                SELECT \(Self.stateColumns) FROM leveringen l
                WHERE l.status IN \(LeveringStatusSQL.waiting) AND l.volgende_poging_op <= $1
                  AND NOT EXISTS (SELECT 1 FROM toestemmingen t
                                  JOIN gemeente_leveranciers a ON a.gemeente_code = t.gemeente_code AND a.stroom = t.stroom
                                       AND a.leverancier_id = t.leverancier_id AND a.tot IS NULL
                                  WHERE t.gemeente_code = l.gemeente_code AND t.leverancier_id = l.leverancier_id AND t.stroom = l.stroom
                                    AND toestemming_actief(t, $2))
                FOR UPDATE SKIP LOCKED
                """, [now, amsterdamDay(now)])
            var cancelled = 0
            for row in rows {
                let event = LeveringEvent.consentEnded(reason: "no active consent for this gemeente, supplier and stream", owner: nil)
                if case .success = try await Self.apply(event, to: row, lifecycle: lifecycle, now: now, on: connection) { cancelled += 1 }
            }
            return cancelled
        }
    }

    /// Extends a lease; false when the caller no longer holds it.
    public func heartbeat(_ id: UUID, owner: String, leaseUntil: Date) async throws -> Bool {
        try await pool.query(
            "UPDATE leveringen SET lease_tot = $3 WHERE id = $1 AND status = \(LeveringStatusSQL.bezig) AND lease_eigenaar = $2 AND lease_tot < $3",
            [id, owner, leaseUntil]
        ).affectedRows == 1
    }

    /// What an attempt measured.
    public struct PogingFigures: Sendable {
        public var httpStatus: Int?
        public var pages: Int
        public var records: Int
        public var bytes: Int
        /// How the supplier signed the pages: `kp-apis`, `body`, or `gemengd`.
        public var signing: String?

        public init(httpStatus: Int? = nil, pages: Int = 0, records: Int = 0, bytes: Int = 0, signing: String? = nil) {
            self.httpStatus = httpStatus
            self.pages = pages
            self.records = records
            self.bytes = bytes
            self.signing = signing
        }
    }

    /// Marks a delivery `geslaagd`, on `connection` inside the caller's transaction (which
    /// also records the hand-over); false when the caller no longer holds the lease.
    public func complete(_ id: UUID, owner: String, figures: PogingFigures, now: Date, on connection: PostgresConnection) async throws
        -> Bool
    {
        try await endAttempt(id, .attemptSucceeded(owner: owner), figures: figures, now: now, on: connection) != nil
    }

    /// How a hand-over ended.
    public enum HandOverOutcome: Sendable, Equatable {
        /// The result went to the sink and the delivery is `geslaagd`.
        case handedOver
        /// The caller no longer holds the lease: nothing was handed over.
        case leaseLost
        /// Consent is no longer active: nothing was handed over; the delivery is `geannuleerd`.
        case consentWithdrawn
    }

    /// Records a hand-over, in one short transaction with no network I/O in it: runs
    /// `lockFirst` (the locks every onboarding change takes before a gemeente's: the supplier
    /// service the delivery may move), then in one statement checks the lease, locks the
    /// gemeente and re-checks consent (locking the consent record `FOR SHARE`, so a revocation
    /// that comes now waits until this commits and one that committed before is seen), runs
    /// `record` (the pages' counts and checksums, the op-orde-rapport; it returns the manifest
    /// the sink's commit step sends), then in a second statement records the success, closes
    /// the attempt and keeps that manifest until the sink confirms it, then `afterHandOver`
    /// (the workflow moves). Without active consent the delivery is cancelled and `record`
    /// never runs.
    ///
    /// The pages themselves went to the sink's staging area before (CBS counts nothing
    /// without its manifest); this commit is the moment of hand-over, and the manifest
    /// follows it. A transaction that loses to a concurrent one runs again in place.
    public func handOver(
        _ id: UUID, owner: String, figures: PogingFigures, now: Date,
        lockFirst: (PostgresConnection) async throws -> Void = { _ in },
        record: (PostgresConnection) async throws -> Data?,
        afterHandOver: (Gemeentecode, PostgresConnection) async throws -> Void = { _, _ in }
    ) async throws -> HandOverOutcome {
        try await workerTransaction("hand-over") { connection in
            try await lockFirst(connection)
            guard let row = try await connection.query(Self.handOverCheckSQL, [id, owner, amsterdamDay(now)]).first else {
                return .leaseLost
            }
            let before = try Self.levering(row)
            guard try row.decode("toestemmingen", as: Int.self) > 0 else {
                let event = LeveringEvent.consentEnded(
                    reason: "consent was no longer active at hand-over; nothing was handed over", owner: owner)
                if case .success(let decision) = lifecycle.decide(before, event, now: now) {
                    try await Self.end(decision, of: id, was: before, figures: figures, now: now, on: connection)
                }
                return .consentWithdrawn
            }
            let manifest = try await record(connection)
            guard case .success(let decision) = lifecycle.decide(before, .attemptSucceeded(owner: owner), now: now) else {
                return .leaseLost
            }
            try await Self.end(decision, of: id, was: before, figures: figures, manifest: manifest, now: now, on: connection)
            if let code = Gemeentecode(try row.decode("gemeente_code", as: String.self)) {
                try await afterHandOver(code, connection)
            }
            return .handedOver
        }
    }

    /// The hand-over's check, one statement: the levering while the caller holds its lease
    /// (locked, with its state), then its gemeente locked, then the consent records active on
    /// the day (`$3`) to the gemeente's current supplier, locked `FOR SHARE` and counted. The
    /// gemeente before its consent, in the order every onboarding change locks them (a
    /// revocation locks the gemeente, then its consent): the reverse order here would deadlock
    /// with a revocation, since the phase move after the hand-over locks the gemeente. A
    /// revocation that commits while this waits is seen: the locked consent row is read again
    /// as it is then.
    static let handOverCheckSQL = """
        WITH levering AS (
            SELECT \(stateColumns), gemeente_code, leverancier_id FROM leveringen
            WHERE id = $1 AND status = \(LeveringStatusSQL.bezig) AND lease_eigenaar = $2
            FOR UPDATE
        ), gemeente AS (
            SELECT g.code FROM gemeenten g JOIN levering l ON g.code = l.gemeente_code FOR UPDATE OF g
        ), toestemming AS (
            SELECT t.id FROM toestemmingen t
            JOIN gemeente_leveranciers a ON a.gemeente_code = t.gemeente_code AND a.stroom = t.stroom
                 AND a.leverancier_id = t.leverancier_id AND a.tot IS NULL
            JOIN levering l ON t.gemeente_code = l.gemeente_code AND t.leverancier_id = l.leverancier_id AND t.stroom = l.stroom
            WHERE toestemming_actief(t, $3)
            FOR SHARE OF t, a
        )
        SELECT l.*, (SELECT count(*) FROM gemeente) AS gemeenten, (SELECT count(*) FROM toestemming) AS toestemmingen FROM levering l
        """

    /// The channel a NOTIFY goes to when a gemeente's consent is revoked: workers stop its running pulls.
    public static let revocationChannel = channel + "_annulering"

    /// Ends a running delivery as `geannuleerd` (its consent was revoked during the pull), if
    /// the caller still holds the lease; records the attempt. Nothing was handed over.
    @discardableResult
    public func cancelRunning(_ id: UUID, owner: String, now: Date) async throws -> Bool {
        try await workerTransaction("cancel") { connection in
            let event = LeveringEvent.consentEnded(reason: "consent was revoked during the pull; nothing was handed over", owner: owner)
            return try await endAttempt(id, event, figures: .init(), now: now, on: connection) != nil
        }
    }

    /// Cancels the queued deliveries of a gemeente for a supplier and stream (consent revoked,
    /// supplier switched), on the caller's connection; returns how many.
    @discardableResult
    public static func cancelQueued(
        gemeente: Gemeentecode, leverancierID: String, stroom: Stroom, reason: String, now: Date, on connection: PostgresConnection
    ) async throws -> Int {
        let rows = try await connection.query(
            """
            SELECT \(stateColumns) FROM leveringen
            WHERE gemeente_code = $1 AND leverancier_id = $2 AND stroom = $3 AND status IN \(LeveringStatusSQL.waiting)
            FOR UPDATE
            """, [gemeente.rawValue, leverancierID, stroom.rawValue])
        var cancelled = 0
        for row in rows {
            // No retry policy plays a part in a cancellation: the default lifecycle decides it as any other would.
            let result = try await apply(
                .consentEnded(reason: reason, owner: nil), to: row, lifecycle: LeveringLifecycle(), now: now, on: connection)
            if case .success = result { cancelled += 1 }
        }
        try await connection.query("SELECT pg_notify($1, $2)", [revocationChannel, gemeente.rawValue])
        return cancelled
    }

    /// Ends an attempt that failed, as the lifecycle decides from the failure's class and the
    /// stream's retry policy: back to the queue after its backoff (`mislukt`) or given up
    /// (`opgegeven`). Returns the new status; nil when the caller no longer holds the lease.
    @discardableResult
    public func fail(_ id: UUID, owner: String, failure: LeveringFailure, figures: PogingFigures, now: Date) async throws
        -> LeveringStatus?
    {
        let jitter = jitter()
        return try await workerTransaction("failure") { connection in
            let event = LeveringEvent.attemptFailed(owner: owner, failure, jitter: jitter)
            return try await endAttempt(id, event, figures: figures, now: now, on: connection)?.state.status
        }
    }

    /// Returns deliveries whose lease expired before `now` to the queue, or gives them up at
    /// their last attempt, as the lifecycle decides; returns how many. A row a worker holds
    /// locked (finishing it a moment ago) is skipped, and the lifecycle re-checks state and
    /// expiry on the locked row.
    @discardableResult
    public func rescue(now: Date) async throws -> Int {
        try await pool.withTransaction { connection in
            let rows = try await connection.query(
                // By supplier: their slot rows are then locked in the order a claim locks them.
                """
                SELECT \(Self.stateColumns) FROM leveringen WHERE status = \(LeveringStatusSQL.bezig) AND lease_tot < $1
                ORDER BY leverancier_id FOR UPDATE SKIP LOCKED
                """,
                [now])
            var rescued = 0
            for row in rows {
                if case .success = try await Self.apply(.leaseExpired, to: row, lifecycle: lifecycle, now: now, on: connection) {
                    rescued += 1
                }
            }
            return rescued
        }
    }

    /// Locks levering `id`, asks the lifecycle what `event` does to it, writes the decision and
    /// closes the attempt it ended with `figures`, on `connection` inside the caller's
    /// transaction. Nil when there is no such levering or the lifecycle refused.
    func endAttempt(_ id: UUID, _ event: LeveringEvent, figures: PogingFigures, now: Date, on connection: PostgresConnection)
        async throws -> LeveringDecision?
    {
        guard let row = try await connection.query("SELECT \(Self.stateColumns) FROM leveringen WHERE id = $1 FOR UPDATE", [id]).first
        else { return nil }
        let before = try Self.levering(row)
        guard case .success(let decision) = lifecycle.decide(before, event, now: now) else { return nil }
        try await Self.end(decision, of: id, was: before, figures: figures, now: now, on: connection)
        return decision
    }

    /// A delivery's state, for tests and the API.
    public func state(_ id: UUID) async throws -> (status: String, pogingen: Int)? {
        try await pool.query("SELECT status, pogingen FROM leveringen WHERE id = $1", [id]).first.map {
            (try $0.decode("status", as: String.self), try $0.decode("pogingen", as: Int.self))
        }
    }
}
