import Foundation
import RegieDomain
import Testing

/// An instant written in UTC, `2026-03-29T01:00:00Z`.
func utc(_ text: String) -> Date {
    ISO8601DateFormatter().date(from: text) ?? .distantPast
}

/// Instants as UTC text, to compare lists at a glance.
func utcTexts(_ dates: [Date]) -> [String] {
    dates.map { $0.ISO8601Format() }
}

@Suite("CronSchedule: parsing and runs on the Amsterdam wall clock")
struct CronScheduleTests {
    @Test(
        "bad expressions are refused, naming the field",
        arguments: [
            ("* * * *", "cron expression: needs 5 fields (minute hour day-of-month month day-of-week), found 4"),
            ("* * * * * *", "cron expression: needs 5 fields (minute hour day-of-month month day-of-week), found 6"),
            ("60 * * * *", "cron minute field: 60 is out of range 0-59"),
            ("* 24 * * *", "cron hour field: 24 is out of range 0-23"),
            ("* * 0 * *", "cron day of month field: 0 is out of range 1-31"),
            ("* * * 13 *", "cron month field: 13 is out of range 1-12"),
            ("* * * * 8", "cron day of week field: 8 is out of range 0-7"),
            ("5/2 * * * *", "cron minute field: a step needs '*' or a range before it, not '5'"),
            ("*/0 * * * *", "cron minute field: the step in '*/0' is not a positive number"),
            ("* */x * * *", "cron hour field: the step in '*/x' is not a positive number"),
            ("10-5 * * * *", "cron minute field: the range '10-5' runs backwards"),
            ("a * * * *", "cron minute field: 'a' is not a number, a range or '*'"),
            ("1,,2 * * * *", "cron minute field: an item is empty"),
            ("* * * JAN *", "cron month field: 'JAN' is not a number, a range or '*'"),
            ("* * * * 1-2-3", "cron day of week field: '1-2-3' is not a number, a range or '*'"),
        ])
    func refused(expression: String, reason: String) {
        let error = #expect(throws: CronParseError.self) { try CronSchedule(expression) }
        #expect(error?.description == reason)
    }

    @Test("the error names its field")
    func errorField() {
        let error = #expect(throws: CronParseError.self) { try CronSchedule("0 0 * * 8") }
        #expect(error?.field == .dayOfWeek)
        #expect(error?.reason == "8 is out of range 0-7")
    }

