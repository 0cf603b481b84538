import ArgumentParser
import Foundation
import RegieApp
import RegieDomain
import RegieStore

/// `ddas-regie meldingen list|retry`: the outbox of meldingen for operators on the machine.
struct MeldingenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meldingen", abstract: "Lists the outbox of meldingen (e-mails and webhooks), and sends failed ones again.",
        subcommands: [List.self, Retry.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lists messages of the outbox, newest first, with their address and where their sending stands.")

        @Option(help: "Only this state: wachtend, bezig, verzonden or mislukt.")
        var status: String?

        @Option(help: "Only this soort of melding, such as levering.opgegeven.")
        var soort: String?

        @Option(help: "Only messages to this party: projectteam, gemeente:GM0363 or leverancier:<id>.")
        var partij: String?

        @Option(help: "At most this many, 1-500 (default 50).")
        var limit: Int = 50

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard MeldingOutbox.Filter.limits.contains(limit) else { throw ValidationError("--limit must be between 1 and 500") }
            if let status, MeldingBezorgStatus(rawValue: status) == nil {
                throw ValidationError("--status must be one of " + MeldingBezorgStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if let soort, MeldingSoort(rawValue: soort) == nil {
                throw ValidationError("--soort must be one of " + MeldingSoort.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if let partij, MeldingPartij(notatie: partij) == nil {
                throw ValidationError("--partij must be projectteam, gemeente:<gemeentecode> (gemeente:GM0363) or leverancier:<id>")
            }
        }

        func run() async throws {
            let filter = MeldingOutbox.Filter(
                status: status.flatMap(MeldingBezorgStatus.init(rawValue:)), soort: soort.flatMap(MeldingSoort.init(rawValue:)),
                partij: partij.flatMap(MeldingPartij.init(notatie:)), limit: limit)
            let berichten = try await withStores(database) { stores, _ in try await stores.meldingen.list(filter) }
            FileHandle.standardOutput.write(Data((json ? try MeldingOutboxText.json(berichten) : MeldingOutboxText.table(berichten)).utf8))
            if !json { FileHandle.standardError.write(Data("\(berichten.count) message(s)\n".utf8)) }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sends a failed message again (or every failed one): it waits, due now, with a fresh set of attempts; audited.",
            discussion: "Exits 1 when the message is not mislukt (nothing changes), 2 when there is no such message.")

        @Argument(help: "The message's id (from meldingen list).")
        var id: String?

        @Flag(name: .customLong("alle-mislukt"), help: "Every failed message instead of one.")
        var alleMislukt = false

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            switch (id, alleMislukt) {
            case (nil, false): throw ValidationError("give a message's id, or --alle-mislukt")
            case (.some, true): throw ValidationError("give a message's id or --alle-mislukt, not both")
            case (.some(let id), false) where UUID(uuidString: id) == nil:
                throw ValidationError("the id must be a message's id (a UUID), not '\(id)'")
            default: break
            }
        }

        func run() async throws {
            let now = Date()
            if alleMislukt {
                let retried = try await withStores(database) { stores, _ in
                    try await stores.meldingen.retryFailed(by: .commandLine, now: now)
                }
                for id in retried { writeLine("\(id.uuidString.lowercased()) wachtend") }
                writeLine("\(retried.count) failed message(s) queued again.")
                return
            }
            guard let id = id.flatMap(UUID.init(uuidString:)) else { return }
            let outcome = try await withStores(database) { stores, _ in try await stores.meldingen.retry(id, by: .commandLine, now: now) }
            let name = id.uuidString.lowercased()
            switch outcome {
            case .wachtend:
                writeLine("\(name) wachtend: queued again, due now.")
            case .geweigerd(let status):
                FileHandle.standardError.write(Data("\(name) is \(status.rawValue), not mislukt: nothing changed.\n".utf8))
                throw ExitCode.failure
            case .onbekend:
                throw UsageError(description: "there is no message \(name)")
            }
        }
    }
}
