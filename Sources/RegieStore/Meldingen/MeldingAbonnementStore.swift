import Foundation
import Postgres
import RegieDomain

/// The parties' subscriptions to meldingen (`melding_abonnementen`, migration 0019): made,
/// changed, cancelled and their webhook secret rotated, each change with its audit event in
/// the same transaction.
///
/// A cancelled subscription stays (the outbox's messages refer to it) and gets nothing more:
/// ``MeldingOutbox/record(_:now:on:)`` matches active subscriptions only. A webhook's secret
/// is never stored; it is derived from the service's key, the id and ``MeldingAbonnement/geheimVersie``.
/// The audit names where an address points (a mailbox's domain, a URL's host), never the
/// address itself.
public struct MeldingAbonnementStore: Sendable {
    /// How long the previous webhook secret still signs after a rotation.
    public static let rotationOverlap: TimeInterval = 24 * 3600

    /// Why a change of a subscription is refused.
    public enum Refusal: Error, Sendable, Hashable {
        /// It was cancelled: it can no longer be changed or rotated.
        case opgezegd
        /// It is not a webhook: there is no secret to rotate.
        case geenWebhook
    }

    let pool: PostgresPool
    let audit = AuditLog()

    /// The store over `pool`.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// The columns every read returns, for ``abonnement(from:)``.
    static let columns = """
        id, partij_soort, partij, kanaal, adres, soorten, omschrijving, geheim_versie, vorig_geheim_geldig_tot, aangemaakt_op,
        gewijzigd_op, opgezegd_op
        """

    /// Makes `partij`'s subscription of `aanvraag`.
    public func create(
        _ aanvraag: MeldingAbonnementAanvraag, for partij: MeldingPartij, by actor: AuditActor, now: Date = Date()
    ) async throws -> MeldingAbonnement {
        let id = UUID()
        let stored = partij.opgeslagen
        return try await pool.withTransaction { connection in
            let row = try await connection.query(
                """
                INSERT INTO melding_abonnementen (id, partij_soort, partij, kanaal, adres, soorten, omschrijving, aangemaakt_op, gewijzigd_op)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
                RETURNING \(Self.columns)
                """,
                [
                    id, stored.soort, stored.partij, aanvraag.kanaal.rawValue, aanvraag.adres, Self.codes(aanvraag.soorten),
                    aanvraag.omschrijving, now,
                ]
            ).first.orThrow()
            let abonnement = try Self.abonnement(from: row)
            try await audit.append(
                actor.event(
                    "abonnement.aangemaakt", objectType: "melding_abonnement", objectID: Self.text(id),
                    after: Self.summary(abonnement).merging(["partij": stored.partij]) { $1 }, at: now), on: connection)
            return abonnement
        }
    }

    /// The subscriptions of `partij` (nil: of every party) with `status` (nil: both), oldest first.
    public func list(of partij: MeldingPartij? = nil, status: MeldingAbonnement.Status? = nil) async throws -> [MeldingAbonnement] {
        let stored = partij?.opgeslagen
        return try await pool.query(
            """
            SELECT \(Self.columns) FROM melding_abonnementen
            WHERE ($1::text IS NULL OR (partij_soort = $1 AND partij = $2))
              AND ($3::text IS NULL OR (opgezegd_op IS NULL) = ($3 = 'actief'))
            ORDER BY aangemaakt_op, id
            """, [stored?.soort, stored?.partij, status?.rawValue]
        ).map(Self.abonnement)
    }

    /// One subscription, active or cancelled.
    public func find(_ id: UUID) async throws -> MeldingAbonnement? {
        try await find(id, on: pool)
    }

    /// One subscription, on `executor` (a dispatcher's transaction).
    public func find(_ id: UUID, on executor: some PostgresExecutor) async throws -> MeldingAbonnement? {
        try await executor.query("SELECT \(Self.columns) FROM melding_abonnementen WHERE id = $1", [id]).first.map(
            Self.abonnement)
    }

    /// Changes the address, soorten and note of subscription `id` to what `decide` makes of it
    /// (read under a row lock, so nothing changes it in between; `decide` may throw to refuse).
    /// Nil when there is none; throws ``Refusal/opgezegd`` for a cancelled one.
    public func change(
        _ id: UUID, by actor: AuditActor, now: Date = Date(),
        decide: @Sendable (MeldingAbonnement) throws -> MeldingAbonnementAanvraag
    ) async throws -> MeldingAbonnement? {
        try await pool.withTransaction { connection -> MeldingAbonnement? in
            guard let before = try await Self.locked(id, on: connection) else { return nil }
            guard before.isActief else { throw Refusal.opgezegd }
            let aanvraag = try decide(before)
            let row = try await connection.query(
                """
                UPDATE melding_abonnementen SET adres = $2, soorten = $3, omschrijving = $4, gewijzigd_op = $5 WHERE id = $1
                RETURNING \(Self.columns)
                """, [id, aanvraag.adres, Self.codes(aanvraag.soorten), aanvraag.omschrijving, now]
            ).first.orThrow()
            let after = try Self.abonnement(from: row)
            try await audit.append(
                actor.event(
                    "abonnement.gewijzigd", objectType: "melding_abonnement", objectID: Self.text(id), before: Self.summary(before),
                    after: Self.summary(after), at: now), on: connection)
            return after
        }
    }