    @Test("a daily 02:30 job runs once a day across the spring-forward night, at 03:00 summer time on it")
    func springForwardDaily() throws {
        let schedule = try CronSchedule("30 2 * * *")
        let runs = schedule.runs(after: utc("2026-03-27T00:00:00Z"), until: utc("2026-03-31T00:00:00Z"))
        #expect(
            utcTexts(runs) == [
                "2026-03-27T01:30:00Z", "2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z",
            ])
    }

    @Test("a daily 02:30 job runs once a day across the fall-back night, at the first 02:30 on it")
    func fallBackDaily() throws {
        let schedule = try CronSchedule("30 2 * * *")
        let runs = schedule.runs(after: utc("2026-10-23T00:00:00Z"), until: utc("2026-10-27T00:00:00Z"))
        #expect(
            utcTexts(runs) == [
                "2026-10-23T00:30:00Z", "2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z",
            ])
    }

    @Test("an hourly job runs 23 times on the spring day")
    func springForwardHourly() throws {
        let schedule = try CronSchedule("0 * * * *")
        // 2026-03-29 00:00 CET is 2026-03-28T23:00Z; 2026-03-30 00:00 CEST is 2026-03-29T22:00Z.
        let runs = schedule.runs(after: utc("2026-03-28T22:59:59Z"), until: utc("2026-03-29T21:59:59Z"))
        #expect(runs.count == 23)
        #expect(
            utcTexts(Array(runs.prefix(4))) == [
                "2026-03-28T23:00:00Z", "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z",
            ])
        #expect(Set(runs).count == 23)
    }

    @Test("an hourly job runs 24 times on the fall day: the hour that occurs twice runs once")
    func fallBackHourly() throws {
        let schedule = try CronSchedule("0 * * * *")
        // 2026-10-25 00:00 CEST is 2026-10-24T22:00Z; 2026-10-26 00:00 CET is 2026-10-25T23:00Z.
        let runs = schedule.runs(after: utc("2026-10-24T21:59:59Z"), until: utc("2026-10-25T22:59:59Z"))
        #expect(runs.count == 24)
        #expect(utcTexts(Array(runs[1...3])) == ["2026-10-24T23:00:00Z", "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z"])
    }

    @Test("every quarter hour in the missing hour lands on 03:00 summer time, once")
    func gapCollapses() throws {
        let schedule = try CronSchedule("*/15 2 * * *")
        let runs = schedule.runs(after: utc("2026-03-28T12:00:00Z"), until: utc("2026-03-29T12:00:00Z"))
        #expect(utcTexts(runs) == ["2026-03-29T01:00:00Z"])
    }

    @Test("a year of hourly runs: 365 × 24 less the spring hour, and quickly")
    func yearOfHours() throws {
        let schedule = try CronSchedule("0 * * * *")
        let clock = ContinuousClock()
        var runs: [Date] = []
        let elapsed = clock.measure {
            runs = schedule.runs(after: utc("2025-12-31T22:59:59Z"), until: utc("2026-12-31T22:59:59Z"))
        }
        #expect(runs.count == 8759)
        #expect(runs.first == utc("2025-12-31T23:00:00Z"))
        #expect(runs.last == utc("2026-12-31T22:00:00Z"))
        #expect(elapsed < .seconds(2))
    }

    @Test("nextRun: the first run after an instant, in summer time")
    func nextRun() throws {
        let monthly = try CronSchedule("0 3 1 * *")
        #expect(monthly.nextRun(after: utc("2026-03-31T12:00:00Z")) == utc("2026-04-01T01:00:00Z"))
        #expect(monthly.nextRun(after: utc("2026-04-01T01:00:00Z")) == utc("2026-05-01T01:00:00Z"))
        let quarterly = try CronSchedule("0 3 1 1,4,7,10 *")
        #expect(quarterly.nextRun(after: utc("2026-04-01T01:00:00Z")) == utc("2026-07-01T01:00:00Z"))
    }

    @Test("nextRun is nil for a day that never comes, and finds a leap day")
    func nextRunRare() throws {
        #expect(try CronSchedule("0 0 30 2 *").nextRun(after: utc("2026-01-01T00:00:00Z")) == nil)
        #expect(try CronSchedule("0 12 29 2 *").nextRun(after: utc("2026-01-01T00:00:00Z")) == utc("2028-02-29T11:00:00Z"))
    }

    @Test("both day fields restricted: either matches; one starting with '*': both must")
    func dayFields() throws {
        let after = utc("2026-05-31T22:00:00Z")
        let until = utc("2026-06-30T21:59:59Z")
        func days(_ expression: String) throws -> [Int] {
            try CronSchedule(expression).runs(after: after, until: until).map {
                KalenderDag.containing($0, in: DueMonth.planTimeZone).day
            }
        }
        // June 2026: the 1st is a Monday.
        #expect(try days("0 12 2 * 1") == [1, 2, 8, 15, 22, 29])
        #expect(try days("0 12 * * 1") == [1, 8, 15, 22, 29])
        #expect(try days("0 12 2 * *") == [2])
        #expect(try days("0 12 */10 * 1") == [1])
        #expect(try days("0 12 * * 7") == days("0 12 * * 0"))
        #expect(try days("0 12 * * 0") == [7, 14, 21, 28])
    }

    @Test("ranges with steps and lists")
    func rangesAndLists() throws {
        let schedule = try CronSchedule("5-20/5 8,10 * * *", timeZone: .gmt)
        let runs = schedule.runs(after: utc("2026-06-01T00:00:00Z"), until: utc("2026-06-01T23:59:59Z"))
        #expect(
            utcTexts(runs) == [
                "2026-06-01T08:05:00Z", "2026-06-01T08:10:00Z", "2026-06-01T08:15:00Z", "2026-06-01T08:20:00Z",
                "2026-06-01T10:05:00Z", "2026-06-01T10:10:00Z", "2026-06-01T10:15:00Z", "2026-06-01T10:20:00Z",
            ])
    }

    @Test("runs are after `after` and up to and including `until`")
    func bounds() throws {
        let schedule = try CronSchedule("0 12 * * *", timeZone: .gmt)
        let runs = schedule.runs(after: utc("2026-06-01T12:00:00Z"), until: utc("2026-06-03T12:00:00Z"))
        #expect(utcTexts(runs) == ["2026-06-02T12:00:00Z", "2026-06-03T12:00:00Z"])
        #expect(schedule.runs(after: utc("2026-06-03T12:00:00Z"), until: utc("2026-06-01T12:00:00Z")).isEmpty)
    }
}
