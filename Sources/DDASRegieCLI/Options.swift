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
        if let databaseURL { return .external(connectionString: databaseURL) }
        if let dataDirectory {
            guard !dataDirectory.isEmpty else { throw UsageError(description: "--data-dir must not be empty") }
            return .embedded(dataDirectory: dataDirectory)
        }
        if let url = environment["DDAS_DATABASE_URL"] { return .external(connectionString: url) }
        if let directory = environment["DDAS_DATA_DIR"] {
            guard !directory.isEmpty else { throw UsageError(description: "DDAS_DATA_DIR must not be empty") }
            return .embedded(dataDirectory: directory)
        }
        return .embedded(dataDirectory: ".ddas/postgres")
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
