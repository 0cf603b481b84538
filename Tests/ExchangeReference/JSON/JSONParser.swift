/// The one-pass reader behind ``JSONValue/init(parsing:options:)-(UnsafeRawBufferPointer,_)``.
///
/// It does not recurse: open arrays and objects are frames on an explicit stack, finished
/// values wait on a value stack and are moved (not copied) into their container when it
/// closes. Strings without escapes become `String`s straight from the input bytes.
struct JSONParser {
    /// An open array or object.
    struct Frame {
        /// Whether it is an object (else an array).
        let isObject: Bool
        /// Where its values start on the value stack.
        let valueStart: Int
        /// Where its keys start on the key stack.
        let keyStart: Int
        /// The keys so far, once an object has too many members for a linear duplicate check.
        var keySet: Set<CodePointKey>?
    }

    /// The input.
    let bytes: UnsafePointer<UInt8>
    /// The number of input bytes.
    let count: Int
    /// The deepest nesting allowed.
    let maxDepth: Int
    /// The next byte to read.
    var position = 0
    /// Finished values waiting for their container to close.
    var values: [JSONValue] = []
    /// Keys of the members on the value stack, for open objects.
    var keys: [String] = []
    /// The open containers, innermost last.
    var frames: [Frame] = []
    /// Decoded bytes of a string with escapes.
    var scratch: [UInt8] = []

    /// A reader of `count` bytes at `bytes`.
    init(bytes: UnsafePointer<UInt8>, count: Int, maxDepth: Int) {
        self.bytes = bytes
        self.count = count
        self.maxDepth = maxDepth
        values.reserveCapacity(256)
        keys.reserveCapacity(256)
    }

