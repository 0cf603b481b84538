import Foundation

/// A JSON object: members in document order, no two with the same key.
///
/// Lookup by key compares Unicode code points (so `"\u{212A}"`, the Kelvin sign, does not find
/// `"K"`). Lookup is a linear scan, which is what the small objects of the exchange need; walk
/// `members` once for large objects.
public struct JSONObject: Sendable {
    /// One member: a key and its value.
    public struct Member: Sendable {
        /// The key.
        public let key: String
        /// The value.
        public let value: JSONValue

        /// A member.
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The members in document order.
    public let members: [Member]

    /// An object of these members; nil when two have the same key.
    public init?(_ members: [Member]) {
        var seen = Set<CodePointKey>(minimumCapacity: members.count)
        for member in members where !seen.insert(CodePointKey(member.key)).inserted {
            return nil
        }
        self.members = members
    }

    /// An object whose keys the caller has checked to be distinct.
    init(unchecked members: [Member]) {
        self.members = members
    }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The keys in document order.
    public var keys: [String] { members.map(\.key) }

    /// The value of member `key`, or nil when there is none.
    public subscript(key: String) -> JSONValue? {
        for member in members where hasSameCodePoints(member.key, key) {
            return member.value
        }
        return nil
    }
}

/// Whether two strings have the same Unicode code points (the same UTF-8 bytes).
@inline(__always)
func hasSameCodePoints(_ left: String, _ right: String) -> Bool {
    guard left.utf8.count == right.utf8.count else { return false }
    var left = left
    var right = right
    return left.withUTF8 { leftBytes in
        right.withUTF8 { rightBytes in
            leftBytes.isEmpty || memcmp(leftBytes.baseAddress!, rightBytes.baseAddress!, leftBytes.count) == 0
        }
    }
}

/// A string that hashes and compares by its Unicode code points (its UTF-8 bytes), not by
/// canonical equivalence as `String` does: JSON keys and JSON Schema's equality work that way.
struct CodePointKey: Hashable, Sendable {
    /// The string.
    let text: String

    /// A key for `text`.
    init(_ text: String) {
        self.text = text
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        hasSameCodePoints(lhs.text, rhs.text)
    }

    func hash(into hasher: inout Hasher) {
        var copy = text
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
