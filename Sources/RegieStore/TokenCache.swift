import Foundation
import RegieDomain
import Synchronization

/// Verified tokens kept in the process for a short time, so that an authenticated request
/// does not query `api_tokens` each time.
///
/// An entry is keyed by the SHA-256 of the secret, never the secret itself, and holds the
/// caller and the token's expiry: a token stops working at its `expires_at` whether cached or
/// not. A revocation drops the entry at once in the revoking process and, through a NOTIFY
/// on ``channel`` that the revoking transaction sends, in every other process whose listener
/// calls ``drop(tokenID:)``. The cache serves only while such a listener is listening
/// (``startServing()``): without one (a command, a test without it), or after the listener's
/// connection broke (it may have missed notifications), it is empty and every request asks
/// the database. Unknown tokens are never cached, so random tokens cannot fill it.
public final class TokenCache: Sendable {
    /// The channel a revocation is announced on; the payload is the token's id.
    public static let channel = "api_token_ingetrokken"

    /// How long and how much it keeps.
    public struct Configuration: Sendable {
        /// How long a verified token is taken on trust: the longest that a token changed
        /// outside the service (by SQL, without the NOTIFY) keeps working in a process.
        public var timeToLive: TimeInterval
        /// The most tokens it holds; when full, it starts again empty.
        public var capacity: Int

        public init(timeToLive: TimeInterval = 30, capacity: Int = 10_000) {
            precondition(timeToLive > 0 && capacity > 0, "a cache keeps something for some time")
            self.timeToLive = timeToLive
            self.capacity = capacity
        }
    }

    struct Entry {
        let principal: Principal
        let expiresAt: Date?
        let cachedAt: Date
    }

    struct State {
        var entries: [Data: Entry] = [:]
        var serving = false
        /// Raised by every drop, so that a lookup that began before it does not store what it read.
        var generation: UInt64 = 0
    }

    /// How long and how much it keeps.
    public let configuration: Configuration
    private let state = Mutex(State())

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// A moment on PostgreSQL's grid of microseconds, rounded as it rounds a parameter: the
    /// cache decides expiry exactly as the database's `expires_at > now` does, to the microsecond.
    static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// The caller of a cached token, if the entry is fresh and the token has not expired.
    func principal(for digest: Data, now: Date) -> Principal? {
        state.withLock { state in
            guard state.serving, let entry = state.entries[digest] else { return nil }
            guard now >= entry.cachedAt, now.timeIntervalSince(entry.cachedAt) < configuration.timeToLive,
                entry.expiresAt.map({ Self.microseconds(now) < Self.microseconds($0) }) ?? true
            else {
                state.entries[digest] = nil
                return nil
            }
            return entry.principal
        }
    }

    /// What a lookup in the database takes before it asks, to hand to ``remember(_:expiresAt:for:now:ticket:)``;
    /// nil when the cache does not serve.
    func ticket() -> UInt64? {
        state.withLock { $0.serving ? $0.generation : nil }
    }

    /// Keeps a verified token, unless something was dropped since `ticket` was taken (the
    /// token may be the one revoked).
    func remember(_ principal: Principal, expiresAt: Date?, for digest: Data, now: Date, ticket: UInt64) {
        state.withLock { state in
            guard state.serving, state.generation == ticket else { return }
            if state.entries.count >= configuration.capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[digest] = Entry(principal: principal, expiresAt: expiresAt, cachedAt: now)
        }
    }

    /// Drops the token with `tokenID` (a revocation).
    public func drop(tokenID: String) {
        let id = tokenID.lowercased()
        state.withLock { state in
            state.generation &+= 1
            state.entries = state.entries.filter { $0.value.principal.tokenID != id }
        }
    }

    /// Starts serving, empty: the revocation listener listens.
    public func startServing() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll()
            state.serving = true
        }
    }

    /// Stops serving and empties: the listener stopped or its connection broke.
    public func stopServing() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll()
            state.serving = false
        }
    }

    /// Whether it serves (its listener listens).
    public var isServing: Bool { state.withLock { $0.serving } }

    /// The keys it holds: digests of secrets.
    package var digests: Set<Data> { state.withLock { Set($0.entries.keys) } }
}
