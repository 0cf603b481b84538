import EmbeddedPostgres
import Foundation
import Logging
import Postgres
import RegieDomain
import RegieStore

/// The database of one process: a connection pool and, on the embedded default, the
/// private cluster behind it.
///
/// Two database roles (deploy/README.md, "Database roles"): the schema's owner runs the
/// migrations; the service works as `ddas_regie_app`, which may only read and append to the
/// audit trail (migration 0011). On the embedded cluster the service logs in as that role;
/// on an existing PostgreSQL it logs in with `--database-url` and, when migrations have a URL
/// of their own (`--migrate-database-url`), keeps that login's privileges; given one URL only,
/// it is the owner's and every session switches to `ddas_regie_app` (SET ROLE).
public final class RegieDatabase: Sendable {
    /// The name of the service's role, as migration 0011 makes it.
    public static let serviceRole = "ddas_regie_app"

    /// Whose privileges the pool works with.
    public enum Privileges: Sendable {
        /// The service's: the `serve` command.
        case service
        /// The owner's: one-off commands of an operator.
        case owner
    }

    /// The pool every store uses: handed out only as stores (``stores(workflows:logger:)``);
    /// within the package, tests and benchmarks reach it to set up their fixtures.
    package let pool: PostgresPool
    /// The embedded cluster, when this process uses one.
    public let cluster: EmbeddedPostgres?
    /// How to connect as the schema's owner, for migrations.
    public let ownerConnection: PostgresConfiguration

    init(pool: PostgresPool, cluster: EmbeddedPostgres?, ownerConnection: PostgresConfiguration) {
        self.pool = pool
        self.cluster = cluster
        self.ownerConnection = ownerConnection
    }

    /// Opens the configured database. The embedded cluster is started (`.exclusive` for
    /// the service, `.shared` for one-off commands that may use a running service's). The
    /// pool connects on first use: with `.service`, after `migrate` has made the role.
    public static func open(
        _ database: AppConfiguration.Database, mode: EmbeddedPostgres.Mode, poolSize: Int, privileges: Privileges = .owner,
        logger: Logger
    ) async throws -> RegieDatabase {
        let owner: PostgresConfiguration
        var service: PostgresConfiguration
        var cluster: EmbeddedPostgres?
        switch database {
        case .external(let connectionString, let migrationConnectionString):
            owner = PostgresConfiguration(connectionString: migrationConnectionString ?? connectionString)
            service = PostgresConfiguration(connectionString: connectionString)
            if migrationConnectionString == nil { service.sessionRole = serviceRole }
        case .embedded(let dataDirectory):
            let started = try await EmbeddedPostgres.start(dataDirectory: dataDirectory, mode: mode, logger: logger)
            cluster = started
            owner = PostgresConfiguration(connectionString: started.connectionString)
            service = PostgresConfiguration(connectionString: started.connectionString(user: serviceRole))
        }
        let connection = privileges == .service ? service : owner
        let pool = PostgresPool(configuration: .init(connection: connection, maximumConnections: poolSize), logger: logger)
        return RegieDatabase(pool: pool, cluster: cluster, ownerConnection: owner)
    }

    /// Applies pending migrations as the schema's owner; on the embedded cluster it also lets
    /// the service's role log in (over the cluster's owner-only socket, without a password).
    @discardableResult
    public func migrate(_ migrations: MigrationSet, logger: Logger) async throws -> [Migration] {
        let owner = PostgresPool(configuration: .init(connection: ownerConnection, maximumConnections: 1), logger: logger)
        do {
            let migrator = Migrator(pool: owner, migrations: migrations, logger: logger)
            let applied = try await migrator.migrate()
            if cluster != nil {
                try await migrator.letServiceRoleLogIn()
            }
            await owner.close()
            return applied
        } catch {
            await owner.close()
            throw error
        }
    }

    /// Every store over the pool, built once by the caller: onboarding decides moves with
    /// `workflows`, the queue by the retry policies of `schedule`.
    public func stores(workflows: Workflows, schedule: LeveringSchedule, logger: Logger) -> RegieStores {
        RegieStores(pool: pool, workflows: workflows, lifecycle: LeveringLifecycle(schedule: schedule), logger: logger)
    }

    /// The migrations as the pool's connections see them (what readiness and `migrate --status` read).
    public func migrator(_ migrations: MigrationSet, logger: Logger) -> Migrator {
        Migrator(pool: pool, migrations: migrations, logger: logger)
    }

    /// A pool of its own over the same database, with the same login, for `maximumConnections`.
    func separatePool(maximumConnections: Int, logger: Logger) -> PostgresPool {
        PostgresPool(
            configuration: .init(connection: pool.configuration.connection, maximumConnections: maximumConnections), logger: logger)
    }

    /// How the service's sessions connect (for a listener of its own).
    var connection: PostgresConfiguration { pool.configuration.connection }

    /// Closes the pool and stops the embedded cluster if this process started it.
    public func close() async throws {
        await pool.close()
        try await cluster?.stop()
    }
}
