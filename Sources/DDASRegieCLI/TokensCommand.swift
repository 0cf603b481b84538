import ArgumentParser
import Foundation
import RegieApp
import RegieDomain
import RegieStore

/// `ddas-regie tokens create|list|revoke`: the way to the first admin token, and a door
/// for operators who have the machine but no token.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "Creates, lists and revokes API tokens.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Creates a token and prints it once; only its SHA-256 is stored.")

        @Option(help: "projectteam, gemeente, leverancier, scheduler or admin.")
        var role: String

        @Option(help: "The gemeentecode (role gemeente) or supplier id (role leverancier).")
        var scope: String?

        @Option(name: .customLong("expires-in"), help: "Days the token is valid, 1-730 (default 90).")
        var expiresIn: Int?

        @Option(help: "What the token is for (at most 200 characters; no personal names).")
        var description: String?

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await withStores(database) { stores, _ in
                let tokens = stores.tokens
                let valid: TokenRequestValidation.Valid
                do {
                    valid = try await TokenRequestValidation.validate(
                        role: role, scope: scope, days: expiresIn, description: description,
                        gemeenten: stores.gemeenten, leveranciers: stores.leveranciers,
                        names: .init(role: "--role", scope: "--scope", days: "--expires-in", description: "--description"))
                } catch let problem as Problem {
                    throw UsageError(description: problem.invalidParams.map { "\($0.name) \($0.reason)" }.joined(separator: "; "))
                }
                let now = Date()
                let issued = try await tokens.issue(
                    role: valid.role, scope: valid.scope, expiresAt: now.addingTimeInterval(Double(valid.days) * 86_400),
                    description: valid.description, by: .commandLine, now: now)
                writeLine(issued.secret)
                FileHandle.standardError.write(
                    Data(
                        "Token \(issued.record.id.uuidString.lowercased()) (\(valid.role.rawValue)\(valid.scope.map { " " + $0 } ?? "")) valid until \(AuditChain.timestamp(issued.record.expiresAt ?? now)). It is shown only this once.\n"
                            .utf8))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists tokens (never their secrets).")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await withStores(database) { stores, _ in
                let now = Date()
                for record in try await stores.tokens.list() {
                    let state = record.revokedAt != nil ? "revoked" : (record.expiresAt.map { $0 <= now } ?? false) ? "expired" : "active"
                    writeLine(
                        "\(record.id.uuidString.lowercased())  \(record.role.rawValue)  \(record.scope ?? "-")  \(state)  \(record.description)"
                    )
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revokes a token at once.")

        @Argument(help: "The token's id.")
        var id: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard let uuid = UUID(uuidString: id) else { throw UsageError(description: "ID must be a token id (a UUID), not '\(id)'") }
            try await withStores(database) { stores, _ in
                guard try await stores.tokens.revoke(id: uuid, by: .commandLine) != nil else {
                    throw UsageError(description: "there is no token \(id)")
                }
                writeLine("Revoked \(uuid.uuidString.lowercased()).")
            }
        }
    }
}
