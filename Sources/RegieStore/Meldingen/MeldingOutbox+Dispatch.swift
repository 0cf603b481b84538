import Foundation
import Postgres
import RegieDomain

/// A message a dispatcher holds the lease of: its id (the message's id at every attempt), the
/// attempt this is, the melding and the subscription it goes to.
public struct MeldingOpdracht: Sendable {
    /// The message's id: the webhook's `webhook-id`, the mail's `Message-ID`.
    public let id: UUID
    /// The attempt this claim is (1 for the first).
    public let poging: Int
    /// The melding.
    public let melding: Melding
    /// Where it goes.
    public let abonnement: MeldingAbonnement
    /// Until when this dispatcher holds it.
    public let leaseTot: Date
}

/// How an attempt to send a message ended.
public enum MeldingUitkomst: Sendable, Equatable {
    /// The mail server or the endpoint accepted it.
    case verzonden
    /// It failed; `tijdelijk` when a later attempt may succeed. `reden` is a code and a short
    /// line (an SMTP reply code, an HTTP status), never the message or an address.
    case mislukt(tijdelijk: Bool, reden: String)
}

/// The dispatcher's side of the outbox: claim due messages under a lease, record each outcome
/// while the lease is held, and return the messages of a dispatcher that died.
extension MeldingOutbox {
    /// The columns a ``MeldingBezorging`` is read from.
    static let bezorgingColumns = "id, status, pogingen, volgende_poging_op, houder, lease_tot, laatste_fout"

    /// Takes up to `limit` due messages for `houder` until `now + lease`, oldest due first, in
    /// one statement (`FOR UPDATE SKIP LOCKED`: two dispatchers never take one message).
    public func claim(houder: String, limit: Int, lease: Duration, now: Date) async throws -> [MeldingOpdracht] {
        guard limit > 0 else { return [] }
        let leaseTot = now.addingTimeInterval(Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18)
        let rows = try await pool.query(
            """
            WITH due AS (
                SELECT id FROM melding_bezorgingen
                WHERE status = 'wachtend' AND volgende_poging_op <= $1
                ORDER BY volgende_poging_op
                LIMIT $2
                FOR UPDATE SKIP LOCKED
            )
            UPDATE melding_bezorgingen b SET status = 'bezig', pogingen = b.pogingen + 1, houder = $3, lease_tot = $4
            FROM due, meldingen m, melding_abonnementen a
            WHERE b.id = due.id AND m.id = b.melding_id AND a.id = b.abonnement_id
            RETURNING b.id, b.pogingen, m.inhoud::text AS inhoud, a.id AS abonnement_id, a.partij_soort, a.partij, a.kanaal, a.adres,
                      a.soorten, a.omschrijving, a.geheim_versie, a.vorig_geheim_geldig_tot, a.aangemaakt_op, a.gewijzigd_op, a.opgezegd_op
            """, [now, limit, houder, leaseTot])
        return try rows.map { row in
            MeldingOpdracht(
                id: try row.decode("id"), poging: try row.decode("pogingen"),
                melding: try Melding.decoded(Data(try row.decode("inhoud", as: String.self).utf8)),
                abonnement: try Self.abonnement(row, id: "abonnement_id"), leaseTot: leaseTot)
        }
    }

    /// A subscription from a row with its columns (`id` under the name `id`).
    public static func abonnement(_ row: PostgresRow, id: String = "id") throws -> MeldingAbonnement {
        let soort: String = try row.decode("partij_soort")
        let partij: String = try row.decode("partij")
        guard let owner = MeldingPartij(soort: soort, partij: partij) else { throw UnknownValue(what: "partij \(soort)") }
        let kanaal: String = try row.decode("kanaal")
        guard let channel = MeldingKanaal(rawValue: kanaal) else { throw UnknownValue(what: "kanaal \(kanaal)") }
        let soorten: [String] = try row.decode("soorten")
        return MeldingAbonnement(
            id: try row.decode(id), partij: owner, kanaal: channel, adres: try row.decode("adres"),
            soorten: Set(soorten.compactMap(MeldingSoort.init(rawValue:))), omschrijving: try row.decode("omschrijving"),
            geheimVersie: try row.decode("geheim_versie"), vorigGeheimGeldigTot: try row.decode("vorig_geheim_geldig_tot"),
            aangemaaktOp: try row.decode("aangemaakt_op"), gewijzigdOp: try row.decode("gewijzigd_op"),
            opgezegdOp: try row.decode("opgezegd_op"))
    }

    /// Records how `houder`'s attempt at message `id` ended, as ``MeldingBezorging`` decides
    /// (sent; waiting again after the backoff; given up with the reason). Nil when `houder` no
    /// longer holds it (its lease ended and another took it): nothing is written.
    @discardableResult
    public func finish(_ id: UUID, houder: String, _ uitkomst: MeldingUitkomst, now: Date) async throws -> MeldingBezorgStatus? {
        let jitter = jitter()
        return try await pool.withTransaction { connection in
            guard
                let row = try await connection.query(
                    "SELECT \(Self.bezorgingColumns) FROM melding_bezorgingen WHERE id = $1 FOR UPDATE", [id]
                ).first
            else { return nil }
            let before = try Self.bezorging(row)
            let event: MeldingBezorging.Gebeurtenis =
                switch uitkomst {
                case .verzonden: .verzonden(houder: houder)
                case .mislukt(let tijdelijk, let reden): .mislukt(houder: houder, tijdelijk: tijdelijk, reden: reden, jitter: jitter)
                }
            guard let after = try? before.na(event, at: now, policy: policy) else { return nil }
            try await Self.write(after, to: id, now: now, on: connection)
            return after.status
        }
    }

    /// Returns messages whose dispatcher's lease ended before `now` (it died or hung) to the
    /// queue, due at once, or gives them up at their last attempt; returns how many. A message
    /// may have gone out before its dispatcher died: it is sent again with the same id.
    @discardableResult
    public func rescue(now: Date) async throws -> Int {
        try await pool.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT \(Self.bezorgingColumns) FROM melding_bezorgingen WHERE status = 'bezig' AND lease_tot < $1
                FOR UPDATE SKIP LOCKED
                """, [now])
            var rescued = 0
            for row in rows {
                guard let after = try? Self.bezorging(row).na(.leaseVerlopen, at: now, policy: policy) else { continue }
                try await Self.write(after, to: try row.decode("id"), now: now, on: connection)
                rescued += 1
            }
            if rescued > 0 { try await connection.query("SELECT pg_notify($1, $2)", [Self.channel, String(rescued)]) }
            return rescued
        }
    }

    /// Writes `state` to message `id`, as decided; `afgerond_op` is set when it ended.
    static func write(_ state: MeldingBezorging, to id: UUID, now: Date, on connection: PostgresConnection) async throws {
        let ended = state.status == .verzonden || state.status == .mislukt
        try await connection.execute(
            """
            UPDATE melding_bezorgingen SET status = $2, pogingen = $3, volgende_poging_op = $4, houder = $5, lease_tot = $6,
                                           laatste_fout = $7, afgerond_op = $8
            WHERE id = $1
            """,
            [
                id, state.status.rawValue, state.pogingen, state.volgendePogingOp, state.houder, state.leaseTot,
                state.laatsteFout.map { String($0.prefix(500)) }, ended ? now : nil,
            ])
    }

    /// A value in the outbox that this version does not know.
    struct UnknownValue: Error, CustomStringConvertible {
        let what: String
        var description: String { "the outbox holds an unknown \(what)" }
    }
}
