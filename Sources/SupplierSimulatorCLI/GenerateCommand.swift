import ArgumentParser
import Foundation
import SupplierSimulator

/// `ddas-supplier-sim generate`: writes one response body to a file and reports how fast it was made.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Writes one generated page (the 200 body of POST /gegevens) to a file, and reports size and speed on standard error.")

    @Option(help: "VS or SHV.")
    var stroom: String = "VS"

    @Option(help: "Gemeentecode, 0363 or GM0363.")
    var gemeente: String = "0363"

    @Option(help: "Organisation name.")
    var organisatie: String = "Gemeente Voorbeeldstad"

    @Option(help: "First day of the period, YYYY-MM-DD.")
    var start: String = "2025-01-01"

    @Option(help: "Last day of the period, YYYY-MM-DD.")
    var end: String = "2025-01-31"

    @Option(help: "Records per month.")
    var recordsPerMonth: Int = 300

    @Option(help: "Spread of the record count, 0...1.")
    var variation: Double = 0

    @Option(help: "Page to write.")
    var page: Int = 1

    @Option(help: "Records per page (at most 50,000 VS, 25,000 SHV).")
    var pageSize: Int = 50_000

    @Option(help: "Seed of the data.")
    var seed: UInt64 = 1

    @Option(help: "How many times to generate the page, for timing.")
    var repetitions: Int = 1

    @Option(help: "Where to write the body; - for standard output.")
    var output: String

    func run() throws {
        guard let stroom = Stroom(rawValue: stroom.uppercased()) else { throw ValidationError("--stroom must be VS or SHV") }
        guard let gemeente = SimulatedGemeente(code: gemeente, organisatie: organisatie) else {
            throw ValidationError("--gemeente must be a gemeentecode")
        }
        guard let first = KalenderDatum(start), let last = KalenderDatum(end), let period = Aanleverperiode(start: first, end: last) else {
            throw ValidationError("--start and --end must be dates YYYY-MM-DD, the end not before the start")
        }
        guard page >= 1, pageSize >= 1, repetitions >= 1 else {
            throw ValidationError("--page, --page-size and --repetitions must be at least 1")
        }
        let payload = SyntheticPayload(
            stroom: stroom, seed: seed, volume: SyntheticVolume(recordsPerMonth: recordsPerMonth, variation: variation),
            codeGegevensleverancier: "ddas-supplier-sim")
        let plan = payload.plan(gemeenten: [gemeente], period: period, page: page, pageSize: min(pageSize, stroom.maximumPageSize))
        let clock = ContinuousClock()
        var body: [UInt8] = []
        var best = Duration.seconds(3_600)
        for _ in 0..<repetitions {
            let elapsed = clock.measure { body = payload.responseBody(plan: plan, period: period) }
            best = min(best, elapsed)
        }
        if output == "-" {
            FileHandle.standardOutput.write(Data(body))
        } else {
            try Data(body).write(to: URL(fileURLWithPath: output))
        }
        let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
        let records = plan.parts.reduce(0) { $0 + $1.records.count }
        let report = String(
            format: "%d records, %d bytes, best of %d: %.1f ms, %.0f MB/s\n", records, body.count, repetitions, seconds * 1000,
            Double(body.count) / seconds / 1e6)
        FileHandle.standardError.write(Data(report.utf8))
    }
}
