import Foundation
import Postgres
import RegieDomain

/// One gemeente as the status report shows it: phase, suppliers, consent, its last delivery
/// of each stream and its next delivery. Metadata only.
public struct GemeenteStatusRow: Sendable {
    /// The last delivery of a stream that ran (any state but `gepland`).
    public struct LaatsteLevering: Sendable {
        public let stroom: String
        public let periode: String
        public let status: String
        public let foutKlasse: String?
        public let fout: String?
        public let afgerondOp: Date?
        /// When it last moved: ended, else started, else queued.
        public let moment: Date
    }

    public let gemeente: Gemeente
    public let fase: String
    public let faseSinds: Date
    /// The current supplier per stream.
    public let leveranciers: [Stroom: String]
    /// Since when consent is active without a break, when it is active today (earliest
    /// `geldig_van` of the active records).
    public let toestemmingSinds: PostgresDate?
    /// When consent was last revoked, if ever.
    public let laatstIngetrokkenOp: Date?
    /// Per stream that ran a delivery, its last one: VS first, then SHV.
    public let laatsteLeveringen: [LaatsteLevering]
    /// When the next queued delivery is due (a queued or retrying one).
    public let volgendeLevering: Date?

    /// The last delivery of `stroom`, if one ran.
    public func laatsteLevering(_ stroom: String) -> LaatsteLevering? { laatsteLeveringen.first { $0.stroom == stroom } }
}

/// Deliveries per state for one stream's latest period.
public struct PeriodeLeveringen: Sendable, Equatable {
    public let stroom: String
    public let periode: String
    public let perStatus: [String: Int]
}

/// The reading side of the status report: one query per question, over all gemeenten.
///
/// ``snapshot(now:)`` reads every question in one snapshot together with the data version
/// (`data_versies`, migration 0018) and keeps the answer: while the version and the day stay
/// the same, the next report costs one small query.
public struct StatusStore: Sendable {
    let pool: PostgresPool
    let cache = StatusCache()

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Every active gemeente with its status, by code.
    public func rows(now: Date) async throws -> [GemeenteStatusRow] {
        try await Self.rows(now: now, on: pool)
    }

    /// When each gemeente entered each phase, oldest first, by gemeentecode: per phase its first
    /// and its last `gemeente.fase` event of the audit trail (`after.fase`), which is all that
    /// the reports ask of them (the main phase of a gemeente in a side state, and when it first
    /// reached a phase or a later one).
    public func phaseEntries() async throws -> [String: [(fase: String, moment: Date)]] {
        try await AuditLog().integrate(pool: pool)
        return try await Self.phaseEntries(on: pool)
    }

    /// The phase of every active gemeente, by code.
    public func activePhases() async throws -> [(code: String, fase: String)] {
        try await pool.query("SELECT code, fase FROM gemeenten WHERE active").map { row in
            (try row.decode("code", as: String.self), try row.decode("fase", as: String.self))
        }
    }

    /// Per stream (VS first), the deliveries of its latest period (regular, test and re-deliveries) per state.
    public func latestPeriodDeliveries() async throws -> [PeriodeLeveringen] {
        try await Self.latestPeriodDeliveries(on: pool)
    }

    /// The version of everything the reports show, as of now.
    public func dataVersie() async throws -> Int64 {
        try await Self.dataVersie(on: pool)
    }

    /// Everything the reports show, as of `now`'s Amsterdam day, read in one snapshot with its
    /// data version; the kept one when neither changed. The phase moves come from the audit
    /// trail, so the events still queued are linked first (``AuditLog/integrate(pool:wait:batchSize:)``;
    /// linking bumps the data version).
    public func snapshot(now: Date) async throws -> StatusSnapshot {
        try await AuditLog().integrate(pool: pool)
        let day = amsterdamDay(now)
        if let kept = cache.snapshot, kept.day == day, try await dataVersie() == kept.dataVersie {
            return kept
        }
        let snapshot = try await pool.withTransaction(isolation: .repeatableRead) { connection in
            StatusSnapshot(
                dataVersie: try await Self.dataVersie(on: connection), day: day, rows: try await Self.rows(now: now, on: connection),
                entries: try await Self.phaseEntries(on: connection),
                suppliers: try await LeverancierDienstStore().suppliers(on: connection),
                deliveries: try await Self.latestPeriodDeliveries(on: connection))
        }
        cache.keep(snapshot)
        return snapshot
    }

