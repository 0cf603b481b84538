/// A calendar day in the proleptic Gregorian calendar, as the exchange writes it (`YYYY-MM-DD`).
///
/// Kept as a day number (days since 1970-01-01) so that generating a date is integer
/// arithmetic; the conversions are Howard Hinnant's `days_from_civil` and `civil_from_days`.
public struct KalenderDatum: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let dayNumber: Int

    /// The day `dayNumber` days after 1970-01-01.
    public init(dayNumber: Int) {
        self.dayNumber = dayNumber
    }

    /// The day with these components; nil when the day does not exist (2025-02-29) or the year is outside 1-9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= KalenderDatum.daysInMonth(year: year, month: month)
        else { return nil }
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        dayNumber = era * 146097 + dayOfEra - 719468
    }

    /// Parses exactly `YYYY-MM-DD`; nil for anything else, including days that do not exist.
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Year, month (1-12) and day (1-31).
    public var components: (year: Int, month: Int, day: Int) {
        let shifted = dayNumber + 719468
        let era = (shifted >= 0 ? shifted : shifted - 146096) / 146097
        let dayOfEra = shifted - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The day `days` later (earlier when negative).
    public func adding(days: Int) -> KalenderDatum { KalenderDatum(dayNumber: dayNumber + days) }

    /// The first day of this day's month.
    public var firstOfMonth: KalenderDatum {
        let parts = components
        return KalenderDatum(dayNumber: dayNumber - parts.day + 1)
    }

    /// The last day of this day's month.
    public var lastOfMonth: KalenderDatum {
        let parts = components
        return KalenderDatum(dayNumber: dayNumber - parts.day + KalenderDatum.daysInMonth(year: parts.year, month: parts.month))
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        var writer = JSONByteWriter(capacity: 10)
        writer.writeDigits(of: self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    public static func < (lhs: KalenderDatum, rhs: KalenderDatum) -> Bool { lhs.dayNumber < rhs.dayNumber }

    /// The number of days in a month of a year.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// A reporting period: the first and the last day, both inclusive.
public struct Aanleverperiode: Hashable, Sendable, CustomStringConvertible {
    /// The first day.
    public let start: KalenderDatum
    /// The last day (not before `start`).
    public let end: KalenderDatum

    /// A period; nil when `end` is before `start`.
    public init?(start: KalenderDatum, end: KalenderDatum) {
        guard end >= start else { return nil }
        self.start = start
        self.end = end
    }

    /// The calendar month that contains `day`.
    public static func month(containing day: KalenderDatum) -> Aanleverperiode {
        Aanleverperiode(uncheckedStart: day.firstOfMonth, end: day.lastOfMonth)
    }

    init(uncheckedStart start: KalenderDatum, end: KalenderDatum) {
        self.start = start
        self.end = end
    }

    /// The number of days, both ends included.
    public var dayCount: Int { end.dayNumber - start.dayNumber + 1 }

    public var description: String { "\(start)/\(end)" }
}
