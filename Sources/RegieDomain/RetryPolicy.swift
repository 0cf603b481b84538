import Foundation

/// How long a failed delivery waits before its next attempt, and how many attempts it gets:
/// capped exponential backoff with full jitter, raised to honour a supplier's `Retry-After`.
///
/// The delay after attempt `n` is a random point in `0 ... min(maxDelay, baseDelay * 2^(n-1))`;
/// full jitter spreads the retries of many gemeenten that failed together. A `Retry-After` of
/// the supplier is a floor on that delay, itself capped by `maxRetryAfter` so a supplier cannot
/// park a delivery for ever.
public struct RetryPolicy: Hashable, Sendable {
    /// The delay ceiling after the first attempt, in seconds.
    public let baseDelay: TimeInterval
    /// The highest delay ceiling backoff reaches, in seconds.
    public let maxDelay: TimeInterval
    /// The longest `Retry-After` that is honoured, in seconds.
    public let maxRetryAfter: TimeInterval
    /// The number of attempts a delivery gets, the first included.
    public let maxAttempts: Int

    /// A policy; values below their minimum are raised to it (delays to 0, attempts to 1).
    public init(
        baseDelay: TimeInterval = 60, maxDelay: TimeInterval = 3600, maxRetryAfter: TimeInterval = 86_400,
        maxAttempts: Int = 5
    ) {
        self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(0, maxDelay)
        self.maxRetryAfter = max(0, maxRetryAfter)
        self.maxAttempts = max(1, maxAttempts)
    }

    /// The highest delay after attempt `attempt` (1 for the first), before jitter.
    public func ceiling(afterAttempt attempt: Int) -> TimeInterval {
        let exponent = Double(min(max(attempt, 1) - 1, 60))
        return min(maxDelay, baseDelay * pow(2, exponent))
    }

    /// The delay after attempt `attempt`: `unitRandom` (a number in `0...1`) picks the point in
    /// `0 ... ceiling`; a `retryAfter` of the supplier raises it to at least that, up to
    /// `maxRetryAfter`.
    public func delay(
        afterAttempt attempt: Int, retryAfter: TimeInterval? = nil,
        unitRandom: () -> Double = { Double.random(in: 0...1) }
    ) -> TimeInterval {
        let jittered = ceiling(afterAttempt: attempt) * min(1, max(0, unitRandom()))
        guard let retryAfter else { return jittered }
        return max(jittered, min(max(0, retryAfter), maxRetryAfter))
    }

    /// Whether attempt `attempt` was the last one the policy allows.
    public func isLast(attempt: Int) -> Bool { attempt >= maxAttempts }
}
