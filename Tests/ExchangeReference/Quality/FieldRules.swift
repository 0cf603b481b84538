/// The value rules of single fields: the BSN elfproef, the postcode and house-number forms,
/// and dates. They read the text and answer yes or no; nothing is kept.
public enum FieldRules {
    /// Whether `text` is a BSN: nine digits, not all zero, passing the BSN elfproef
    /// (9·d1 + 8·d2 + … + 2·d8 − 1·d9 divisible by 11).
    public static func isValidBSN(_ text: String) -> Bool {
        var sum = 0
        var count = 0
        var allZero = true
        for byte in text.utf8 {
            guard (48...57).contains(byte), count < 9 else { return false }
            let digit = Int(byte - 48)
            if digit != 0 { allZero = false }
            sum += count == 8 ? -digit : digit * (9 - count)
            count += 1
        }
        return count == 9 && !allZero && sum % 11 == 0
    }

    /// Whether `text` is a Dutch postcode written `1234AB`: four digits not starting with 0,
    /// then two capital letters, no space.
    public static func isValidPostcode(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 6, (49...57).contains(bytes[0]) else { return false }
        return bytes[1...3].allSatisfy { (48...57).contains($0) } && bytes[4...5].allSatisfy { (65...90).contains($0) }
    }

    /// Whether `text` is a house number: a positive whole number of at most five digits,
    /// without leading zeros or signs.
    public static func isValidHuisnummer(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...5).contains(bytes.count), bytes[0] != 48 else { return false }
        return bytes.allSatisfy { (48...57).contains($0) }
    }

    /// `text` when it is a calendar date `YYYY-MM-DD` that exists; nil otherwise. Such dates
    /// compare correctly as text.
    public static func date(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == 45, bytes[7] == 45 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), (1...12).contains(month), day >= 1
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1] ? text : nil
    }

    /// The earliest plausible date of anything in the exchange.
    public static let earliestPlausibleDate = "1900-01-01"
}
