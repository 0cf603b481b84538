import Foundation

/// The reporting period a delivery covers: a month, a quarter or a half year, keyed `2026-03`,
/// `2026-Q1` or `2026-H1`.
///
/// Periods are calendar periods in the plan's time zone (Europe/Amsterdam): a run at
/// 2026-04-01 01:30 summer time is already in April, so the quarter before it is 2026-Q1.
public struct Rapportageperiode: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// How long a period is.
    public enum Granulariteit: String, CaseIterable, Hashable, Sendable {
        /// A calendar month.
        case maand
        /// A calendar quarter: January to March, April to June, ….
        case kwartaal
        /// A half year: January to June, July to December.
        case halfjaar

        /// The number of months in one period.
        public var months: Int {
            switch self {
            case .maand: 1
            case .kwartaal: 3
            case .halfjaar: 6
            }
        }

        /// The number of periods in a year.
        public var periodsPerYear: Int { 12 / months }
    }

    /// How long the period is.
    public let granularity: Granulariteit
    /// The year, 1000 to 9999.
    public let year: Int
    /// The month (1 to 12), quarter (1 to 4) or half (1 to 2) within the year.
    public let index: Int

    /// The period, or nil when `index` is not one of the year's periods.
    public init?(_ granularity: Granulariteit, year: Int, index: Int) {
        guard (1000...9999).contains(year), (1...granularity.periodsPerYear).contains(index) else { return nil }
        self.granularity = granularity
        self.year = year
        self.index = index
    }

    /// Parses a key: `2026-03`, `2026-Q1` or `2026-H1`; nil for anything else.
    public init?(key: some StringProtocol) {
        let parts = String(key).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            parts[0].utf8.allSatisfy({ (48...57).contains($0) }), let year = Int(parts[0])
        else { return nil }
        let granularity: Granulariteit
        let digits: Substring
        switch parts[1].first {
        case "Q": (granularity, digits) = (.kwartaal, parts[1].dropFirst())
        case "H": (granularity, digits) = (.halfjaar, parts[1].dropFirst())
        default: (granularity, digits) = (.maand, parts[1])
        }
        guard digits.utf8.allSatisfy({ (48...57).contains($0) }), let index = Int(digits) else { return nil }
        self.init(granularity, year: year, index: index)
    }

    /// The period of `granularity` that contains `day`.
    public init(_ granularity: Granulariteit, containing day: KalenderDag) {
        self.granularity = granularity
        self.year = day.year
        self.index = (day.month - 1) / granularity.months + 1
    }

    /// The last period of `granularity` that ended before `instant`, on the wall calendar of
    /// `timeZone`: for a run on 2026-04-01 it is 2026-03, 2026-Q1 or 2025-H2.
    public static func periodBefore(
        _ instant: Date, granularity: Granulariteit, timeZone: TimeZone = DueMonth.planTimeZone
    ) -> Rapportageperiode {
        Rapportageperiode(granularity, containing: KalenderDag.containing(instant, in: timeZone)).previous
    }

    /// The stable key: `2026-03`, `2026-Q1` or `2026-H1`.
    public var key: String {
        switch granularity {
        case .maand: "\(year)-\(index < 10 ? "0" : "")\(index)"
        case .kwartaal: "\(year)-Q\(index)"
        case .halfjaar: "\(year)-H\(index)"
        }
    }

    public var description: String { key }

    /// The first month of the period, 1 to 12.
    public var firstMonth: Int { (index - 1) * granularity.months + 1 }

    /// The first day of the period.
    public var firstDay: KalenderDag { KalenderDag(dayNumber: dayNumber(year: year, month: firstMonth)) }

    /// The last day of the period.
    public var lastDay: KalenderDag { KalenderDag(dayNumber: next.firstDay.dayNumber - 1) }

    /// The period just before this one.
    public var previous: Rapportageperiode { shifted(by: -1) }

    /// The period just after this one.
    public var next: Rapportageperiode { shifted(by: 1) }

    /// Every period from `first` through `last`, in order (a backfill); empty when `last` is
    /// before `first` or the two differ in granularity.
    public static func range(from first: Rapportageperiode, to last: Rapportageperiode) -> [Rapportageperiode] {
        guard first.granularity == last.granularity, first <= last else { return [] }
        let count = last.ordinal - first.ordinal
        return (0...count).map { first.shifted(by: $0) }
    }

    /// Periods earlier in time come first; of two starting together, the shorter one.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.year, lhs.firstMonth, lhs.granularity.months) < (rhs.year, rhs.firstMonth, rhs.granularity.months)
    }

    private var ordinal: Int { year * granularity.periodsPerYear + index - 1 }

    private func shifted(by count: Int) -> Rapportageperiode {
        let ordinal = ordinal + count
        let perYear = granularity.periodsPerYear
        let year = ordinal >= 0 ? ordinal / perYear : (ordinal - perYear + 1) / perYear
        return Rapportageperiode(unchecked: granularity, year: year, index: ordinal - year * perYear + 1)
    }

    private init(unchecked granularity: Granulariteit, year: Int, index: Int) {
        self.granularity = granularity
        self.year = year
        self.index = index
    }

    private func dayNumber(year: Int, month: Int) -> Int {
        (KalenderDag(year: year, month: month, day: 1) ?? KalenderDag(dayNumber: 0)).dayNumber
    }
}
