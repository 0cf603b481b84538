import Foundation
import Logging
import RegieApp
import RegieDomain
import RegieStore

// ddas-regie-bench: the project's benchmarks, run in release mode by `Benchmarks/run`.
// Figures only, never assertions: tests stay fast, and absolute times drift on shared machines.

// `ddas-regie-bench rapportage [rounds]`: the status report with history, at 1× and 10×.
if CommandLine.arguments.dropFirst().first == "rapportage" {
    let rounds = CommandLine.arguments.dropFirst(2).first.flatMap(Int.init) ?? 50
    var logger = Logger(label: "ddas-regie-bench")
    logger.logLevel = .warning
    let bench = try await QueueBenchmark.start(logger: logger)
    var figures: [ReportBenchmark.Figure] = []
    do {
        let report = ReportBenchmark(bench: bench)
        try await report.fillAudit(events: 20_000)
        for scale in [1, 10] {
            let deliveries = try await report.fill(scale: scale)
            figures += try await report.measure(scale: scale, deliveries: deliveries, rounds: rounds, logger: logger)
        }
    } catch {
        await bench.stop()
        throw error
    }
    await bench.stop()
    FileManager.default.createFile(atPath: "report-benchmark.json", contents: try JSONEncoder().encode(figures))
    exit(0)
}

let arguments = CommandLine.arguments.dropFirst()
let deliveries = arguments.first.flatMap(Int.init) ?? 20_000
let rounds = arguments.dropFirst().first.flatMap(Int.init) ?? 3
var logger = Logger(label: "ddas-regie-bench")
logger.logLevel = .warning

let bench = try await QueueBenchmark.start(logger: logger)
var rows: [QueueBenchmark.Figure] = []
do {
    for (workers, batch) in [(1, 1), (2, 1), (4, 1), (1, 16), (4, 16)] {
        rows.append(try await bench.measure(deliveries: deliveries, workers: workers, batch: batch, rounds: rounds))
        print(rows.last!.line)
    }
} catch {
    await bench.stop()
    throw error
}
await bench.stop()
let json = try JSONEncoder().encode(rows)
FileManager.default.createFile(atPath: "queue-benchmark.json", contents: json)
