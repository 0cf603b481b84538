import Foundation
import Logging
import Postgres

/// A private PostgreSQL cluster in a data folder, run with the installed server programs.
///
/// The cluster listens on a unix socket inside its folder and on no TCP port; local
/// connections are trusted, which is safe because the folder (and so the socket) is
/// readable by its owner only.
///
/// Who owns a running cluster is settled by an advisory lock (`flock`) on
/// `ddas-regie.lock` in the folder, which the kernel releases when its process dies:
/// - `start(.exclusive)` (the service) takes the lock or fails with `inUse`;
/// - `start(.shared)` (a one-off command) takes the lock if it is free, and otherwise
///   attaches to the cluster of the process that holds it, which it then never stops.
/// Whoever holds the lock starts the server if it is not running (removing a
/// `postmaster.pid` that a crash left behind) and stops it in `stop()`. Should the owner die
/// without `stop()` (SIGKILL, a crash), its `ShutdownGuardian` stops the server within
/// seconds; a server left running all the same is adopted by the next owner.
public final class EmbeddedPostgres: @unchecked Sendable {
    /// How a caller wants to use the folder.
    public enum Mode: Sendable {
        /// Own the cluster for the life of this process (the service).
        case exclusive
        /// Use the cluster of a running service if there is one, else own it for a while.
        case shared
    }

    /// Start-up choices.
    public struct Options: Sendable {
        /// The database the service uses, created on first start.
        public var database: String
        /// The superuser initdb creates (no password; unix socket only).
        public var user: String
        /// `false` turns off fsync and friends: for throwaway test clusters only.
        public var durable: Bool
        /// Extra server settings, `name = value` lines for the included configuration.
        public var settings: [String: String]

        /// Defaults for the service.
        public init(database: String = "ddas_regie", user: String = "ddas_regie", durable: Bool = true, settings: [String: String] = [:]) {
            self.database = database
            self.user = user
            self.durable = durable
            self.settings = settings
        }
    }

    /// The cluster's folder (PGDATA), absolute.
    public let dataDirectory: String
    /// The choices it was started with.
    public let options: Options
    /// Whether this process started (or adopted) the server and so stops it.
    public private(set) var ownsServer = false
    private let installation: PostgresInstallation
    private let account: ServerAccount
    private let logger: Logger
    private var lockDescriptor: Int32 = -1
    private var guardian: ShutdownGuardian?

    private init(dataDirectory: String, options: Options, installation: PostgresInstallation, account: ServerAccount, logger: Logger) {
        self.dataDirectory = dataDirectory
        self.options = options
        self.installation = installation
        self.account = account
        self.logger = logger
    }

    deinit {
        if lockDescriptor >= 0 { close(lockDescriptor) }
        guardian?.release()
    }

    /// The libpq connection string of the service's database: the socket folder as host.
    public var connectionString: String { connectionString(database: options.database) }

    /// The connection string of another database in the same cluster.
    public func connectionString(database: String) -> String {
        connectionString(database: database, user: options.user)
    }

    /// The connection string of the service's database as another role of the cluster.
    public func connectionString(database: String? = nil, user: String) -> String {
        "host='\(escaped(dataDirectory))' port=5432 user='\(escaped(user))' dbname='\(escaped(database ?? options.database))'"
    }

