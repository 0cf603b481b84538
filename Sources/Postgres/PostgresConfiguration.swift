import Foundation

/// How to reach PostgreSQL.
///
/// The connection string is handed to libpq unchanged, so everything libpq defines works:
/// key=value strings and `postgresql://` URLs, several hosts with
/// `target_session_attrs=read-write` (an HA cluster's current primary), `sslmode`,
/// `service=` with `PGSERVICEFILE`, `.pgpass`, and every `PG*` environment variable
/// for what the string leaves out. An empty string takes everything from the environment.
public struct PostgresConfiguration: Sendable {
    /// A libpq connection string or URL; empty means the `PG*` environment alone.
    public var connectionString: String
    /// Shown in `pg_stat_activity`; a value in the connection string wins.
    public var applicationName: String
    /// Seconds libpq waits for each host; a value in the connection string wins.
    public var connectTimeoutSeconds: Int
    /// A role every session switches to once connected (`SET ROLE`), so that it works with that
    /// role's privileges only; nil keeps the login role's.
    public var sessionRole: String?

    /// A configuration from a connection string; see the type's documentation.
    public init(
        connectionString: String, applicationName: String = "ddas-regie", connectTimeoutSeconds: Int = 10, sessionRole: String? = nil
    ) {
        self.connectionString = connectionString
        self.applicationName = applicationName
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.sessionRole = sessionRole
    }

    /// Everything from the `PG*` environment, as `psql` with no arguments would connect.
    public static var environment: PostgresConfiguration { .init(connectionString: "") }

    /// The same server, another database: used to create and drop databases in tests
    /// and on first start of the embedded cluster.
    public func database(_ name: String) -> PostgresConfiguration {
        var copy = self
        let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        // libpq: in a key=value string a later keyword wins. A URL cannot be extended
        // that way, so a URL gets its dbname through its query part.
        if connectionString.hasPrefix("postgres://") || connectionString.hasPrefix("postgresql://") {
            let separator = connectionString.contains("?") ? "&" : "?"
            let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? name
            copy.connectionString = connectionString + separator + "dbname=" + encoded
        } else {
            copy.connectionString = connectionString + " dbname='\(quoted)'"
        }
        return copy
    }
}
