import Crypto
import Foundation
import Postgres
import RegieDomain

/// The sessions of the web pages: one per sign-in, standing for the token that signed in.
///
/// A session id is 256 random bits that only the browser's cookie holds; the database keeps
/// its SHA-256. A session ends at the first of: its absolute end (``Configuration/lifetime``
/// after sign-in), its idle end (``Configuration/idleTimeout`` after its last use), sign-out,
/// the token's revocation (``TokenStore/revoke(id:by:now:)`` deletes its sessions) and the
/// token's expiry. Using a session moves its idle end forward, but writes only when more
/// than ``Configuration/slideGranularity`` has passed since the last move.
public struct WebSessionStore: Sendable {
    /// How long sessions last.
    public struct Configuration: Sendable {
        /// From sign-in to the absolute end: a working day.
        public var lifetime: TimeInterval
        /// Without use, a session ends after this.
        public var idleTimeout: TimeInterval
        /// The idle end moves only when it would move by more than this (fewer writes).
        public var slideGranularity: TimeInterval

        public init(lifetime: TimeInterval = 8 * 3600, idleTimeout: TimeInterval = 30 * 60, slideGranularity: TimeInterval = 60) {
            precondition(idleTimeout > slideGranularity && lifetime >= idleTimeout, "a session outlives its idle timeout")
            self.lifetime = lifetime
            self.idleTimeout = idleTimeout
            self.slideGranularity = slideGranularity
        }
    }

    let pool: PostgresPool
    /// How long sessions last.
    public let configuration: Configuration

    public init(pool: PostgresPool, configuration: Configuration = Configuration()) {
        self.pool = pool
        self.configuration = configuration
    }

    /// Starts a session for `principal`'s token and returns its id, for the cookie only.
    /// Removes the sessions that have ended first, so the table holds live sessions only.
    public func start(for principal: Principal, now: Date = Date()) async throws -> String {
        guard let tokenID = UUID(uuidString: principal.tokenID) else {
            throw PostgresError(.invalidValue, column: "token_id", context: "not a token id")
        }
        var random = SystemRandomNumberGenerator()
        let id = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) }).base64URLEncoded()
        try await pool.withTransaction { connection in
            try await connection.execute(
                "DELETE FROM web_sessies WHERE expires_at <= $1 OR idle_expires_at <= $1", [now])
            try await connection.execute(
                """
                INSERT INTO web_sessies (id_sha256, token_id, created_at, expires_at, idle_expires_at)
                VALUES ($1, $2, $3, $4, $5)
                """,
                [
                    TokenStore.digest(id), tokenID, now, now.addingTimeInterval(configuration.lifetime),
                    now.addingTimeInterval(configuration.idleTimeout),
                ])
        }
        return id
    }

    /// The caller a live session stands for, moving its idle end; nil for an unknown or ended
    /// session, or one whose token was revoked or has expired.
    public func resume(_ id: String, now: Date = Date()) async throws -> Principal? {
        guard id.count == 43 else { return nil }
        let digest = TokenStore.digest(id)
        let rows = try await pool.query(
            """
            SELECT t.id, t.role, t.scope, s.idle_expires_at, s.expires_at FROM web_sessies s
            JOIN api_tokens t ON t.id = s.token_id
            WHERE s.id_sha256 = $1 AND s.expires_at > $2 AND s.idle_expires_at > $2
              AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)
            """, [digest, now])
        guard let row = rows.first, let principal = try TokenStore.principal(from: row) else { return nil }
        let idleEnd = min(now.addingTimeInterval(configuration.idleTimeout), try row.decode("expires_at", as: Date.self))
        if idleEnd.timeIntervalSince(try row.decode("idle_expires_at", as: Date.self)) > configuration.slideGranularity {
            _ = try await pool.query(
                "UPDATE web_sessies SET idle_expires_at = greatest(idle_expires_at, $2) WHERE id_sha256 = $1", [digest, idleEnd])
        }
        return principal
    }

    /// Ends a session (sign-out); an unknown id changes nothing.
    public func end(_ id: String) async throws {
        _ = try await pool.query("DELETE FROM web_sessies WHERE id_sha256 = $1", [TokenStore.digest(id)])
    }
}
