import Foundation
import RegieDomain
import Testing

@Suite("RetryPolicy: backoff, Retry-After and the attempt limit")
struct RetryPolicyTests {
    let policy = RetryPolicy(baseDelay: 60, maxDelay: 3600, maxRetryAfter: 86_400, maxAttempts: 5)

    @Test("the ceiling doubles per attempt up to the cap")
    func ceilings() {
        #expect((1...8).map { policy.ceiling(afterAttempt: $0) } == [60, 120, 240, 480, 960, 1920, 3600, 3600])
        #expect(policy.ceiling(afterAttempt: 0) == 60)
        #expect(policy.ceiling(afterAttempt: 10_000) == 3600)
    }

    @Test("full jitter: the random source picks the point below the ceiling")
    func jitter() {
        #expect(policy.delay(afterAttempt: 1, unitRandom: { 0.5 }) == 30)
        #expect(policy.delay(afterAttempt: 3, unitRandom: { 0.5 }) == 120)
        #expect(policy.delay(afterAttempt: 3, unitRandom: { 0.25 }) == 60)
        #expect(policy.delay(afterAttempt: 100, unitRandom: { 0.5 }) == 1800)
        #expect(policy.delay(afterAttempt: 2, unitRandom: { 0 }) == 0)
        #expect(policy.delay(afterAttempt: 2, unitRandom: { 1 }) == 120)
        #expect(policy.delay(afterAttempt: 2, unitRandom: { 7 }) == 120)
        let random = policy.delay(afterAttempt: 4)
        #expect(random >= 0 && random <= 480)
    }

    @Test("Retry-After raises the delay, never lowers it, and is capped at a day")
    func retryAfter() {
        #expect(policy.delay(afterAttempt: 1, retryAfter: 600, unitRandom: { 0.5 }) == 600)
        #expect(policy.delay(afterAttempt: 1, retryAfter: 10, unitRandom: { 0.5 }) == 30)
        #expect(policy.delay(afterAttempt: 1, retryAfter: 200_000, unitRandom: { 0.5 }) == 86_400)
        #expect(policy.delay(afterAttempt: 1, retryAfter: -5, unitRandom: { 0 }) == 0)
    }

    @Test("the last attempt is the policy's maximum")
    func lastAttempt() {
        #expect([1, 4, 5, 6].map(policy.isLast) == [false, false, true, true])
        #expect(RetryPolicy(maxAttempts: 0).maxAttempts == 1)
    }
}
