import Foundation
import Logging
import Postgres

/// Applies migrations: in order, each once, each in its own transaction, recorded with
/// its checksum in `schema_migrations`.
///
/// The whole run holds a session-level advisory lock, so two processes that migrate at
/// once (two replicas starting) take turns: the second waits, then finds nothing to do.
/// An applied migration whose file has changed stops the run before anything is applied.
public struct Migrator: Sendable {
    /// What has been applied and what has not.
    public struct Status: Sendable {
        /// Applied migrations with their time of application.
        public let applied: [(migration: Migration, appliedAt: Date)]
        /// Files not yet applied, in order.
        public let pending: [Migration]
        /// Versions recorded in the database with no file here (a newer release ran).
        public let unknownVersions: [Int]
    }

    /// The advisory lock key: any constant, the same in every replica.
    static let lockKey = 4_221_342_000_001

    let pool: PostgresPool
    let migrations: MigrationSet
    let logger: Logger

    /// A migrator for `migrations` over `pool`.
    public init(pool: PostgresPool, migrations: MigrationSet, logger: Logger) {
        self.pool = pool
        self.migrations = migrations
        self.logger = logger
    }

    /// Lets the service's role (`ddas_regie_app`, migration 0011) log in: on the embedded
    /// cluster, whose owner-only socket needs no password. Run by the schema's owner.
    public func letServiceRoleLogIn() async throws {
        try await pool.execute("ALTER ROLE ddas_regie_app LOGIN")
    }

    /// Applies what is pending; returns what it applied.
    @discardableResult
    public func migrate() async throws -> [Migration] {
        try await pool.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock($1)", [Self.lockKey])
            do {
                let applied = try await apply(on: connection)
                try await connection.query("SELECT pg_advisory_unlock($1)", [Self.lockKey])
                return applied
            } catch {
                // A broken connection drops its session locks by itself.
                _ = try? await connection.query("SELECT pg_advisory_unlock($1)", [Self.lockKey])
                throw error
            }
        }
    }

    /// What is applied and pending; throws `MigrationError.edited` for a changed file.
    public func status() async throws -> Status {
        try await pool.withConnection { connection in
            let recorded = try await recordedMigrations(connection)
            return try compare(recorded)
        }
    }

    private func apply(on connection: PostgresConnection) async throws -> [Migration] {
        try await connection.executeScript(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        let status = try compare(try await recordedMigrations(connection))
        for migration in status.pending {
            try await connection.execute("BEGIN")
            do {
                try await connection.executeScript(migration.sql)
                try await connection.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    [migration.version, migration.name, migration.checksum])
                try await connection.execute("COMMIT")
            } catch {
                _ = try? await connection.execute("ROLLBACK")
                logger.error("migration failed", metadata: ["migration": "\(migration.fileName)", "error": "\(error)"])
                throw MigrationFailure(fileName: migration.fileName, underlying: error)
            }
            logger.info("migration applied", metadata: ["migration": "\(migration.fileName)"])
        }
        return status.pending
    }

    private func recordedMigrations(_ connection: PostgresConnection) async throws -> [(version: Int, checksum: String, appliedAt: Date)] {
        let rows: PostgresRows
        do {
            rows = try await connection.query("SELECT version, checksum, applied_at FROM schema_migrations ORDER BY version")
        } catch let error as PostgresError where error.sqlState == "42P01" {
            return []  // nothing was ever applied
        }
        return try rows.map { row in
            (
                try row.decode("version", as: Int.self), try row.decode("checksum", as: String.self),
                try row.decode("applied_at", as: Date.self)
            )
        }
    }

    private func compare(_ recorded: [(version: Int, checksum: String, appliedAt: Date)]) throws -> Status {
        let byVersion = Dictionary(uniqueKeysWithValues: migrations.migrations.map { ($0.version, $0) })
        var applied: [(migration: Migration, appliedAt: Date)] = []
        var unknown: [Int] = []
        for record in recorded {
            guard let migration = byVersion[record.version] else {
                unknown.append(record.version)
                continue
            }
            guard migration.matches(recordedChecksum: record.checksum) else { throw MigrationError.edited(fileName: migration.fileName) }
            applied.append((migration, record.appliedAt))
        }
        let appliedVersions = Set(recorded.map(\.version))
        let pending = migrations.migrations.filter { !appliedVersions.contains($0.version) }
        return Status(applied: applied, pending: pending, unknownVersions: unknown)
    }
}

/// A migration's SQL failed; nothing of it was kept.
public struct MigrationFailure: Error, CustomStringConvertible {
    /// The file that failed.
    public let fileName: String
    /// What PostgreSQL said.
    public let underlying: any Error
    public var description: String { "migration \(fileName) failed and was rolled back: \(underlying)" }
}
