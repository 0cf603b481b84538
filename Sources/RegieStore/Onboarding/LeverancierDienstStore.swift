import Foundation
import Postgres
import RegieDomain

/// Supplier services (leverancierdiensten: a supplier's service for one stream) and where
/// they stand, in PostgreSQL. Every method runs on the executor it is given: the pool, or
/// the connection of the caller's transaction.
public struct LeverancierDienstStore: Sendable {
    public init() {}

    /// Whether the supplier exists.
    public func supplierExists(_ leverancierID: String, on executor: some PostgresExecutor) async throws -> Bool {
        try await executor.query("SELECT 1 FROM leveranciers WHERE id = $1", [leverancierID]).count == 1
    }

    /// Whether the supplier offers the stream.
    public func exists(_ leverancierID: String, stroom: Stroom, on executor: some PostgresExecutor) async throws -> Bool {
        try await executor.query(
            "SELECT 1 FROM leverancier_diensten WHERE leverancier_id = $1 AND stroom = $2", [leverancierID, stroom.rawValue]
        ).count == 1
    }

    /// Locks a service if it is in phase `fase`; whether it is.
    @discardableResult
    public func lock(_ leverancierID: String, stroom: Stroom, inPhase fase: String, on executor: some PostgresExecutor) async throws -> Bool
    {
        try await executor.query(
            "SELECT 1 FROM leverancier_diensten WHERE leverancier_id = $1 AND stroom = $2 AND fase = $3 FOR UPDATE",
            [leverancierID, stroom.rawValue, fase]
        ).count == 1
    }

    /// Locks every service in one of the phases `movable`, in supplier and stream order, when
    /// the service `leverancierID`/`stroom` is in phase `fase`; whether it was.
    @discardableResult
    public func lockMovable(
        ifService leverancierID: String, stroom: Stroom, isIn fase: String, movable: [String], on executor: some PostgresExecutor
    ) async throws -> Bool {
        try await executor.query(
            """
            SELECT d.leverancier_id, d.stroom FROM leverancier_diensten d
            WHERE d.fase = ANY($4)
              AND EXISTS (SELECT 1 FROM leverancier_diensten o WHERE o.leverancier_id = $1 AND o.stroom = $2 AND o.fase = $3)
            ORDER BY d.leverancier_id, d.stroom
            FOR UPDATE OF d
            """, [leverancierID, stroom.rawValue, fase, movable]
        ).count > 0
    }

    /// Locks a service and returns its phase, version and recorded evidence.
    public func lock(_ leverancierID: String, stroom: Stroom, on executor: some PostgresExecutor) async throws -> (
        fase: String, versie: Int, bewijs: [String: String]
    )? {
        guard
            let row = try await executor.query(
                "SELECT fase, versie, bewijs FROM leverancier_diensten WHERE leverancier_id = $1 AND stroom = $2 FOR UPDATE",
                [leverancierID, stroom.rawValue]
            ).first
        else { return nil }
        return (
            try row.decode("fase"), try row.decode("versie"), try row.decode("bewijs", as: PostgresJSON.self).decode([String: String].self)
        )
    }

    /// Sets a service's phase as `decision` decided, since `now`, with the evidence it now
    /// holds (the caller audits it).
    public func apply(
        _ decision: WorkflowDecision, to leverancierID: String, stroom: Stroom, bewijs: [String: String], now: Date,
        on executor: some PostgresExecutor
    ) async throws {
        try await executor.execute(
            "UPDATE leverancier_diensten SET fase = $3, fase_sinds = $4, bewijs = $5, versie = versie + 1 WHERE leverancier_id = $1 AND stroom = $2",
            [leverancierID, stroom.rawValue, decision.to, now, try PostgresJSON(encoding: bewijs)])
    }

    /// Every supplier with its services.
    public func suppliers(on executor: some PostgresExecutor) async throws -> [Leverancier] {
        let rows = try await executor.query(
            """
            SELECT l.id, l.naam, d.stroom, d.fase, d.fase_sinds, d.versie, d.bewijs FROM leveranciers l
            LEFT JOIN leverancier_diensten d ON d.leverancier_id = l.id ORDER BY l.id, d.stroom
            """)
        var suppliers: [Leverancier] = []
        for row in rows {
            let id: String = try row.decode("id")
            var services = suppliers.last?.id == id ? suppliers.removeLast().diensten : []
            if let stroom = try row.decode("stroom", as: String?.self).flatMap(Stroom.init(rawValue:)) {
                services.append(
                    LeverancierDienst(
                        stroom: stroom, fase: try row.decode("fase"), faseSinds: try row.decode("fase_sinds"),
                        versie: try row.decode("versie"),
                        bewijs: try row.decode("bewijs", as: PostgresJSON.self).decode([String: String].self)))
            }
            suppliers.append(Leverancier(id: id, naam: try row.decode("naam"), diensten: services))
        }
        return suppliers
    }
}
