import Foundation

/// A Swift type that a result column can be decoded into.
///
/// Decoding checks the column's PostgreSQL type first: asking for an `Int` from a `text`
/// column is a `typeMismatch` error naming the column, not a silent conversion.
public protocol PostgresDecodable: Sendable {
    /// Whether a column of this PostgreSQL type can be decoded into `Self`.
    static func accepts(_ type: PostgresDataType) -> Bool
    /// Decodes the column's text; nil when the text is not a valid value.
    static func decode(postgresText text: String, type: PostgresDataType) -> Self?
    /// Decodes the column's value in PostgreSQL's binary format (see `PostgresBinary`); nil
    /// when it is not a valid value. The default turns it into the text the server would
    /// have sent and calls `decode(postgresText:type:)`.
    static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) -> Self?
    /// The value for SQL NULL; nil when the type cannot represent NULL.
    static var postgresNull: Self? { get }
}

extension PostgresDecodable {
    public static var postgresNull: Self? { nil }

    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) -> Self? {
        PostgresBinary.text(bytes, type: type).flatMap { decode(postgresText: $0, type: type) }
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool { Wrapped.accepts(type) }
    public static func decode(postgresText text: String, type: PostgresDataType) -> Self? {
        Wrapped.decode(postgresText: text, type: type).map { .some($0) }
    }
    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) -> Self? {
        Wrapped.decode(postgresBinary: bytes, type: type).map { .some($0) }
    }
    public static var postgresNull: Self? { .some(.none) }
}

extension String: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool {
        PostgresDataType.textual.contains(type) || type == .unspecified
    }
    public static func decode(postgresText text: String, type: PostgresDataType) -> String? { text }
    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) -> String? {
        String(decoding: bytes, as: UTF8.self)
    }
}

extension Int: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool { [.int2, .int4, .int8, .oid].contains(type) }
    public static func decode(postgresText text: String, type: PostgresDataType) -> Int? { Int(text) }
    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) -> Int? {
        PostgresBinary.anyInteger(bytes, type: type).map { Int($0) }
    }
}

extension Int32: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool { [.int2, .int4].contains(type) }
    public static func decode(postgresText text: String, type: PostgresDataType) -> Int32? { Int32(text) }
    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) -> Int32? {
        PostgresBinary.anyInteger(bytes, type: type).flatMap { Int32(exactly: $0) }
    }
}

extension Int64: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool { [.int2, .int4, .int8, .oid].contains(type) }
    public static func decode(postgresText text: String, type: PostgresDataType) -> Int64? { Int64(text) }
    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) -> Int64? {
        PostgresBinary.anyInteger(bytes, type: type)
    }
}

extension Bool: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool { type == .bool }
    public static func decode(postgresText text: String, type: PostgresDataType) -> Bool? {
        switch text {
        case "t": true
        case "f": false
        default: nil
        }
    }
    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) -> Bool? {
        bytes.count == 1 ? bytes[0] != 0 : nil
    }
}

extension Double: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool {
        [.float4, .float8, .numeric, .int2, .int4, .int8].contains(type)
    }
    public static func decode(postgresText text: String, type: PostgresDataType) -> Double? {
        switch text {
        case "NaN": .nan
        case "Infinity": .infinity
        case "-Infinity": -.infinity
        default: Double(text)
        }
    }
    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) -> Double? {
        PostgresBinary.double(bytes, type: type)
    }
}

extension Decimal: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool { [.numeric, .int2, .int4, .int8].contains(type) }
    public static func decode(postgresText text: String, type: PostgresDataType) -> Decimal? {
        Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }
}

extension UUID: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool { type == .uuid }
    public static func decode(postgresText text: String, type: PostgresDataType) -> UUID? { UUID(uuidString: text) }
    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) -> UUID? {
        bytes.count == 16 ? UUID(uuid: PostgresBinary.uuidTuple(bytes)) : nil
    }
}

extension Date: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool { type == .timestamptz }
    public static func decode(postgresText text: String, type: PostgresDataType) -> Date? { PostgresTimestamp.parse(text) }
    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) -> Date? {
        PostgresBinary.date(bytes)
    }
}

extension PostgresDate: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool { type == .date }
    public static func decode(postgresText text: String, type: PostgresDataType) -> PostgresDate? { PostgresDate(text) }
    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) -> PostgresDate? {
        PostgresBinary.calendarDate(bytes)
    }
}

extension Data: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool { type == .bytea }
    public static func decode(postgresText text: String, type: PostgresDataType) -> Data? { PostgresBytea.parse(text) }
    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) -> Data? { Data(bytes) }
}

extension PostgresJSON: PostgresDecodable {
    public static func accepts(_ type: PostgresDataType) -> Bool { type == .jsonb || type == .json }
    public static func decode(postgresText text: String, type: PostgresDataType) -> PostgresJSON? { PostgresJSON(text: text) }
    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) -> PostgresJSON? {
        PostgresBinary.text(bytes, type: type).map(PostgresJSON.init(text:))
    }
}

extension Array: PostgresDecodable where Element == String {
    public static func accepts(_ type: PostgresDataType) -> Bool { type == .textArray || type == .varcharArray }
    public static func decode(postgresText text: String, type: PostgresDataType) -> [String]? {
        guard let elements = PostgresArrayLiteral.parse(text) else { return nil }
        // A NULL element has no String to become: refuse rather than invent one.
        let strings = elements.compactMap { $0 }
        return strings.count == elements.count ? strings : nil
    }
}
