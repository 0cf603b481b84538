/// What a store runs its statements on: the pool (each statement on a connection it lends
/// and takes back) and a connection (inside the caller's transaction) both satisfy it, so a
/// store method has one calling convention and takes part in a transaction when it is given
/// one.
public protocol PostgresExecutor: Sendable {
    /// Runs a statement with its values as parameters (`$1`, `$2`, ...) and returns its rows.
    @discardableResult
    func query(_ sql: String, _ parameters: [(any PostgresEncodable)?]) async throws -> PostgresRows

    /// Runs a statement and returns the count of rows it touched.
    @discardableResult
    func execute(_ sql: String, _ parameters: [(any PostgresEncodable)?]) async throws -> Int
}

extension PostgresConnection: PostgresExecutor {}

extension PostgresPool: PostgresExecutor {
    /// Runs one statement on a pooled connection and returns the count of rows it touched.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) async throws -> Int {
        try await query(sql, parameters).affectedRows
    }
}

extension PostgresExecutor {
    /// Runs a statement without parameters and returns its rows.
    @discardableResult
    public func query(_ sql: String) async throws -> PostgresRows { try await query(sql, []) }

    /// Runs a statement without parameters and returns the count of rows it touched.
    @discardableResult
    public func execute(_ sql: String) async throws -> Int { try await execute(sql, []) }
}
