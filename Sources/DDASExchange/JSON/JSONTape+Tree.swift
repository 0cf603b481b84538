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
                    let members = Self.moveMembers(keys: &memberKeys, values: &values, from: frame)
                    values.append(.object(JSONObject(unchecked: members)))
                } else {
                    let elements = Self.moveElements(values: &values, from: frame.valueStart)
                    values.append(.array(elements))
                }
            }
        } while !frames.isEmpty
        return values.removeLast()
    }

    /// The members of a closing object, moved (not copied) off the stacks.
    private static func moveMembers(keys: inout [String], values: inout [JSONValue], from frame: Frame)
        -> [JSONObject.Member]
    {
        let count = values.count - frame.valueStart
        let members = [JSONObject.Member](unsafeUninitializedCapacity: count) { buffer, initialized in
            values.withUnsafeMutableBufferPointer { valueBuffer in
                keys.withUnsafeMutableBufferPointer { keyBuffer in
                    guard let valueBase = valueBuffer.baseAddress, let keyBase = keyBuffer.baseAddress,
                        let target = buffer.baseAddress
                    else { return }
                    for offset in 0..<count {
                        // Safe: the frame's keys and values are the last `count` entries of each stack.
                        let key = (keyBase + frame.keyStart + offset).move()
                        let value = (valueBase + frame.valueStart + offset).move()
                        (target + offset).initialize(to: JSONObject.Member(key: key, value: value))
                        // Leave trivial values behind, so removing them releases nothing twice.
                        (keyBase + frame.keyStart + offset).initialize(to: "")
                        (valueBase + frame.valueStart + offset).initialize(to: .null)
                    }
                }
            }
            initialized = count
        }
        values.removeLast(count)
        keys.removeLast(count)
        return members
    }

    /// The elements of a closing array, moved (not copied) off the value stack.
    private static func moveElements(values: inout [JSONValue], from start: Int) -> [JSONValue] {
        let count = values.count - start
        let elements = [JSONValue](unsafeUninitializedCapacity: count) { buffer, initialized in
            values.withUnsafeMutableBufferPointer { valueBuffer in
                guard let valueBase = valueBuffer.baseAddress, let target = buffer.baseAddress else { return }
                // Safe: the array's elements are the last `count` entries of the stack.
                target.moveInitialize(from: valueBase + start, count: count)
                (valueBase + start).initialize(repeating: .null, count: count)
            }
            initialized = count
        }
        values.removeLast(count)
        return elements
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
