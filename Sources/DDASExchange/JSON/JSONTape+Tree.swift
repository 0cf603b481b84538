extension JSONValue {
    /// The tree of the value `value` on a tape (and everything inside it).
    public init(_ value: JSONTapeValue) {
        let tape = value.tape
        self = tape.bytes.withUnsafeBufferPointer { buffer in
            JSONTreeBuilder(
                bytes: buffer.baseAddress!, count: buffer.count, tokens: tape.tokens, keys: tape.keys
            ).build(from: value.index)
        }
    }
}

extension JSONTapeValue {
    /// This value as a tree, for callers that need a ``JSONValue``.
    public var jsonValue: JSONValue { JSONValue(self) }
}

/// Builds a ``JSONValue`` from the tokens of a subtree, without recursing: open containers
/// are frames on an explicit stack, their finished values wait on a value stack.
struct JSONTreeBuilder {
    let bytes: UnsafePointer<UInt8>
    let count: Int
    let tokens: UnsafePointer<UInt64>
    let keys: JSONKeyTable

    private struct Frame {
        let isObject: Bool
        /// The index of the token after the container.
        let end: Int
        /// Where its values start on the value stack.
        let valueStart: Int
        /// Where its keys start on the key stack.
        let keyStart: Int
    }

    /// The value whose token is at `start`.
    func build(from start: Int) -> JSONValue {
        var values: [JSONValue] = []
        var memberKeys: [String] = []
        var frames: [Frame] = []
        var index = start
        repeat {
            let token = JSONToken(bits: tokens[index])
            switch token.kind {
            case .object, .array:
                frames.append(
                    Frame(isObject: token.kind == .object, end: token.low, valueStart: values.count, keyStart: memberKeys.count))
                index += 1
            case .key:
                memberKeys.append(keys.names[token.field])
                index += 1
            default:
                values.append(scalar(token))
                index += 1
            }
            // Close every container that ends here.
            while let frame = frames.last, frame.end == index {
                frames.removeLast()
                if frame.isObject {
                    let members = zip(memberKeys[frame.keyStart...], values[frame.valueStart...]).map {
                        JSONObject.Member(key: $0, value: $1)
                    }
                    memberKeys.removeLast(memberKeys.count - frame.keyStart)
                    values.removeLast(values.count - frame.valueStart)
                    values.append(.object(JSONObject(unchecked: members)))
                } else {
                    let elements = Array(values[frame.valueStart...])
                    values.removeLast(values.count - frame.valueStart)
                    values.append(.array(elements))
                }
            }
        } while !frames.isEmpty
        return values.removeLast()
    }

    private func scalar(_ token: JSONToken) -> JSONValue {
        switch token.kind {
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .null: return .null
        case .number:
            var parser = JSONParser(bytes: bytes, count: count, at: token.low)
            return (try? parser.readNumber()).map(JSONValue.number) ?? .null
        default:
            if !token.flag && token.field < JSONToken.fieldLimit {
                return .string(
                    String(decoding: UnsafeBufferPointer(start: bytes + token.low + 1, count: token.field), as: UTF8.self))
            }
            var parser = JSONParser(bytes: bytes, count: count, at: token.low)
            _ = try? parser.scanString()
            if token.flag { return .string(String(decoding: parser.scratch, as: UTF8.self)) }
            return .string(
                String(decoding: UnsafeBufferPointer(start: bytes + token.low + 1, count: parser.position - token.low - 2), as: UTF8.self))
        }
    }
}
