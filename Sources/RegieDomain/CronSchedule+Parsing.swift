import Foundation

extension CronSchedule {
    /// One of the five fields of a cron expression, in the order they are written.
    public enum Field: String, CaseIterable, Hashable, Sendable {
        /// 0 to 59.
        case minute
        /// 0 to 23.
        case hour
        /// 1 to 31.
        case dayOfMonth = "day of month"
        /// 1 to 12.
        case month
        /// 0 to 7, 0 and 7 both Sunday.
        case dayOfWeek = "day of week"

        /// The values a field may name.
        public var range: ClosedRange<Int> {
            switch self {
            case .minute: 0...59
            case .hour: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 0...7
            }
        }
    }

    /// Reads one field: a comma list of `*`, `n`, `a-b`, `*/s` or `a-b/s`.
    static func parse(_ text: Substring, as field: Field) throws(CronParseError) -> CronValues {
        var values = CronValues()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw CronParseError(field, "'\(item)' has more than one '/'") }
            let range = try parseRange(parts[0], as: field)
            var step = 1
            if parts.count == 2 {
                guard let value = number(parts[1]), value > 0 else {
                    throw CronParseError(field, "the step in '\(item)' is not a positive number")
                }
                guard parts[0] == "*" || parts[0].contains("-") else {
                    throw CronParseError(field, "a step needs '*' or a range before it, not '\(parts[0])'")
                }
                step = value
            }
            for value in stride(from: range.lowerBound, through: range.upperBound, by: step) {
                values.insert(field == .dayOfWeek && value == 7 ? 0 : value)
            }
        }
        return values
    }

    private static func parseRange(_ text: Substring, as field: Field) throws(CronParseError) -> ClosedRange<Int> {
        if text == "*" { return field.range }
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count <= 2, let low = number(bounds[0]), let high = number(bounds[bounds.count - 1]) else {
            throw CronParseError(field, text.isEmpty ? "an item is empty" : "'\(text)' is not a number, a range or '*'")
        }
        for value in [low, high] where !field.range.contains(value) {
            throw CronParseError(
                field, "\(value) is out of range \(field.range.lowerBound)-\(field.range.upperBound)")
        }
        guard low <= high else { throw CronParseError(field, "the range '\(text)' runs backwards") }
        return low...high
    }

    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 4, text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(text)
    }
}

/// Why a cron expression was refused, naming the field when one is at fault.
public struct CronParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field at fault; nil when the expression as a whole is (the wrong number of fields).
    public let field: CronSchedule.Field?
    /// What is wrong, for a person.
    public let reason: String

    init(_ field: CronSchedule.Field?, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String {
        if let field { "cron \(field.rawValue) field: \(reason)" } else { "cron expression: \(reason)" }
    }
}

/// The values one field allows, as bits: small, hashable and quick to test.
struct CronValues: Hashable, Sendable {
    private(set) var bits: UInt64 = 0

    mutating func insert(_ value: Int) { bits |= 1 << UInt64(value) }

    func contains(_ value: Int) -> Bool { bits & (1 << UInt64(value)) != 0 }

    /// The values in ascending order.
    var sorted: [Int] { (0..<64).filter(contains) }
}
