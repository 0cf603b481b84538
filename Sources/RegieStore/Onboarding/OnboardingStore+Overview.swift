import Foundation
import Postgres
import RegieDomain

/// One row of the gemeenten overview.
public struct GemeenteOverview: Sendable {
    public let gemeente: Gemeente
    public let fase: String
    public let faseSinds: Date
    /// The current supplier per stream.
    public let leveranciers: [Stroom: String]
    /// Per stream with a current supplier: whether consent to it is active today.
    public let toestemming: [Stroom: Bool]
}

extension OnboardingStore {
    /// Active gemeenten with phase, suppliers and consent, filtered in SQL by province,
    /// phase and supplier (any stream), by code.
    public func overview(provinceCode: String?, fase: String?, leverancierID: String?, now: Date = Date()) async throws
        -> [GemeenteOverview]
    {
        let rows = try await pool.query(
            """
            SELECT g.code, g.name, g.province_code, g.province, g.arbeidsmarktregio, g.active, g.fase, g.fase_sinds,
                   coalesce(array_agg(a.stroom ORDER BY a.stroom) FILTER (WHERE a.stroom IS NOT NULL), '{}') AS stromen,
                   coalesce(array_agg(a.leverancier_id ORDER BY a.stroom) FILTER (WHERE a.stroom IS NOT NULL), '{}') AS leveranciers,
                   coalesce(array_agg(CASE WHEN EXISTS (
                       SELECT 1 FROM toestemmingen t
                       WHERE t.gemeente_code = g.code AND t.leverancier_id = a.leverancier_id AND t.stroom = a.stroom
                         AND toestemming_actief(t, $4))
                       THEN 'ja' ELSE 'nee' END ORDER BY a.stroom) FILTER (WHERE a.stroom IS NOT NULL), '{}') AS toestemming
            FROM gemeenten g
            LEFT JOIN gemeente_leveranciers a ON a.gemeente_code = g.code AND a.tot IS NULL
            WHERE g.active AND ($1::text IS NULL OR g.province_code = $1) AND ($2::text IS NULL OR g.fase = $2)
              AND ($3::text IS NULL OR EXISTS (
                  SELECT 1 FROM gemeente_leveranciers s WHERE s.gemeente_code = g.code AND s.tot IS NULL AND s.leverancier_id = $3))
            GROUP BY g.code
            ORDER BY g.code
            """, [provinceCode, fase, leverancierID, amsterdamDay(now)])
        return try rows.map { row in
            let streams = try row.decode("stromen", as: [String].self).map { Stroom(rawValue: $0) ?? .vs }
            let suppliers = try row.decode("leveranciers", as: [String].self)
            let consent = try row.decode("toestemming", as: [String].self).map { $0 == "ja" }
            return GemeenteOverview(
                gemeente: try PostgresGemeenteStore.gemeente(row), fase: try row.decode("fase"), faseSinds: try row.decode("fase_sinds"),
                leveranciers: Dictionary(uniqueKeysWithValues: zip(streams, suppliers)),
                toestemming: Dictionary(uniqueKeysWithValues: zip(streams, consent)))
        }
    }

    /// The audit events of one object, oldest first: a subject's history.
    public func history(objectType: String, objectID: String) async throws -> [AuditEvent] {
        try await AuditLog().integrate(pool: pool)
        return try await pool.query(
            """
            SELECT seq, occurred_at, actor, actor_role, action, object_type, object_id, before, after, result, origin, request_id
            FROM audit_events WHERE object_type = $1 AND object_id = $2 AND result = $3 ORDER BY seq
            """, [objectType, objectID, AuditEvent.Result.ok.rawValue]
        ).map(AuditLog.event)
    }
}
