extension JSONValue {
    /// The value as compact JSON (no whitespace), members in their order, strings with the
    /// minimal escapes (`\"`, `\\`, the short control escapes, `\u00XX` for other control
    /// characters) and everything else as UTF-8.
    public func jsonBytes() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(64)
        JSONWriter.write(self, to: &output)
        return output
    }
}

/// Compact JSON output, iterative so that deep values cannot exhaust the stack.
enum JSONWriter {
    private enum Step {
        case value(JSONValue)
        case text(StaticString)
        case key(String)
    }

    /// Appends `root` as compact JSON to `output`.
    static func write(_ root: JSONValue, to output: inout [UInt8]) {
        var pending: [Step] = [.value(root)]
        while let step = pending.popLast() {
            switch step {
            case .text(let text):
                output.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
            case .key(let key):
                writeString(key, to: &output)
                output.append(UInt8(ascii: ":"))
            case .value(let value):
                switch value {
                case .null: output.append(contentsOf: Array("null".utf8))
                case .bool(let flag): output.append(contentsOf: Array((flag ? "true" : "false").utf8))
                case .number(let number): output.append(contentsOf: Array(number.description.utf8))
                case .string(let text): writeString(text, to: &output)
                case .array(let elements):
                    output.append(UInt8(ascii: "["))
                    pending.append(.text("]"))
                    for (offset, element) in elements.enumerated().reversed() {
                        pending.append(.value(element))
                        if offset > 0 { pending.append(.text(",")) }
                    }
                case .object(let object):
                    output.append(UInt8(ascii: "{"))
                    pending.append(.text("}"))
                    for (offset, member) in object.members.enumerated().reversed() {
                        pending.append(.value(member.value))
                        pending.append(.key(member.key))
                        if offset > 0 { pending.append(.text(",")) }
                    }
                }
            }
        }
    }

    /// Writes `text` as a JSON string literal.
    static func writeString(_ text: String, to output: inout [UInt8]) {
        let hexDigits = Array("0123456789abcdef".utf8)
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): output.append(contentsOf: [0x5C, 0x5C])
            case 0x08: output.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0A: output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
