import Foundation

/// The values of one code list of an exchange model (`EnumEindresultaat`), compared by
/// Unicode code points as the schema's `enum` compares them.
///
/// A value is found by its UTF-8 bytes through a table made once with the model: per value
/// its length and first eight bytes as one word, so a lookup compares words and only the
/// candidate's remaining bytes, without hashing or copying the text. The lists hold a few to
/// a few dozen values; measured against a `Set<[UInt8]>` of the values, the table needs no
/// array per lookup.
public struct CodeListValues: Sendable, Hashable {
    /// The values, in the model's order.
    public let values: [String]
    /// Per value: its length in bytes and its first eight bytes (zero-padded), little-endian.
    private let heads: [Head]
    /// Every value's bytes, one after the other; value `i` starts at `starts[i]`.
    private let bytes: [UInt8]
    private let starts: [Int]

    private struct Head: Sendable, Hashable {
        let length: Int
        let word: UInt64
    }

    /// A code list of these values.
    public init(_ values: [String]) {
        self.values = values
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var heads: [Head] = []
        for value in values {
            starts.append(bytes.count)
            let utf8 = Array(value.utf8)
            bytes += utf8
            heads.append(utf8.withUnsafeBufferPointer { Head(length: $0.count, word: Self.word($0)) })
        }
        self.bytes = bytes
        self.starts = starts
        self.heads = heads
    }

    /// Whether `text` is one of the values, code point for code point.
    public func contains(_ text: String) -> Bool { index(of: text) != nil }

    /// The position in ``values`` of `text`, code point for code point; nil when it is not one.
    public func index(of text: String) -> Int? { FieldRules.withBytes(of: text) { index(of: $0) } }

    /// The position in ``values`` of the value written in these UTF-8 bytes; nil when it is not one.
    public func index(of text: UnsafeBufferPointer<UInt8>) -> Int? {
        let word = Self.word(text)
        for (position, head) in heads.enumerated() where head.length == text.count && head.word == word {
            guard head.length > 8 else { return position }
            let same = bytes.withUnsafeBufferPointer { stored in
                // Safe: the value's bytes lie at starts[position]..<starts[position] + length
                // inside `stored`, and `text` holds as many bytes (its length was compared).
                memcmp(stored.baseAddress! + starts[position] + 8, text.baseAddress! + 8, head.length - 8) == 0
            }
            if same { return position }
        }
        return nil
    }

    /// The first eight bytes of `text`, zero-padded, as one word.
    @inline(__always)
    private static func word(_ text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var word: UInt64 = 0
        for position in 0..<min(8, text.count) { word |= UInt64(text[position]) << (8 * UInt64(position)) }
        return word
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.values == rhs.values }
    public func hash(into hasher: inout Hasher) { hasher.combine(values) }

    /// The code lists of a schema document: each `$defs/Enum<Name>` with string values, by
    /// `<name>` in lower case (`EnumEindresultaat` → `eindresultaat`).
    public static func lists(in schema: JSONValue) -> [String: CodeListValues] {
        guard case .object(let definitions)? = schema["$defs"] else { return [:] }
        var lists: [String: CodeListValues] = [:]
        for member in definitions.members where member.key.hasPrefix("Enum") && member.key.count > 4 {
            guard let values = member.value["enum"]?.arrayValue?.compactMap(\.stringValue), !values.isEmpty else { continue }
            lists[member.key.dropFirst(4).lowercased()] = CodeListValues(values)
        }
        return lists
    }
}
