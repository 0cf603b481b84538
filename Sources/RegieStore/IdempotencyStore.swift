import Foundation
import Postgres

/// The answers remembered for `Idempotency-Key`.
///
/// `begin` claims a key with `INSERT ... ON CONFLICT DO NOTHING`, so of two concurrent
/// requests with one key exactly one runs; the other finds the claim (`.inProgress`) or,
/// once stored, the answer (`.replay`). A different request under a used key is `.mismatch`.
public struct IdempotencyStore: Sendable {
    /// A remembered answer.
    public struct Answer: Sendable, Equatable {
        public let status: Int
        public let body: Data?
        public let headers: [String: String]

        public init(status: Int, body: Data?, headers: [String: String]) {
            self.status = status
            self.body = body
            self.headers = headers
        }
    }

    /// What a claim found.
    public enum Claim: Sendable, Equatable {
        case claimed
        case inProgress
        case mismatch
        case replay(Answer)
    }

    /// How long an answer is kept.
    public static let lifetime: TimeInterval = 86_400
    /// How long a claim without an answer holds its key: longer than any request runs. A
    /// claim older than this was left by a request whose process died; the next request
    /// with the key takes it over instead of being told "in progress" for a day.
    public static let claimLease: TimeInterval = 120

    let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Claims `key` for this token and request (or takes over a claim whose lease ran out),
    /// or says what an earlier request left.
    public func begin(tokenID: String, key: String, requestDigest: Data, now: Date = Date()) async throws -> Claim {
        let inserted = try await pool.query(
            """
            INSERT INTO idempotency_keys (token_id, key, request_sha256, created_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (token_id, key) DO UPDATE SET request_sha256 = EXCLUDED.request_sha256, created_at = EXCLUDED.created_at
            WHERE idempotency_keys.status IS NULL AND idempotency_keys.created_at < $5
            RETURNING key
            """, [tokenID, key, requestDigest, now, now.addingTimeInterval(-Self.claimLease)])
        if inserted.count == 1 { return .claimed }
        guard
            let row = try await pool.query(
                "SELECT request_sha256, status, response_body, response_headers FROM idempotency_keys WHERE token_id = $1 AND key = $2",
                [tokenID, key]
            ).first
        else { return try await begin(tokenID: tokenID, key: key, requestDigest: requestDigest, now: now) }
        guard try row.decode("request_sha256", as: Data.self) == requestDigest else { return .mismatch }
        guard let status = try row.decode("status", as: Int?.self) else { return .inProgress }
        let headers = try row.decode("response_headers", as: PostgresJSON?.self).map { try $0.decode([String: String].self) } ?? [:]
        return .replay(Answer(status: status, body: try row.decode("response_body", as: Data?.self), headers: headers))
    }

    /// Stores the answer of a claimed key, and drops answers past their lifetime.
    public func finish(tokenID: String, key: String, answer: Answer, now: Date = Date()) async throws {
        try await pool.withTransaction { connection in
            try await connection.execute(
                "UPDATE idempotency_keys SET status = $3, response_body = $4, response_headers = $5 WHERE token_id = $1 AND key = $2",
                [tokenID, key, answer.status, answer.body, try PostgresJSON(encoding: answer.headers)])
            try await connection.execute("DELETE FROM idempotency_keys WHERE created_at < $1", [now.addingTimeInterval(-Self.lifetime)])
        }
    }

    /// Releases a claim whose request failed, so that a retry runs again.
    public func release(tokenID: String, key: String) async throws {
        try await pool.query("DELETE FROM idempotency_keys WHERE token_id = $1 AND key = $2 AND status IS NULL", [tokenID, key])
    }
}
