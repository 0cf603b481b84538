import Foundation
import RegieDomain
import Testing

@Suite("RetryPolicy and DeliveryFailure: backoff, Retry-After and which failures retry")
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

    @Test(
        "network trouble, timeouts, 5xx, 429, a broken page and a lost worker retry",
        arguments: [
            DeliveryFailure.network, .timeout, .serverError(status: 503), .tooManyRequests(retryAfter: 120),
            .tooManyRequests(retryAfter: nil), .brokenPage, .leaseExpired,
        ])
    func retryable(failure: DeliveryFailure) {
        #expect(failure.isRetryable)
    }

    @Test(
        "credentials, contracts, missing services, refusals, signatures, payloads and consent do not",
        arguments: [
            DeliveryFailure.unauthorized, .forbidden, .notFound, .unprocessable, .badSignature, .badPayload,
            .otherGemeenteData, .validationFailed, .consentWithdrawn, .cancelled,
        ])
    func notRetryable(failure: DeliveryFailure) {
        #expect(!failure.isRetryable)
    }

    @Test("the reason a person reads, and the code")
    func reasons() {
        #expect(DeliveryFailure.serverError(status: 503).description == "the supplier had an internal error (HTTP 503)")
        #expect(
            DeliveryFailure.tooManyRequests(retryAfter: 120).description
                == "the supplier asked to slow down (HTTP 429, retry after 120 s)")
        #expect(DeliveryFailure.tooManyRequests(retryAfter: nil).description == "the supplier asked to slow down (HTTP 429)")
        #expect(DeliveryFailure.tooManyRequests(retryAfter: 120).retryAfter == 120)
        #expect(DeliveryFailure.timeout.retryAfter == nil)
        #expect(
            DeliveryFailure.otherGemeenteData.description
                == "the response held data of a gemeente that was not asked for; nothing was handed over")
        #expect(DeliveryFailure.forbidden.code == "forbidden")
        #expect(DeliveryFailure.serverError(status: 500).code == "server_error")
    }
}
