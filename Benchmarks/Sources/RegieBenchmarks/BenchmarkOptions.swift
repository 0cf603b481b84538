import Foundation

/// The options of one `ddas-regie-bench` command: `--name value` pairs after the command name.
struct BenchmarkOptions {
    let values: [String: String]

    /// Reads `--name value` pairs; a name without a value is an error.
    init(_ arguments: some Sequence<String>) throws {
        var values: [String: String] = [:]
        var iterator = arguments.makeIterator()
        while let name = iterator.next() {
            guard name.hasPrefix("--"), let value = iterator.next() else {
                throw BenchmarkError(message: "expected --name value pairs, not \(name)")
            }
            values[String(name.dropFirst(2))] = value
        }
        self.values = values
    }

    /// The text of `name`, or `fallback`.
    func text(_ name: String, _ fallback: String? = nil) throws -> String {
        guard let value = values[name] ?? fallback else { throw BenchmarkError(message: "--\(name) is required") }
        return value
    }

    /// The whole number of `name`, or `fallback`.
    func number(_ name: String, _ fallback: Int) throws -> Int {
        guard let text = values[name] else { return fallback }
        guard let value = Int(text) else { throw BenchmarkError(message: "--\(name) must be a whole number") }
        return value
    }

    /// The comma-separated whole numbers of `name`, or `fallback`.
    func numbers(_ name: String, _ fallback: [Int]) throws -> [Int] {
        guard let text = values[name] else { return fallback }
        let list = text.split(separator: ",").compactMap { Int($0) }
        guard !list.isEmpty else { throw BenchmarkError(message: "--\(name) must list whole numbers") }
        return list
    }
}

/// One measurement, written as one JSON line on standard output for `Benchmarks/report.py`.
struct BenchmarkResult: Codable {
    /// The case: queue, validation, report, history.
    var kind: String
    /// What was measured: ours, or a variant of it.
    var subject: String
    /// The parameters of the measurement (workers, batch, scale, mode…).
    var parameters: [String: Double] = [:]
    /// The figures (seconds, perSecond, bytes, peakBytes…).
    var figures: [String: Double] = [:]

    /// Writes the measurement as one line.
    func emit() throws {
        var line = try JSONEncoder().encode(self)
        line.append(UInt8(ascii: "\n"))
        FileHandle.standardOutput.write(line)
    }
}

/// Why a benchmark could not run.
struct BenchmarkError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Seconds in a duration.
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// The memory figures of this process from `/proc/self/status`, in bytes: `VmRSS` (now) and `VmHWM` (peak).
func residentMemory() -> (current: Int, peak: Int) {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Int {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }
    return (field("VmRSS"), field("VmHWM"))
}
