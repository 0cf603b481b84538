extension JSONTapeValue {
    /// Whether this is a string with backslash escapes (its raw bytes differ from its text).
    public var hasEscapes: Bool {
        let token = token
        return token.kind == .string && token.flag
    }

    /// Calls `body` with the UTF-8 bytes of the string (escapes decoded; without escapes, the
    /// input bytes themselves, no copy); nil when this is not a string. The bytes are valid
    /// only inside `body`.
    public func withUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result? {
        let token = token
        guard token.kind == .string else { return nil }
        return try tape.bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            if !token.flag && token.field < JSONToken.fieldLimit {
                // Safe: the parser checked that the string's bytes lie inside the input.
                return try body(UnsafeBufferPointer(start: base + token.low + 1, count: token.field))
            }
            var parser = JSONParser(bytes: base, count: buffer.count, at: token.low)
            guard (try? parser.scanString()) != nil else { return try body(UnsafeBufferPointer(start: base, count: 0)) }
            if parser.scratch.isEmpty && !token.flag {
                return try body(UnsafeBufferPointer(start: base + token.low + 1, count: parser.position - token.low - 2))
            }
            return try parser.scratch.withUnsafeBufferPointer { try body($0) }
        }
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        withUTF8 { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether this is a string whose UTF-8 bytes are exactly `bytes`.
    public func hasUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        withUTF8 { own in own.elementsEqual(bytes) } ?? false
    }

    /// The number, when this is a number: exact when the literal is an integer that fits in 64
    /// bits, the nearest `Double` otherwise (as ``JSONValue`` holds it).
    public var numberValue: JSONNumber? {
        let token = token
        guard token.kind == .number else { return nil }
        return tape.bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer.baseAddress!, count: buffer.count, at: token.low)
            return try? parser.readNumber()
        }
    }

    /// Whether the number's literal is an integer that fits in 64 bits (no fraction, no exponent).
    public var isExactInteger: Bool {
        let token = token
        return token.kind == .number && token.flag
    }

    /// The exact integer, when this is a number with a zero fractional part that fits in 64 bits.
    public var integerValue: Int64? { numberValue?.integerValue }
}
