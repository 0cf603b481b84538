import Foundation
import Postgres
import RegieDomain

/// What the project team's daily digest reads.
extension MeldingOutbox {
    /// Whether a melding with key `sleutel` was recorded.
    public func isVastgelegd(sleutel: String) async throws -> Bool {
        try await pool.query("SELECT 1 FROM meldingen WHERE sleutel = $1", [sleutel]).first != nil
    }

    /// What changed from `since` until `until`: deliveries that succeeded
    /// (`levering.geslaagd`), attempts that failed (`levering.mislukt`), and the meldingen of each
    /// soort but the digest's own.
    public func dagAantallen(since: Date, until: Date) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        let rows = try await pool.query(
            """
            SELECT 'levering.geslaagd' AS naam, count(*)::bigint AS aantal FROM leveringen
            WHERE status = 'geslaagd' AND afgerond_op >= $1 AND afgerond_op < $2
            UNION ALL
            SELECT 'levering.mislukt', count(*)::bigint FROM levering_pogingen
            WHERE fout_klasse IS NOT NULL AND afgerond_op >= $1 AND afgerond_op < $2
            UNION ALL
            SELECT soort, count(*)::bigint FROM meldingen
            WHERE vastgelegd_op >= $1 AND vastgelegd_op < $2 AND soort <> $3 GROUP BY soort
            """, [since, until, MeldingSoort.dagoverzicht.rawValue])
        for row in rows {
            counts[try row.decode("naam", as: String.self)] = try row.decode("aantal", as: Int.self)
        }
        return counts
    }
}
