import Foundation
import Logging
import RegieApp
import RegieDomain
import RegieStore

/// Opens the database the options choose (a running service's embedded cluster, a new
/// embedded one for the command's duration, or an existing PostgreSQL), brings the schema
/// up to date unless told not to, runs `body`, and closes everything however `body` ends.
func withDatabase<T>(
    _ options: DatabaseOptions, migrating: Bool = true, _ body: (RegieDatabase, MigrationSet, Logger) async throws -> T
) async throws -> T {
    let environment = ProcessInfo.processInfo.environment
    let logger = try options.bootstrapLogging(environment: environment, defaultLevel: "warning")
    let resources = try Resources.locate(environment: environment)
    let setting = try options.database(environment: environment)
    let migrations = try MigrationSet(directory: resources.migrations)
    let database = try await RegieDatabase.open(setting, mode: .shared, poolSize: 2, privileges: .owner, logger: logger)
    do {
        if migrating {
            try await database.migrate(migrations, logger: logger)
        }
        let value = try await body(database, migrations, logger)
        try await database.close()
        return value
    } catch {
        try? await database.close()
        throw error
    }
}

/// ``withDatabase(_:migrating:_:)`` for a command that works through the stores: every store
/// built once over the opened database, with the shipped workflows.
func withStores<T>(_ options: DatabaseOptions, _ body: (RegieStores, Logger) async throws -> T) async throws -> T {
    let folder = try Resources.locate(environment: ProcessInfo.processInfo.environment).workflows
    let workflows = try Workflows.load(from: folder)
    let schedule = try LeveringSchedule.load(from: folder)
    return try await withDatabase(options) { database, _, logger in
        try await body(database.stores(workflows: workflows, schedule: schedule, logger: logger), logger)
    }
}
