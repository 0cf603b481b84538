import DDASExchange
import Foundation

/// One page of a supplier's answer read the way a pull reads it: parsing alone (the limit),
/// parsing and the exchange model's schema, or that and the semantic checks of the
/// delivery-quality analysis; MB/s over `rounds` and the process's peak memory above what
/// it held before the first round.
struct ValidationBenchmark {
    /// How much of the reading is done.
    enum Mode: String, CaseIterable {
        /// `JSONTape(parsing:)` only: the page read into a tape, no tree.
        case parse
        /// The page read and `gegevens` checked against the schema.
        case schema
        /// The schema, then the per-record and cross-record checks.
        case semantic
    }

    let model: ExchangeModel
    let body: [UInt8]
    /// Whether the page may have findings (`--findings allowed`): the 1%-invalid page is read
    /// and checked like a clean one.
    var allowsFindings = false

    /// The page in `page`, checked against the newest model of `stroom` (`VS`, `SHV`) in
    /// `exchange` (a folder of schema files).
    init(page: String, exchange: String, stroom: String = "VS") throws {
        guard let stream = ExchangeStroom(rawValue: stroom) else { throw BenchmarkError(message: "--stroom must be VS or SHV") }
        guard let data = FileManager.default.contents(atPath: page) else { throw BenchmarkError(message: "no page at \(page)") }
        body = [UInt8](data)
        model = try ExchangeSchemas(directory: URL(fileURLWithPath: exchange)).latestModel(stream)
    }

    /// Runs `mode` `rounds` times; the first run is a warm-up that is also timed.
    func measure(_ mode: Mode, rounds: Int) throws -> BenchmarkResult {
        let before = residentMemory().current
        var times: [Double] = []
        var records = 0
        for _ in 0..<max(1, rounds) {
            let started = ContinuousClock.now
            records = try run(mode)
            times.append(seconds(started.duration(to: .now)))
        }
        let peak = residentMemory().peak
        let median = times.sorted()[times.count / 2]
        return BenchmarkResult(
            kind: "validation", subject: "ours-" + mode.rawValue,
            parameters: ["bytes": Double(body.count), "records": Double(records)],
            figures: [
                "seconds": median, "minSeconds": times.min() ?? 0, "maxSeconds": times.max() ?? 0,
                "megabytesPerSecond": Double(body.count) / median / 1e6, "peakBytesAbove": Double(max(0, peak - before)),
            ])
    }

    /// One reading of the page as a pull reads it (the schema on the page's tape, the checks
    /// walking it); the records it held. A page with schema violations is refused unless
    /// `allowsFindings`; then its violations are counted and attributed like a clean page's.
    func run(_ mode: Mode) throws -> Int {
        switch mode {
        case .parse:
            _ = try JSONTape(parsing: body)
            return 0
        case .schema, .semantic:
            let page = try GegevensPage(body: body, stream: model.stream)
            let schema = model.schema.validate(page.gegevensOnTape)
            guard schema.isValid || allowsFindings else {
                throw BenchmarkError(message: "the page does not satisfy the schema: \(schema.totalViolationCount) violation(s)")
            }
            if mode == .semantic {
                let start = page.gegevensOnTape["startdatumLevering"]?.stringValue ?? "2025-01-01"
                let end = page.gegevensOnTape["einddatumLevering"]?.stringValue ?? "2025-01-31"
                var analysis = LeveringKwaliteitAnalysis(model: model, periodeStart: start, periodeEind: end, today: "2025-12-01")
                if analysis.add(page, schema: schema) != nil { throw BenchmarkError(message: "the page is unreadable") }
                _ = analysis.finish()
            }
            return page.recordCount
        }
    }
}
