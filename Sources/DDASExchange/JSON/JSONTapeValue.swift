/// One value on a ``JSONTape``: a view (the tape and a token index) that reads the token on
/// demand. Copying it copies a reference and an integer.
public struct JSONTapeValue: Sendable {
    /// The tape.
    public let tape: JSONTape
    /// The index of the value's token.
    public let index: Int

    /// The value at token `index` of `tape` (which must be a value's token, not a key's).
    public init(tape: JSONTape, index: Int) {
        self.tape = tape
        self.index = index
    }

    @inline(__always)
    var token: JSONToken { tape.token(at: index) }

    /// What the value is: object, array, string, number, `true`, `false` or `null`.
    public var tokenKind: JSONTokenKind { token.kind }

    /// The JSON type, as JSON Schema's `type` keyword names it (an `integer` is a number whose
    /// fractional part is zero), as ``JSONValue/kind`` gives it.
    public var kind: JSONKind {
        let token = token
        switch token.kind {
        case .object: return .object
        case .array: return .array
        case .string, .key: return .string
        case .true, .false: return .boolean
        case .null: return .null
        case .number: return token.flag || (numberValue?.isInteger ?? false) ? .integer : .number
        }
    }

    /// The index of the token after this value (and everything inside it): the next sibling.
    public var endIndex: Int {
        let token = token
        switch token.kind {
        case .object, .array: return token.low
        default: return index + 1
        }
    }

    /// Whether this is `null`.
    public var isNull: Bool { token.kind == .null }

    /// The Boolean, when this is `true` or `false`.
    public var boolValue: Bool? {
        switch token.kind {
        case .true: true
        case .false: false
        default: nil
        }
    }

    /// The elements of an array or the members of an object; nil for other values.
    public var count: Int? {
        let token = token
        guard token.kind == .object || token.kind == .array else { return nil }
        if token.field < JSONToken.fieldLimit { return token.field }
        var total = 0
        if token.kind == .object {
            for _ in members { total += 1 }
        } else {
            for _ in elements { total += 1 }
        }
        return total
    }

    /// The elements in order; empty when this is not an array.
    public var elements: JSONTapeElements {
        let token = token
        guard token.kind == .array else { return JSONTapeElements(tape: tape, start: index, end: index) }
        return JSONTapeElements(tape: tape, start: index + 1, end: token.low)
    }

    /// The members in document order; empty when this is not an object.
    public var members: JSONTapeMembers {
        let token = token
        guard token.kind == .object else { return JSONTapeMembers(tape: tape, start: index, end: index) }
        return JSONTapeMembers(tape: tape, start: index + 1, end: token.low)
    }

    /// The value of the member with key `id`, when this is an object that has it.
    public subscript(id: JSONKeyID) -> JSONTapeValue? {
        for member in members where member.key == id { return member.value }
        return nil
    }

    /// The value of member `key`, when this is an object that has it (keys compare by code points).
    public subscript(key: String) -> JSONTapeValue? {
        guard let id = tape.keys.id(of: key) else { return nil }
        return self[id]
    }
}

/// The elements of an array on a tape.
public struct JSONTapeElements: Sequence, Sendable {
    let tape: JSONTape
    let start: Int
    let end: Int

    /// Walks the elements, skipping each one's subtree in O(1).
    public struct Iterator: IteratorProtocol {
        let tape: JSONTape
        var position: Int
        let end: Int

        public mutating func next() -> JSONTapeValue? {
            guard position < end else { return nil }
            let value = JSONTapeValue(tape: tape, index: position)
            position = value.endIndex
            return value
        }
    }

    public func makeIterator() -> Iterator { Iterator(tape: tape, position: start, end: end) }
}

/// One member of an object on a tape: its key's id and its value.
public struct JSONTapeMember: Sendable {
    /// The key's id (see ``JSONTape/keys``).
    public let key: JSONKeyID
    /// The index of the key's token.
    public let keyIndex: Int
    /// The value.
    public let value: JSONTapeValue

    /// The key as a `String` (decoded, for messages and pointers).
    public var name: String { value.tape.keys.name(of: key) ?? "" }
}

/// The members of an object on a tape, in document order.
public struct JSONTapeMembers: Sequence, Sendable {
    let tape: JSONTape
    let start: Int
    let end: Int

    /// Walks the members, skipping each value's subtree in O(1).
    public struct Iterator: IteratorProtocol {
        let tape: JSONTape
        var position: Int
        let end: Int

        public mutating func next() -> JSONTapeMember? {
            guard position < end else { return nil }
            let keyToken = tape.token(at: position)
            let value = JSONTapeValue(tape: tape, index: position + 1)
            let member = JSONTapeMember(
                key: JSONKeyID(rawValue: Int32(truncatingIfNeeded: keyToken.field)), keyIndex: position, value: value)
            position = value.endIndex
            return member
        }
    }

    public func makeIterator() -> Iterator { Iterator(tape: tape, position: start, end: end) }
}