    /// Starts (or attaches to) the cluster in `dataDirectory`, creating it on first use.
    public static func start(
        dataDirectory: String, mode: Mode, options: Options = Options(), logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> EmbeddedPostgres {
        let path = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path
        let socketPath = path + "/.s.PGSQL.5432"
        guard socketPath.utf8.count <= 107 else {
            throw EmbeddedPostgresError.socketPathTooLong(path: path, length: socketPath.utf8.count)
        }
        let installation = try await PostgresInstallation.find(environment: environment)
        let account = try await ServerAccount.resolve(environment: environment)
        let cluster = EmbeddedPostgres(dataDirectory: path, options: options, installation: installation, account: account, logger: logger)
        try await cluster.prepareFolder()
        if cluster.tryLock() {
            try await cluster.startOwnedServer()
        } else {
            let holder = cluster.lockHolder()
            guard mode == .shared else { throw EmbeddedPostgresError.inUse(path: path, pid: holder) }
            guard cluster.runningServerPID() != nil else { throw EmbeddedPostgresError.notRunning(path: path) }
            logger.info("using the PostgreSQL cluster of the running service", metadata: ["data_dir": "\(path)"])
        }
        return cluster
    }

    /// Stops the server if this process owns it, and releases the folder.
    public func stop() async throws {
        defer { unlock() }
        guard ownsServer else { return }
        ownsServer = false
        let (program, arguments) = try account.invocation(
            installation.pgCtl, ["-D", dataDirectory, "-m", "fast", "-w", "-t", "60", "stop"])
        let outcome = try await ProcessRunner.run(program, arguments)
        guard outcome.status == 0 else {
            throw EmbeddedPostgresError.commandFailed(command: "pg_ctl stop", status: outcome.status, output: outcome.output)
        }
        logger.info("embedded PostgreSQL stopped", metadata: ["data_dir": "\(dataDirectory)"])
    }

    /// Stops the server at once, blocking the calling thread: for exit handlers, where no
    /// task can be awaited. Does nothing unless this process owns the server.
    public func stopImmediatelyBlocking() {
        guard ownsServer,
            let (program, arguments) = try? account.invocation(
                installation.pgCtl, ["-D", dataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"])
        else { return }
        ownsServer = false
        _ = try? ProcessRunner.runBlocking(program, arguments)
        unlock()
    }

    /// Restarts the server (tests use this to check that clients recover).
    public func restart() async throws {
        let (program, arguments) = try account.invocation(
            installation.pgCtl, ["-D", dataDirectory, "-m", "fast", "-w", "-t", "60", "restart"])
        let outcome = try await ProcessRunner.run(program, arguments)
        guard outcome.status == 0 else {
            throw EmbeddedPostgresError.commandFailed(command: "pg_ctl restart", status: outcome.status, output: outcome.output)
        }
    }

    /// The pid of the running postmaster of this folder, if one runs.
    public func runningServerPID() -> Int32? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
            let first = text.split(separator: "\n").first, let pid = Int32(first.trimmingCharacters(in: .whitespaces)), pid > 0
        else { return nil }
        // A pid from before a crash may belong to another process by now.
        guard kill(pid, 0) == 0 || errno == EPERM,
            let name = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8),
            name.trimmingCharacters(in: .whitespacesAndNewlines) == "postgres"
        else { return nil }
        return pid
    }

    private func prepareFolder() async throws {
        let manager = FileManager.default
        if !manager.fileExists(atPath: dataDirectory) {
            // Parents get the usual permissions (the server account must traverse them);
            // the cluster's own folder is private.
            let parent = URL(fileURLWithPath: dataDirectory).deletingLastPathComponent().path
            try manager.createDirectory(atPath: parent, withIntermediateDirectories: true)
            try manager.createDirectory(atPath: dataDirectory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        }
        try account.own(dataDirectory)
        if let name = account.name {
            let (program, arguments) = try account.invocation("/usr/bin/test", ["-w", dataDirectory, "-a", "-x", dataDirectory])
            let outcome = try await ProcessRunner.run(program, arguments)
            guard outcome.status == 0 else { throw EmbeddedPostgresError.folderNotReachable(path: dataDirectory, user: name) }
        }
        if manager.fileExists(atPath: dataDirectory + "/PG_VERSION") { return }
        let contents = try manager.contentsOfDirectory(atPath: dataDirectory)
        guard contents.isEmpty else { throw EmbeddedPostgresError.notACluster(path: dataDirectory) }
        logger.info("creating the embedded PostgreSQL cluster", metadata: ["data_dir": "\(dataDirectory)"])
        let (program, arguments) = try account.invocation(
            installation.initdb,
            [
                "-D", dataDirectory, "-U", options.user, "--auth-local=trust", "--auth-host=reject",
                "-E", "UTF8", "--locale=C",
            ])
        let outcome = try await ProcessRunner.run(program, arguments)
        guard outcome.status == 0 else {
            throw EmbeddedPostgresError.commandFailed(command: "initdb", status: outcome.status, output: outcome.output)
        }
        let include = "\n# Written by ddas-regie: settings it rewrites on every start.\ninclude_if_exists = 'ddas-regie.conf'\n"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dataDirectory + "/postgresql.conf"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(include.utf8))
        try handle.close()
    }

    private func tryLock() -> Bool {
        let descriptor = open(dataDirectory + "/ddas-regie.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return false
        }
        ftruncate(descriptor, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
        lockDescriptor = descriptor
        return true
    }

    private func lockHolder() -> Int32? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/ddas-regie.lock", encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private func unlock() {
        guardian?.release()
        guardian = nil
        guard lockDescriptor >= 0 else { return }
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
        lockDescriptor = -1
    }

    private func startOwnedServer() async throws {
        do {
            // First, so that no moment passes in which this process owns a server that
            // would outlive it.
            guardian = try await ShutdownGuardian.start(
                dataDirectory: dataDirectory,
                stopCommand: try account.invocation(installation.pgCtl, ["-D", dataDirectory, "-w", "-t", "30"]))
            try writeSettings()
            if runningServerPID() != nil {
                logger.warning(
                    "adopting a PostgreSQL server left running by an earlier process", metadata: ["data_dir": "\(dataDirectory)"])
            } else {
                try removeStalePIDFile()
                let (program, arguments) = try account.invocation(
                    installation.pgCtl,
                    [
                        "-D", dataDirectory, "-l", dataDirectory + "/postgresql.log", "-w", "-t", "60", "start",
                    ])
                let outcome = try await ProcessRunner.run(program, arguments)
                guard outcome.status == 0 else {
                    let log = (try? String(contentsOfFile: dataDirectory + "/postgresql.log", encoding: .utf8)) ?? ""
                    throw EmbeddedPostgresError.commandFailed(
                        command: "pg_ctl start", status: outcome.status, output: outcome.output + String(log.suffix(1500)))
                }
                logger.info("embedded PostgreSQL started", metadata: ["data_dir": "\(dataDirectory)"])
            }
            ownsServer = true
            try await ensureDatabase()
        } catch {
            if ownsServer { try? await stop() } else { unlock() }
            throw error
        }
    }

    private func writeSettings() throws {
        var settings: [String: String] = [
            "listen_addresses": "''",
            "unix_socket_directories": "'\(escaped(dataDirectory))'",
            "unix_socket_permissions": "0700",
            "port": "5432",
        ]
        if !options.durable {
            settings["fsync"] = "off"
            settings["synchronous_commit"] = "off"
            settings["full_page_writes"] = "off"
        }
        settings.merge(options.settings) { _, new in new }
        let text = settings.keys.sorted().map { "\($0) = \(settings[$0] ?? "")" }.joined(separator: "\n") + "\n"
        let path = dataDirectory + "/ddas-regie.conf"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try account.own(path)
    }

    private func removeStalePIDFile() throws {
        let path = dataDirectory + "/postmaster.pid"
        guard FileManager.default.fileExists(atPath: path) else { return }
        logger.warning("removing a stale postmaster.pid left by a crash", metadata: ["data_dir": "\(dataDirectory)"])
        try FileManager.default.removeItem(atPath: path)
    }

    private func ensureDatabase() async throws {
        let pool = PostgresPool(
            configuration: .init(connection: .init(connectionString: connectionString(database: "postgres")), maximumConnections: 1),
            logger: logger)
        do {
            try await Self.createDatabaseIfMissing(options.database, pool: pool)
            await pool.close()
        } catch {
            await pool.close()
            throw error
        }
    }

    /// Creates a database unless it exists; the name must be a plain lower-case identifier.
    public static func createDatabaseIfMissing(_ name: String, template: String? = nil, pool: PostgresPool) async throws {
        precondition(isPlainIdentifier(name) && (template.map(isPlainIdentifier) ?? true), "database names are plain identifiers")
        let existing = try await pool.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])
        guard existing.count == 0 else { return }
        do {
            // An identifier cannot be a parameter; it was checked above and is quoted here.
            try await pool.query("CREATE DATABASE \"\(name)\"" + (template.map { " TEMPLATE \"\($0)\"" } ?? ""))
        } catch let error as PostgresError where error.isUniqueViolation || error.sqlState == "42P04" {
            return  // created by a concurrent caller
        }
    }

    /// Lower-case letters, digits and `_`, starting with a letter or `_`.
    public static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) || first == "_", name.utf8.count <= 63 else {
            return false
        }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    private func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    }
}
