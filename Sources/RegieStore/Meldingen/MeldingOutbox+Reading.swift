import Foundation
import Postgres
import RegieDomain

/// The outbox's figures at one moment: messages per status, and how long the oldest waiting
/// one has waited (what the metrics and the dashboard show).
public struct MeldingOutboxStand: Sendable, Hashable, Codable {
    /// Messages queued, due now or later.
    public let wachtend: Int
    /// Messages a dispatcher holds under a lease.
    public let bezig: Int
    /// Messages the mail server or the endpoint accepted.
    public let verzonden: Int
    /// Messages given up, with their reason.
    public let mislukt: Int
    /// Seconds since the oldest waiting message was queued; 0 when none waits.
    public let oudsteWachtendSeconden: Double

    /// Figures as given.
    public init(wachtend: Int, bezig: Int, verzonden: Int, mislukt: Int, oudsteWachtendSeconden: Double) {
        self.wachtend = wachtend
        self.bezig = bezig
        self.verzonden = verzonden
        self.mislukt = mislukt
        self.oudsteWachtendSeconden = oudsteWachtendSeconden
    }

    /// The number of messages in `status`.
    public subscript(status: MeldingBezorgStatus) -> Int {
        switch status {
        case .wachtend: wachtend
        case .bezig: bezig
        case .verzonden: verzonden
        case .mislukt: mislukt
        }
    }
}

/// One message of the outbox as operators read it: which melding, to whom, and where its
/// sending stands. Metadata only: the melding's soort and key, never its text.
public struct MeldingBericht: Sendable, Hashable {
    /// The message's id (the webhook-id, the mail's Message-ID).
    public let id: UUID
    /// The melding it sends.
    public let meldingID: UUID
    /// The melding's soort code (kept as text: a newer process may know soorten this one does not).
    public let soort: String
    /// The melding's once-key.
    public let sleutel: String
    /// The gemeente the melding concerns, if any.
    public let gemeente: Gemeentecode?
    /// The supplier the melding concerns, if any.
    public let leverancier: String?
    /// The subscription it goes to.
    public let abonnementID: UUID
    /// Whose subscription that is.
    public let partij: MeldingPartij
    /// E-mail or webhook.
    public let kanaal: MeldingKanaal
    /// The mailbox or endpoint: for the project team's eyes only.
    public let adres: String
    /// Where its sending stands.
    public let status: MeldingBezorgStatus
    /// Attempts made (since the last manual retry).
    public let pogingen: Int
    /// When it may be sent (again).
    public let volgendePogingOp: Date
    /// Why the last attempt failed: a code and a line.
    public let laatsteFout: String?
    /// When it was queued.
    public let aangemaaktOp: Date
    /// When it was sent or given up.
    public let afgerondOp: Date?
}

extension MeldingOutbox {
    /// Which messages ``list(_:)`` returns; nil matches everything.
    public struct Filter: Sendable, Hashable {
        /// Only messages in this status.
        public var status: MeldingBezorgStatus?
        /// Only messages of meldingen of this soort.
        public var soort: MeldingSoort?
        /// Only messages to subscriptions of this party.
        public var partij: MeldingPartij?
        /// At most this many, within ``limits``.
        public var limit: Int

        /// The limits a list may ask for.
        public static let limits = 1...500

        /// A filter; `limit` defaults to 50.
        public init(status: MeldingBezorgStatus? = nil, soort: MeldingSoort? = nil, partij: MeldingPartij? = nil, limit: Int = 50) {
            self.status = status
            self.soort = soort
            self.partij = partij
            self.limit = limit
        }
    }

    /// What ``retry(_:by:now:)`` did.
    public enum Opnieuw: Sendable, Hashable {
        /// The message waits again, due at once, with a fresh set of attempts.
        case wachtend
        /// The message is not `mislukt`: nothing changed.
        case geweigerd(MeldingBezorgStatus)
        /// There is no such message.
        case onbekend
    }

    /// The number of messages per status and the age of the oldest waiting one at `now`; one query.
    public func stand(now: Date) async throws -> MeldingOutboxStand {
        let row = try await pool.query(
            """
            SELECT count(*) FILTER (WHERE status = 'wachtend') AS wachtend, count(*) FILTER (WHERE status = 'bezig') AS bezig,
                   count(*) FILTER (WHERE status = 'verzonden') AS verzonden, count(*) FILTER (WHERE status = 'mislukt') AS mislukt,
                   GREATEST(0, COALESCE(EXTRACT(EPOCH FROM $1::timestamptz - min(aangemaakt_op) FILTER (WHERE status = 'wachtend')), 0))::float8
                       AS oudste
            FROM melding_bezorgingen
            """, [now]
        ).first
        guard let row else { throw PostgresError(.invalidValue, context: "no figures of the outbox") }
        return MeldingOutboxStand(
            wachtend: try row.decode("wachtend"), bezig: try row.decode("bezig"), verzonden: try row.decode("verzonden"),
            mislukt: try row.decode("mislukt"), oudsteWachtendSeconden: try row.decode("oudste"))
    }

