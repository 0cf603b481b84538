import Foundation
import Postgres

/// The op-orde-rapport of the delivery that counts for one gemeente, stream and period in
/// "Vroegsignalering in cijfers": the latest successful regular delivery or herlevering.
public struct CijfersLevering: Sendable, Equatable {
    public let gemeentecode: String
    public let gemeentenaam: String
    public let provinciecode: String
    public let provincie: String
    public let stroom: String
    public let periode: String
    public let leveringID: UUID
    /// The findings, JSON (``DDASExchange/KwaliteitBevindingen``; counts only).
    public let bevindingen: String
}

extension OpOrdeRapportStore {
    /// Per gemeente, stream and period, the report of the latest successful delivery that is
    /// not a test (a herlevering replaces the regular delivery before it), narrowed to
    /// `stroom`, one gemeente or one province (codes), and periods starting from `vanaf`
    /// through `tot` (ISO days), when given.
    public func latestPerPeriode(
        stroom: String, gemeente: String? = nil, provinciecode: String? = nil, vanaf: String? = nil, tot: String? = nil
    ) async throws -> [CijfersLevering] {
        try await pool.query(
            """
            SELECT DISTINCT ON (l.gemeente_code, l.stroom, l.periode)
                l.gemeente_code, g.name, g.province_code, g.province, l.stroom, l.periode, l.id, r.bevindingen::text AS bevindingen
            FROM op_orde_rapporten r
            JOIN leveringen l ON l.id = r.levering_id
            JOIN gemeenten g ON g.code = l.gemeente_code
            WHERE l.status = 'geslaagd' AND l.doel IN ('regulier', 'herlevering') AND l.stroom = $1
                AND ($2::text IS NULL OR l.gemeente_code = $2) AND ($3::text IS NULL OR g.province_code = $3)
                AND ($4::date IS NULL OR l.periode_start >= $4::date) AND ($5::date IS NULL OR l.periode_eind <= $5::date)
            ORDER BY l.gemeente_code, l.stroom, l.periode, r.gemaakt_op DESC, l.id
            """, [stroom, gemeente, provinciecode, vanaf, tot]
        ).map { row in
            CijfersLevering(
                gemeentecode: try row.decode("gemeente_code"), gemeentenaam: try row.decode("name"),
                provinciecode: try row.decode("province_code"), provincie: try row.decode("province"), stroom: try row.decode("stroom"),
                periode: try row.decode("periode"), leveringID: try row.decode("id"), bevindingen: try row.decode("bevindingen"))
        }
    }
}
