import Foundation
import Postgres
import RegieDomain

/// A gemeente's version as its detail shows it.
public struct GemeenteVersie: Sendable, Equatable {
    /// Bumped by every change the detail shows; the API's ETag.
    public let versie: Int
    /// Whether the detail at this version is the same on every later day: no open consent
    /// record whose being active depends on the day (one with an end, or one that started
    /// later than it was recorded). When false, the day is part of the answer.
    public let sameEveryDay: Bool
}

/// A gemeente with its records and the latest events of its history.
public struct GemeenteDetailRead: Sendable {
    public let status: GemeenteStatus
    /// The latest events of the gemeente's history, oldest first.
    public let history: [AuditEvent]
    public let sameEveryDay: Bool
}

extension OnboardingStore {
    /// A gemeente with its records and its latest `historyLimit` events, read on one
    /// connection. `known` is asked first with the gemeente's version: when it returns true
    /// the caller answers from what it has (a 304, a kept body), and nothing more is read.
    /// Nil for a gemeente that does not exist.
    public func detail(
        _ code: Gemeentecode, historyLimit: Int, known: @Sendable (GemeenteVersie) -> Bool
    ) async throws -> (versie: GemeenteVersie, read: GemeenteDetailRead?)? {
        try await pool.withConnection { connection in
            guard
                let row = try await connection.query(
                    """
                    SELECT g.code, g.name, g.province_code, g.province, g.arbeidsmarktregio, g.active, g.fase, g.fase_sinds, g.versie,
                           NOT EXISTS (
                               SELECT 1 FROM toestemmingen t
                               WHERE t.gemeente_code = g.code AND t.ingetrokken_op IS NULL
                                 AND (t.geldig_tot IS NOT NULL OR t.geldig_van > (t.vastgelegd_op AT TIME ZONE 'Europe/Amsterdam')::date)
                           ) AS same_every_day
                    FROM gemeenten g WHERE g.code = $1
                    """, [code.rawValue]
                ).first
            else { return nil }
            let versie = GemeenteVersie(versie: try row.decode("versie"), sameEveryDay: try row.decode("same_every_day"))
            if known(versie) { return (versie, nil) }
            // The history comes from the audit trail: the events of the changes this version
            // counts are linked first (they committed with them), so a kept body is whole.
            try await AuditLog().integrate(on: connection)
            let status = GemeenteStatus(
                gemeente: try PostgresGemeenteStore.gemeente(row), fase: try row.decode("fase"), faseSinds: try row.decode("fase_sinds"),
                versie: versie.versie, leveranciers: try await leveranciers.assignments(code, on: connection),
                dpia: try await dpia.latest(code, on: connection), toestemmingen: try await toestemmingen.records(code, on: connection))
            let history = try await connection.query(
                """
                SELECT seq, occurred_at, actor, actor_role, action, object_type, object_id, before, after, result, origin, request_id
                FROM audit_events WHERE object_type = $1 AND object_id = $2 AND result = $3 ORDER BY seq DESC LIMIT $4
                """, ["gemeente", code.rawValue, AuditEvent.Result.ok.rawValue, historyLimit]
            ).map(AuditLog.event).reversed()
            return (versie, GemeenteDetailRead(status: status, history: Array(history), sameEveryDay: versie.sameEveryDay))
        }
    }
}
