import Postgres

/// The suppliers DDAS knows, for checks that need no more than their ids.
public struct LeverancierRegister: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Whether a supplier with this id is registered.
    public func exists(_ id: String) async throws -> Bool {
        try await pool.query("SELECT 1 FROM leveranciers WHERE id = $1", [id]).count == 1
    }
}
