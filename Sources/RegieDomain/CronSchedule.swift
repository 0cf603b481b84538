import Foundation

/// When a delivery schedule runs: a five-field cron expression (minute, hour, day of month,
/// month, day of week) read on the wall clock of one time zone, Europe/Amsterdam by default.
///
/// Fields take `*`, numbers, ranges `a-b`, lists `a,b` and steps `*/n` or `a-b/n`; day of week
/// 0 and 7 are both Sunday; names (`MON`, `JAN`) are not accepted. As in Vixie cron, when both
/// day fields are restricted (neither starts with `*`) a day matching either one runs.
///
/// Summer time: a wall-clock time that does not exist (02:30 on the last Sunday of March) runs
/// once, at the first instant after the gap (03:00 summer time); a wall-clock time that occurs
/// twice (02:30 on the last Sunday of October) runs once, at its first occurrence. Times that
/// land on the same instant run once, so an hourly schedule runs 23 times on the spring day
/// and 24 times on the autumn day.
public struct CronSchedule: Hashable, Sendable, CustomStringConvertible {
    /// The expression as written.
    public let expression: String
    /// The time zone whose wall clock the expression is read on.
    public let timeZone: TimeZone
    let minutes: [Int]
    let hours: [Int]
    let daysOfMonth: CronValues
    let months: CronValues
    let daysOfWeek: CronValues
    let bothDaysRestricted: Bool

    /// How far `nextRun(after:)` looks ahead: 28 years, one full cycle of weekdays and leap years.
    static let searchDays = 28 * 366

    /// Reads `expression`; throws naming the field that is wrong.
    public init(_ expression: String, timeZone: TimeZone = DueMonth.planTimeZone) throws(CronParseError) {
        let fields = expression.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 5 else {
            throw CronParseError(
                nil, "needs 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)")
        }
        self.expression = expression
        self.timeZone = timeZone
        minutes = try Self.parse(fields[0], as: .minute).sorted
        hours = try Self.parse(fields[1], as: .hour).sorted
        daysOfMonth = try Self.parse(fields[2], as: .dayOfMonth)
        months = try Self.parse(fields[3], as: .month)
        daysOfWeek = try Self.parse(fields[4], as: .dayOfWeek)
        bothDaysRestricted = !fields[2].hasPrefix("*") && !fields[4].hasPrefix("*")
    }

    public var description: String { "\(expression) (\(timeZone.identifier))" }

    /// Every run later than `after` and no later than `until`, in order.
    public func runs(after: Date, until: Date) -> [Date] {
        guard until > after else { return [] }
        let first = KalenderDag.containing(after, in: timeZone).dayNumber - 1
        let last = KalenderDag.containing(until, in: timeZone).dayNumber + 1
        var result: [Date] = []
        for dayNumber in first...last {
            for run in runs(on: KalenderDag(dayNumber: dayNumber)) where run > after && run <= until {
                if run > result.last ?? .distantPast { result.append(run) }
            }
        }
        return result
    }

    /// The first run later than `after`; nil when the expression never matches a real day
    /// (`0 0 30 2 *`).
    public func nextRun(after: Date) -> Date? {
        let first = KalenderDag.containing(after, in: timeZone).dayNumber - 1
        for dayNumber in first...(first + Self.searchDays) {
            if let run = runs(on: KalenderDag(dayNumber: dayNumber)).first(where: { $0 > after }) { return run }
        }
        return nil
    }

    /// Whether the schedule runs on `day` at all.
    func matches(_ day: KalenderDag) -> Bool {
        guard months.contains(day.month) else { return false }
        let byMonthDay = daysOfMonth.contains(day.day)
        let byWeekday = daysOfWeek.contains(day.weekday)
        return bothDaysRestricted ? byMonthDay || byWeekday : byMonthDay && byWeekday
    }

    /// The runs of one day, in order, each instant once.
    func runs(on day: KalenderDag) -> [Date] {
        guard matches(day) else { return [] }
        var result: [Date] = []
        for hour in hours {
            for minute in minutes {
                let run = instant(atWallClock: day.dayNumber * 86_400 + hour * 3600 + minute * 60)
                if run > result.last ?? .distantPast { result.append(run) }
            }
        }
        return result
    }

    /// The instant the wall clock shows `wall` (seconds since 1970-01-01 00:00 on the wall):
    /// its first occurrence, or the end of the gap when summer time skips it.
    func instant(atWallClock wall: Int) -> Date {
        let before = offset(at: wall - 86_400)
        let after = offset(at: wall + 86_400)
        if before == after { return Date(timeIntervalSince1970: TimeInterval(wall - before)) }
        let occurrences = [wall - before, wall - after].filter { offset(at: $0) == wall - $0 }
        if let first = occurrences.min() { return Date(timeIntervalSince1970: TimeInterval(first)) }
        // A gap: the clock jumps past `wall`. Find the first instant after the jump.
        var low = min(wall - before, wall - after)
        var high = max(wall - before, wall - after)
        let lowOffset = offset(at: low)
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(at: middle) == lowOffset { low = middle } else { high = middle }
        }
        return Date(timeIntervalSince1970: TimeInterval(high))
    }

    private func offset(at seconds: Int) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
