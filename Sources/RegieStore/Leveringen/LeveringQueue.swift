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
/// - `claim` takes due rows with `FOR UPDATE SKIP LOCKED`, under a transaction-scoped
///   advisory lock that makes the per-supplier limit exact across all processes (claims are
///   short; the pulls themselves run outside any transaction).
/// - Every change of status is decided by ``LeveringLifecycle`` (with the retry policy of the
///   levering's stream): the queue reads the row `FOR UPDATE`, asks, and writes the decision
///   in the same transaction. Its SQL selects and applies; it never decides.
/// - `heartbeat`, `complete` and `fail` act only while the caller still holds the lease; a
///   worker whose lease was rescued learns so from a `false` (or nil) and must not hand
///   anything over.
/// - `rescue` takes rows whose lease expired `FOR UPDATE SKIP LOCKED` and the lifecycle
///   re-checks state and expiry, so it cannot undo a worker that finished a moment before.
public struct LeveringQueue: Sendable {
    static let claimLockKey = 4_221_342_000_004
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

    /// Claims up to `limit` due deliveries for `owner`, at most `perSupplierLimit` running per
    /// supplier across all processes, each with a lease until `now + lease`. Only deliveries
    /// with consent active now are taken; the cost is one index scan per supplier, whatever the
    /// length of the queue.
    public func claim(owner: String, limit: Int, perSupplierLimit: Int, lease: Duration, now: Date) async throws -> [ClaimedLevering] {
        let leaseUntil = now.addingTimeInterval(Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18)
        return try await workerTransaction("claim") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock($1)", [Self.claimLockKey])
            // Per supplier, the oldest due deliveries with consent that is active now (to the
            // gemeente's current supplier), as many as the supplier has room for; claims are
            // serialised by the lock above, so the running count cannot change underneath.
            let rows = try await connection.query(
                """
                WITH kandidaten AS (
                    SELECT k.id, k.volgende_poging_op FROM leveranciers s
                    CROSS JOIN LATERAL (
                        SELECT l.id, l.volgende_poging_op FROM leveringen l
                        WHERE l.leverancier_id = s.id AND l.status IN \(LeveringStatusSQL.waiting) AND l.volgende_poging_op <= $1
                          AND EXISTS (SELECT 1 FROM toestemmingen t
                                      JOIN gemeente_leveranciers a ON a.gemeente_code = t.gemeente_code AND a.stroom = t.stroom
                                           AND a.leverancier_id = t.leverancier_id AND a.tot IS NULL
                                      WHERE t.gemeente_code = l.gemeente_code AND t.leverancier_id = l.leverancier_id
                                        AND t.stroom = l.stroom AND toestemming_actief(t, $4))
                        ORDER BY l.volgende_poging_op, l.id
                        LIMIT least($3, greatest(0, $2 - (SELECT count(*) FROM leveringen b WHERE b.status = \(LeveringStatusSQL.bezig) AND b.leverancier_id = s.id)))
                    ) k
                    ORDER BY k.volgende_poging_op, k.id
                    LIMIT $3
                )
                SELECT \(Self.stateColumns.split(separator: ", ").map { "l.\($0)" }.joined(separator: ", ")),
                       l.gemeente_code, l.leverancier_id, l.periode, l.periode_start, l.periode_eind, l.doel,
                       (SELECT a.organisatienaam FROM gemeente_leveranciers a
                        WHERE a.gemeente_code = l.gemeente_code AND a.stroom = l.stroom AND a.leverancier_id = l.leverancier_id
                          AND a.tot IS NULL) AS organisatienaam
                FROM leveringen l JOIN kandidaten k ON k.id = l.id
                WHERE l.status IN \(LeveringStatusSQL.waiting)
                FOR UPDATE OF l SKIP LOCKED
                """, [now, perSupplierLimit, limit, amsterdamDay(now)])
            var claimed: [ClaimedLevering] = []
            for row in rows {
                guard let code = Gemeentecode(try row.decode("gemeente_code", as: String.self)),
                    let stroom = Stroom(rawValue: try row.decode("stroom")),
                    case .success(let decision) = try await Self.apply(
                        .claimed(owner: owner, leaseUntil: leaseUntil), to: row, lifecycle: lifecycle, now: now, on: connection),
                    let leaseTot = decision.state.leaseUntil
                else { continue }
                let delivery = ClaimedLevering(
                    id: try row.decode("id"), gemeente: code, leverancierID: try row.decode("leverancier_id"), stroom: stroom,
                    periode: try row.decode("periode"), periodeStart: try row.decode("periode_start"),
                    periodeEind: try row.decode("periode_eind"), organisatienaam: try row.decode("organisatienaam"),
                    doel: try row.decode("doel"), poging: decision.state.attempts, leaseTot: leaseTot)
                try await connection.execute(
                    "INSERT INTO levering_pogingen (levering_id, poging, gestart_op) VALUES ($1, $2, $3)",
                    [delivery.id, delivery.poging, now])
                claimed.append(delivery)
            }
            return claimed.sorted { $0.id.uuidString < $1.id.uuidString }
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
        let result = try await Self.transition(id, .attemptSucceeded(owner: owner), lifecycle: lifecycle, now: now, on: connection)
        guard let decision = Self.succeeded(result) else { return false }
        try await recordAttempt(id, decision, figures: figures, now: now, on: connection)
        return true
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

    /// Records a hand-over, in one short transaction with no network I/O in it: checks the
    /// lease, runs `lockFirst` (the locks every onboarding change takes before a gemeente's:
    /// the supplier service the delivery may move), locks the gemeente, re-checks consent
    /// (locking the consent record `FOR SHARE`, so a revocation that comes now waits until this
    /// commits and one that committed before is seen), runs `record` (the pages' counts and
    /// checksums, the op-orde-rapport; it returns the manifest the sink's commit step sends),
    /// keeps that manifest until the sink confirms it, records the success, then
    /// `afterHandOver` (the workflow moves). Without active consent the delivery is cancelled
    /// and `record` never runs.
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
            guard
                let row = try await connection.query(
                    "SELECT gemeente_code, leverancier_id, stroom FROM leveringen WHERE id = $1 AND status = \(LeveringStatusSQL.bezig) AND lease_eigenaar = $2 FOR UPDATE",
                    [id, owner]
                ).first
            else { return .leaseLost }
            try await lockFirst(connection)
            // The gemeente before its consent, in the order every onboarding change locks them (a
            // revocation locks the gemeente, then its consent): the reverse order here would
            // deadlock with a revocation, since the phase move after the hand-over locks the gemeente.
            try await connection.query(
                "SELECT 1 FROM gemeenten WHERE code = $1 FOR UPDATE", [try row.decode("gemeente_code", as: String.self)])
            let consent = try await connection.query(
                """
                SELECT t.id FROM toestemmingen t
                JOIN gemeente_leveranciers a ON a.gemeente_code = t.gemeente_code AND a.stroom = t.stroom
                     AND a.leverancier_id = t.leverancier_id AND a.tot IS NULL
                WHERE t.gemeente_code = $1 AND t.leverancier_id = $2 AND t.stroom = $3
                  AND toestemming_actief(t, $4)
                FOR SHARE OF t, a
                """,
                [
                    try row.decode("gemeente_code", as: String.self), try row.decode("leverancier_id", as: String.self),
                    try row.decode("stroom", as: String.self), amsterdamDay(now),
                ])
            guard consent.count > 0 else {
                let event = LeveringEvent.consentEnded(
                    reason: "consent was no longer active at hand-over; nothing was handed over", owner: owner)
                if let decision = Self.succeeded(try await Self.transition(id, event, lifecycle: lifecycle, now: now, on: connection)) {
                    try await recordAttempt(id, decision, figures: figures, now: now, on: connection)
                }
                return .consentWithdrawn
            }
            if let manifest = try await record(connection) {
                try await connection.execute(
                    """
                    INSERT INTO levering_manifesten (levering_id, manifest, vastgelegd_op) VALUES ($1, $2, $3)
                    ON CONFLICT (levering_id) DO UPDATE SET manifest = EXCLUDED.manifest, vastgelegd_op = EXCLUDED.vastgelegd_op,
                                                            bevestigd_op = NULL
                    """, [id, manifest, now])
            }
            guard try await complete(id, owner: owner, figures: figures, now: now, on: connection) else { return .leaseLost }
            if let code = Gemeentecode(try row.decode("gemeente_code", as: String.self)) {
                try await afterHandOver(code, connection)
            }
            return .handedOver
        }
    }

    /// The channel a NOTIFY goes to when a gemeente's consent is revoked: workers stop its running pulls.
    public static let revocationChannel = channel + "_annulering"

    /// Ends a running delivery as `geannuleerd` (its consent was revoked during the pull), if
    /// the caller still holds the lease; records the attempt. Nothing was handed over.
    @discardableResult
    public func cancelRunning(_ id: UUID, owner: String, now: Date) async throws -> Bool {
        try await workerTransaction("cancel") { connection in
            let event = LeveringEvent.consentEnded(reason: "consent was revoked during the pull; nothing was handed over", owner: owner)
            guard let decision = Self.succeeded(try await Self.transition(id, event, lifecycle: lifecycle, now: now, on: connection))
            else { return false }
            try await recordAttempt(id, decision, figures: .init(), now: now, on: connection)
            return true
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
            guard let decision = Self.succeeded(try await Self.transition(id, event, lifecycle: lifecycle, now: now, on: connection))
            else { return nil }
            try await recordAttempt(id, decision, figures: figures, now: now, on: connection)
            return decision.state.status
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
                "SELECT \(Self.stateColumns) FROM leveringen WHERE status = \(LeveringStatusSQL.bezig) AND lease_tot < $1 FOR UPDATE SKIP LOCKED",
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

    /// Closes the record of the attempt `decision` ended, with its figures and failure class.
    func recordAttempt(_ id: UUID, _ decision: LeveringDecision, figures: PogingFigures, now: Date, on connection: PostgresConnection)
        async throws
    {
        guard let attempt = decision.endedAttempt else { return }
        try await recordAttempt(
            id, attempt: attempt, figures: figures, errorClass: decision.attemptFailure?.rawValue, now: now, on: connection)
    }

    func recordAttempt(
        _ id: UUID, attempt: Int, figures: PogingFigures, errorClass: String?, now: Date, on connection: PostgresConnection
    ) async throws {
        try await connection.execute(
            """
            UPDATE levering_pogingen SET afgerond_op = $3, http_status = $4, fout_klasse = $5, paginas = $6, records = $7, bytes = $8,
                                         ondertekening = $9
            WHERE levering_id = $1 AND poging = $2
            """, [id, attempt, now, figures.httpStatus, errorClass, figures.pages, figures.records, figures.bytes, figures.signing])
    }

    /// A delivery's state, for tests and the API.
    public func state(_ id: UUID) async throws -> (status: String, pogingen: Int)? {
        try await pool.query("SELECT status, pogingen FROM leveringen WHERE id = $1", [id]).first.map {
            (try $0.decode("status", as: String.self), try $0.decode("pogingen", as: Int.self))
        }
    }
}
