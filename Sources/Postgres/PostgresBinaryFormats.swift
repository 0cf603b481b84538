import Foundation

/// PostgreSQL's binary formats for the hot types.
///
/// A result comes in binary when every one of its columns has a type listed in
/// `binaryResultTypes` (libpq asks for one format for all columns of a result); any other
/// result (numeric, arrays, intervals, ...) comes in text, as before. Integers are
/// big-endian; `timestamptz` and `timestamp` are microseconds and `date` days since
/// 2000-01-01; `uuid` is its 16 bytes; `bytea` its bytes; text types their UTF-8;
/// `jsonb` a version byte (1) and the JSON text.
enum PostgresBinary {
    /// Types whose results are read in binary.
    static let binaryResultTypes: Set<PostgresDataType> = [
        .bool, .bytea, .name, .int8, .int2, .int4, .text, .oid, .json, .float4, .float8, .bpchar, .varchar, .date,
        .timestamp, .timestamptz, .uuid, .jsonb,
    ]

    /// Seconds from 1970-01-01 to 2000-01-01, PostgreSQL's epoch for dates and timestamps.
    static let epochOffsetSeconds: Int64 = 946_684_800
    /// Days from 1970-01-01 to 2000-01-01.
    static let epochOffsetDays = 10_957

    /// A big-endian integer of exactly `I`'s size; nil when the length differs.
    static func integer<I: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, as type: I.Type = I.self) -> I? {
        guard bytes.count == MemoryLayout<I>.size else { return nil }
        var value = I.zero
        for byte in bytes { value = value << 8 | I(truncatingIfNeeded: byte) }
        return value
    }

    /// An integer column of any width (`int2`, `int4`, `int8`, `oid`).
    static func anyInteger(_ bytes: UnsafeRawBufferPointer, type: PostgresDataType) -> Int64? {
        switch type {
        case .int2: integer(bytes, as: Int16.self).map(Int64.init)
        case .int4: integer(bytes, as: Int32.self).map(Int64.init)
        case .oid: integer(bytes, as: UInt32.self).map(Int64.init)
        case .int8: integer(bytes, as: Int64.self)
        default: nil
        }
    }

    /// A `float4`/`float8` column, or an integer one.
    static func double(_ bytes: UnsafeRawBufferPointer, type: PostgresDataType) -> Double? {
        switch type {
        case .float8: integer(bytes, as: UInt64.self).map(Double.init(bitPattern:))
        case .float4: integer(bytes, as: UInt32.self).map { Double(Float(bitPattern: $0)) }
        default: anyInteger(bytes, type: type).map(Double.init)
        }
    }

    /// A `timestamptz` (or `timestamp`, read as UTC); ±infinity become the distant future and past.
    static func date(_ bytes: UnsafeRawBufferPointer) -> Date? {
        guard let micros = integer(bytes, as: Int64.self) else { return nil }
        if micros == .max { return .distantFuture }
        if micros == .min { return .distantPast }
        let (seconds, remainder) = floorDivision(micros, 1_000_000)
        return Date(timeIntervalSince1970: Double(seconds + epochOffsetSeconds) + Double(remainder) / 1_000_000)
    }

    /// Microseconds since 2000-01-01, rounded as PostgreSQL keeps them.
    static func micros(_ date: Date) -> Int64 {
        let total = (date.timeIntervalSince1970 * 1_000_000).rounded()
        return Int64(total) - epochOffsetSeconds * 1_000_000
    }

    /// A `date` column; nil for ±infinity, which no `PostgresDate` can hold.
    static func calendarDate(_ bytes: UnsafeRawBufferPointer) -> PostgresDate? {
        guard let days = integer(bytes, as: Int32.self), days != .max, days != .min else { return nil }
        let (year, month, day) = civil(fromDays: Int(days) + epochOffsetDays)
        return PostgresDate(year: year, month: month, day: day)
    }

    /// The calendar date of a count of days since 1970-01-01 (H. Hinnant's algorithm).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// The text PostgreSQL would have sent for a binary value: what a `PostgresDecodable`
    /// that reads only text gets from a binary result.
    static func text(_ bytes: UnsafeRawBufferPointer, type: PostgresDataType) -> String? {
        switch type {
        case .bool:
            return bytes.count == 1 ? (bytes[0] != 0 ? "t" : "f") : nil
        case .int2, .int4, .int8, .oid:
            return anyInteger(bytes, type: type).map { String($0) }
        case .float4, .float8:
            return double(bytes, type: type).map { value in
                value.isNaN ? "NaN" : value.isInfinite ? (value > 0 ? "Infinity" : "-Infinity") : "\(value)"
            }
        case .uuid:
            return bytes.count == 16 ? UUID(uuid: uuidTuple(bytes)).uuidString.lowercased() : nil
        case .bytea:
            return PostgresHex.text(bytes)
        case .date:
            guard let days = integer(bytes, as: Int32.self) else { return nil }
            if days == .max { return "infinity" }
            if days == .min { return "-infinity" }
            return calendarDate(bytes)?.description
        case .timestamp, .timestamptz:
            guard let micros = integer(bytes, as: Int64.self) else { return nil }
            if micros == .max { return "infinity" }
            if micros == .min { return "-infinity" }
            let (seconds, fraction) = floorDivision(micros, 1_000_000)
            let (days, secondOfDay) = floorDivision(seconds + epochOffsetSeconds, 86_400)
            let (year, month, day) = civil(fromDays: Int(days))
            let time = String(
                format: "%04d-%02d-%02d %02d:%02d:%02d.%06d", year, month, day, Int(secondOfDay / 3600), Int(secondOfDay / 60 % 60),
                Int(secondOfDay % 60), Int(fraction))
            return type == .timestamptz ? time + "+00" : time
        case .jsonb:
            guard bytes.first == 1 else { return nil }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes.dropFirst()), as: UTF8.self)
        default:
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    static func uuidTuple(_ bytes: UnsafeRawBufferPointer) -> uuid_t {
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: bytes) }
        return value
    }
}