    /// Messages that `filter` matches, newest first; a limit outside ``Filter/limits`` is
    /// taken as its nearest bound.
    public func list(_ filter: Filter) async throws -> [MeldingBericht] {
        let limit = min(max(filter.limit, Filter.limits.lowerBound), Filter.limits.upperBound)
        let partij = filter.partij?.opgeslagen
        return try await pool.query(
            """
            SELECT b.id, b.melding_id, m.soort, m.sleutel, m.gemeente_code, m.leverancier_id, b.abonnement_id, a.partij_soort, a.partij,
                   a.kanaal, a.adres, b.status, b.pogingen, b.volgende_poging_op, b.laatste_fout, b.aangemaakt_op, b.afgerond_op
            FROM melding_bezorgingen b
            JOIN meldingen m ON m.id = b.melding_id
            JOIN melding_abonnementen a ON a.id = b.abonnement_id
            WHERE ($1::text IS NULL OR b.status = $1) AND ($2::text IS NULL OR m.soort = $2)
              AND ($3::text IS NULL OR (a.partij_soort = $3 AND a.partij = $4))
            ORDER BY b.aangemaakt_op DESC, b.id DESC
            LIMIT $5
            """, [filter.status?.rawValue, filter.soort?.rawValue, partij?.soort, partij?.partij, limit]
        ).map(Self.bericht)
    }

    /// Sends a given-up message again, as ``MeldingBezorging`` decides (only from `mislukt`):
    /// it waits, due at `now`, its attempts back to 0, its last reason kept until the next
    /// attempt ends. Audited (`melding.opnieuw`) in the same transaction; the dispatchers
    /// hear of it on ``channel``.
    public func retry(_ id: UUID, by actor: AuditActor, now: Date) async throws -> Opnieuw {
        try await pool.withTransaction { connection in
            guard
                let row = try await connection.query(
                    "SELECT status, pogingen, volgende_poging_op, houder, lease_tot, laatste_fout FROM melding_bezorgingen WHERE id = $1 FOR UPDATE",
                    [id]
                ).first
            else { return .onbekend }
            let before = try Self.bezorging(row)
            let after: MeldingBezorging
            do {
                after = try before.na(.opnieuw, at: now, policy: policy)
            } catch {
                return .geweigerd(before.status)
            }
            let ended = after.status == .verzonden || after.status == .mislukt
            try await connection.execute(
                """
                UPDATE melding_bezorgingen SET status = $2, pogingen = $3, volgende_poging_op = $4, houder = $5, lease_tot = $6,
                                               laatste_fout = $7, afgerond_op = $8
                WHERE id = $1
                """,
                [
                    id, after.status.rawValue, after.pogingen, after.volgendePogingOp, after.houder, after.leaseTot, after.laatsteFout,
                    ended ? now : Date?.none,
                ])
            try await AuditLog().append(
                actor.event(
                    "melding.opnieuw", objectType: "melding_bezorging", objectID: id.uuidString.lowercased(),
                    before: ["status": before.status.rawValue, "pogingen": String(before.pogingen)],
                    after: ["status": after.status.rawValue, "pogingen": String(after.pogingen)], at: now),
                on: connection)
            try await connection.query("SELECT pg_notify($1, $2)", [Self.channel, "1"])
            return .wachtend
        }
    }

    /// Sends every given-up message again (each as ``retry(_:by:now:)``, audited each, in its
    /// own transaction), oldest failure first; the ids that wait again.
    public func retryFailed(by actor: AuditActor, now: Date) async throws -> [UUID] {
        let ids = try await pool.query(
            "SELECT id FROM melding_bezorgingen WHERE status = 'mislukt' ORDER BY afgerond_op, id"
        ).map { try $0.decode("id", as: UUID.self) }
        var retried: [UUID] = []
        for id in ids {
            if try await retry(id, by: actor, now: now) == .wachtend { retried.append(id) }
        }
        return retried
    }

    /// The sending state of a row with the columns of ``MeldingBezorging``.
    static func bezorging(_ row: PostgresRow) throws -> MeldingBezorging {
        var state = MeldingBezorging(due: try row.decode("volgende_poging_op"))
        state.status = try status(row)
        state.pogingen = try row.decode("pogingen")
        state.houder = try row.decode("houder")
        state.leaseTot = try row.decode("lease_tot")
        state.laatsteFout = try row.decode("laatste_fout")
        return state
    }

    static func status(_ row: PostgresRow) throws -> MeldingBezorgStatus {
        guard let status = MeldingBezorgStatus(rawValue: try row.decode("status")) else {
            throw PostgresError(.invalidValue, column: "status", context: "not a message's status")
        }
        return status
    }

    static func bericht(_ row: PostgresRow) throws -> MeldingBericht {
        let gemeente: String? = try row.decode("gemeente_code")
        guard let partij = MeldingPartij(soort: try row.decode("partij_soort"), partij: try row.decode("partij")),
            let kanaal = MeldingKanaal(rawValue: try row.decode("kanaal"))
        else {
            throw PostgresError(.invalidValue, column: "partij", context: "not a subscription")
        }
        return MeldingBericht(
            id: try row.decode("id"), meldingID: try row.decode("melding_id"), soort: try row.decode("soort"),
            sleutel: try row.decode("sleutel"), gemeente: gemeente.flatMap(Gemeentecode.init),
            leverancier: try row.decode("leverancier_id"),
            abonnementID: try row.decode("abonnement_id"), partij: partij, kanaal: kanaal, adres: try row.decode("adres"),
            status: try status(row), pogingen: try row.decode("pogingen"), volgendePogingOp: try row.decode("volgende_poging_op"),
            laatsteFout: try row.decode("laatste_fout"), aangemaaktOp: try row.decode("aangemaakt_op"),
            afgerondOp: try row.decode("afgerond_op"))
    }
}
