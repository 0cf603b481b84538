/// Every failure of the `Postgres` module, classified so that callers can react to it
/// (retry a serialization failure, report a unique violation as a conflict, replace a
/// lost connection) without parsing messages.
///
/// `description` is safe to show and to log: it names the kind, the SQLSTATE and, where
/// known, the constraint, table or column, but never SQL text and never a value. The
/// server's own message (which may quote a value) is kept in `serverMessage` for
/// callers that know it is safe; it is not part of `description`.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, coarsely.
    public enum Kind: String, Sendable, Equatable {
        /// A connection could not be made (server down, wrong host, authentication).
        case connectionFailed
        /// An established connection broke; what was running on it did not complete.
        case connectionLost
        /// The server answered the statement with an error; see `sqlState`.
        case server
        /// A column's PostgreSQL type does not decode to the requested Swift type.
        case typeMismatch
        /// A column held NULL where a non-optional value was requested.
        case unexpectedNull
        /// A column's text could not be decoded although its type matched.
        case invalidValue
        /// The requested column is not in the result.
        case missingColumn
        /// No connection became free within the pool's wait limit.
        case poolTimeout
        /// The pool is shut down.
        case poolClosed
        /// The statement was cancelled (task cancellation or statement timeout).
        case cancelled
        /// The library reported a state the client does not expect.
        case protocolViolation
    }

    /// What went wrong.
    public let kind: Kind
    /// The five-character SQLSTATE, when the server (or libpq) gave one.
    public let sqlState: String?
    /// The column involved in a decoding error, or the one the server named.
    public let column: String?
    /// The constraint the server named, for integrity violations.
    public let constraint: String?
    /// The table the server named.
    public let table: String?
    /// A short context that holds no values: the Swift type wanted, the host and port, ...
    public let context: String?
    /// The server's or libpq's own message. It may quote values: never put it in a
    /// response; log it only where no personal data can reach the statement.
    public let serverMessage: String?

    /// Creates an error; used by this module and by tests.
    public init(
        _ kind: Kind, sqlState: String? = nil, column: String? = nil, constraint: String? = nil,
        table: String? = nil, context: String? = nil, serverMessage: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.column = column
        self.constraint = constraint
        self.table = table
        self.context = context
        self.serverMessage = serverMessage
    }

    /// `23505`: a unique index refused the row.
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// `23503`: a foreign key refused the row.
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    /// `23514`: a CHECK constraint refused the row.
    public var isCheckViolation: Bool { sqlState == "23514" }
    /// `40001`: a serializable transaction lost; retrying it is correct.
    public var isSerializationFailure: Bool { sqlState == "40001" }
    /// `40P01`: the server broke a deadlock by failing this statement; retrying is correct.
    public var isDeadlock: Bool { sqlState == "40P01" }
    /// `55P03`: `lock_timeout` expired, or `NOWAIT` found the row locked.
    public var isLockTimeout: Bool { sqlState == "55P03" }
    /// The connection is gone: a network failure, or the server shut down or restarted.
    public var isConnectionLost: Bool {
        if kind == .connectionLost { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }

    /// The condition name of the SQLSTATE, for the commonest ones.
    public var conditionName: String? {
        guard let sqlState else { return nil }
        return Self.conditionNames[sqlState]
    }

    public var description: String {
        var parts = ["PostgreSQL \(kind.rawValue)"]
        if let sqlState {
            parts.append("SQLSTATE \(sqlState)" + (conditionName.map { " (\($0))" } ?? ""))
        }
        if let table { parts.append("table \(table)") }
        if let column { parts.append("column \(column)") }
        if let constraint { parts.append("constraint \(constraint)") }
        if let context { parts.append(context) }
        return parts.joined(separator: ", ")
    }

    static let conditionNames: [String: String] = [
        "08000": "connection_exception", "08003": "connection_does_not_exist",
        "08006": "connection_failure", "08001": "sqlclient_unable_to_establish_sqlconnection",
        "08004": "sqlserver_rejected_establishment_of_sqlconnection",
        "22P02": "invalid_text_representation", "22001": "string_data_right_truncation",
        "22003": "numeric_value_out_of_range", "22007": "invalid_datetime_format",
        "22008": "datetime_field_overflow",
        "23502": "not_null_violation", "23503": "foreign_key_violation",
        "23505": "unique_violation", "23514": "check_violation", "23P01": "exclusion_violation",
        "25P02": "in_failed_sql_transaction", "28000": "invalid_authorization_specification",
        "28P01": "invalid_password", "3D000": "invalid_catalog_name",
        "40001": "serialization_failure", "40P01": "deadlock_detected",
        "42601": "syntax_error", "42501": "insufficient_privilege", "42703": "undefined_column",
        "42883": "undefined_function", "42P01": "undefined_table", "42P07": "duplicate_table",
        "42804": "datatype_mismatch", "53300": "too_many_connections",
        "55P03": "lock_not_available", "57014": "query_canceled",
        "57P01": "admin_shutdown", "57P02": "crash_shutdown", "57P03": "cannot_connect_now",
        "P0001": "raise_exception",
    ]
}
