import Foundation
import Logging

// ddas-regie-bench: the project's benchmarks, run in release mode by `Benchmarks/run`, which
// starts the PostgreSQL, runs the peers and the limits, and prints the table. Each command
// writes its measurements as JSON lines on standard output. Figures only, never assertions.
//
//   queue       --database-url URL [--deliveries 20000] [--workers 1] [--batch 1]     one round
//   history     --database-url URL [--scale 1] [--audit 0]     fills 5 years × scale of history
//   rapportage  --database-url URL [--scale 1] [--rounds 20]     the report routes over the current history
//   validatie   --page FILE --exchange DIR [--stroom VS|SHV] [--mode parse|schema|semantic] [--rounds 5]
//               [--findings refused|allowed]     allowed: a page with schema violations is measured, not refused
//
// To check an export (findings with pointers, rule codes and exit status), use
// `ddas-regie valideer`; this only measures.

var logger = Logger(label: "ddas-regie-bench")
logger.logLevel = .warning
let command = CommandLine.arguments.dropFirst().first ?? ""
// An error is a message and exit status 1, not a crash.
do {
    let options = try BenchmarkOptions(CommandLine.arguments.dropFirst(2))

    switch command {
    case "queue", "history", "rapportage":
        let bench = try await QueueBenchmark.start(url: try options.text("database-url"), logger: logger)
        do {
            let report = ReportBenchmark(bench: bench)
            switch command {
            case "queue":
                try await bench.measure(
                    deliveries: try options.number("deliveries", 20_000), workers: try options.number("workers", 1),
                    batch: try options.number("batch", 1)
                ).emit()
            case "history":
                let audit = try options.number("audit", 0)
                if audit > 0 { try await report.fillAudit(events: audit) }
                let scale = try options.number("scale", 1)
                let deliveries = try await report.fill(scale: scale)
                try BenchmarkResult(
                    kind: "history", subject: "fill", parameters: ["scale": Double(scale)], figures: ["deliveries": Double(deliveries)]
                )
                .emit()
            default:
                let row = try await bench.database.pool.query("SELECT count(*) AS n FROM leveringen WHERE doel = 'regulier'").first
                _ = try await report.measure(
                    scale: try options.number("scale", 1), deliveries: try row?.decode("n", as: Int.self) ?? 0,
                    rounds: try options.number("rounds", 20), logger: logger)
            }
        } catch {
            await bench.stop()
            throw error
        }
        await bench.stop()
    case "validatie":
        var benchmark = try ValidationBenchmark(
            page: try options.text("page"), exchange: try options.text("exchange"), stroom: try options.text("stroom", "VS"))
        benchmark.allowsFindings = try options.text("findings", "refused") == "allowed"
        guard let mode = ValidationBenchmark.Mode(rawValue: try options.text("mode", "schema")) else {
            throw BenchmarkError(message: "--mode must be parse, schema or semantic")
        }
        try benchmark.measure(mode, rounds: try options.number("rounds", 5)).emit()
    default:
        FileHandle.standardError.write(Data("usage: ddas-regie-bench queue|history|rapportage|validatie --name value …\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("ddas-regie-bench: \(error)\n".utf8))
    exit(1)
}