    /// Reads the one value of the input, refusing anything but whitespace after it.
    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        if count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw JSONParseError(.byteOrderMark, at: 0)
        }
        while true {
            try readValueOrOpenContainer()
            // After a value: close containers, or step to the next element or member.
            while true {
                skipWhitespace()
                guard let frame = frames.last else {
                    guard position == count else { throw JSONParseError(.trailingContent, at: position) }
                    return values.removeLast()
                }
                guard position < count else { throw JSONParseError(.unexpectedEnd, at: count) }
                let byte = bytes[position]
                if byte == UInt8(ascii: ",") {
                    position += 1
                    skipWhitespace()
                    guard position < count else { throw JSONParseError(.unexpectedEnd, at: count) }
                    let next = bytes[position]
                    if next == (frame.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        throw JSONParseError(.trailingComma, at: position)
                    }
                    if frame.isObject { try readKeyAndColon() }
                    break
                } else if frame.isObject, byte == UInt8(ascii: "}") {
                    position += 1
                    closeObject()
                } else if !frame.isObject, byte == UInt8(ascii: "]") {
                    position += 1
                    closeArray()
                } else {
                    throw JSONParseError(.unexpectedCharacter, at: position)
                }
            }
        }
    }

    /// Reads a scalar onto the value stack, or opens a container (and reads the first key of
    /// an object); an empty container is closed at once.
    private mutating func readValueOrOpenContainer() throws(JSONParseError) {
        while true {
            skipWhitespace()
            guard position < count else { throw JSONParseError(.unexpectedEnd, at: count) }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                try open(isObject: true)
                skipWhitespace()
                guard position < count else { throw JSONParseError(.unexpectedEnd, at: count) }
                if bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    closeObject()
                    return
                }
                try readKeyAndColon()
            case UInt8(ascii: "["):
                try open(isObject: false)
                skipWhitespace()
                guard position < count else { throw JSONParseError(.unexpectedEnd, at: count) }
                if bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    closeArray()
                    return
                }
            case UInt8(ascii: "\""):
                values.append(.string(try readString()))
                return
            case UInt8(ascii: "t"):
                try readLiteral("true")
                values.append(.bool(true))
                return
            case UInt8(ascii: "f"):
                try readLiteral("false")
                values.append(.bool(false))
                return
            case UInt8(ascii: "n"):
                try readLiteral("null")
                values.append(.null)
                return
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                values.append(.number(try readNumber()))
                return
            default:
                throw JSONParseError(.unexpectedCharacter, at: position)
            }
        }
    }

    private mutating func open(isObject: Bool) throws(JSONParseError) {
        guard frames.count < maxDepth else { throw JSONParseError(.depthLimitExceeded, at: position) }
        frames.append(Frame(isObject: isObject, valueStart: values.count, keyStart: keys.count, keySet: nil))
        position += 1
    }

    private mutating func readKeyAndColon() throws(JSONParseError) {
        guard position < count else { throw JSONParseError(.unexpectedEnd, at: count) }
        guard bytes[position] == UInt8(ascii: "\"") else { throw JSONParseError(.unexpectedCharacter, at: position) }
        let keyOffset = position
        let key = try readString()
        try checkNewKey(key, at: keyOffset)
        keys.append(key)
        skipWhitespace()
        guard position < count else { throw JSONParseError(.unexpectedEnd, at: count) }
        guard bytes[position] == UInt8(ascii: ":") else { throw JSONParseError(.unexpectedCharacter, at: position) }
        position += 1
    }

    /// Refuses a key seen before in the open object: a linear scan for small objects, a set
    /// (built on demand) for large ones.
    private mutating func checkNewKey(_ key: String, at offset: Int) throws(JSONParseError) {
        let frameIndex = frames.count - 1
        let keyStart = frames[frameIndex].keyStart
        if keys.count - keyStart < 16 {
            let length = key.utf8.count
            for index in keyStart..<keys.count {
                // `==` is canonical equivalence: false rules out a duplicate cheaply, true is confirmed byte by byte.
                let other = keys[index]
                if other.utf8.count == length, other == key, hasSameCodePoints(other, key) {
                    throw JSONParseError(.duplicateKey, at: offset)
                }
            }
            return
        }
        if frames[frameIndex].keySet == nil {
            frames[frameIndex].keySet = Set(keys[keyStart...].map(CodePointKey.init))
        }
        guard frames[frameIndex].keySet?.insert(CodePointKey(key)).inserted == true else {
            throw JSONParseError(.duplicateKey, at: offset)
        }
    }

    private mutating func closeObject() {
        let frame = frames.removeLast()
        let memberCount = values.count - frame.valueStart
        let members = [JSONObject.Member](unsafeUninitializedCapacity: memberCount) { buffer, initialized in
            values.withUnsafeMutableBufferPointer { valueBuffer in
                keys.withUnsafeMutableBufferPointer { keyBuffer in
                    guard let valueBase = valueBuffer.baseAddress, let keyBase = keyBuffer.baseAddress,
                        let target = buffer.baseAddress
                    else { return }
                    for offset in 0..<memberCount {
                        let key = (keyBase + frame.keyStart + offset).move()
                        let value = (valueBase + frame.valueStart + offset).move()
                        (target + offset).initialize(to: JSONObject.Member(key: key, value: value))
                        // Leave trivial values behind, so removing them releases nothing twice.
                        (keyBase + frame.keyStart + offset).initialize(to: "")
                        (valueBase + frame.valueStart + offset).initialize(to: .null)
                    }
                }
            }
            initialized = memberCount
        }
        values.removeLast(memberCount)
        keys.removeLast(memberCount)
        values.append(.object(JSONObject(unchecked: members)))
    }

    private mutating func closeArray() {
        let frame = frames.removeLast()
        let elementCount = values.count - frame.valueStart
        let elements = [JSONValue](unsafeUninitializedCapacity: elementCount) { buffer, initialized in
            values.withUnsafeMutableBufferPointer { valueBuffer in
                guard let valueBase = valueBuffer.baseAddress, let target = buffer.baseAddress else { return }
                let source = valueBase + frame.valueStart
                target.moveInitialize(from: source, count: elementCount)
                source.initialize(repeating: .null, count: elementCount)
            }
            initialized = elementCount
        }
        values.removeLast(elementCount)
        values.append(.array(elements))
    }

    private mutating func readLiteral(_ literal: StaticString) throws(JSONParseError) {
        let length = literal.utf8CodeUnitCount
        guard position + length <= count else { throw JSONParseError(.invalidLiteral, at: position) }
        let expected = literal.utf8Start
        for offset in 0..<length where bytes[position + offset] != expected[offset] {
            throw JSONParseError(.invalidLiteral, at: position)
        }
        position += length
    }

    /// Moves past spaces, tabs, line feeds and carriage returns.
    mutating func skipWhitespace() {
        while position < count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }
}
