import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

/// The verified tokens a process keeps for a short time (``TokenCache``), over a real database.
@Suite("Token cache")
struct TokenCacheTests {
    /// A store whose cache serves, as it does while the revocation listener listens.
    func serving() async throws -> (TokenStore, PostgresPool) {
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase())
        let tokens = TokenStore(pool: pool)
        tokens.cache.startServing()
        return (tokens, pool)
    }

    func storedDigest(_ token: IssuedToken, _ pool: PostgresPool) async throws -> Data? {
        try await pool.query("SELECT token_sha256 FROM api_tokens WHERE id = $1", [token.record.id]).first?.decode(
            "token_sha256", as: Data.self)
    }

    @Test("a cached token is refused from the moment it expires")
    func expiredWhileCached() async throws {
        let (tokens, pool) = try await serving()
        let now = Date()
        let token = try await tokens.issue(
            role: .projectteam, scope: nil, expiresAt: now.addingTimeInterval(10), description: "kort", by: .commandLine, now: now)
        #expect(try await tokens.authenticate(secret: token.secret, now: now)?.role == .projectteam)
        #expect(tokens.cache.digests.count == 1, "verified, so cached")
        #expect(try await tokens.authenticate(secret: token.secret, now: now.addingTimeInterval(9))?.role == .projectteam)
        #expect(try await tokens.authenticate(secret: token.secret, now: now.addingTimeInterval(10)) == nil)
        await pool.close()
    }

    @Test("the cache is keyed by the secret's SHA-256 and never holds the secret; unknown tokens are not kept")
    func keyedByDigest() async throws {
        let (tokens, pool) = try await serving()
        let token = try await tokens.issue(role: .admin, scope: nil, expiresAt: nil, description: "sleutel", by: .commandLine)
        #expect(try await tokens.authenticate(secret: token.secret)?.role == .admin)
        let digest = try #require(try await storedDigest(token, pool))
        #expect(tokens.cache.digests == [digest])
        #expect(!tokens.cache.digests.contains(Data(token.secret.utf8)))
        let unknown = TokenStore.prefix + String(repeating: "A", count: 43)
        #expect(try await tokens.authenticate(secret: unknown) == nil)
        #expect(tokens.cache.digests == [digest], "a refused token is not kept")
        await pool.close()
    }

    @Test("a token revoked in this process is refused at once, though it was cached")
    func revokedHere() async throws {
        let (tokens, pool) = try await serving()
        let token = try await tokens.issue(role: .admin, scope: nil, expiresAt: nil, description: "weg", by: .commandLine)
        #expect(try await tokens.authenticate(secret: token.secret) != nil)
        _ = try await tokens.revoke(id: token.record.id, by: .commandLine)
        #expect(tokens.cache.digests.isEmpty)
        #expect(try await tokens.authenticate(secret: token.secret) == nil)
        await pool.close()
    }

    @Test("without a listener the cache keeps nothing: every request asks the database")
    func notServing() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase())
        let tokens = TokenStore(pool: pool)
        let token = try await tokens.issue(role: .admin, scope: nil, expiresAt: nil, description: "geen", by: .commandLine)
        #expect(try await tokens.authenticate(secret: token.secret) != nil)
        #expect(tokens.cache.digests.isEmpty)
        // Revoked by SQL, without the service: refused at once.
        try await pool.execute("UPDATE api_tokens SET revoked_at = now(), revoked_by = 'sql' WHERE id = $1", [token.record.id])
        #expect(try await tokens.authenticate(secret: token.secret) == nil)
        await pool.close()
    }
}
