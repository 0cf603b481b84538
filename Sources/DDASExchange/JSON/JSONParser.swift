import Foundation

/// The one-pass reader behind ``JSONTape`` (and so behind ``JSONValue/init(parsing:options:)-(UnsafeRawBufferPointer,_)``).
///
/// It does not recurse: open arrays and objects are frames on an explicit stack. Each value
/// and each key becomes one token; a container's token is completed (count, end) when it
/// closes. Strings are checked (escapes, surrogates, UTF-8, control characters) but only keys
/// with escapes are decoded, to intern them.
struct JSONParser {
    /// An open array or object.
    struct Frame {
        /// Whether it is an object (else an array).
        let isObject: Bool
        /// The index of its token.
        let tokenIndex: Int
        /// Where its keys start on the key stack.
        let keyStart: Int
        /// Its elements or members so far.
        var count = 0
        /// The id of the last key read, to guess the next (-1 before the first).
        var lastKey: Int32 = -1
        /// The keys so far, once an object has too many members for a linear duplicate check.
        var keySet: Set<Int32>?
    }

    /// What a parse produces: the tokens (malloc'ed, owned by the caller) and the key table.
    struct Output {
        let tokens: UnsafeMutablePointer<UInt64>
        let count: Int
        let keys: JSONKeyTable
    }

    /// The input.
    let bytes: UnsafePointer<UInt8>
    /// The number of input bytes.
    let count: Int
    /// The deepest nesting allowed.
    let maxDepth: Int
    /// The next byte to read.
    var position = 0
    /// The tokens written so far.
    var tokens: TokenBuffer
    /// Key ids of the members of open objects.
    var keys: [Int32] = []
    /// The open containers, innermost last.
    var frames: [Frame] = []
    /// Decoded bytes of a string with escapes.
    var scratch: [UInt8] = []
    /// The key names met so far.
    var interner: KeyInterner

    /// A reader of `count` bytes at `bytes`; keys named in `table` keep their positions as ids.
    init(bytes: UnsafePointer<UInt8>, count: Int, maxDepth: Int, keys table: JSONKeyTable = JSONKeyTable()) {
        self.bytes = bytes
        self.count = count
        self.maxDepth = maxDepth
        tokens = TokenBuffer(capacity: max(64, count / 8))
        interner = KeyInterner(seed: table)
        keys.reserveCapacity(256)
    }

    /// A reader positioned at `offset` of the same input, for decoding one string or number again.
    init(bytes: UnsafePointer<UInt8>, count: Int, at offset: Int) {
        self.bytes = bytes
        self.count = count
        maxDepth = 0
        position = offset
        tokens = TokenBuffer(capacity: 0)
        interner = KeyInterner(seed: JSONKeyTable())
    }

    /// Reads the one value of the input, refusing anything but whitespace after it; the
    /// caller owns the returned tokens.
    mutating func parseDocument() throws(JSONParseError) -> Output {
        do {
            try readDocument()
        } catch {
            tokens.release()
            throw error
        }
        return Output(tokens: tokens.finish(), count: tokens.count, keys: interner.table())
    }

