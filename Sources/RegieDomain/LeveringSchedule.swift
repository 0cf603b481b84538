import Foundation
import Yams

/// The delivery schedules of `Workflows/leveringen.yaml`: per stream, when it is pulled,
/// which period a run covers, and the limits of its pulls.
public struct LeveringSchedule: Sendable {
    /// The schedule of one stream (`VS`, `SHV`).
    public struct StroomPlan: Sendable {
        public let stroom: String
        public let cron: CronSchedule
        public let granularity: Rapportageperiode.Granulariteit
        public let retry: RetryPolicy
        public let lease: Duration
        public let perSupplier: Int
        /// The share of records (and zaken) with errors above which a delivery fails validation:
        /// final, and nothing is handed over. At or below it the delivery is handed over and its
        /// op-orde-rapport shows the errors.
        public let maxErrorShare: Double
        /// What a violation of the exchange model's JSON Schema does to a delivery.
        public let schemaViolations: SchemaViolationPolicy
    }

    /// What a violation of the exchange model's JSON Schema (an unknown member, a value outside
    /// a code list, a wrong type) does to a delivery.
    public enum SchemaViolationPolicy: String, Sendable, Hashable, CaseIterable {
        /// As the specification says ("afgekeurd"): the delivery fails as `schema`, final, and
        /// nothing is handed over; its op-orde-rapport lists every violation.
        case reject
        /// The violations count as data-quality errors of their records, under `max_error_share`:
        /// for a programme that accepts imperfect data during onboarding.
        case count
    }

    /// The error share a stream accepts when its file says nothing: 5%.
    public static let defaultMaxErrorShare = 0.05

    /// Runs missed within this many days are made up after downtime.
    public let catchUpDays: Int
    /// The streams, by name.
    public let streams: [String: StroomPlan]
    /// When a supplier service's trouble becomes a melding (`meldingen:`).
    public let meldingen: MeldingDrempels

    /// Per stream, the error share above which a delivery fails validation.
    public var maxErrorShares: [String: Double] { streams.mapValues(\.maxErrorShare) }

    /// Per stream, what a schema violation does to a delivery.
    public var schemaViolationPolicies: [String: SchemaViolationPolicy] { streams.mapValues(\.schemaViolations) }

    /// Reads and checks the file; throws `WorkflowDefinition.Invalid` listing every problem as `file:line: reason`.
    public init(yaml: String, file: String) throws(WorkflowDefinition.Invalid) {
        var reader = WorkflowFileReader(file: file)
        var streams: [String: StroomPlan] = [:]
        var catchUp = 7
        var meldingen = MeldingDrempels.standaard
        if let root = reader.root(of: yaml),
            let top = reader.entries(of: root, known: ["catch_up_days", "streams", "meldingen"], in: "the file")
        {
            if let entry = top["meldingen"] { meldingen = MeldingDrempels.read(entry.value, reader: &reader) }
            if let entry = top["catch_up_days"] {
                catchUp = Self.integer(entry, in: 0...366, what: "catch_up_days", reader: &reader) ?? catchUp
            }
            if let entry = reader.required("streams", of: top, line: WorkflowFileReader.line(of: root), in: "the file"),
                case .mapping(let mapping) = entry.value
            {
                for (key, value) in mapping {
                    let line = WorkflowFileReader.line(of: key)
                    guard let name = key.string, ["VS", "SHV"].contains(name) else {
                        reader.report(line, "unknown stream '\(key.string ?? "?")'; known: VS, SHV")
                        continue
                    }
                    if let stream = Self.stream(name, value, line: line, reader: &reader) { streams[name] = stream }
                }
            } else if let entry = top["streams"] {
                reader.report(entry.keyLine, "streams must be a mapping from stream (VS, SHV) to its schedule")
            }
        }
        guard reader.problems.isEmpty else { throw WorkflowDefinition.Invalid(problems: reader.problems) }
        self.catchUpDays = catchUp
        self.streams = streams
        self.meldingen = meldingen
    }

