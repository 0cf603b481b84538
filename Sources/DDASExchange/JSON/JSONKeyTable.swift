/// The id of an object key on a ``JSONTape``: the position of the key's name in the tape's
/// ``JSONTape/keys``. Two members have the same id exactly when their keys have the same
/// Unicode code points, so a consumer compares keys as integers.
public struct JSONKeyID: Hashable, Comparable, Sendable {
    /// The position of the name in the key table.
    public let rawValue: Int32

    /// An id.
    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A list of object key names, each with its position: the names a consumer of tapes knows
/// (a compiled schema's property names, the fields a check reads), or the distinct keys of one
/// tape. A consumer matches a tape's keys to its own table once per tape through
/// ``JSONTape/keyMap(for:)`` and then works with integers.
public struct JSONKeyTable: Sendable {
    /// The names, by position (distinct).
    public let names: [String]
    /// The names' positions by their bytes.
    private let lookup: CodePointTable

    /// A table of `names`; a name that occurs twice keeps its first position (later copies are dropped).
    public init(_ names: some Sequence<String>) {
        var seen = Set<CodePointKey>()
        let distinct = names.filter { seen.insert(CodePointKey($0)).inserted }
        self.names = distinct
        lookup = CodePointTable(distinct)
    }

    /// The empty table.
    public init() {
        self.init([String]())
    }

    /// The number of names.
    public var count: Int { names.count }

    /// The position of `name`, or nil when it is not in the table (compared by code points).
    public func id(of name: String) -> JSONKeyID? {
        lookup.position(of: name).map { JSONKeyID(rawValue: Int32($0)) }
    }

    /// The position of the name with these UTF-8 bytes, or nil.
    public func id(ofUTF8 bytes: UnsafeBufferPointer<UInt8>) -> JSONKeyID? {
        lookup.position(ofUTF8: bytes).map { JSONKeyID(rawValue: Int32($0)) }
    }

    /// The name of `id`; nil when the id is not from this table.
    public func name(of id: JSONKeyID) -> String? {
        let position = Int(id.rawValue)
        return position >= 0 && position < names.count ? names[position] : nil
    }
}

/// For each key id of one tape, the position of that key in a consumer's ``JSONKeyTable``
/// (or nil when the consumer does not know it): an array lookup per member.
public struct JSONKeyMap: Sendable {
    /// Per tape key id, the consumer's position or -1.
    private let positions: [Int32]

    /// The map from the ids of `source` to the positions in `target`.
    public init(from source: JSONKeyTable, to target: JSONKeyTable) {
        positions = source.names.map { name in target.id(of: name)?.rawValue ?? -1 }
    }

    /// The consumer's position of the key `id`, or nil when the consumer's table lacks it.
    @inline(__always)
    public subscript(id: JSONKeyID) -> Int? {
        let index = Int(id.rawValue)
        guard index >= 0, index < positions.count else { return nil }
        let position = positions[index]
        return position < 0 ? nil : Int(position)
    }
}
