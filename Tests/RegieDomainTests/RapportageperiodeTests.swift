import Foundation
import RegieDomain
import Testing

@Suite("Rapportageperiode: the period a run delivers, keys and backfill ranges")
struct RapportageperiodeTests {
    func period(_ key: String) -> Rapportageperiode? { Rapportageperiode(key: key) }

    @Test("a run on 1 April 03:00 summer time delivers 2026-03, 2026-Q1 and 2025-H2")
    func periodBeforeApril() {
        let run = utc("2026-04-01T01:00:00Z")
        let quarter = Rapportageperiode.periodBefore(run, granularity: .kwartaal)
        #expect(quarter.key == "2026-Q1")
        #expect(quarter.firstDay.description == "2026-01-01")
        #expect(quarter.lastDay.description == "2026-03-31")
        let month = Rapportageperiode.periodBefore(run, granularity: .maand)
        #expect(month.key == "2026-03")
        #expect("\(month.firstDay)..\(month.lastDay)" == "2026-03-01..2026-03-31")
        #expect(Rapportageperiode.periodBefore(run, granularity: .halfjaar).key == "2025-H2")
    }

    @Test("a run on 1 July delivers the first half year")
    func periodBeforeJuly() {
        let half = Rapportageperiode.periodBefore(utc("2026-07-01T01:00:00Z"), granularity: .halfjaar)
        #expect(half.key == "2026-H1")
        #expect("\(half.firstDay)..\(half.lastDay)" == "2026-01-01..2026-06-30")
    }

    @Test("the day is the Amsterdam day: 00:30 on 1 April is April there, still March in UTC")
    func timeZoneDecides() {
        let run = utc("2026-03-31T22:30:00Z")
        #expect(Rapportageperiode.periodBefore(run, granularity: .maand).key == "2026-03")
        #expect(Rapportageperiode.periodBefore(run, granularity: .maand, timeZone: .gmt).key == "2026-02")
        #expect(Rapportageperiode.periodBefore(run, granularity: .kwartaal, timeZone: .gmt).key == "2025-Q4")
    }

    @Test("a run in the first days of January delivers last year's periods")
    func newYear() {
        let run = utc("2025-12-31T23:30:00Z")
        #expect(Rapportageperiode.periodBefore(run, granularity: .maand).key == "2025-12")
        #expect(Rapportageperiode.periodBefore(run, granularity: .kwartaal).key == "2025-Q4")
        #expect(Rapportageperiode.periodBefore(run, granularity: .halfjaar).key == "2025-H2")
        #expect(Rapportageperiode.periodBefore(run, granularity: .halfjaar).lastDay.description == "2025-12-31")
    }

    @Test("previous and next cross years; February ends on the leap day")
    func previousNext() {
        #expect(period("2026-01")?.previous.key == "2025-12")
        #expect(period("2025-12")?.next.key == "2026-01")
        #expect(period("2026-Q1")?.previous.key == "2025-Q4")
        #expect(period("2026-H2")?.next.key == "2027-H1")
        #expect(period("2028-02")?.lastDay.description == "2028-02-29")
        #expect(period("2100-02")?.lastDay.description == "2100-02-28")
        #expect(period("2026-Q2")?.firstDay.description == "2026-04-01")
        #expect(period("2026-Q4")?.lastDay.description == "2026-12-31")
    }

    @Test("keys read back to the same period", arguments: ["2026-03", "2026-12", "2026-Q1", "2026-Q4", "2026-H1", "2026-H2"])
    func keyRoundTrip(key: String) {
        #expect(period(key)?.key == key)
    }

    @Test(
        "anything else is not a key",
        arguments: [
            "", "2026", "2026-13", "2026-00", "2026-3", "2026-Q0", "2026-Q5", "2026-H3", "2026-q1", "26-03", "2026-03-01", "2026-Qx",
        ])
    func keyRefused(key: String) {
        #expect(period(key) == nil)
    }

    @Test("a backfill range lists every period, in order")
    func ranges() throws {
        let quarters = Rapportageperiode.range(from: try #require(period("2025-Q3")), to: try #require(period("2026-Q2")))
        #expect(quarters.map(\.key) == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"])
        let months = Rapportageperiode.range(from: try #require(period("2025-11")), to: try #require(period("2026-02")))
        #expect(months.map(\.key) == ["2025-11", "2025-12", "2026-01", "2026-02"])
        let one = Rapportageperiode.range(from: try #require(period("2026-H1")), to: try #require(period("2026-H1")))
        #expect(one.map(\.key) == ["2026-H1"])
    }

    @Test("a backwards range or mixed granularities list nothing")
    func emptyRanges() throws {
        #expect(Rapportageperiode.range(from: try #require(period("2026-02")), to: try #require(period("2026-01"))).isEmpty)
        #expect(Rapportageperiode.range(from: try #require(period("2026-01")), to: try #require(period("2026-Q2"))).isEmpty)
    }

    @Test("KalenderDag: day numbers, weekdays and impossible days")
    func kalenderDag() {
        #expect(KalenderDag(dayNumber: 0).description == "1970-01-01")
        #expect(KalenderDag(dayNumber: 0).weekday == 4)
        #expect(KalenderDag(dayNumber: -1).description == "1969-12-31")
        #expect(KalenderDag(year: 2026, month: 3, day: 29)?.weekday == 0)
        #expect(KalenderDag(year: 2000, month: 2, day: 29)?.dayNumber == 11_016)
        #expect(KalenderDag(year: 1900, month: 2, day: 29) == nil)
        #expect(KalenderDag(year: 2026, month: 4, day: 31) == nil)
        let roundTrips = (-800_000...800_000).striding(by: 997).allSatisfy { number in
            let day = KalenderDag(dayNumber: number)
            return day.dayNumber == number && KalenderDag(year: day.year, month: day.month, day: day.day) == day
        }
        #expect(roundTrips)
    }
}

extension ClosedRange<Int> {
    fileprivate func striding(by step: Int) -> StrideThrough<Int> { stride(from: lowerBound, through: upperBound, by: step) }
}
