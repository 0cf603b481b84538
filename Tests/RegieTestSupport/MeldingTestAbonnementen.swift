import Foundation
import Postgres
import RegieDomain

/// Subscriptions for the tests of where meldingen are made, straight in SQL, and what the
/// outbox then holds: which melding of a soort went to which party.
public enum MeldingTestAbonnementen {
    /// One e-mail subscription to every soort for each party (`projectteam`, a gemeentecode,
    /// or `leverancier:<id>`).
    public static func subscribe(_ parties: [String], pool: PostgresPool) async throws {
        let stored = parties.map { party -> (String, String) in
            if party == "projectteam" { return ("projectteam", "projectteam") }
            if party.hasPrefix("leverancier:") { return ("leverancier", String(party.dropFirst("leverancier:".count))) }
            return ("gemeente", party)
        }
        try await pool.query(
            """
            INSERT INTO melding_abonnementen (id, partij_soort, partij, kanaal, adres, soorten, aangemaakt_op, gewijzigd_op)
            SELECT gen_random_uuid(), u.soort, u.partij, 'email', 'meldingen-' || u.partij || '@example.nl', $3::text[], now(), now()
            FROM unnest($1::text[], $2::text[]) AS u (soort, partij)
            """, [stored.map(\.0), stored.map(\.1), MeldingSoort.allCases.map(\.rawValue)])
    }

    /// How many meldingen of `soort` the outbox holds.
    public static func count(_ soort: MeldingSoort, pool: PostgresPool) async throws -> Int {
        try await pool.query("SELECT count(*) AS n FROM meldingen WHERE soort = $1", [soort.rawValue]).first?.decode("n", as: Int.self)
            ?? 0
    }

    /// The messages of `soort`'s meldingen: per receiving party (as ``subscribe(_:pool:)``
    /// names it), the keys of the meldingen it gets, sorted.
    public static func messages(_ soort: MeldingSoort, pool: PostgresPool) async throws -> [String: [String]] {
        var received: [String: [String]] = [:]
        for row in try await pool.query(
            """
            SELECT CASE a.partij_soort WHEN 'leverancier' THEN 'leverancier:' || a.partij ELSE a.partij END AS partij, m.sleutel
            FROM melding_bezorgingen b JOIN melding_abonnementen a ON a.id = b.abonnement_id JOIN meldingen m ON m.id = b.melding_id
            WHERE m.soort = $1 ORDER BY m.sleutel
            """, [soort.rawValue])
        {
            received[try row.decode("partij", as: String.self), default: []].append(try row.decode("sleutel"))
        }
        return received
    }

    /// The meldingen of `soort`, as the outbox keeps them, by key.
    public static func meldingen(_ soort: MeldingSoort, pool: PostgresPool) async throws -> [Melding] {
        try await pool.query("SELECT inhoud::text AS inhoud FROM meldingen WHERE soort = $1 ORDER BY sleutel", [soort.rawValue]).map {
            try Melding.decoded(Data(try $0.decode("inhoud", as: String.self).utf8))
        }
    }
}
