import Foundation

/// A Swift value that can travel to PostgreSQL as a statement parameter (`$1`, `$2`, ...).
///
/// Values are sent separately from the SQL text, never spliced into a statement: the hot
/// types (integers, `Bool`, `Double`, `UUID`, `Date`, `Data`) in PostgreSQL's binary format,
/// the others in its text format.
public protocol PostgresEncodable: Sendable {
    /// The type the parameter is declared with; `.unspecified` lets the server infer it.
    static var postgresType: PostgresDataType { get }
    /// The value in PostgreSQL's text input format.
    var postgresText: String { get }
}

extension String: PostgresEncodable {
    public static var postgresType: PostgresDataType { .unspecified }
    public var postgresText: String { self }
}

extension Substring: PostgresEncodable {
    public static var postgresType: PostgresDataType { .unspecified }
    public var postgresText: String { String(self) }
}

extension Int: PostgresEncodable {
    public static var postgresType: PostgresDataType { .int8 }
    public var postgresText: String { String(self) }
}

extension Int32: PostgresEncodable {
    public static var postgresType: PostgresDataType { .int4 }
    public var postgresText: String { String(self) }
}

extension Int64: PostgresEncodable {
    public static var postgresType: PostgresDataType { .int8 }
    public var postgresText: String { String(self) }
}

extension Bool: PostgresEncodable {
    public static var postgresType: PostgresDataType { .bool }
    public var postgresText: String { self ? "t" : "f" }
}

extension Double: PostgresEncodable {
    public static var postgresType: PostgresDataType { .float8 }
    public var postgresText: String { "\(self)" }
}

extension Decimal: PostgresEncodable {
    public static var postgresType: PostgresDataType { .numeric }
    public var postgresText: String { "\(self)" }
}

extension UUID: PostgresEncodable {
    public static var postgresType: PostgresDataType { .uuid }
    public var postgresText: String { uuidString.lowercased() }
}

extension Date: PostgresEncodable {
    public static var postgresType: PostgresDataType { .timestamptz }
    public var postgresText: String { PostgresTimestamp.format(self) }
}

extension Data: PostgresEncodable {
    public static var postgresType: PostgresDataType { .bytea }
    public var postgresText: String { PostgresHex.text(self) }
}

extension Array: PostgresEncodable where Element == String {
    public static var postgresType: PostgresDataType { .textArray }
    public var postgresText: String { PostgresArrayLiteral.format(self) }
}

/// A calendar date without a time of day (`date`), as the DDAS exchange writes them.
public struct PostgresDate: Hashable, Sendable, Comparable, CustomStringConvertible, PostgresEncodable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A date from its parts; no calendar check here, the server checks on input.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public static var postgresType: PostgresDataType { .date }
    public var postgresText: String { description }
    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// A JSON document for a `jsonb` (or `json`) column, kept as its text.
public struct PostgresJSON: Hashable, Sendable, PostgresEncodable {
    /// The JSON text.
    public let text: String

    /// Wraps JSON text as it is.
    public init(text: String) { self.text = text }

    /// Encodes a value with `JSONEncoder` (sorted keys, so equal values give equal text).
    public init(encoding value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        self.text = String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes the document with `JSONDecoder`.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    public static var postgresType: PostgresDataType { .jsonb }
    public var postgresText: String { text }
}

enum PostgresHex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `bytea`'s hex text form, `\x0a1b...`, built in one buffer.
    static func text(_ bytes: some Sequence<UInt8>) -> String {
        var characters: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        characters.reserveCapacity(2 + bytes.underestimatedCount * 2)
        for byte in bytes {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
