/// Writes JSON text straight into a byte buffer.
///
/// Pages reach 50,000 records and tens of megabytes, so the payload is not built as values
/// and encoded: the generator appends fixed keys (`StaticString`), prepared code-list
/// values and digits. Only text from configuration goes through `writeString(_:)`, which escapes.
struct JSONByteWriter {
    /// The JSON text written so far.
    private(set) var bytes: [UInt8]

    /// An empty writer with room for `capacity` bytes.
    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends JSON text as it is.
    @inline(__always)
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends bytes that are already JSON text (a prepared, quoted code-list value).
    @inline(__always)
    mutating func append(_ text: [UInt8]) {
        bytes.append(contentsOf: text)
    }

    /// Appends one byte.
    @inline(__always)
    mutating func append(byte: UInt8) {
        bytes.append(byte)
    }

    /// Appends a JSON string with quotes, escaping what JSON requires.
    mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            case 0..<0x20:
                append("\\u00")
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends an integer.
    mutating func writeInteger(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            writeUnsigned(UInt64(value.magnitude))
        } else {
            writeUnsigned(UInt64(value))
        }
    }

    /// Appends `true` or `false`.
    @inline(__always)
    mutating func writeBool(_ value: Bool) {
        if value { append("true") } else { append("false") }
    }

    /// Appends `"YYYY-MM-DD"` with quotes.
    @inline(__always)
    mutating func writeDate(_ day: KalenderDatum) {
        bytes.append(UInt8(ascii: "\""))
        writeDigits(of: day)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends `YYYY-MM-DD` without quotes.
    mutating func writeDigits(of day: KalenderDatum) {
        let parts = day.components
        writeDigits(parts.year, width: 4)
        bytes.append(UInt8(ascii: "-"))
        writeDigits(parts.month, width: 2)
        bytes.append(UInt8(ascii: "-"))
        writeDigits(parts.day, width: 2)
    }

    /// Appends `value` as exactly `width` decimal digits, zero-padded (higher digits are dropped).
    @inline(__always)
    mutating func writeDigits(_ value: Int, width: Int) {
        var divisor = 1
        for _ in 1..<max(width, 1) { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(48 + (rest / divisor) % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Appends the lowest `count` hexadecimal digits of `value`, lower case.
    @inline(__always)
    mutating func writeHex(_ value: UInt64, count: Int) {
        var shift = (count - 1) * 4
        while shift >= 0 {
            bytes.append(Self.hexDigits[Int((value >> UInt64(shift)) & 0x0F)])
            shift -= 4
        }
    }

    private mutating func writeUnsigned(_ value: UInt64) {
        var divisor: UInt64 = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(48 + rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Drops the last byte when it is `byte` (a trailing comma after the last member).
    mutating func dropTrailing(_ byte: UInt8) {
        if bytes.last == byte { bytes.removeLast() }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
