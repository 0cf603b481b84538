import EmbeddedPostgres
import Foundation
import Logging
import Postgres
import RegieApp
import RegieDomain
import RegieStore
import Synchronization

/// The PostgreSQL of a test run.
///
/// One private cluster per run, started on first use with the same code the service
/// uses for its embedded default, in a temporary folder, and stopped when the test
/// process exits. Each suite (or test) gets its own database in it, so tests run in
/// parallel without seeing each other's rows. When PostgreSQL is not installed, the
/// first test that asks fails with the installer's message: database tests never skip.
public enum TestPostgres {
    /// The checkout's root (the folder of `Package.swift`).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shipped resources (migrations, register) of the checkout.
    public static var resources: Resources { Resources(root: repositoryRoot) }

    /// The shipped workflows; a test run with invalid files fails at its first use.
    public static var workflows: Workflows {
        get throws { try Workflows.load(from: resources.workflows) }
    }

    /// The shipped delivery schedules.
    public static var schedule: LeveringSchedule {
        get throws { try LeveringSchedule.load(from: resources.workflows) }
    }

    /// A logger that stays quiet unless `DDAS_TEST_LOG_LEVEL` says otherwise.
    public static let logger: Logger = {
        var logger = Logger(label: "ddas-regie-tests")
        logger.logLevel = ProcessInfo.processInfo.environment["DDAS_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }()

    private static let sharedCluster = Task<EmbeddedPostgres, any Error> {
        track(try await startCluster(name: "shared"))
    }

    private static let migratedTemplate = Task<String, any Error> {
        let name = "template_migrated"
        let configuration = try await createDatabase(named: name)
        let pool = makePool(configuration, size: 2)
        let migrator = Migrator(pool: pool, migrations: try MigrationSet(directory: resources.migrations), logger: logger)
        try await migrator.migrate()
        await pool.close()
        return name
    }

    /// The run's shared cluster.
    public static func cluster() async throws -> EmbeddedPostgres {
        try await sharedCluster.value
    }

    /// A cluster of its own, for tests that stop or restart PostgreSQL. The caller stops it;
    /// if a failing test does not, the exit handler does.
    public static func privateCluster() async throws -> EmbeddedPostgres {
        track(try await startCluster(name: "own"))
    }

    /// Has the exit handler stop `cluster` should the test not get to it.
    @discardableResult
    public static func track(_ cluster: EmbeddedPostgres) -> EmbeddedPostgres {
        StopAtExit.register(cluster)
        return cluster
    }

    /// A new, empty database in the shared cluster.
    public static func emptyDatabase() async throws -> PostgresConfiguration {
        try await createDatabase(named: uniqueName())
    }

    /// A new database with every migration applied (copied from a migrated template).
    public static func migratedDatabase() async throws -> PostgresConfiguration {
        let template = try await migratedTemplate.value
        return try await createDatabase(named: uniqueName(), template: template)
    }

    /// A pool over `configuration` with test-friendly limits.
    public static func makePool(_ configuration: PostgresConfiguration, size: Int = 4, acquireTimeout: Duration = .seconds(10))
        -> PostgresPool
    {
        PostgresPool(
            configuration: .init(connection: configuration, maximumConnections: size, acquireTimeout: acquireTimeout), logger: logger)
    }

    /// A temporary folder that an unprivileged PostgreSQL account can enter.
    public static func temporaryFolder(_ prefix: String) throws -> String {
        // Short paths: the unix socket lives inside the folder and its path must stay under 108 bytes.
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        let path = String(cString: made)
        chmod(path, 0o755)
        StopAtExit.removeLater(path)
        return path
    }

    private static func startCluster(name: String) async throws -> EmbeddedPostgres {
        let folder = try temporaryFolder("ddas-\(name)")
        return try await EmbeddedPostgres.start(
            dataDirectory: folder + "/pg", mode: .exclusive, options: .init(durable: false, settings: ["max_connections": "300"]),
            logger: logger)
    }

    private static func createDatabase(named name: String, template: String? = nil) async throws -> PostgresConfiguration {
        let cluster = try await cluster()
        let admin = makePool(
            .init(connectionString: cluster.connectionString(database: "postgres"), connectTimeoutSeconds: connectTimeout), size: 1)
        do {
            try await EmbeddedPostgres.createDatabaseIfMissing(name, template: template, pool: admin)
            await admin.close()
        } catch {
            await admin.close()
            throw error
        }
        return PostgresConfiguration(connectionString: cluster.connectionString(database: name), connectTimeoutSeconds: connectTimeout)
    }

    /// How long a test waits for a connection: the whole suite runs at once, so on a loaded
    /// machine the postmaster may take longer than the service's 10 s to accept one.
    public static let connectTimeout = 60

    private static func uniqueName() -> String {
        "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
    }
}

/// Cleans up after the test run when the process exits: stops the clusters the run
/// started (including those a failed test left running) and removes the temporary folders.
enum StopAtExit {
    private static let state = Mutex<(clusters: [EmbeddedPostgres], folders: [String], installed: Bool)>(([], [], false))

    static func register(_ cluster: EmbeddedPostgres) {
        installIfNeeded()
        state.withLock { $0.clusters.append(cluster) }
    }

    static func removeLater(_ folder: String) {
        installIfNeeded()
        state.withLock { $0.folders.append(folder) }
    }

    private static func installIfNeeded() {
        let first = state.withLock { value in
            defer { value.installed = true }
            return !value.installed
        }
        guard first else { return }
        atexit {
            let (clusters, folders, _) = StopAtExit.state.withLock { $0 }
            for cluster in clusters {
                cluster.stopImmediatelyBlocking()
            }
            for folder in folders {
                try? FileManager.default.removeItem(atPath: folder)
            }
        }
    }
}

extension TestPostgres {
    /// A text the shipped delivery schedule was expected to hold and does not.
    public struct ScheduleTextMissing: Error, CustomStringConvertible {
        public let text: String
        public var description: String { "Workflows/leveringen.yaml no longer holds \(text)" }
    }

    /// A copy of the shipped resources (migrations, workflows, data, exchange models) in a
    /// temporary folder, with each shipped text of the delivery schedule replaced, for tests
    /// that need a short lease or backoff. Throws when a shipped text is not there.
    public static func resourcesCopy(scheduleReplacing replacements: [(shipped: String, replacement: String)]) throws -> URL {
        let root = URL(fileURLWithPath: try temporaryFolder("ddas-res"))
        for folder in ["Migrations", "Workflows", "Data", "Exchange"] {
            try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        let schedule = root.appendingPathComponent("Workflows/leveringen.yaml")
        var text = try String(contentsOf: schedule, encoding: .utf8)
        for (shipped, replacement) in replacements {
            guard text.contains(shipped) else { throw ScheduleTextMissing(text: shipped) }
            text = text.replacingOccurrences(of: shipped, with: replacement)
        }
        try text.write(to: schedule, atomically: true, encoding: .utf8)
        return root
    }
}

extension PostgresPool {
    /// Links the audit trail's pending events, then runs `sql`: for a test that reads
    /// `audit_events` or `audit_weigeringen` itself, as every reader of the service does.
    public func queryTrail(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) async throws -> PostgresRows {
        try await AuditLog().integrate(pool: self)
        return try await query(sql, parameters)
    }
}
