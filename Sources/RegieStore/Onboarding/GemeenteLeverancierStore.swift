import Foundation
import Postgres
import RegieDomain

/// Which supplier serves a gemeente for a stream (gemeente_leveranciers): one current
/// assignment per gemeente and stream, the earlier ones closed. Every method runs on the
/// executor it is given: the pool, or the connection of the caller's transaction.
public struct GemeenteLeverancierStore: Sendable {
    public init() {}

    /// The gemeente's current supplier per stream.
    public func current(_ code: Gemeentecode, on executor: some PostgresExecutor) async throws -> [Stroom: String] {
        var current: [Stroom: String] = [:]
        for row in try await executor.query(
            "SELECT stroom, leverancier_id FROM gemeente_leveranciers WHERE gemeente_code = $1 AND tot IS NULL", [code.rawValue])
        {
            if let stroom = Stroom(rawValue: try row.decode("stroom")) { current[stroom] = try row.decode("leverancier_id") }
        }
        return current
    }

    /// Closes the current assignment of a stream at `now`; returns the supplier and the
    /// organisation name it had.
    public func close(_ code: Gemeentecode, stroom: Stroom, now: Date, on executor: some PostgresExecutor) async throws -> (
        leverancierID: String, organisatienaam: String
    )? {
        guard
            let row = try await executor.query(
                "UPDATE gemeente_leveranciers SET tot = $3 WHERE gemeente_code = $1 AND stroom = $2 AND tot IS NULL RETURNING leverancier_id, organisatienaam",
                [code.rawValue, stroom.rawValue, now]
            ).first
        else { return nil }
        return (try row.decode("leverancier_id"), try row.decode("organisatienaam"))
    }

    /// Makes `leverancierID` the gemeente's supplier for a stream from `now`.
    public func assign(
        _ code: Gemeentecode, stroom: Stroom, leverancierID: String, organisatienaam: String, by actor: String, now: Date,
        on executor: some PostgresExecutor
    ) async throws {
        try await executor.execute(
            """
            INSERT INTO gemeente_leveranciers (id, gemeente_code, stroom, leverancier_id, organisatienaam, van, vastgelegd_door)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, [UUID(), code.rawValue, stroom.rawValue, leverancierID, organisatienaam, now, actor])
    }

    /// Every assignment of a gemeente, by stream, oldest first.
    public func assignments(_ code: Gemeentecode, on executor: some PostgresExecutor) async throws -> [LeverancierAssignment] {
        try await executor.query(
            """
            SELECT stroom, leverancier_id, organisatienaam, van, tot FROM gemeente_leveranciers
            WHERE gemeente_code = $1 ORDER BY stroom, van
            """, [code.rawValue]
        ).map { row in
            LeverancierAssignment(
                stroom: Stroom(rawValue: try row.decode("stroom")) ?? .vs, leverancierID: try row.decode("leverancier_id"),
                organisatienaam: try row.decode("organisatienaam"), van: try row.decode("van"), tot: try row.decode("tot"))
        }
    }

    /// The gemeenten a supplier currently serves for a stream, by code.
    public func gemeenten(of leverancierID: String, stroom: Stroom, on executor: some PostgresExecutor) async throws -> [Gemeentecode] {
        try await executor.query(
            "SELECT gemeente_code FROM gemeente_leveranciers WHERE leverancier_id = $1 AND stroom = $2 AND tot IS NULL ORDER BY gemeente_code",
            [leverancierID, stroom.rawValue]
        ).compactMap { Gemeentecode(try $0.decode("gemeente_code", as: String.self)) }
    }

    /// Locks the gemeenten that `leverancierID` serves for `stroom`, in code order (the order
    /// every onboarding change locks gemeenten in).
    public func lockGemeenten(of leverancierID: String, stroom: Stroom, on executor: some PostgresExecutor) async throws {
        try await executor.execute(
            """
            SELECT g.code FROM gemeenten g
            WHERE g.code IN (SELECT gemeente_code FROM gemeente_leveranciers WHERE leverancier_id = $1 AND stroom = $2 AND tot IS NULL)
            ORDER BY g.code FOR UPDATE
            """, [leverancierID, stroom.rawValue])
    }
}
