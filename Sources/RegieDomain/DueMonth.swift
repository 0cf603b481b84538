import Foundation
import Synchronization

/// A calendar month in which a plan step is due, written `YYYY-MM` (`2026-04`).
///
/// The plan's months are Dutch months: a month ends at midnight in Europe/Amsterdam, summer
/// time included.
public struct DueMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year, 2000 to 2999.
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int

    /// The time zone the plan's months are counted in.
    public static let planTimeZone = TimeZone(identifier: "Europe/Amsterdam") ?? TimeZone(secondsFromGMT: 3600) ?? .gmt

    /// Parses `YYYY-MM`; nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            parts.allSatisfy({ $0.utf8.allSatisfy { (48...57).contains($0) } }),
            let year = Int(parts[0]), let month = Int(parts[1]),
            (2000...2999).contains(year), (1...12).contains(month)
        else { return nil }
        self.year = year
        self.month = month
    }

    /// The first instant after this month, in `timeZone`: from then on the month is over.
    public func end(in timeZone: TimeZone = DueMonth.planTimeZone) -> Date {
        if timeZone == Self.planTimeZone { return Self.planEnds.end(of: self) }
        return Self.computeEnd(year: year, month: month, in: timeZone)
    }

    /// Computes the first instant after a month with a calendar in `timeZone`.
    static func computeEnd(year: Int, month: Int, in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let next = month == 12 ? (year + 1, 1) : (year, month + 1)
        let components = DateComponents(year: next.0, month: next.1, day: 1)
        return calendar.date(from: components) ?? .distantFuture
    }

    /// The ends of the plan's months, each computed once: reports ask for the same few
    /// months thousands of times per request, and a time-zone computation is costly.
    static let planEnds = PlanMonthEnds()

    /// The ends of the months asked for, in the plan's time zone, each computed on first use.
    final class PlanMonthEnds: Sendable {
        private let ends = Mutex<[DueMonth: Date]>([:])

        func end(of due: DueMonth) -> Date {
            if let known = ends.withLock({ $0[due] }) { return known }
            let end = DueMonth.computeEnd(year: due.year, month: due.month, in: DueMonth.planTimeZone)
            ends.withLock { $0[due] = end }
            return end
        }
    }

    /// Whether the month is over at `now`.
    public func hasPassed(at now: Date, in timeZone: TimeZone = DueMonth.planTimeZone) -> Bool {
        now >= end(in: timeZone)
    }

    public var description: String {
        "\(year)-\(month < 10 ? "0" : "")\(month)"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}
