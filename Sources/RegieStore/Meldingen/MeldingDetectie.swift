import Foundation
import Postgres
import RegieDomain

/// The questions the melding detector asks of the state: what is derived from it rather than
/// caused by one change (a supplier service failing or silent, a consent about to lapse or
/// lapsed). Each answer carries what makes its melding once (the first failure of a series,
/// the last success, a consent's id and end date); the detector records them with the outbox.
///
/// Reads only: one query per question, over every supplier service or consent at once.
public struct MeldingDetectie: Sendable {
    let pool: PostgresPool

    /// The questions, asked on `pool`.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// A supplier service whose attempts failed in a row since its last success.
    public struct Storing: Sendable, Equatable {
        public let leverancier: String
        public let stroom: String
        /// How many attempts failed since the last success.
        public let pogingen: Int
        /// The class of the latest failure.
        public let foutcode: String
        /// When the first of them ended: what makes the series one melding.
        public let sinds: Date
    }

    /// The supplier services whose last `pogingen` or more ended attempts (across their
    /// gemeenten) all failed with a class that counts (``LeveringFailure/Klasse/isStoringBijLeverancier``)
    /// since their last success; attempts of other classes are passed over.
    public func storingen(naPogingen pogingen: Int) async throws -> [Storing] {
        let klassen = LeveringFailure.Klasse.allCases.filter(\.isStoringBijLeverancier).map(\.rawValue)
        return try await pool.query(
            """
            WITH geteld AS (
                SELECT l.leverancier_id, l.stroom, p.afgerond_op, p.fout_klasse
                FROM levering_pogingen p JOIN leveringen l ON l.id = p.levering_id
                WHERE p.afgerond_op IS NOT NULL AND (p.fout_klasse IS NULL OR p.fout_klasse = ANY ($1::text[]))
            ), succes AS (
                SELECT leverancier_id, stroom, max(afgerond_op) AS op FROM geteld WHERE fout_klasse IS NULL GROUP BY leverancier_id, stroom
            )
            SELECT g.leverancier_id, g.stroom, count(*) AS pogingen, min(g.afgerond_op) AS sinds,
                   (array_agg(g.fout_klasse ORDER BY g.afgerond_op DESC))[1] AS foutcode
            FROM geteld g LEFT JOIN succes s ON s.leverancier_id = g.leverancier_id AND s.stroom = g.stroom
            WHERE g.fout_klasse IS NOT NULL AND (s.op IS NULL OR g.afgerond_op > s.op)
            GROUP BY g.leverancier_id, g.stroom
            HAVING count(*) >= $2
            ORDER BY g.leverancier_id, g.stroom
            """, [klassen, max(1, pogingen)]
        ).map { row in
            Storing(
                leverancier: try row.decode("leverancier_id"), stroom: try row.decode("stroom"), pogingen: try row.decode("pogingen"),
                foutcode: try row.decode("foutcode"), sinds: try row.decode("sinds"))
        }
    }

    /// A supplier service that was tried and has had no success since.
    public struct Stilte: Sendable, Equatable {
        public let leverancier: String
        public let stroom: String
        /// Its last successful attempt; nil when it never had one.
        public let laatsteSucces: Date?
        /// When the first levering since that success started: since when it is silent.
        public let stilSinds: Date
    }