    private mutating func readDocument() throws(JSONParseError) {
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
                    return
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
                    close()
                } else if !frame.isObject, byte == UInt8(ascii: "]") {
                    position += 1
                    close()
                } else {
                    throw JSONParseError(.unexpectedCharacter, at: position)
                }
            }
        }
    }

    /// Reads a scalar, or opens a container (and reads the first key of an object); an empty
    /// container is closed at once.
    private mutating func readValueOrOpenContainer() throws(JSONParseError) {
        while true {
            skipWhitespace()
            guard position < count else { throw JSONParseError(.unexpectedEnd, at: count) }
            if let last = frames.indices.last { frames[last].count += 1 }
            let start = position
            switch bytes[position] {
            case UInt8(ascii: "{"):
                try open(isObject: true)
                skipWhitespace()
                guard position < count else { throw JSONParseError(.unexpectedEnd, at: count) }
                if bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    close()
                    return
                }
                try readKeyAndColon()
            case UInt8(ascii: "["):
                try open(isObject: false)
                skipWhitespace()
                guard position < count else { throw JSONParseError(.unexpectedEnd, at: count) }
                if bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    close()
                    return
                }
            case UInt8(ascii: "\""):
                let hasEscapes = try scanString()
                tokens.append(JSONToken(kind: .string, flag: hasEscapes, field: position - start - 2, low: start))
                return
            case UInt8(ascii: "t"):
                try readLiteral("true")
                tokens.append(JSONToken(kind: .true, low: start))
                return
            case UInt8(ascii: "f"):
                try readLiteral("false")
                tokens.append(JSONToken(kind: .false, low: start))
                return
            case UInt8(ascii: "n"):
                try readLiteral("null")
                tokens.append(JSONToken(kind: .null, low: start))
                return
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let number = try readNumber()
                tokens.append(JSONToken(kind: .number, flag: number.isExactInteger, field: position - start, low: start))
                return
            default:
                throw JSONParseError(.unexpectedCharacter, at: position)
            }
        }
    }

    private mutating func open(isObject: Bool) throws(JSONParseError) {
        guard frames.count < maxDepth else { throw JSONParseError(.depthLimitExceeded, at: position) }
        frames.append(Frame(isObject: isObject, tokenIndex: tokens.count, keyStart: keys.count))
        // A placeholder, completed by `close()`.
        tokens.append(JSONToken(kind: isObject ? .object : .array, low: 0))
        position += 1
    }

    private mutating func close() {
        let frame = frames.removeLast()
        tokens[frame.tokenIndex] = JSONToken(
            kind: frame.isObject ? .object : .array, field: frame.count, low: tokens.count)
        if frame.isObject { keys.removeLast(keys.count - frame.keyStart) }
    }

    private mutating func readKeyAndColon() throws(JSONParseError) {
        guard position < count else { throw JSONParseError(.unexpectedEnd, at: count) }
        guard bytes[position] == UInt8(ascii: "\"") else { throw JSONParseError(.unexpectedCharacter, at: position) }
        let keyOffset = position
        let hasEscapes = try scanString()
        let frameIndex = frames.count - 1
        let id: Int32
        if hasEscapes {
            id = scratch.withUnsafeBufferPointer { interner.id(of: $0, after: frames[frameIndex].lastKey) }
        } else {
            id = interner.id(
                of: UnsafeBufferPointer(start: bytes + keyOffset + 1, count: position - keyOffset - 2),
                after: frames[frameIndex].lastKey)
        }
        try checkNewKey(id, at: keyOffset)
        frames[frameIndex].lastKey = id
        keys.append(id)
        tokens.append(JSONToken(kind: .key, flag: hasEscapes, field: Int(id), low: keyOffset))
        skipWhitespace()
        guard position < count else { throw JSONParseError(.unexpectedEnd, at: count) }
        guard bytes[position] == UInt8(ascii: ":") else { throw JSONParseError(.unexpectedCharacter, at: position) }
        position += 1
    }

    /// Refuses a key seen before in the open object: a linear scan for small objects, a set
    /// (built on demand) for large ones.
    private mutating func checkNewKey(_ id: Int32, at offset: Int) throws(JSONParseError) {
        let frameIndex = frames.count - 1
        let keyStart = frames[frameIndex].keyStart
        if keys.count - keyStart < 16 {
            for index in keyStart..<keys.count where keys[index] == id {
                throw JSONParseError(.duplicateKey, at: offset)
            }
            return
        }
        if frames[frameIndex].keySet == nil {
            frames[frameIndex].keySet = Set(keys[keyStart...])
        }
        guard frames[frameIndex].keySet?.insert(id).inserted == true else {
            throw JSONParseError(.duplicateKey, at: offset)
        }
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

/// A growable array of tokens in malloc'ed memory: `realloc` moves large blocks by remapping
/// pages rather than copying, so growing a tape for a big page never holds two copies.
struct TokenBuffer {
    private(set) var base: UnsafeMutablePointer<UInt64>?
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = capacity > 0 ? malloc(capacity * 8)?.assumingMemoryBound(to: UInt64.self) : nil
    }

    @inline(__always)
    mutating func append(_ token: JSONToken) {
        if count == capacity { grow() }
        // Safe: `grow()` made `count < capacity`, and `base` holds `capacity` tokens.
        base.unsafelyUnwrapped[count] = token.bits
        count += 1
    }

    subscript(index: Int) -> JSONToken {
        get {
            precondition(index < count)
            return JSONToken(bits: base.unsafelyUnwrapped[index])
        }
        set {
            precondition(index < count)
            base.unsafelyUnwrapped[index] = newValue.bits
        }
    }

    private mutating func grow() {
        let newCapacity = max(64, capacity * 2)
        guard let grown = realloc(base, newCapacity * 8) else { fatalError("out of memory for a JSON tape") }
        base = grown.assumingMemoryBound(to: UInt64.self)
        capacity = newCapacity
    }

    /// The tokens, shrunk to their count; the caller frees them.
    mutating func finish() -> UnsafeMutablePointer<UInt64> {
        let size = max(1, count) * 8
        guard let shrunk = realloc(base, size) else { fatalError("out of memory for a JSON tape") }
        base = nil
        capacity = 0
        return shrunk.assumingMemoryBound(to: UInt64.self)
    }

    /// Frees the tokens (after an error).
    mutating func release() {
        free(base)
        base = nil
        capacity = 0
        count = 0
    }
}
