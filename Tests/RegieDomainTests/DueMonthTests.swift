import Foundation
import RegieDomain
import Testing

@Suite("Due months")
struct DueMonthTests {
    @Test("a due month ends at midnight in Amsterdam, summer time included, asked once or many times")
    func endsAtDutchMidnight() throws {
        let march = try #require(DueMonth("2026-03"))
        // 1 April 2026 00:00 CEST is 31 March 22:00 UTC.
        #expect(march.end() == Date(timeIntervalSince1970: 1_774_994_400))
        #expect(march.end() == march.end())
        let december = try #require(DueMonth("2026-12"))
        // 1 January 2027 00:00 CET is 31 December 23:00 UTC.
        #expect(december.end() == Date(timeIntervalSince1970: 1_798_758_000))
        #expect(december.end(in: .gmt) == Date(timeIntervalSince1970: 1_798_761_600))
        #expect(!march.hasPassed(at: Date(timeIntervalSince1970: 1_774_994_399)))
        #expect(march.hasPassed(at: Date(timeIntervalSince1970: 1_774_994_400)))
    }
}
