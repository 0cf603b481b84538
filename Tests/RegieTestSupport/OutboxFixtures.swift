import Foundation
import Postgres
import RegieDomain
import RegieStore

/// Subscriptions and outbox messages made quickly for tests of reading the outbox: the
/// subscription straight in SQL, the melding through ``MeldingOutbox/record(_:now:on:)``, a
/// message's sending state set in SQL as a dispatcher would have left it.
public enum OutboxFixtures {
    /// A subscription of `partij` to `soorten`; its id.
    @discardableResult
    public static func subscribe(
        _ partij: MeldingPartij, kanaal: MeldingKanaal = .email, adres: String, soorten: [MeldingSoort] = MeldingSoort.allCases,
        now: Date, pool: PostgresPool
    ) async throws -> UUID {
        let id = UUID()
        let stored = partij.opgeslagen
        try await pool.query(
            """
            INSERT INTO melding_abonnementen (id, partij_soort, partij, kanaal, adres, soorten, aangemaakt_op, gewijzigd_op)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
            """, [id, stored.soort, stored.partij, kanaal.rawValue, adres, soorten.map(\.rawValue), now])
        return id
    }

    /// A levering of `gemeente` with supplier `leverancier` given up at `moment`: it reaches the
    /// gemeente, the supplier and the project team.
    public static func opgegeven(_ gemeente: Gemeentecode, leverancier: String = "xxllnc", at moment: Date) -> Melding {
        Melding.leveringOpgegeven(
            levering: UUID(), gemeente: gemeente, gemeenteNaam: "Gemeente \(gemeente.rawValue)", leverancier: leverancier, stroom: "VS",
            periode: "2026-Q1", pogingen: 5, foutcode: "http_503", at: moment)
    }

    /// The ids of the messages of the melding with key `sleutel`, by the subscription they go to.
    public static func messages(of sleutel: String, pool: PostgresPool) async throws -> [UUID: UUID] {
        var ids: [UUID: UUID] = [:]
        for row in try await pool.query(
            """
            SELECT b.id, b.abonnement_id FROM melding_bezorgingen b JOIN meldingen m ON m.id = b.melding_id WHERE m.sleutel = $1
            """, [sleutel])
        {
            ids[try row.decode("abonnement_id", as: UUID.self)] = try row.decode("id", as: UUID.self)
        }
        return ids
    }

    /// Leaves message `id` as a dispatcher would after its last attempt failed at `moment`.
    public static func fail(_ id: UUID, reden: String, pogingen: Int, at moment: Date, pool: PostgresPool) async throws {
        try await pool.query(
            "UPDATE melding_bezorgingen SET status = 'mislukt', pogingen = $2, laatste_fout = $3, afgerond_op = $4 WHERE id = $1",
            [id, pogingen, reden, moment])
    }

    /// Leaves message `id` as a dispatcher would after it was sent at `moment`.
    public static func send(_ id: UUID, at moment: Date, pool: PostgresPool) async throws {
        try await pool.query(
            "UPDATE melding_bezorgingen SET status = 'verzonden', pogingen = 1, afgerond_op = $2 WHERE id = $1", [id, moment])
    }

    /// Leaves message `id` held by dispatcher `houder` until `leaseTot`.
    public static func hold(_ id: UUID, houder: String, until leaseTot: Date, pool: PostgresPool) async throws {
        try await pool.query(
            "UPDATE melding_bezorgingen SET status = 'bezig', pogingen = pogingen + 1, houder = $2, lease_tot = $3 WHERE id = $1",
            [id, houder, leaseTot])
    }
}
