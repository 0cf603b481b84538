import EmbeddedPostgres
import Foundation
import Logging
import Postgres

/// The database of one process: a connection pool and, on the embedded default, the
/// private cluster behind it.
public final class RegieDatabase: Sendable {
    /// The pool every store uses.
    public let pool: PostgresPool
    /// The embedded cluster, when this process uses one.
    public let cluster: EmbeddedPostgres?

    init(pool: PostgresPool, cluster: EmbeddedPostgres?) {
        self.pool = pool
        self.cluster = cluster
    }

    /// Opens the configured database. The embedded cluster is started (`.exclusive` for
    /// the service, `.shared` for one-off commands that may use a running service's).
    public static func open(
        _ database: AppConfiguration.Database, mode: EmbeddedPostgres.Mode, poolSize: Int, logger: Logger
    ) async throws -> RegieDatabase {
        switch database {
        case .external(let connectionString):
            let pool = PostgresPool(
                configuration: .init(connection: .init(connectionString: connectionString), maximumConnections: poolSize), logger: logger)
            return RegieDatabase(pool: pool, cluster: nil)
        case .embedded(let dataDirectory):
            let cluster = try await EmbeddedPostgres.start(dataDirectory: dataDirectory, mode: mode, logger: logger)
            let pool = PostgresPool(
                configuration: .init(connection: .init(connectionString: cluster.connectionString), maximumConnections: poolSize),
                logger: logger)
            return RegieDatabase(pool: pool, cluster: cluster)
        }
    }

    /// Closes the pool and stops the embedded cluster if this process started it.
    public func close() async throws {
        await pool.close()
        try await cluster?.stop()
    }
}
