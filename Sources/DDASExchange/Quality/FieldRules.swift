/// The value rules of single fields: the BSN elfproef, the postcode and house-number forms,
/// and dates. They read the text and answer yes or no; nothing is kept.
///
/// Each rule reads the UTF-8 bytes where they lie (the text's own storage, or a slice of a
/// page), so a check allocates nothing.
public enum FieldRules {
    /// Whether `text` is a BSN: nine digits, not all zero, passing the BSN elfproef
    /// (9·d1 + 8·d2 + … + 2·d8 − 1·d9 divisible by 11).
    public static func isValidBSN(_ text: String) -> Bool { withBytes(of: text, isValidBSN) }

    /// Whether `text` is a Dutch postcode written `1234AB`: four digits not starting with 0,
    /// then two capital letters, no space.
    public static func isValidPostcode(_ text: String) -> Bool { withBytes(of: text, isValidPostcode) }

    /// Whether `text` is a house number: a positive whole number of at most five digits,
    /// without leading zeros or signs.
    public static func isValidHuisnummer(_ text: String) -> Bool { withBytes(of: text, isValidHuisnummer) }

    /// `text` when it is a calendar date `YYYY-MM-DD` that exists; nil otherwise. Such dates
    /// compare correctly as text.
    public static func date(_ text: String) -> String? { withBytes(of: text, { CalendarDate($0) }) == nil ? nil : text }

    /// The earliest plausible date of anything in the exchange.
    public static let earliestPlausibleDate = "1900-01-01"

    /// ``isValidBSN(_:)-swift.type.method`` on UTF-8 bytes.
    public static func isValidBSN(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 9 else { return false }
        var sum = 0
        var allZero = true
        for position in 0..<9 {
            let digit = Int(bytes[position]) &- 48
            guard (0...9).contains(digit) else { return false }
            if digit != 0 { allZero = false }
            sum += position == 8 ? -digit : digit * (9 - position)
        }
        return !allZero && sum % 11 == 0
    }

    /// ``isValidPostcode(_:)-swift.type.method`` on UTF-8 bytes.
    public static func isValidPostcode(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 6, (49...57).contains(bytes[0]) else { return false }
        return (48...57).contains(bytes[1]) && (48...57).contains(bytes[2]) && (48...57).contains(bytes[3])
            && (65...90).contains(bytes[4]) && (65...90).contains(bytes[5])
    }

    /// ``isValidHuisnummer(_:)-swift.type.method`` on UTF-8 bytes.
    public static func isValidHuisnummer(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard (1...5).contains(bytes.count), bytes[0] != 48 else { return false }
        for byte in bytes where !(48...57).contains(byte) { return false }
        return true
    }

    /// Runs `rule` on the UTF-8 bytes of `text`, in place when the string is stored
    /// contiguously (as parsed strings are), else on a copy.
    @inline(__always)
    static func withBytes<Answer>(of text: String, _ rule: (UnsafeBufferPointer<UInt8>) -> Answer) -> Answer {
        if let answer = text.utf8.withContiguousStorageIfAvailable(rule) { return answer }
        return Array(text.utf8).withUnsafeBufferPointer(rule)
    }
}

/// A calendar date `YYYY-MM-DD` that exists, packed as the number `YYYYMMDD`: dates compare
/// as numbers exactly as their texts compare, and a month is `YYYYMM`.
struct CalendarDate: Hashable, Comparable {
    /// `YYYYMMDD`.
    let value: Int32

    /// The date written in `bytes`; nil when they are not `YYYY-MM-DD` or the day does not exist.
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let value = Self.digits(bytes) else { return nil }
        let year = value / 10_000
        let month = value / 100 % 100
        let day = value % 100
        guard (1...12).contains(month), day >= 1 else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        guard day <= (month == 2 ? (leap ? 29 : 28) : Self.monthLengths[Int(month) - 1]) else { return nil }
        self.value = value
    }

    /// The date written in `text`, a valid one only.
    init?(_ text: String) {
        guard let date = FieldRules.withBytes(of: text, { CalendarDate($0) }) else { return nil }
        self = date
    }

    /// `YYYYMMDD` read from `YYYY-MM-DD`, whether or not the day exists; nil for any other form.
    static func digits(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard bytes.count == 10, bytes[4] == 45, bytes[7] == 45 else { return nil }
        var value: Int32 = 0
        for position in 0..<10 where position != 4 && position != 7 {
            let digit = Int32(bytes[position]) &- 48
            guard (0...9).contains(digit) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    static let monthLengths: [Int32] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

    /// `YYYYMM`.
    var month: Int32 { value / 100 }

    /// The month as the report writes it: `2026-04`.
    static func monthText(_ month: Int32) -> String {
        let year = String(month / 100)
        let number = String(month % 100)
        return String(repeating: "0", count: 4 - year.count) + year + "-" + (number.count == 1 ? "0" : "") + number
    }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

/// A bound of a period or plausibility (`today`, `periodeStart`), compared with a
/// ``CalendarDate`` exactly as the texts compare: as a number when the bound is written
/// `YYYY-MM-DD` with digits (so texts and numbers order alike), by text otherwise.
struct DateBound {
    let text: String
    let number: Int32?

    init(_ text: String) {
        self.text = text
        number = FieldRules.withBytes(of: text, CalendarDate.digits)
    }

    /// Whether `date` comes before the bound.
    @inline(__always)
    func isAfter(_ date: CalendarDate) -> Bool {
        if let number { return date.value < number }
        return Self.text(of: date) < text
    }

    /// Whether `date` comes after the bound.
    @inline(__always)
    func isBefore(_ date: CalendarDate) -> Bool {
        if let number { return date.value > number }
        return Self.text(of: date) > text
    }

    /// The text of a date, for the rare bound that is not a date.
    static func text(of date: CalendarDate) -> String {
        CalendarDate.monthText(date.month) + "-" + (date.value % 100 < 10 ? "0" : "") + String(date.value % 100)
    }
}