    /// Reads `leveringen.yaml` from a folder.
    public static func load(from folder: URL) throws(WorkflowDefinition.Invalid) -> LeveringSchedule {
        let url = folder.appendingPathComponent("leveringen.yaml")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw WorkflowDefinition.Invalid(problems: [.init(file: url.lastPathComponent, line: nil, reason: "cannot read the file")])
        }
        return try LeveringSchedule(yaml: text, file: url.lastPathComponent)
    }

    static let keys = [
        "cron", "period", "max_attempts", "backoff_base_seconds", "backoff_max_seconds", "lease_seconds", "per_supplier",
        "max_error_share", "schema_violations",
    ]

    private static func stream(_ name: String, _ node: Node, line: Int, reader: inout WorkflowFileReader) -> StroomPlan? {
        guard let entries = reader.entries(of: node, known: keys, in: "stream \(name)") else { return nil }
        var cron: CronSchedule?
        if let entry = reader.required("cron", of: entries, line: line, in: "stream \(name)"), let text = entry.value.string {
            do {
                cron = try CronSchedule(text)
            } catch {
                reader.report(WorkflowFileReader.line(of: entry.value), "\(error)")
            }
        }
        var granularity: Rapportageperiode.Granulariteit?
        if let entry = reader.required("period", of: entries, line: line, in: "stream \(name)") {
            granularity = entry.value.string.flatMap(Rapportageperiode.Granulariteit.init(rawValue:))
            if granularity == nil { reader.report(WorkflowFileReader.line(of: entry.value), "period must be maand, kwartaal or halfjaar") }
        }
        func number(_ key: String, _ range: ClosedRange<Int>) -> Int? {
            guard let entry = reader.required(key, of: entries, line: line, in: "stream \(name)") else { return nil }
            return integer(entry, in: range, what: key, reader: &reader)
        }
        let attempts = number("max_attempts", 1...100)
        let base = number("backoff_base_seconds", 1...86_400)
        let maximum = number("backoff_max_seconds", 1...86_400)
        let lease = number("lease_seconds", 10...86_400)
        let perSupplier = number("per_supplier", 1...1000)
        var errorShare = defaultMaxErrorShare
        if let entry = entries["max_error_share"] {
            if let text = entry.value.string, let value = Double(text), (0...1).contains(value) {
                errorShare = value
            } else {
                reader.report(WorkflowFileReader.line(of: entry.value), "max_error_share must be a number from 0 to 1 (0.05 is 5%)")
            }
        }
        var schemaViolations = SchemaViolationPolicy.reject
        if let entry = entries["schema_violations"] {
            if let text = entry.value.string, let policy = SchemaViolationPolicy(rawValue: text) {
                schemaViolations = policy
            } else {
                reader.report(WorkflowFileReader.line(of: entry.value), "schema_violations must be reject or count")
            }
        }
        if let base, let maximum, maximum < base {
            reader.report(line, "backoff_max_seconds must not be below backoff_base_seconds")
        }
        guard let cron, let granularity, let attempts, let base, let maximum, let lease, let perSupplier else { return nil }
        return StroomPlan(
            stroom: name, cron: cron, granularity: granularity,
            retry: RetryPolicy(baseDelay: TimeInterval(base), maxDelay: TimeInterval(maximum), maxAttempts: attempts),
            lease: .seconds(lease),
            perSupplier: perSupplier, maxErrorShare: errorShare, schemaViolations: schemaViolations)
    }

    /// The whole number of `entry` within `range`; nil (and a problem with its line) otherwise.
    static func integer(
        _ entry: WorkflowFileReader.Entry, in range: ClosedRange<Int>, what: String, reader: inout WorkflowFileReader
    ) -> Int? {
        guard let value = entry.value.int, range.contains(value) else {
            reader.report(
                WorkflowFileReader.line(of: entry.value), "\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }
}
