import Foundation
import Postgres
import RegieStore
import RegieTestSupport
import Testing

@Suite("Migrations")
struct MigratorTests {
    /// A folder of migration files for one test.
    func migrationFolder(_ files: [String: String]) throws -> URL {
        let folder = URL(fileURLWithPath: try TestPostgres.temporaryFolder("ddas-mig"))
        for (name, sql) in files {
            try sql.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    let files = [
        "0002_second.sql": "ALTER TABLE things ADD COLUMN colour text NOT NULL DEFAULT 'blauw';",
        "0001_first.sql": "CREATE TABLE things (id int PRIMARY KEY);\nINSERT INTO things VALUES (1);",
        "README.md": "not a migration",
    ]

    @Test("files apply in order, each once, with their checksums; --status lists applied and pending")
    func appliesInOrder() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase())
        let folder = try migrationFolder(files)
        let migrator = Migrator(pool: pool, migrations: try MigrationSet(directory: folder), logger: TestPostgres.logger)
        let before = try await migrator.status()
        #expect(before.applied.isEmpty)
        #expect(before.pending.map(\.fileName) == ["0001_first.sql", "0002_second.sql"])

        let applied = try await migrator.migrate()
        #expect(applied.map(\.fileName) == ["0001_first.sql", "0002_second.sql"])
        #expect(try await pool.query("SELECT colour FROM things").first?.decode("colour", as: String.self) == "blauw")
        let recorded = try await pool.query("SELECT version, checksum FROM schema_migrations ORDER BY version")
        #expect(try recorded.map { try $0.decode("version", as: Int.self) } == [1, 2])
        #expect(
            try recorded.map { try $0.decode("checksum", as: String.self) } == MigrationSet(directory: folder).migrations.map(\.checksum))

        #expect(try await migrator.migrate().isEmpty)
        let after = try await migrator.status()
        #expect(after.pending.isEmpty)
        #expect(after.applied.map(\.migration.fileName) == ["0001_first.sql", "0002_second.sql"])
        await pool.close()
    }

    @Test("a migration edited after it was applied is refused, naming the file")
    func editedMigration() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase())
        let folder = try migrationFolder(files)
        try await Migrator(pool: pool, migrations: try MigrationSet(directory: folder), logger: TestPostgres.logger).migrate()
        try "CREATE TABLE things (id bigint PRIMARY KEY);".write(
            to: folder.appendingPathComponent("0001_first.sql"), atomically: true, encoding: .utf8)
        try "CREATE TABLE more (id int);".write(to: folder.appendingPathComponent("0003_third.sql"), atomically: true, encoding: .utf8)
        let edited = Migrator(pool: pool, migrations: try MigrationSet(directory: folder), logger: TestPostgres.logger)
        let error = await #expect(throws: MigrationError.self) { try await edited.migrate() }
        #expect(error == .edited(fileName: "0001_first.sql"))
        #expect(error?.description.contains("0001_first.sql") == true)
        await #expect(throws: MigrationError.edited(fileName: "0001_first.sql")) { try await edited.status() }
        // Nothing after the refusal was applied.
        #expect(try await pool.query("SELECT to_regclass('more') IS NULL AS absent").first?.decode("absent", as: Bool.self) == true)
        await pool.close()
    }

    @Test("an installation that applied a migration before a correction of its comments is not refused; another checksum still is")
    func commentCorrection() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase())
        let shipped = try MigrationSet(directory: TestPostgres.resources.migrations)
        let migrator = Migrator(pool: pool, migrations: shipped, logger: TestPostgres.logger)
        // 0002 as it was applied before its comment on the audit triggers was corrected.
        try await pool.query(
            "UPDATE schema_migrations SET checksum = $1 WHERE version = 2",
            ["698a9ccb65a56cb7612844b9c49652f1e85026bf36006c9bde6db61a794860bb"])
        #expect(try await migrator.status().pending.isEmpty)
        #expect(try await migrator.migrate().isEmpty)

        try await pool.query("UPDATE schema_migrations SET checksum = $1 WHERE version = 2", [String(repeating: "0", count: 64)])
        await #expect(throws: MigrationError.edited(fileName: "0002_tokens_audit.sql")) { try await migrator.status() }
        await pool.close()
    }

    @Test("a failing migration is rolled back whole and not recorded")
    func failingMigration() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase())
        var broken = files
        broken["0003_broken.sql"] = "CREATE TABLE half (id int);\nINSERT INTO nowhere VALUES (1);"
        let migrator = Migrator(
            pool: pool, migrations: try MigrationSet(directory: try migrationFolder(broken)), logger: TestPostgres.logger)
        let error = await #expect(throws: MigrationFailure.self) { try await migrator.migrate() }
        #expect(error?.fileName == "0003_broken.sql")
        #expect(try await pool.query("SELECT to_regclass('half') IS NULL AS absent").first?.decode("absent", as: Bool.self) == true)
        #expect(try await pool.query("SELECT max(version) AS v FROM schema_migrations").first?.decode("v", as: Int.self) == 2)
        await pool.close()
    }

    @Test("two migrators at once: one waits for the other, neither fails, each file applies once")
    func concurrentMigrators() async throws {
        let database = try await TestPostgres.emptyDatabase()
        var slow = files
        // Long enough that the second migrator arrives while the first holds the lock.
        slow["0003_slow.sql"] = "SELECT pg_sleep(0.5);\nCREATE TABLE slow (id int);"
        let folder = try migrationFolder(slow)
        let pools = [TestPostgres.makePool(database, size: 1), TestPostgres.makePool(database, size: 1)]
        let applied = try await withThrowingTaskGroup(of: [Migration].self) { group in
            for pool in pools {
                group.addTask {
                    try await Migrator(pool: pool, migrations: try MigrationSet(directory: folder), logger: TestPostgres.logger).migrate()
                }
            }
            return try await group.reduce(into: [[Migration]]()) { $0.append($1) }
        }
        #expect(applied.map(\.count).sorted() == [0, 3])
        #expect(try await pools[0].query("SELECT count(*) AS n FROM schema_migrations").first?.decode("n", as: Int.self) == 3)
        for pool in pools { await pool.close() }
    }

    @Test("badly named files and duplicate numbers are refused")
    func badNames() throws {
        #expect(throws: MigrationError.badFileName("1_short.sql")) {
            try MigrationSet(directory: try migrationFolder(["1_short.sql": "SELECT 1;"]))
        }
        #expect(throws: MigrationError.badFileName("0001-dash.sql")) {
            try MigrationSet(directory: try migrationFolder(["0001-dash.sql": "SELECT 1;"]))
        }
        #expect(throws: MigrationError.duplicateVersion("0001_a.sql", "0001_b.sql")) {
            try MigrationSet(migrations: [
                try Migration(fileName: "0001_a.sql", contents: Data("SELECT 1;".utf8)),
                try Migration(fileName: "0001_b.sql", contents: Data("SELECT 2;".utf8)),
            ])
        }
    }

    @Test("the shipped migrations apply to an empty database")
    func shippedMigrations() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase())
        let migrator = Migrator(
            pool: pool, migrations: try MigrationSet(directory: TestPostgres.resources.migrations), logger: TestPostgres.logger)
        try await migrator.migrate()
        #expect(try await migrator.status().pending.isEmpty)
        await pool.close()
    }
}
