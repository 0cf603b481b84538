import Foundation
import Postgres
import RegieDomain

/// The op-orde-rapport of a delivery as kept: its verdict and two JSON documents of counts
/// (the findings, and the suggested official values for invalid code-list values).
public struct StoredOpOrdeRapport: Sendable, Equatable {
    /// How a delivery's data was judged.
    public enum Oordeel: String, Sendable, Codable, CaseIterable {
        /// No errors.
        case inOrde = "in_orde"
        /// Errors, but not more than the stream's threshold: handed over.
        case onderDrempel = "onder_drempel"
        /// More errors than the threshold: failed validation, not handed over.
        case bovenDrempel = "boven_drempel"
    }

    public let leveringID: UUID
    public let poging: Int
    public let gemaaktOp: Date
    public let eenheden: Int
    public let eenhedenMetFouten: Int
    public let drempel: Double
    public let oordeel: Oordeel
    /// The findings, JSON (counts only).
    public let bevindingen: String
    /// The suggestions, JSON (counts, official values, rule names).
    public let suggesties: String

    public init(
        leveringID: UUID, poging: Int, gemaaktOp: Date, eenheden: Int, eenhedenMetFouten: Int, drempel: Double, oordeel: Oordeel,
        bevindingen: String, suggesties: String
    ) {
        self.leveringID = leveringID
        self.poging = poging
        self.gemaaktOp = gemaaktOp
        self.eenheden = eenheden
        self.eenhedenMetFouten = eenhedenMetFouten
        self.drempel = drempel
        self.oordeel = oordeel
        self.bevindingen = bevindingen
        self.suggesties = suggesties
    }
}

/// One point of a gemeente's data quality over time: a delivery and its error share.
public struct KwaliteitTrendPoint: Sendable, Equatable {
    public let leveringID: UUID
    public let leverancierID: String
    public let stroom: String
    public let periode: String
    public let doel: String
    public let status: String
    public let eenheden: Int
    public let eenhedenMetFouten: Int
    public let oordeel: StoredOpOrdeRapport.Oordeel
    public let gemaaktOp: Date
}

/// Keeps and reads the op-orde-rapporten.
public struct OpOrdeRapportStore: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Keeps the report of a delivery on `connection` (inside the hand-over's transaction);
    /// a later attempt's report replaces an earlier one. A report above its threshold is
    /// announced in the same transaction (``MeldingEmitter/opOrdeRapport(_:now:on:)``).
    public static func record(_ report: StoredOpOrdeRapport, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO op_orde_rapporten
                (levering_id, poging, gemaakt_op, eenheden, eenheden_met_fouten, drempel, oordeel, bevindingen, suggesties)
            VALUES ($1, $2, $3, $4, $5, $6::numeric, $7, $8::jsonb, $9::jsonb)
            ON CONFLICT (levering_id) DO UPDATE SET poging = $2, gemaakt_op = $3, eenheden = $4, eenheden_met_fouten = $5,
                drempel = $6::numeric, oordeel = $7, bevindingen = $8::jsonb, suggesties = $9::jsonb
            """,
            [
                report.leveringID, report.poging, report.gemaaktOp, report.eenheden, report.eenhedenMetFouten,
                String(report.drempel), report.oordeel.rawValue, report.bevindingen, report.suggesties,
            ])
        try await MeldingEmitter.opOrdeRapport(report, now: report.gemaaktOp, on: connection)
    }

    /// Keeps the report of a delivery in a transaction of its own.
    public func record(_ report: StoredOpOrdeRapport) async throws {
        try await pool.withTransaction { connection in try await Self.record(report, on: connection) }
    }

    /// The report of a delivery, if one was made.
    public func report(levering id: UUID) async throws -> StoredOpOrdeRapport? {
        guard
            let row = try await pool.query(
                """
                SELECT levering_id, poging, gemaakt_op, eenheden, eenheden_met_fouten, drempel::text AS drempel, oordeel,
                    bevindingen::text AS bevindingen, suggesties::text AS suggesties
                FROM op_orde_rapporten WHERE levering_id = $1
                """, [id]
            ).first
        else { return nil }
        return StoredOpOrdeRapport(
            leveringID: try row.decode("levering_id"), poging: try row.decode("poging"), gemaaktOp: try row.decode("gemaakt_op"),
            eenheden: try row.decode("eenheden"), eenhedenMetFouten: try row.decode("eenheden_met_fouten"),
            drempel: Double(try row.decode("drempel", as: String.self)) ?? 0,
            oordeel: StoredOpOrdeRapport.Oordeel(rawValue: try row.decode("oordeel")) ?? .inOrde,
            bevindingen: try row.decode("bevindingen"), suggesties: try row.decode("suggesties"))
    }

    /// Which of `ids` have a report, in one query.
    public func reported(among ids: [UUID]) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        return Set(
            try await pool.query(
                "SELECT levering_id FROM op_orde_rapporten WHERE levering_id = ANY($1::uuid[])", [ids.map { $0.uuidString.lowercased() }]
            ).map { try $0.decode("levering_id", as: UUID.self) })
    }

    /// The error share of a gemeente's latest `limit` reported deliveries, oldest period first;
    /// only those of `leverancier` when given.
    public func trend(gemeente: Gemeentecode, leverancier: String? = nil, limit: Int = 100) async throws -> [KwaliteitTrendPoint] {
        try await pool.query(
            """
            SELECT l.id, l.leverancier_id, l.stroom, l.periode, l.doel, l.status, r.eenheden, r.eenheden_met_fouten, r.oordeel, r.gemaakt_op
            FROM op_orde_rapporten r JOIN leveringen l ON l.id = r.levering_id
            WHERE l.gemeente_code = $1 AND ($2::text IS NULL OR l.leverancier_id = $2)
            ORDER BY l.periode_start DESC, l.stroom DESC, r.gemaakt_op DESC
            LIMIT $3
            """, [gemeente.rawValue, leverancier, limit]
        ).reversed().map { row in
            KwaliteitTrendPoint(
                leveringID: try row.decode("id"), leverancierID: try row.decode("leverancier_id"), stroom: try row.decode("stroom"),
                periode: try row.decode("periode"), doel: try row.decode("doel"), status: try row.decode("status"),
                eenheden: try row.decode("eenheden"), eenhedenMetFouten: try row.decode("eenheden_met_fouten"),
                oordeel: StoredOpOrdeRapport.Oordeel(rawValue: try row.decode("oordeel")) ?? .inOrde,
                gemaaktOp: try row.decode("gemaakt_op"))
        }
    }
}