/// A parameter type that is sent in PostgreSQL's binary format instead of its text.
protocol PostgresBinaryEncodable {
    /// Appends the value's binary form for its `postgresType`.
    func appendPostgresBinary(to buffer: inout [UInt8])
}

extension FixedWidthInteger {
    fileprivate func appendBigEndian(to buffer: inout [UInt8]) {
        withUnsafeBytes(of: bigEndian) { buffer.append(contentsOf: $0) }
    }
}

extension Int: PostgresBinaryEncodable {
    func appendPostgresBinary(to buffer: inout [UInt8]) { Int64(self).appendBigEndian(to: &buffer) }
}

extension Int32: PostgresBinaryEncodable {
    func appendPostgresBinary(to buffer: inout [UInt8]) { appendBigEndian(to: &buffer) }
}

extension Int64: PostgresBinaryEncodable {
    func appendPostgresBinary(to buffer: inout [UInt8]) { appendBigEndian(to: &buffer) }
}

extension Bool: PostgresBinaryEncodable {
    func appendPostgresBinary(to buffer: inout [UInt8]) { buffer.append(self ? 1 : 0) }
}

extension Double: PostgresBinaryEncodable {
    func appendPostgresBinary(to buffer: inout [UInt8]) { bitPattern.appendBigEndian(to: &buffer) }
}

extension UUID: PostgresBinaryEncodable {
    func appendPostgresBinary(to buffer: inout [UInt8]) {
        withUnsafeBytes(of: uuid) { buffer.append(contentsOf: $0) }
    }
}

extension Date: PostgresBinaryEncodable {
    func appendPostgresBinary(to buffer: inout [UInt8]) { PostgresBinary.micros(self).appendBigEndian(to: &buffer) }
}

extension Data: PostgresBinaryEncodable {
    func appendPostgresBinary(to buffer: inout [UInt8]) { buffer.append(contentsOf: self) }
}
