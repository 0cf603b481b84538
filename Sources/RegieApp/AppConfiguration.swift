import Foundation
import Logging

/// Everything the service is configured with; the command line fills it from flags and
/// `DDAS_*` variables.
public struct AppConfiguration: Sendable {
    /// Where the database is.
    public enum Database: Sendable, Equatable {
        /// The private cluster in this folder (PGDATA), started when needed.
        case embedded(dataDirectory: String)
        /// An existing PostgreSQL, by libpq connection string or URL (empty: `PG*` environment);
        /// migrations connect with a string of their own when one is given (the schema's
        /// owner), else with the same one (see `RegieDatabase`).
        case external(connectionString: String, migrationConnectionString: String? = nil)
    }

    /// The address to listen on.
    public var host: String
    /// The port to listen on.
    public var port: Int
    /// The database.
    public var database: Database
    /// The folder with `Migrations/`, `Workflows/` and `Data/`.
    public var resources: Resources
    /// Most database connections this process opens.
    public var poolSize: Int
    /// What this process runs.
    public var role: ProcessRole
    /// How deliveries are pulled: not at all, as a file configures, or from the demo simulator.
    public var exchange: ExchangeSetting
    /// The folder for the CBS sink, staged pages and the demo's test PKI (`.ddas` by default).
    public var stateDirectory: String

    /// A second address that serves `/metrics` and the health endpoints (and then the only
    /// one with `/metrics`), for a scraper on an internal network; nil: `/metrics` is on the
    /// API's address.
    public var metricsAddress: Address?
    /// The meldingen's configuration file (`--meldingen-config`); nil: meldingen are recorded
    /// but not sent (the demonstration brings its own).
    public var meldingenConfiguration: String?
    /// How long an HTTP connection may stay idle before the server closes it.
    public var idleTimeout: Duration = .seconds(60)

    /// A host and port to listen on.
    public struct Address: Sendable, Equatable {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    /// Where the exchange with the suppliers comes from.
    public enum ExchangeSetting: Sendable, Equatable {
        /// No pulls: deliveries are scheduled and wait.
        case off
        /// The YAML file of `ExchangeConfiguration`.
        case file(String)
        /// The demonstration: an in-process supplier simulator for xxllnc and BKR, the
        /// directory sink, and seeded gemeenten.
        case demo
    }

    /// A configuration; defaults are the embedded setup on 127.0.0.1:8080.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, database: Database = .embedded(dataDirectory: ".ddas/postgres"),
        resources: Resources, poolSize: Int = 10, role: ProcessRole = .all, exchange: ExchangeSetting = .off,
        stateDirectory: String = ".ddas", metricsAddress: Address? = nil
    ) {
        self.metricsAddress = metricsAddress
        self.role = role
        self.exchange = exchange
        self.stateDirectory = stateDirectory
        self.host = host
        self.port = port
        self.database = database
        self.resources = resources
        self.poolSize = poolSize
    }
}

/// The files the service ships beside its binary: migrations, workflows, the register.
public struct Resources: Sendable {
    /// The folder that holds `Migrations/`.
    public let root: URL

    /// Resources in `root`.
    public init(root: URL) {
        self.root = root
    }

    public var migrations: URL { root.appendingPathComponent("Migrations") }
    public var workflows: URL { root.appendingPathComponent("Workflows") }
    public var gemeentenRegister: URL { root.appendingPathComponent("Data/gemeenten.csv") }
    /// The exchange models (JSON Schemas) of the DDAS streams, one file per version.
    public var exchangeModels: URL { root.appendingPathComponent("Exchange") }
    /// The standardisation reference data (the simulator's value distributions).
    public var standaardisatie: URL { root.appendingPathComponent("Data/standaardisatie") }

    /// Finds the resources: `DDAS_RESOURCES_DIR`, else the working directory or one of the
    /// executable's parent folders that holds `Migrations/` (a checkout, or an install
    /// that puts the binary beside them).
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Resources {
        if let configured = environment["DDAS_RESOURCES_DIR"], !configured.isEmpty {
            let root = URL(fileURLWithPath: configured)
            guard hasMigrations(root) else { throw ResourcesNotFound(searched: [root.path]) }
            return Resources(root: root)
        }
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(folder)
            folder = folder.deletingLastPathComponent()
        }
        guard let root = candidates.first(where: hasMigrations) else {
            throw ResourcesNotFound(searched: candidates.map(\.path))
        }
        return Resources(root: root)
    }

    private static func hasMigrations(_ root: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: root.appendingPathComponent("Migrations").path, isDirectory: &isDirectory)
            && isDirectory.boolValue
    }
}

/// The shipped files were not found.
public struct ResourcesNotFound: Error, CustomStringConvertible {
    let searched: [String]
    public var description: String {
        "cannot find the Migrations/ folder (looked in \(searched.joined(separator: ", "))); set DDAS_RESOURCES_DIR to the folder that holds Migrations/, Workflows/ and Data/"
    }
}

/// What one process runs, so that API and delivery work can scale apart.
public enum ProcessRole: String, Sendable, CaseIterable {
    /// The HTTP API and the phase reconciler.
    case api
    /// The delivery scheduler and the lease rescuer (and the pulls, once the DDAS client is
    /// configured); HTTP serves the health endpoints only, for probes.
    case worker
    /// Both.
    case all
}
