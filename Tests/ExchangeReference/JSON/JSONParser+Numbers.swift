extension JSONParser {
    /// Reads the number under `position`: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    /// Integers that fit in 64 bits stay exact; others become the nearest `Double`.
    mutating func readNumber() throws(JSONParseError) -> JSONNumber {
        let start = position
        var index = position
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < count, isDigit(bytes[index]) else { throw JSONParseError(.invalidNumber, at: start) }
        var magnitude: UInt64 = 0
        var fitsExactly = true
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < count, isDigit(bytes[index]) { throw JSONParseError(.invalidNumber, at: start) }
        } else {
            while index < count, isDigit(bytes[index]) {
                let (times10, overflowMultiply) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, overflowAdd) = times10.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
                if overflowMultiply || overflowAdd { fitsExactly = false }
                magnitude = sum
                index += 1
            }
        }
        var isIntegerLiteral = true
        if index < count, bytes[index] == UInt8(ascii: ".") {
            isIntegerLiteral = false
            index += 1
            guard index < count, isDigit(bytes[index]) else { throw JSONParseError(.invalidNumber, at: start) }
            while index < count, isDigit(bytes[index]) { index += 1 }
        }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isIntegerLiteral = false
            index += 1
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < count, isDigit(bytes[index]) else { throw JSONParseError(.invalidNumber, at: start) }
            while index < count, isDigit(bytes[index]) { index += 1 }
        }
        position = index
        if isIntegerLiteral, fitsExactly {
            if !negative, magnitude <= UInt64(Int64.max) { return JSONNumber(Int64(magnitude)) }
            if negative, magnitude <= UInt64(Int64.max) + 1 { return JSONNumber(Int64(truncatingIfNeeded: 0 &- magnitude)) }
        }
        // Rare in the exchange: let the standard library round the literal correctly.
        let text = String(decoding: UnsafeBufferPointer(start: bytes + start, count: index - start), as: UTF8.self)
        guard let double = Double(text), let number = JSONNumber(double) else {
            throw JSONParseError(.numberOutOfRange, at: start)
        }
        return number
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }
}
