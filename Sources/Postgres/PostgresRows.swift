import CLibPQ

/// A column of a result: its name and PostgreSQL type.
public struct PostgresColumn: Sendable, Hashable {
    public let name: String
    public let type: PostgresDataType
}

/// The rows a statement returned, already copied out of libpq.
public struct PostgresRows: Sendable, Sequence {
    /// The result's columns, in order.
    public let columns: [PostgresColumn]
    /// The rows, in order.
    public let rows: [PostgresRow]
    /// The count in the command tag: rows inserted, updated, deleted or selected.
    public let affectedRows: Int

    public func makeIterator() -> IndexingIterator<[PostgresRow]> { rows.makeIterator() }

    /// The number of rows.
    public var count: Int { rows.count }
    /// The first row, if any.
    public var first: PostgresRow? { rows.first }
}

/// The cells of one result, copied out of libpq into one buffer: the rows share it, and a
/// column name is resolved to its position through a table built once per result.
final class PostgresResultStorage: Sendable {
    let columns: [PostgresColumn]
    let indexByName: [String: Int]
    /// Whether the cells are in PostgreSQL's binary format (else its text format).
    let isBinary: Bool
    let bytes: [UInt8]
    /// Per cell (row-major), where its bytes start in `bytes`; -1 for NULL.
    let starts: [Int]
    /// Per cell, how many bytes it has.
    let lengths: [Int]

    /// Copies a successful libpq result.
    init(result: OpaquePointer) {
        let fieldCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        var columns: [PostgresColumn] = []
        var indexByName: [String: Int] = [:]
        columns.reserveCapacity(fieldCount)
        for index in 0..<fieldCount {
            let name = String(cString: PQfname(result, Int32(index)))
            columns.append(PostgresColumn(name: name, type: PostgresDataType(rawValue: PQftype(result, Int32(index)))))
            if indexByName[name] == nil { indexByName[name] = index }
        }
        let cellCount = fieldCount * rowCount
        var total = 0
        var lengths: [Int] = []
        lengths.reserveCapacity(cellCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(fieldCount) {
                let length = Int(PQgetlength(result, row, column))
                lengths.append(length)
                total += length
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        var starts: [Int] = []
        starts.reserveCapacity(cellCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(fieldCount) {
                if PQgetisnull(result, row, column) == 1 {
                    starts.append(-1)
                    continue
                }
                starts.append(bytes.count)
                let length = lengths[starts.count - 1]
                if length > 0, let value = PQgetvalue(result, row, column) {
                    bytes.append(contentsOf: UnsafeRawBufferPointer(start: value, count: length))
                }
            }
        }
        self.columns = columns
        self.indexByName = indexByName
        self.isBinary = fieldCount > 0 && PQfformat(result, 0) == 1
        self.bytes = bytes
        self.starts = starts
        self.lengths = lengths
    }
}

/// One row of a result; values are decoded by column name with type checks.
public struct PostgresRow: Sendable {
    let storage: PostgresResultStorage
    let row: Int

    /// Decodes the named column into `T`. Throws `missingColumn`, `typeMismatch` (the column's
    /// type cannot become `T`), `unexpectedNull` (NULL into a non-optional) or `invalidValue`.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let index = storage.indexByName[column] else {
            throw PostgresError(.missingColumn, column: column, context: "wanted \(T.self)")
        }
        return try decode(at: index, as: type)
    }

    /// Decodes the column at a position (0-based) into `T`; see `decode(_:as:)`.
    public func decode<T: PostgresDecodable>(at index: Int, as type: T.Type = T.self) throws -> T {
        let columns = storage.columns
        guard columns.indices.contains(index) else {
            throw PostgresError(.missingColumn, column: "#\(index)", context: "wanted \(T.self)")
        }
        let column = columns[index]
        guard T.accepts(column.type) else {
            throw PostgresError(.typeMismatch, column: column.name, context: "column is \(column.type), wanted \(T.self)")
        }
        let cell = row * columns.count + index
        let start = storage.starts[cell]
        guard start >= 0 else {
            guard let null = T.postgresNull else {
                throw PostgresError(.unexpectedNull, column: column.name, context: "wanted \(T.self)")
            }
            return null
        }
        let decoded = storage.bytes.withUnsafeBytes { buffer -> T? in
            let value = UnsafeRawBufferPointer(rebasing: buffer[start..<start + storage.lengths[cell]])
            if storage.isBinary {
                return T.decode(postgresBinary: value, type: column.type)
            }
            return T.decode(postgresText: String(decoding: value, as: UTF8.self), type: column.type)
        }
        guard let decoded else {
            throw PostgresError(.invalidValue, column: column.name, context: "column is \(column.type), wanted \(T.self)")
        }
        return decoded
    }

    /// Whether the named column is SQL NULL.
    public func isNull(_ column: String) -> Bool {
        guard let index = storage.indexByName[column] else { return true }
        return storage.starts[row * storage.columns.count + index] < 0
    }
}

extension PostgresRows {
    /// Copies a successful libpq result.
    init(result: OpaquePointer) {
        let storage = PostgresResultStorage(result: result)
        let rowCount = Int(PQntuples(result))
        let tuples = String(cString: PQcmdTuples(result))
        self.init(
            columns: storage.columns, rows: (0..<rowCount).map { PostgresRow(storage: storage, row: $0) },
            affectedRows: Int(tuples) ?? rowCount)
    }
}
