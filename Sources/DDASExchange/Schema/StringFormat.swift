/// The `format` values this validator asserts (the exchange requires them to hold).
public enum StringFormat: String, Sendable, Hashable, CaseIterable {
    /// RFC 3339 `full-date`: `2026-02-28`, a real calendar day (leap years included).
    case date
    /// RFC 3339 `date-time`: `2026-02-28T13:45:00Z`, `2026-02-28T13:45:00.5+01:00`.
    case dateTime = "date-time"
    /// RFC 3339 `full-time`: `13:45:00Z`, `13:45:00+01:00` (an offset is required).
    case time
    /// An e-mail address: a dot-atom local part (at most 64 bytes), `@`, and a domain name of
    /// at least two labels (letters, digits, inner hyphens; at most 253 bytes). ASCII only; no
    /// quoted local parts or address literals.
    case email

    /// Whether `text` has this format.
    public func accepts(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { accepts(utf8: $0) }
    }

    /// Whether the string with these UTF-8 bytes has this format.
    public func accepts(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        switch self {
        case .date: bytes.count == 10 && Self.isFullDate(bytes, at: 0)
        case .dateTime: Self.isDateTime(bytes)
        case .time: Self.isFullTime(bytes[...])
        case .email: Self.isEmail(bytes)
        }
    }

    /// A short English description of the format, for messages.
    var expectation: String {
        switch self {
        case .date: "a valid date (YYYY-MM-DD)"
        case .dateTime: "a valid RFC 3339 date-time (YYYY-MM-DDTHH:MM:SSZ or with an offset)"
        case .time: "a valid RFC 3339 time (HH:MM:SS with an offset)"
        case .email: "a valid e-mail address"
        }
    }

    private static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        guard start >= 0, start + count <= bytes.count else { return nil }
        var value = 0
        for index in start..<start + count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    private static func isFullDate(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard start + 10 <= bytes.count, bytes[start + 4] == UInt8(ascii: "-"), bytes[start + 7] == UInt8(ascii: "-"),
            let year = digits(bytes, start, 4), let month = digits(bytes, start + 5, 2),
            let day = digits(bytes, start + 8, 2), (1...12).contains(month)
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let length =
            switch month {
            case 2: leap ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        return (1...length).contains(day)
    }

    private static func isDateTime(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count > 11, isFullDate(bytes, at: 0), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t")
        else { return false }
        return isFullTime(bytes[11...])
    }

    /// `HH:MM:SS[.fraction](Z|±HH:MM)`; second 60 only where it is 23:59:60 in UTC.
    private static func isFullTime(_ slice: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let bytes = UnsafeBufferPointer(rebasing: slice)
        guard bytes.count >= 9, bytes[2] == UInt8(ascii: ":"), bytes[5] == UInt8(ascii: ":"),
            let hour = digits(bytes, 0, 2), let minute = digits(bytes, 3, 2), let second = digits(bytes, 6, 2),
            hour < 24, minute < 60, second <= 60
        else { return false }
        var index = 8
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
            guard index > fractionStart else { return false }
        }
        guard index < bytes.count else { return false }
        var offsetMinutes = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return false }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                let offsetHour = digits(bytes, index + 1, 2), let offsetMinute = digits(bytes, index + 4, 2),
                offsetHour < 24, offsetMinute < 60
            else { return false }
            offsetMinutes = (offsetHour * 60 + offsetMinute) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return false
        }
        guard second == 60 else { return true }
        let utcMinutes = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
        return utcMinutes == 23 * 60 + 59
    }

    private static func isEmail(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), at > 0, at <= 64 else { return false }
        let local = UnsafeBufferPointer(rebasing: bytes[..<at])
        let domain = UnsafeBufferPointer(rebasing: bytes[(at + 1)...])
        return isDotAtom(local) && isDomain(domain)
    }

    private static func isDotAtom(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let specials = Array("!#$%&'*+-/=?^_`{|}~".utf8)
        var previousWasDot = true
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if previousWasDot { return false }
                previousWasDot = true
            } else if isLetterOrDigit(byte) || specials.contains(byte) {
                previousWasDot = false
            } else {
                return false
            }
        }
        return !previousWasDot
    }

    private static func isDomain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            guard let first = label.first, let last = label.last, label.count <= 63 else { return false }
            return isLetterOrDigit(first) && isLetterOrDigit(last)
                && label.allSatisfy { isLetterOrDigit($0) || $0 == UInt8(ascii: "-") }
        }
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10
    }
}
