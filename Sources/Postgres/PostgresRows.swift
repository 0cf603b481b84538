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

/// One row of a result; values are decoded by column name with type checks.
public struct PostgresRow: Sendable {
    let columns: [PostgresColumn]
    let indexByName: [String: Int]
    let values: [String?]

    /// Decodes the named column into `T`. Throws `missingColumn`, `typeMismatch` (the column's
    /// type cannot become `T`), `unexpectedNull` (NULL into a non-optional) or `invalidValue`.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let index = indexByName[column] else {
            throw PostgresError(.missingColumn, column: column, context: "wanted \(T.self)")
        }
        return try decode(at: index, as: type)
    }

    /// Decodes the column at a position (0-based) into `T`; see `decode(_:as:)`.
    public func decode<T: PostgresDecodable>(at index: Int, as type: T.Type = T.self) throws -> T {
        guard columns.indices.contains(index) else {
            throw PostgresError(.missingColumn, column: "#\(index)", context: "wanted \(T.self)")
        }
        let column = columns[index]
        guard T.accepts(column.type) else {
            throw PostgresError(.typeMismatch, column: column.name, context: "column is \(column.type), wanted \(T.self)")
        }
        guard let text = values[index] else {
            guard let null = T.postgresNull else {
                throw PostgresError(.unexpectedNull, column: column.name, context: "wanted \(T.self)")
            }
            return null
        }
        guard let value = T.decode(postgresText: text, type: column.type) else {
            throw PostgresError(.invalidValue, column: column.name, context: "column is \(column.type), wanted \(T.self)")
        }
        return value
    }

    /// Whether the named column is SQL NULL.
    public func isNull(_ column: String) -> Bool {
        guard let index = indexByName[column] else { return true }
        return values[index] == nil
    }
}
