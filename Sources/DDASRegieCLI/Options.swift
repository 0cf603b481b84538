import ArgumentParser
import Foundation
import Logging
import RegieApp

/// The database options every command that uses the database takes.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("data-dir"),
        help: "Folder of the embedded PostgreSQL cluster (DDAS_DATA_DIR; default .ddas/postgres).")
    var dataDirectory: String?

    @Option(
        name: .customLong("database-url"),
        help: "An existing PostgreSQL: libpq connection string or URL; PG* variables fill in what it leaves out (DDAS_DATABASE_URL).")
    var databaseURL: String?

    @Option(
        name: .customLong("migrate-database-url"),
        help:
            "With --database-url: the connection string of the schema's owner, for migrations; --database-url is then the service's own login (DDAS_MIGRATE_DATABASE_URL; unset: --database-url migrates and the service switches to the role ddas_regie_app)."
    )
    var migrateDatabaseURL: String?

    @Option(name: .customLong("pool-size"), help: "Most database connections (DDAS_POOL_SIZE; default 10).")
    var poolSize: Int?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (DDAS_LOG_LEVEL; default info).")
    var logLevel: String?

    /// The database the flags and variables choose.
    func database(environment: [String: String]) throws -> AppConfiguration.Database {
        if dataDirectory != nil && databaseURL != nil {
            throw UsageError(
                description:
                    "--data-dir and --database-url exclude each other: the first is the embedded cluster, the second an existing PostgreSQL"
            )
        }
        let migrationURL = migrateDatabaseURL ?? environment["DDAS_MIGRATE_DATABASE_URL"]
        // A flag wins over every variable: --data-dir over DDAS_DATABASE_URL too.
        if let url = databaseURL ?? (dataDirectory == nil ? environment["DDAS_DATABASE_URL"] : nil) {
            return .external(connectionString: url, migrationConnectionString: migrationURL)
        }
        if migrateDatabaseURL != nil || (dataDirectory == nil && migrationURL != nil) {
            throw UsageError(
                description: (migrateDatabaseURL != nil ? "--migrate-database-url" : "DDAS_MIGRATE_DATABASE_URL")
                    + " needs --database-url (or DDAS_DATABASE_URL): the embedded cluster makes its own roles")
        }
        let directory = dataDirectory ?? environment["DDAS_DATA_DIR"] ?? ".ddas/postgres"
        guard !directory.isEmpty else {
            throw UsageError(description: (dataDirectory != nil ? "--data-dir" : "DDAS_DATA_DIR") + " must not be empty")
        }
        return .embedded(dataDirectory: directory)
    }

    func resolvedPoolSize(environment: [String: String]) throws -> Int {
        let size = try poolSize ?? integer("DDAS_POOL_SIZE", environment) ?? 10
        guard (1...200).contains(size) else {
            throw UsageError(description: (poolSize != nil ? "--pool-size" : "DDAS_POOL_SIZE") + " must be between 1 and 200, not \(size)")
        }
        return size
    }

    /// Sets up logging to standard error at the chosen level.
    func bootstrapLogging(environment: [String: String], defaultLevel: String = "info") throws -> Logger {
        let text = logLevel ?? environment["DDAS_LOG_LEVEL"] ?? defaultLevel
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw UsageError(
                description: (logLevel != nil ? "--log-level" : "DDAS_LOG_LEVEL")
                    + " must be one of trace, debug, info, notice, warning, error, critical; not '\(text)'")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "ddas-regie")
        logger.logLevel = level
        return logger
    }
}

/// The folder for what the service keeps outside the database.
struct StateOptions: ParsableArguments {
    @Option(
        name: .customLong("state-dir"),
        help:
            "Folder for the CBS sink, staged pages, the demo's test PKI and the audit trail's verified head (DDAS_STATE_DIR; default: the parent of the embedded data folder, so .ddas; with a database URL .ddas)."
    )
    var stateDirectory: String?

    /// The flag, else `DDAS_STATE_DIR`, else the folder that holds the embedded cluster's
    /// folder, else `.ddas`.
    func resolved(database: AppConfiguration.Database, environment: [String: String]) throws -> String {
        if let stateDirectory {
            guard !stateDirectory.isEmpty else { throw UsageError(description: "--state-dir must not be empty") }
            return stateDirectory
        }
        if let directory = environment["DDAS_STATE_DIR"] {
            guard !directory.isEmpty else { throw UsageError(description: "DDAS_STATE_DIR must not be empty") }
            return directory
        }
        if case .embedded(let dataDirectory) = database {
            return URL(fileURLWithPath: dataDirectory).deletingLastPathComponent().path
        }
        return ".ddas"
    }
}

/// Reads an integer variable; a value that is not one is a usage error naming it.
func integer(_ name: String, _ environment: [String: String]) throws -> Int? {
    guard let text = environment[name] else { return nil }
    guard let value = Int(text) else { throw UsageError(description: "\(name) must be a whole number, not '\(text)'") }
    return value
}

/// Writes a line to standard output (the result of a command, not a log line).
func writeLine(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
