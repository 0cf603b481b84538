import ArgumentParser
import Foundation
import Logging
import RegieApp

/// `ddas-regie`: the command line of the service.
@main
struct DDASRegie: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ddas-regie",
        abstract: "Runs the onboarding and the data deliveries of DDAS (Data Delen Armoede en Schulden).",
        discussion: """
            With no database configured, ddas-regie starts a private PostgreSQL
            cluster in its data folder (default .ddas/postgres), listening on a
            unix socket in that folder only.

            Environment variables (a flag wins over its variable):
              DDAS_HOST, DDAS_PORT
                  Address to listen on (default 127.0.0.1 and 8080).
              DDAS_DATA_DIR
                  Folder of the embedded PostgreSQL cluster.
              DDAS_DATABASE_URL
                  An existing PostgreSQL: libpq connection string or URL. Set
                  but empty: everything from PGHOST, PGSERVICE, ... as libpq does.
              DDAS_STATE_DIR
                  Folder for the CBS sink, staged pages, the demo's test PKI and
                  the audit trail's last verified head (default: the folder that
                  holds the data folder; with a database URL, .ddas).
              DDAS_MIGRATE_DATABASE_URL
                  With DDAS_DATABASE_URL: the schema owner's connection string, for
                  migrations; DDAS_DATABASE_URL is then the service's own login.
              DDAS_ROLE
                  What serve runs: api, worker or all (default all).
              DDAS_POOL_SIZE
                  Most database connections (default 10).
              DDAS_LOG_LEVEL
                  trace, debug, info (default), notice, warning, error, critical.
              DDAS_RESOURCES_DIR
                  Folder with Migrations/, Workflows/ and Data/ (default: found
                  beside the executable or in the working directory).
              DDAS_POSTGRES_OS_USER
                  Account the embedded PostgreSQL runs as when ddas-regie runs as
                  root (default postgres, else a system account ddas-regie).
            """,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, TokensCommand.self, LeveringenCommand.self, AuditCommand.self,
            StandaardiseerCommand.self, RapportCommand.self, ValideerCommand.self, MeldingenCommand.self,
        ],
        defaultSubcommand: nil
    )

    /// Parses, runs, and maps a usage error (a flag or variable with a bad value) to exit status 2.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as UsageError {
            FileHandle.standardError.write(Data("Error: \(error.description)\nSee 'ddas-regie --help'.\n".utf8))
            Foundation.exit(2)
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// A flag or variable with a bad value: exit status 2, naming it.
struct UsageError: Error, CustomStringConvertible {
    let description: String
}
