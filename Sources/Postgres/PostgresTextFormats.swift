import Foundation

/// `timestamptz` in PostgreSQL's ISO text form. Every connection of this module runs
/// with `DateStyle=ISO` and `TimeZone=UTC`, so the server writes `2026-11-29 18:00:34.5+00`.
enum PostgresTimestamp {
    /// `2026-11-29T18:00:34.123456Z`, microseconds as PostgreSQL keeps them.
    static func format(_ date: Date) -> String {
        let totalMicros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let seconds = Int((totalMicros / 1_000_000).rounded(.down))
        let micros = Int(totalMicros - Double(seconds) * 1_000_000)
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), micros)
    }

    /// Parses the server's output: `YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM[:SS]]`.
    static func parse(_ text: String) -> Date? {
        if text == "infinity" { return .distantFuture }
        if text == "-infinity" { return .distantPast }
        let bytes = Array(text.utf8)
        guard bytes.count >= 22, bytes[4] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < bytes.count, (48...57).contains(bytes[index]) {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else { return nil }
        let sign = bytes[index] == UInt8(ascii: "+") ? 1 : -1
        index += 1
        guard let offsetHours = number(index..<index + 2) else { return nil }
        var offset = offsetHours * 3600
        index += 2
        if index < bytes.count, bytes[index] == UInt8(ascii: ":"), let minutes = number(index + 1..<index + 3) {
            offset += minutes * 60
            index += 3
            if index < bytes.count, bytes[index] == UInt8(ascii: ":"), let secs = number(index + 1..<index + 3) {
                offset += secs
                index += 3
            }
        }
        guard index == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let epochSeconds = days * 86_400 + hour * 3600 + minute * 60 + second - sign * offset
        return Date(timeIntervalSince1970: Double(epochSeconds) + fraction)
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// One-dimensional array literals: `{a,"b c",NULL}`.
enum PostgresArrayLiteral {
    static func format(_ elements: [String]) -> String {
        let quoted = elements.map { element -> String in
            let escaped = element.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"" + escaped + "\""
        }
        return "{" + quoted.joined(separator: ",") + "}"
    }

    /// Parses a one-dimensional array; nil when the text is not one. NULL elements are nil.
    static func parse(_ text: String) -> [String?]? {
        var characters = text.makeIterator()
        guard characters.next() == "{" else { return nil }
        var result: [String?] = []
        var current = ""
        var quoted = false
        var inQuotes = false
        var finished = false
        func flush() {
            if !quoted && current == "NULL" {
                result.append(nil)
            } else {
                result.append(current)
            }
            current = ""
            quoted = false
        }
        var sawElement = false
        while let character = characters.next() {
            if inQuotes {
                if character == "\\" {
                    guard let next = characters.next() else { return nil }
                    current.append(next)
                } else if character == "\"" {
                    inQuotes = false
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case "\"":
                inQuotes = true
                quoted = true
                sawElement = true
            case ",":
                flush()
            case "}":
                if sawElement || !current.isEmpty { flush() }
                finished = true
            case "{":
                return nil  // nested arrays are not supported
            default:
                current.append(character)
                sawElement = true
            }
            if finished { break }
        }
        guard finished, characters.next() == nil else { return nil }
        return result
    }
}

enum PostgresBytea {
    /// Decodes the `hex` output format (`\x0a1b...`).
    static func parse(_ text: String) -> Data? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x"), bytes.count % 2 == 0 else { return nil }
        var data = Data(capacity: (bytes.count - 2) / 2)
        var index = 2
        func nibble(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 48...57: byte - 48
            case 97...102: byte - 87
            case 65...70: byte - 55
            default: nil
            }
        }
        while index < bytes.count {
            guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else { return nil }
            data.append(high << 4 | low)
            index += 2
        }
        return data
    }
}
