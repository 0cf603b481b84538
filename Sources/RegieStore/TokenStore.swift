import Crypto
import Foundation
import Postgres
import RegieDomain

/// A token as stored: everything but the secret, which is never kept.
public struct TokenRecord: Sendable, Equatable {
    public let id: UUID
    public let role: Role
    public let scope: String?
    public let description: String
    public let createdAt: Date
    public let createdBy: String
    public let expiresAt: Date?
    public let revokedAt: Date?
}

/// A newly issued token: the record and the secret, shown once.
public struct IssuedToken: Sendable {
    public let record: TokenRecord
    /// `ddas_` and 43 characters: 256 random bits, base64url.
    public let secret: String
}

/// Issues, revokes and checks API tokens. Only SHA-256 of a secret is stored; every change
/// writes an audit event in the same transaction. Verified tokens are kept a short time in
/// ``cache``; a revocation drops them at once, here and (NOTIFY) in every other process.
public struct TokenStore: Sendable {
    /// What every secret starts with, so that a leaked one is recognisable (secret scanners).
    public static let prefix = "ddas_"

    let pool: PostgresPool
    let audit = AuditLog()
    /// The verified tokens of this process; it serves while a revocation listener listens.
    public let cache: TokenCache

    public init(pool: PostgresPool, cache: TokenCache = TokenCache()) {
        self.pool = pool
        self.cache = cache
    }

    /// Issues a token. The scope must suit the role: a gemeentecode for `gemeente`, a supplier
    /// id for `leverancier`, none otherwise (the caller validates; the database checks again).
    public func issue(
        role: Role, scope: String?, expiresAt: Date?, description: String, by actor: AuditActor, now: Date = Date()
    ) async throws -> IssuedToken {
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        let secret = Self.prefix + Data(bytes).base64URLEncoded()
        let id = UUID()
        let record = try await pool.withTransaction { connection in
            let rows = try await connection.query(
                """
                INSERT INTO api_tokens (id, token_sha256, role, scope, description, created_by, expires_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                RETURNING id, role, scope, description, created_at, created_by, expires_at, revoked_at
                """, [id, Self.digest(secret), role.rawValue, scope, description, actor.actor, expiresAt])
            let record = try Self.record(from: try rows.first.orThrow())
            try await audit.append(
                actor.event(
                    "token.issued", objectType: "token", objectID: id.uuidString.lowercased(),
                    after: ["role": role.rawValue, "scope": scope ?? "", "expires_at": expiresAt.map(AuditChain.timestamp) ?? ""],
                    at: now), on: connection)
            return record
        }
        return IssuedToken(record: record, secret: secret)
    }

    /// Revokes a token at once, ending its web sessions; nil when there is no such token.
    /// Revoking twice keeps the first time. Every process drops the token from its cache: this
    /// one on return, the others on the NOTIFY sent at commit.
    public func revoke(id: UUID, by actor: AuditActor, now: Date = Date()) async throws -> TokenRecord? {
        defer { cache.drop(tokenID: id.uuidString) }
        return try await pool.withTransaction { connection -> TokenRecord? in
            let rows = try await connection.query(
                """
                UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $2), revoked_by = coalesce(revoked_by, $3) WHERE id = $1
                RETURNING id, role, scope, description, created_at, created_by, expires_at, revoked_at
                """, [id, now, actor.actor])
            guard let row = rows.first else { return nil }
            let record = try Self.record(from: row)
            // The token's web sessions end with it.
            try await connection.execute("DELETE FROM web_sessies WHERE token_id = $1", [id])
            try await audit.append(
                actor.event("token.revoked", objectType: "token", objectID: id.uuidString.lowercased(), at: now), on: connection)
            // The id, never the secret. Revocations are rare: the lock a NOTIFY takes at commit costs nothing here.
            try await connection.query("SELECT pg_notify($1, $2)", [TokenCache.channel, id.uuidString.lowercased()])
            return record
        }
    }

    /// The caller a secret stands for; nil for an unknown, expired or revoked token alike.
    /// A token verified shortly before is answered from ``cache``.
    public func authenticate(secret: String, now: Date = Date()) async throws -> Principal? {
        guard secret.hasPrefix(Self.prefix), secret.count == Self.prefix.count + 43 else { return nil }
        let digest = Self.digest(secret)
        if let principal = cache.principal(for: digest, now: now) { return principal }
        let ticket = cache.ticket()
        let rows = try await pool.query(
            """
            SELECT id, role, scope, expires_at FROM api_tokens
            WHERE token_sha256 = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)
            """, [digest, now])
        guard let row = rows.first, let principal = try Self.principal(from: row) else { return nil }
        if let ticket {
            cache.remember(principal, expiresAt: try row.decode("expires_at", as: Date?.self), for: digest, now: now, ticket: ticket)
        }
        return principal
    }

    /// The caller of a row with a token's `id`, `role` and `scope`; nil for an unknown role.
    static func principal(from row: PostgresRow) throws -> Principal? {
        guard let role = Role(rawValue: try row.decode("role")) else { return nil }
        return Principal(tokenID: try row.decode("id", as: UUID.self).uuidString.lowercased(), role: role, scope: try row.decode("scope"))
    }

    /// One token, revoked or not.
    public func find(_ id: UUID) async throws -> TokenRecord? {
        try await pool.query(
            "SELECT id, role, scope, description, created_at, created_by, expires_at, revoked_at FROM api_tokens WHERE id = $1", [id]
        ).first.map(Self.record)
    }

    /// Every token, newest first.
    public func list() async throws -> [TokenRecord] {
        try await pool.query(
            "SELECT id, role, scope, description, created_at, created_by, expires_at, revoked_at FROM api_tokens ORDER BY created_at DESC, id"
        ).map(Self.record)
    }

    static func digest(_ secret: String) -> Data {
        Data(SHA256.hash(data: Data(secret.utf8)))
    }

    static func record(from row: PostgresRow) throws -> TokenRecord {
        guard let role = Role(rawValue: try row.decode("role")) else {
            throw PostgresError(.invalidValue, column: "role", context: "not a role")
        }
        return TokenRecord(
            id: try row.decode("id"), role: role, scope: try row.decode("scope"), description: try row.decode("description"),
            createdAt: try row.decode("created_at"), createdBy: try row.decode("created_by"), expiresAt: try row.decode("expires_at"),
            revokedAt: try row.decode("revoked_at"))
    }
}

extension Data {
    /// Base64url without padding (RFC 4648 §5).
    func base64URLEncoded() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

extension Optional {
    /// The value, or a protocol error: for a row that `RETURNING` must have produced.
    func orThrow() throws -> Wrapped {
        guard let self else { throw PostgresError(.protocolViolation, context: "expected a row") }
        return self
    }
}