    /// Cancels subscription `id`: it gets nothing from now on. Cancelling twice keeps the first
    /// time and writes no second event. Nil when there is none.
    public func cancel(_ id: UUID, by actor: AuditActor, now: Date = Date()) async throws -> MeldingAbonnement? {
        try await pool.withTransaction { connection -> MeldingAbonnement? in
            guard let before = try await Self.locked(id, on: connection) else { return nil }
            guard before.isActief else { return before }
            let row = try await connection.query(
                "UPDATE melding_abonnementen SET opgezegd_op = $2, gewijzigd_op = $2 WHERE id = $1 RETURNING \(Self.columns)",
                [id, now]
            ).first.orThrow()
            try await audit.append(
                actor.event(
                    "abonnement.opgezegd", objectType: "melding_abonnement", objectID: Self.text(id),
                    before: Self.summary(before).merging(["status": "actief"]) { $1 }, after: ["status": "opgezegd"], at: now),
                on: connection)
            return try Self.abonnement(from: row)
        }
    }

    /// A new webhook secret for subscription `id`: the version goes up by one, and the previous
    /// secret still signs for ``rotationOverlap`` (a secret before that is no longer valid).
    /// Nil when there is none; throws ``Refusal`` for a cancelled one or an e-mail subscription.
    public func rotateSecret(_ id: UUID, by actor: AuditActor, now: Date = Date()) async throws -> MeldingAbonnement? {
        try await pool.withTransaction { connection -> MeldingAbonnement? in
            guard let before = try await Self.locked(id, on: connection) else { return nil }
            guard before.isActief else { throw Refusal.opgezegd }
            guard before.kanaal == .webhook else { throw Refusal.geenWebhook }
            let until = now.addingTimeInterval(Self.rotationOverlap)
            let row = try await connection.query(
                """
                UPDATE melding_abonnementen SET geheim_versie = geheim_versie + 1, vorig_geheim_geldig_tot = $2, gewijzigd_op = $3
                WHERE id = $1 RETURNING \(Self.columns)
                """, [id, until, now]
            ).first.orThrow()
            let after = try Self.abonnement(from: row)
            try await audit.append(
                actor.event(
                    "abonnement.geheim_vernieuwd", objectType: "melding_abonnement", objectID: Self.text(id),
                    before: ["geheim_versie": String(before.geheimVersie)],
                    after: ["geheim_versie": String(after.geheimVersie), "vorig_geheim_geldig_tot": AuditChain.timestamp(until)], at: now),
                on: connection)
            return after
        }
    }

    /// The subscription `id`, locked until the transaction ends.
    static func locked(_ id: UUID, on connection: PostgresConnection) async throws -> MeldingAbonnement? {
        try await connection.query("SELECT \(columns) FROM melding_abonnementen WHERE id = $1 FOR UPDATE", [id]).first.map(
            abonnement)
    }

    /// What the audit keeps of a subscription: its channel, soorten and where its address points.
    static func summary(_ abonnement: MeldingAbonnement) -> [String: String] {
        [
            "kanaal": abonnement.kanaal.rawValue, "soorten": codes(abonnement.soorten).joined(separator: ","),
            "adres_domein": MeldingAbonnement.adresDomein(abonnement.adres, kanaal: abonnement.kanaal),
        ]
    }

    /// The codes of `soorten`, sorted.
    static func codes(_ soorten: Set<MeldingSoort>) -> [String] {
        soorten.map(\.rawValue).sorted()
    }

    /// An id as the audit trail and the API write it.
    static func text(_ id: UUID) -> String { id.uuidString.lowercased() }

    /// A subscription read from a row of ``columns``.
    static func abonnement(from row: PostgresRow) throws -> MeldingAbonnement {
        guard let partij = MeldingPartij(soort: try row.decode("partij_soort"), partij: try row.decode("partij")) else {
            throw PostgresError(.invalidValue, column: "partij", context: "not a party")
        }
        guard let kanaal = MeldingKanaal(rawValue: try row.decode("kanaal")) else {
            throw PostgresError(.invalidValue, column: "kanaal", context: "not a channel")
        }
        // A code a newer version wrote and this one does not know is left out, not fatal.
        let soorten = Set(try row.decode("soorten", as: [String].self).compactMap(MeldingSoort.init(rawValue:)))
        return MeldingAbonnement(
            id: try row.decode("id"), partij: partij, kanaal: kanaal, adres: try row.decode("adres"), soorten: soorten,
            omschrijving: try row.decode("omschrijving"), geheimVersie: try row.decode("geheim_versie"),
            vorigGeheimGeldigTot: try row.decode("vorig_geheim_geldig_tot"), aangemaaktOp: try row.decode("aangemaakt_op"),
            gewijzigdOp: try row.decode("gewijzigd_op"), opgezegdOp: try row.decode("opgezegd_op"))
    }
}
