import Foundation
import Postgres
import RegieDomain

/// A delivery as reports and the API show it: metadata only.
public struct LeveringRecord: Sendable {
    public let id: UUID
    public let gemeente: Gemeentecode
    public let leverancierID: String
    public let stroom: Stroom
    public let periode: String
    public let periodeStart: PostgresDate
    public let periodeEind: PostgresDate
    public let doel: String
    public let status: String
    public let pogingen: Int
    public let maxPogingen: Int
    public let volgendePogingOp: Date
    public let laatsteFoutKlasse: String?
    public let laatsteFout: String?
    public let aangemaaktOp: Date
    public let gestartOp: Date?
    public let afgerondOp: Date?
}

/// One attempt of a delivery.
public struct LeveringPoging: Sendable {
    public let poging: Int
    public let gestartOp: Date
    public let afgerondOp: Date?
    public let httpStatus: Int?
    public let foutKlasse: String?
    public let paginas: Int
    public let records: Int
    public let bytes: Int
    /// How the supplier signed the pages: `kp-apis`, `body`, or `gemengd`; nil before a page was read.
    public let ondertekening: String?
}

extension LeveringQueue {
    /// The filters of the delivery list; nil matches everything.
    public struct Filter: Sendable {
        public var gemeente: Gemeentecode?
        public var leverancierID: String?
        public var stroom: Stroom?
        public var status: String?
        public var periode: String?
        public var doel: String?

        public init(
            gemeente: Gemeentecode? = nil, leverancierID: String? = nil, stroom: Stroom? = nil, status: String? = nil,
            periode: String? = nil,
            doel: String? = nil
        ) {
            self.gemeente = gemeente
            self.leverancierID = leverancierID
            self.stroom = stroom
            self.status = status
            self.periode = periode
            self.doel = doel
        }
    }

    /// One page of deliveries, newest first, and the total.
    public func list(_ filter: Filter, offset: Int, limit: Int) async throws -> (records: [LeveringRecord], total: Int) {
        let parameters: [(any PostgresEncodable)?] = [
            filter.gemeente?.rawValue, filter.leverancierID, filter.stroom?.rawValue, filter.status, filter.periode, filter.doel,
        ]
        let total =
            try await pool.query(
                """
                SELECT count(*) AS n FROM leveringen
                WHERE ($1::text IS NULL OR gemeente_code = $1) AND ($2::text IS NULL OR leverancier_id = $2) AND ($3::text IS NULL OR stroom = $3)
                  AND ($4::text IS NULL OR status = $4) AND ($5::text IS NULL OR periode = $5) AND ($6::text IS NULL OR doel = $6)
                """, parameters
            ).first?.decode("n", as: Int.self) ?? 0
        let rows = try await pool.query(
            """
            SELECT * FROM leveringen
            WHERE ($1::text IS NULL OR gemeente_code = $1) AND ($2::text IS NULL OR leverancier_id = $2) AND ($3::text IS NULL OR stroom = $3)
              AND ($4::text IS NULL OR status = $4) AND ($5::text IS NULL OR periode = $5) AND ($6::text IS NULL OR doel = $6)
            ORDER BY aangemaakt_op DESC, id LIMIT $7 OFFSET $8
            """, parameters + [limit, offset])
        return (try rows.map(Self.record), total)
    }

    /// One delivery with its attempts.
    public func find(_ id: UUID) async throws -> (LeveringRecord, [LeveringPoging])? {
        guard let row = try await pool.query("SELECT * FROM leveringen WHERE id = $1", [id]).first else { return nil }
        let attempts = try await pool.query(
            "SELECT * FROM levering_pogingen WHERE levering_id = $1 ORDER BY poging", [id]
        ).map { row in
            LeveringPoging(
                poging: try row.decode("poging"), gestartOp: try row.decode("gestart_op"), afgerondOp: try row.decode("afgerond_op"),
                httpStatus: try row.decode("http_status"), foutKlasse: try row.decode("fout_klasse"), paginas: try row.decode("paginas"),
                records: try row.decode("records"), bytes: try row.decode("bytes"), ondertekening: try row.decode("ondertekening"))
        }
        return (try Self.record(row), attempts)
    }

    /// Cancels a delivery that is queued or running (a running worker learns it at hand-over:
    /// its lease is gone), with an audit event, as the lifecycle decides; false when it had
    /// already ended.
    public func cancel(_ id: UUID, reason: String, by actor: AuditActor, now: Date) async throws -> Bool {
        try await pool.withTransaction { connection in
            let result = try await Self.transition(id, .cancelledManually(reason: reason), lifecycle: lifecycle, now: now, on: connection)
            guard let decision = Self.succeeded(result) else { return false }
            if let event = decision.auditEvent {
                try await AuditLog().append(
                    actor.event(event, objectType: "levering", objectID: id.uuidString.lowercased(), after: ["reden": reason], at: now),
                    on: connection)
            }
            return true
        }
    }

    /// Queues a given-up delivery again with a fresh set of attempts, with an audit event, as
    /// the lifecycle decides; false unless it was `opgegeven`.
    public func retry(_ id: UUID, by actor: AuditActor, now: Date) async throws -> Bool {
        try await pool.withTransaction { connection in
            let result = try await Self.transition(id, .retriedManually, lifecycle: lifecycle, now: now, on: connection)
            guard let decision = Self.succeeded(result) else { return false }
            if let event = decision.auditEvent {
                try await AuditLog().append(
                    actor.event(event, objectType: "levering", objectID: id.uuidString.lowercased(), at: now), on: connection)
            }
            try await connection.query("SELECT pg_notify($1, $2)", [Self.channel, "1"])
            return true
        }
    }