    /// The encoded report `variant` of `snapshot` at the clock reading `clock` (what of the
    /// report changes with the time alone): kept while the snapshot is the newest, built once.
    public func report(_ variant: String, of snapshot: StatusSnapshot, clock: [Int], build: () throws -> Data) rethrows -> Data {
        let key = StatusCache.ReportKey(variant: variant, dataVersie: snapshot.dataVersie, day: snapshot.day, clock: clock)
        if let kept = cache.report(key) { return kept }
        let data = try build()
        cache.keep(data, for: key)
        return data
    }

    static func dataVersie(on executor: some PostgresExecutor) async throws -> Int64 {
        try await executor.query("SELECT sum(versie)::bigint AS versie FROM data_versies").first?.decode("versie", as: Int64?.self) ?? 0
    }

    static func rows(now: Date, on executor: some PostgresExecutor) async throws -> [GemeenteStatusRow] {
        let last = try await lastDeliveries(on: executor)
        return try await executor.query(
            """
            SELECT g.code, g.name, g.province_code, g.province, g.arbeidsmarktregio, g.active, g.fase, g.fase_sinds,
                coalesce(a.leveranciers, '') AS leveranciers, t.toestemming_sinds, t.ingetrokken_op,
                (SELECT min(v.volgende_poging_op) FROM leveringen v
                   WHERE v.gemeente_code = g.code AND v.status IN ($2, $3)) AS volgende
            FROM gemeenten g
            LEFT JOIN (
                SELECT gemeente_code, string_agg(stroom || '=' || leverancier_id, ',' ORDER BY stroom) AS leveranciers
                FROM gemeente_leveranciers WHERE tot IS NULL GROUP BY gemeente_code
            ) a ON a.gemeente_code = g.code
            LEFT JOIN (
                SELECT gemeente_code, min(geldig_van) FILTER (WHERE toestemming_actief(toestemmingen, $1)) AS toestemming_sinds,
                       max(ingetrokken_op) AS ingetrokken_op
                FROM toestemmingen GROUP BY gemeente_code
            ) t ON t.gemeente_code = g.code
            WHERE g.active
            ORDER BY g.code
            """, [amsterdamDay(now), LeveringStatus.gepland.rawValue, LeveringStatus.mislukt.rawValue]
        ).map { row in
            var suppliers: [Stroom: String] = [:]
            for pair in try row.decode("leveranciers", as: String.self).split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, let stroom = Stroom(rawValue: String(parts[0])) { suppliers[stroom] = String(parts[1]) }
            }
            let code: String = try row.decode("code")
            return GemeenteStatusRow(
                gemeente: try PostgresGemeenteStore.gemeente(row), fase: try row.decode("fase"), faseSinds: try row.decode("fase_sinds"),
                leveranciers: suppliers, toestemmingSinds: try row.decode("toestemming_sinds"),
                laatstIngetrokkenOp: try row.decode("ingetrokken_op"), laatsteLeveringen: last[code] ?? [],
                volgendeLevering: try row.decode("volgende"))
        }
    }

    /// Per gemeente, the last delivery of each stream that ran (any state but `gepland`), VS first:
    /// one lookup per gemeente and stream in `leveringen_laatste_stroom_idx` (the status a
    /// constant, so the partial index's condition is seen to hold).
    static func lastDeliveries(on executor: some PostgresExecutor) async throws -> [String: [GemeenteStatusRow.LaatsteLevering]] {
        var result: [String: [GemeenteStatusRow.LaatsteLevering]] = [:]
        for row in try await executor.query(
            """
            SELECT g.code AS gemeente_code, l.stroom, l.periode, l.status, l.laatste_fout_klasse, l.laatste_fout, l.afgerond_op, l.moment
            FROM gemeenten g
            CROSS JOIN (SELECT DISTINCT stroom FROM leverancier_diensten) s
            JOIN LATERAL (
                SELECT x.stroom, x.periode, x.status, x.laatste_fout_klasse, x.laatste_fout, x.afgerond_op,
                    coalesce(x.afgerond_op, x.gestart_op, x.aangemaakt_op) AS moment
                FROM leveringen x
                WHERE x.gemeente_code = g.code AND x.stroom = s.stroom AND x.status <> \(LeveringStatusSQL.literal(.gepland))
                ORDER BY coalesce(x.afgerond_op, x.gestart_op, x.aangemaakt_op) DESC
                LIMIT 1
            ) l ON true
            ORDER BY g.code, s.stroom DESC
            """)
        {
            result[try row.decode("gemeente_code"), default: []].append(
                .init(
                    stroom: try row.decode("stroom"), periode: try row.decode("periode"), status: try row.decode("status"),
                    foutKlasse: try row.decode("laatste_fout_klasse"), fout: try row.decode("laatste_fout"),
                    afgerondOp: try row.decode("afgerond_op"), moment: try row.decode("moment")))
        }
        return result
    }

    static func phaseEntries(on executor: some PostgresExecutor) async throws -> [String: [(fase: String, moment: Date)]] {
        // Per gemeente and phase, the first and the last move into it, read in one pass over the
        // phase events (audit_events_fase_idx), then put in the trail's order.
        var moves: [(seq: Int64, code: String, fase: String, moment: Date)] = []
        for row in try await executor.query(
            """
            SELECT object_id, after ->> 'fase' AS fase, min(seq) AS first_seq, max(seq) AS last_seq,
                   (array_agg(occurred_at ORDER BY seq))[1] AS first_at, (array_agg(occurred_at ORDER BY seq DESC))[1] AS last_at
            FROM audit_events
            WHERE action = 'gemeente.fase' AND object_type = 'gemeente' AND result = $1 AND after ? 'fase'
            GROUP BY object_id, after ->> 'fase'
            """, [AuditEvent.Result.ok.rawValue])
        {
            let code: String = try row.decode("object_id")
            let fase: String = try row.decode("fase")
            let first: Int64 = try row.decode("first_seq")
            let last: Int64 = try row.decode("last_seq")
            moves.append((first, code, fase, try row.decode("first_at")))
            if last != first { moves.append((last, code, fase, try row.decode("last_at"))) }
        }
        var entries: [String: [(fase: String, moment: Date)]] = [:]
        for move in moves.sorted(by: { $0.seq < $1.seq }) {
            entries[move.code, default: []].append((move.fase, move.moment))
        }
        return entries
    }

    static func latestPeriodDeliveries(on executor: some PostgresExecutor) async throws -> [PeriodeLeveringen] {
        var result: [String: (periode: String, counts: [String: Int])] = [:]
        for row in try await executor.query(
            """
            SELECT s.stroom, l.periode, l.status, count(*) AS n
            FROM (VALUES ('VS'), ('SHV')) AS s (stroom)
            JOIN LATERAL (SELECT max(periode_eind) AS eind FROM leveringen WHERE stroom = s.stroom) m ON m.eind IS NOT NULL
            JOIN leveringen l ON l.stroom = s.stroom AND l.periode_eind = m.eind
            GROUP BY s.stroom, l.periode, l.status
            """)
        {
            let stroom: String = try row.decode("stroom")
            let periode: String = try row.decode("periode")
            var entry = result[stroom] ?? (periode, [:])
            entry.counts[try row.decode("status")] = try row.decode("n")
            result[stroom] = entry
        }
        return result.keys.sorted(by: >).compactMap { key in
            result[key].map { PeriodeLeveringen(stroom: key, periode: $0.periode, perStatus: $0.counts) }
        }
    }
}
