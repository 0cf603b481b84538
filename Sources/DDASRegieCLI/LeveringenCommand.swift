import ArgumentParser
import Foundation
import Postgres
import RegieApp
import RegieDomain
import RegieStore

/// `ddas-regie leveringen list|trigger`: the delivery queue for operators on the machine.
struct LeveringenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leveringen", abstract: "Lists deliveries, and queues a delivery for gemeenten by hand.",
        subcommands: [List.self, Trigger.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists deliveries, newest first (metadata only).")

        @Option(help: "Only this gemeente (GM0363).")
        var gemeente: String?

        @Option(help: "Only this state: gepland, bezig, geslaagd, mislukt, opgegeven or geannuleerd.")
        var status: String?

        @Option(help: "Only this supplier.")
        var leverancier: String?

        @Option(help: "At most this many, 1-1000 (default 50).")
        var limit: Int = 50

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard (1...1000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
            if let gemeente, Gemeentecode(gemeente) == nil { throw ValidationError("--gemeente must be a gemeentecode such as GM0363") }
            let states = ["gepland", "bezig", "geslaagd", "mislukt", "opgegeven", "geannuleerd"]
            if let status, !states.contains(status) { throw ValidationError("--status must be one of " + states.joined(separator: ", ")) }
        }

        func run() async throws {
            try await withStores(database) { stores, _ in
                let filter = LeveringQueue.Filter(gemeente: gemeente.flatMap(Gemeentecode.init), leverancierID: leverancier, status: status)
                let page = try await stores.queue.list(filter, offset: 0, limit: limit)
                for record in page.records {
                    let fields = [
                        record.id.uuidString.lowercased(), record.gemeente.rawValue, record.leverancierID, record.stroom.rawValue,
                        record.periode,
                        record.doel, record.status, "\(record.pogingen)/\(record.maxPogingen)", record.laatsteFoutKlasse ?? "-",
                    ]
                    writeLine(fields.joined(separator: "\t"))
                }
                FileHandle.standardError.write(Data("\(page.records.count) of \(page.total) deliveries\n".utf8))
            }
        }
    }

    struct Trigger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queues a delivery of one period for gemeenten with active consent; prints how many were new.")

        @Option(name: .customLong("gemeente"), help: "A gemeente (GM0363); repeat for more.")
        var gemeenten: [String] = []

        @Option(help: "The period: 2026-03, 2026-Q1 or 2026-H1.")
        var periode: String

        @Option(help: "test, regulier or herlevering (default regulier).")
        var doel: String = "regulier"

        @Option(help: "The stream (default VS).")
        var stroom: String = "VS"

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard !gemeenten.isEmpty else { throw ValidationError("give at least one --gemeente") }
            for code in gemeenten where Gemeentecode(code) == nil {
                throw ValidationError("--gemeente \(code) is not a gemeentecode such as GM0363")
            }
            guard Rapportageperiode(key: periode) != nil else { throw ValidationError("--periode must be a period such as 2026-Q1") }
            guard ["test", "regulier", "herlevering"].contains(doel) else {
                throw ValidationError("--doel must be test, regulier or herlevering")
            }
            guard Stroom(rawValue: stroom) != nil else { throw ValidationError("--stroom must be VS or SHV") }
        }

        func run() async throws {
            guard let period = Rapportageperiode(key: periode), let stroom = Stroom(rawValue: stroom) else { return }
            try await withStores(database) { stores, _ in
                let queue = stores.queue
                let now = Date()
                let eligible = Dictionary(
                    try await queue.eligible(stroom, on: amsterdamDay(now), supplierActief: doel != "test").map {
                        ($0.gemeente, $0.leverancierID)
                    },
                    uniquingKeysWith: { first, _ in first })
                let codes = gemeenten.compactMap(Gemeentecode.init)
                let first = period.firstDay
                let last = period.lastDay
                let requests = codes.compactMap { code in
                    eligible[code].map {
                        LeveringRequest(
                            gemeente: code, leverancierID: $0, stroom: stroom, periode: period.key,
                            periodeStart: PostgresDate(year: first.year, month: first.month, day: first.day),
                            periodeEind: PostgresDate(year: last.year, month: last.month, day: last.day), doel: doel, maxPogingen: 5,
                            notBefore: now)
                    }
                }
                for code in codes where eligible[code] == nil {
                    FileHandle.standardError.write(
                        Data("\(code.rawValue): skipped, no active consent to a supplier that may be pulled\n".utf8))
                }
                let inserted = try await queue.enqueue(
                    requests,
                    audit: AuditActor.commandLine.event(
                        "levering.aangevraagd", objectType: "leveringen", objectID: stroom.rawValue,
                        after: ["periodes": period.key, "gemeenten": String(requests.count), "doel": doel], at: now))
                writeLine("\(inserted)")
            }
        }
    }
}
