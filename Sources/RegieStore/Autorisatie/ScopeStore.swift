import Foundation
import Postgres
import RegieDomain

/// What the authorisation guard asks the database to decide a caller's scope (DESIGN.md §2):
/// whether a supplier may read a gemeente (it has active consent today), and whose a delivery
/// is. The guard in the app layer decides; this store only answers.
public struct ScopeStore: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Whether `gemeente` has active consent on `day` for `leverancier`, for a stream the
    /// supplier is assigned to now.
    public func hasActiveToestemming(
        gemeente: Gemeentecode, leverancier: String, on day: PostgresDate, on executor: some PostgresExecutor
    ) async throws -> Bool {
        try await ToestemmingStore().hasActiveConsent(gemeente, leverancierID: leverancier, on: day, on: executor)
    }

    /// ``hasActiveToestemming(gemeente:leverancier:on:on:)`` on the pool.
    public func hasActiveToestemming(gemeente: Gemeentecode, leverancier: String, on day: PostgresDate) async throws -> Bool {
        try await hasActiveToestemming(gemeente: gemeente, leverancier: leverancier, on: day, on: pool)
    }

    /// The gemeente and supplier of a delivery, or nil when there is no delivery with this id.
    public func leveringOwner(_ id: UUID, on executor: some PostgresExecutor) async throws -> (
        gemeente: String, leverancier: String
    )? {
        guard let row = try await executor.query("SELECT gemeente_code, leverancier_id FROM leveringen WHERE id = $1", [id]).first
        else { return nil }
        return (try row.decode("gemeente_code", as: String.self), try row.decode("leverancier_id", as: String.self))
    }

    /// ``leveringOwner(_:on:)`` on the pool.
    public func leveringOwner(_ id: UUID) async throws -> (gemeente: String, leverancier: String)? {
        try await leveringOwner(id, on: pool)
    }
}
