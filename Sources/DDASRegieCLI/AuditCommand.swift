import ArgumentParser
import Foundation
import RegieApp
import RegieStore

/// `ddas-regie audit verify`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Checks the audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walks the hash chain of the audit trail; exits 1 naming the first broken link.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let outcome = try await withDatabase(database) { database, _, _ in
                try await AuditLog().verify(pool: database.pool)
            }
            switch outcome {
            case .intact(let events):
                writeLine("The audit trail is intact: \(events) event(s).")
            case .broken(let sequence, let reason):
                writeLine("The audit trail is broken at event \(sequence): \(reason).")
                throw ExitCode.failure
            }
        }
    }
}
