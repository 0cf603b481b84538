import ArgumentParser
import Foundation
import RegieApp
import RegieStore

/// `ddas-regie migrate [--status]`.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Applies pending database migrations, or lists applied and pending ones with --status.",
        discussion:
            "Pointed at the data folder of a running service, it uses that service's PostgreSQL; otherwise it starts the embedded cluster for as long as it runs."
    )

    @Flag(help: "List applied and pending migrations; change nothing.")
    var status = false

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await withDatabase(database, migrating: false) { opened, migrations, logger in
            let migrator = opened.migrator(migrations, logger: logger)
            if status {
                let current = try await migrator.status()
                for (migration, appliedAt) in current.applied {
                    writeLine("applied  \(migration.fileName)  \(ISO8601DateFormatter().string(from: appliedAt))")
                }
                for migration in current.pending {
                    writeLine("pending  \(migration.fileName)")
                }
                for version in current.unknownVersions {
                    writeLine("unknown  \(String(format: "%04d", version)) (applied by a newer release; no file here)")
                }
            } else {
                let applied = try await opened.migrate(migrations, logger: logger)
                writeLine(
                    applied.isEmpty
                        ? "Nothing to apply: the database is up to date."
                        : "Applied \(applied.count): " + applied.map(\.fileName).joined(separator: ", "))
            }
        }
    }
}