    /// The supplier services that gemeenten consent to on `now`'s Dutch day (active consent to
    /// their current supplier) and that are silent since `grens` or earlier: a levering of it
    /// (not cancelled) started then, after its last successful attempt, and none succeeded
    /// since.
    ///
    /// Only a levering that was tried counts: a service with no levering due yet (a new
    /// installation, the demonstration's start) or whose leveringen were never claimed (no
    /// exchange configured: our silence, not the supplier's) is not silent.
    public func stiltes(sinds grens: Date, now: Date) async throws -> [Stilte] {
        try await pool.query(
            """
            WITH succes AS (
                SELECT l.leverancier_id, l.stroom, max(p.afgerond_op) AS op
                FROM levering_pogingen p JOIN leveringen l ON l.id = p.levering_id
                WHERE p.afgerond_op IS NOT NULL AND p.fout_klasse IS NULL
                GROUP BY l.leverancier_id, l.stroom
            ), diensten AS (
                SELECT DISTINCT t.leverancier_id, t.stroom FROM toestemmingen t
                JOIN gemeente_leveranciers a ON a.gemeente_code = t.gemeente_code AND a.stroom = t.stroom
                     AND a.leverancier_id = t.leverancier_id AND a.tot IS NULL
                JOIN gemeenten g ON g.code = t.gemeente_code AND g.active
                WHERE toestemming_actief(t, $1)
            )
            SELECT d.leverancier_id, d.stroom, s.op AS laatste_succes, min(l.gestart_op) AS stil_sinds
            FROM diensten d
            LEFT JOIN succes s ON s.leverancier_id = d.leverancier_id AND s.stroom = d.stroom
            JOIN leveringen l ON l.leverancier_id = d.leverancier_id AND l.stroom = d.stroom
                 AND l.status IN \(LeveringStatusSQL.notCancelled) AND l.gestart_op IS NOT NULL AND (s.op IS NULL OR l.gestart_op > s.op)
            GROUP BY d.leverancier_id, d.stroom, s.op
            HAVING min(l.gestart_op) <= $2
            ORDER BY d.leverancier_id, d.stroom
            """, [amsterdamDay(now), grens]
        ).map { row in
            Stilte(
                leverancier: try row.decode("leverancier_id"), stroom: try row.decode("stroom"),
                laatsteSucces: try row.decode("laatste_succes"), stilSinds: try row.decode("stil_sinds"))
        }
    }

    /// A consent record whose validity ends soon or ended.
    public struct ToestemmingEinde: Sendable, Equatable {
        public let toestemming: UUID
        public let gemeente: Gemeentecode
        public let gemeenteNaam: String
        public let leverancier: String
        /// Its last valid day.
        public let geldigTot: KalenderDag
        /// Whether that day has passed.
        public let verlopen: Bool
    }

    /// The consent records of active gemeenten to their current supplier, not revoked, whose
    /// last valid day lies from `vooruit` days after `now`'s Dutch day back to `terug` days
    /// before it: those still active today (``ToestemmingEinde/verlopen`` false), and those
    /// that lapsed and were not followed by another active one for the same supplier and
    /// stream (true).
    public func toestemmingEinden(now: Date, vooruit: Int, terug: Int) async throws -> [ToestemmingEinde] {
        try await pool.query(
            """
            SELECT t.id, t.gemeente_code, g.name, t.leverancier_id, t.geldig_tot, t.geldig_tot < $1 AS verlopen
            FROM toestemmingen t
            JOIN gemeenten g ON g.code = t.gemeente_code AND g.active
            JOIN gemeente_leveranciers a ON a.gemeente_code = t.gemeente_code AND a.stroom = t.stroom
                 AND a.leverancier_id = t.leverancier_id AND a.tot IS NULL
            WHERE t.ingetrokken_op IS NULL AND t.geldig_tot BETWEEN $1::date - $3::integer AND $1::date + $2::integer
              AND t.geldig_van <= t.geldig_tot
              AND CASE WHEN t.geldig_tot >= $1 THEN toestemming_actief(t, $1)
                       ELSE NOT EXISTS (SELECT 1 FROM toestemmingen n
                                        WHERE n.gemeente_code = t.gemeente_code AND n.leverancier_id = t.leverancier_id
                                          AND n.stroom = t.stroom AND n.id <> t.id AND toestemming_actief(n, $1)) END
            ORDER BY t.geldig_tot, t.gemeente_code, t.id
            """, [amsterdamDay(now), max(0, vooruit), max(0, terug)]
        ).compactMap { row in
            let day: PostgresDate = try row.decode("geldig_tot")
            guard let code = Gemeentecode(try row.decode("gemeente_code", as: String.self)),
                let geldigTot = KalenderDag(year: day.year, month: day.month, day: day.day)
            else { return nil }
            return ToestemmingEinde(
                toestemming: try row.decode("id"), gemeente: code, gemeenteNaam: try row.decode("name"),
                leverancier: try row.decode("leverancier_id"), geldigTot: geldigTot, verlopen: try row.decode("verlopen"))
        }
    }
}

extension MeldingOutbox {
    /// The detector's questions, on the outbox's pool.
    public var detectie: MeldingDetectie { MeldingDetectie(pool: pool) }
}