    /// The gemeenten a regular pull of `stroom` may run for on `day`: active, with a current
    /// supplier whose service is in production (`productie_contract`, where the first regular
    /// pull makes it `actief`, or `actief`), and active consent to it.
    public func eligibleForRegularPulls(_ stroom: Stroom, on day: PostgresDate) async throws -> [(
        gemeente: Gemeentecode, leverancierID: String
    )] {
        try await eligible(stroom, on: day, supplierActief: true)
    }

    /// The gemeenten with active consent to their current supplier for `stroom` on `day`; with
    /// `supplierActief`, only where that supplier's service is in production.
    public func eligible(_ stroom: Stroom, on day: PostgresDate, supplierActief: Bool) async throws -> [(
        gemeente: Gemeentecode, leverancierID: String
    )] {
        try await pool.query(
            """
            SELECT a.gemeente_code, a.leverancier_id FROM gemeente_leveranciers a
            JOIN gemeenten g ON g.code = a.gemeente_code AND g.active
            JOIN leverancier_diensten d ON d.leverancier_id = a.leverancier_id AND d.stroom = a.stroom
                 AND (NOT $3 OR d.fase IN ('productie_contract', 'actief'))
            WHERE a.stroom = $1 AND a.tot IS NULL AND EXISTS (
                SELECT 1 FROM toestemmingen t
                WHERE t.gemeente_code = a.gemeente_code AND t.leverancier_id = a.leverancier_id AND t.stroom = a.stroom
                  AND toestemming_actief(t, $2))
            ORDER BY a.gemeente_code
            """, [stroom.rawValue, day, supplierActief]
        ).compactMap { row in
            guard let code = Gemeentecode(try row.decode("gemeente_code", as: String.self)) else { return nil }
            return (code, try row.decode("leverancier_id", as: String.self))
        }
    }

    /// The gemeenten that are due a test pull of `stroom` on `day`: in phase
    /// `toestemming_gegeven` or further, with active consent to a current supplier whose
    /// service passed the acceptance stage (`fsc_acceptatie` or later: the first successful
    /// test pull is its conformance pull), and no test delivery of this stream yet. So a
    /// gemeente that is live with vroegsignalering and then gives consent for its
    /// schuldhulpverlening gets that stream's test pull. One that failed is left for the
    /// project team to retry.
    public func dueForTestPulls(_ stroom: Stroom, on day: PostgresDate) async throws -> [(gemeente: Gemeentecode, leverancierID: String)] {
        try await pool.query(
            """
            SELECT a.gemeente_code, a.leverancier_id FROM gemeente_leveranciers a
            JOIN gemeenten g ON g.code = a.gemeente_code AND g.active
                 AND g.fase IN ('toestemming_gegeven', 'api_getest', 'eerste_levering', 'actief')
            JOIN leverancier_diensten d ON d.leverancier_id = a.leverancier_id AND d.stroom = a.stroom
                 AND d.fase IN ('fsc_acceptatie', 'cbs_test_geslaagd', 'fsc_productie', 'productie_contract', 'actief')
            WHERE a.stroom = $1 AND a.tot IS NULL
              AND EXISTS (
                SELECT 1 FROM toestemmingen t
                WHERE t.gemeente_code = a.gemeente_code AND t.leverancier_id = a.leverancier_id AND t.stroom = a.stroom
                  AND toestemming_actief(t, $2))
              AND NOT EXISTS (
                SELECT 1 FROM leveringen l WHERE l.gemeente_code = a.gemeente_code AND l.stroom = a.stroom AND l.doel = 'test'
                  AND l.status IN \(LeveringStatusSQL.notCancelled))
            ORDER BY a.gemeente_code
            """, [stroom.rawValue, day]
        ).compactMap { row in
            guard let code = Gemeentecode(try row.decode("gemeente_code", as: String.self)) else { return nil }
            return (code, try row.decode("leverancier_id", as: String.self))
        }
    }

    static func record(_ row: PostgresRow) throws -> LeveringRecord {
        guard let code = Gemeentecode(try row.decode("gemeente_code", as: String.self)),
            let stroom = Stroom(rawValue: try row.decode("stroom"))
        else {
            throw PostgresError(.invalidValue, column: "gemeente_code", context: "not a delivery")
        }
        return LeveringRecord(
            id: try row.decode("id"), gemeente: code, leverancierID: try row.decode("leverancier_id"), stroom: stroom,
            periode: try row.decode("periode"),
            periodeStart: try row.decode("periode_start"), periodeEind: try row.decode("periode_eind"), doel: try row.decode("doel"),
            status: try row.decode("status"), pogingen: try row.decode("pogingen"), maxPogingen: try row.decode("max_pogingen"),
            volgendePogingOp: try row.decode("volgende_poging_op"), laatsteFoutKlasse: try row.decode("laatste_fout_klasse"),
            laatsteFout: try row.decode("laatste_fout"), aangemaaktOp: try row.decode("aangemaakt_op"),
            gestartOp: try row.decode("gestart_op"),
            afgerondOp: try row.decode("afgerond_op"))
    }
}
