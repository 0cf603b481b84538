import Foundation
import RegieDomain
import Testing

@Suite("DeliveryStateMachine: every transition, allowed and refused")
struct DeliveryStateMachineTests {
    let machine = DeliveryStateMachine(
        policy: RetryPolicy(baseDelay: 60, maxDelay: 3600, maxRetryAfter: 86_400, maxAttempts: 3), leaseDuration: 300)
    let now = utc("2026-04-01T01:00:00Z")
    let half: () -> Double = { 0.5 }

    func running(attempts: Int = 1, leaseUntil: Date? = nil) -> DeliveryState {
        DeliveryState(status: .bezig, attempts: attempts, leaseUntil: leaseUntil ?? now.addingTimeInterval(300))
    }

    func refusal(_ result: Result<DeliveryState, DeliveryRefusal>) -> DeliveryRefusal? {
        if case .failure(let refusal) = result { return refusal }
        return nil
    }

    @Test("claim: gepland → bezig, one attempt, leased for the lease duration")
    func claimPlanned() throws {
        let state = try machine.claim(DeliveryState(), now: now).get()
        #expect(state == DeliveryState(status: .bezig, attempts: 1, leaseUntil: utc("2026-04-01T01:05:00Z")))
    }

    @Test("claim: mislukt → bezig once due, keeping the last failure; refused before")
    func claimFailed() throws {
        let failed = DeliveryState(status: .mislukt, attempts: 1, nextAttemptAt: now, lastFailure: .timeout)
        let state = try machine.claim(failed, now: now).get()
        #expect(state == DeliveryState(status: .bezig, attempts: 2, leaseUntil: utc("2026-04-01T01:05:00Z"), lastFailure: .timeout))
        let early = machine.claim(failed, now: now.addingTimeInterval(-1))
        #expect(refusal(early) == .notDue(until: now))
        #expect(refusal(early)?.description == "the next attempt is not due before 2026-04-01T01:00:00Z")
    }

    @Test("claim is refused from bezig and every final status", arguments: [LeveringStatus.bezig, .geslaagd, .opgegeven, .geannuleerd])
    func claimRefused(status: LeveringStatus) {
        #expect(refusal(machine.claim(DeliveryState(status: status), now: now)) == .notAllowed(status, .claim))
    }

    @Test("heartbeat extends a live lease; an expired one is refused")
    func heartbeat() throws {
        let later = now.addingTimeInterval(120)
        #expect(try machine.heartbeat(running(), now: later).get().leaseUntil == utc("2026-04-01T01:07:00Z"))
        #expect(refusal(machine.heartbeat(running(leaseUntil: now), now: now)) == .leaseExpired(at: now))
        #expect(refusal(machine.heartbeat(DeliveryState(), now: now)) == .notAllowed(.gepland, .heartbeat))
    }

    @Test("succeed: bezig → geslaagd, lease released")
    func succeed() throws {
        let state = try machine.succeed(running(), now: now).get()
        #expect(state == DeliveryState(status: .geslaagd, attempts: 1))
    }

    @Test("succeed is refused outside bezig", arguments: [LeveringStatus.gepland, .mislukt, .geslaagd, .opgegeven, .geannuleerd])
    func succeedRefused(status: LeveringStatus) {
        #expect(refusal(machine.succeed(DeliveryState(status: status), now: now)) == .notAllowed(status, .succeed))
    }

    @Test("fail with a retryable failure: mislukt, next attempt after the jittered backoff")
    func failRetryable() throws {
        let first = try machine.fail(running(attempts: 1), failure: .timeout, now: now, unitRandom: half).get()
        #expect(first == DeliveryState(status: .mislukt, attempts: 1, nextAttemptAt: utc("2026-04-01T01:00:30Z"), lastFailure: .timeout))
        let second = try machine.fail(running(attempts: 2), failure: .serverError(status: 502), now: now, unitRandom: half).get()
        #expect(second.nextAttemptAt == utc("2026-04-01T01:01:00Z"))
    }

    @Test("fail honours Retry-After, from the failure or given beside it")
    func failRetryAfter() throws {
        let throttled = try machine.fail(
            running(), failure: .tooManyRequests(retryAfter: 900), now: now, unitRandom: half
        ).get()
        #expect(throttled.nextAttemptAt == utc("2026-04-01T01:15:00Z"))
        let unavailable = try machine.fail(
            running(), failure: .serverError(status: 503), retryAfter: 3600, now: now, unitRandom: half
        ).get()
        #expect(unavailable.nextAttemptAt == utc("2026-04-01T02:00:00Z"))
    }

    @Test("fail on the last attempt, or with a failure that does not retry: opgegeven")
    func failFinal() throws {
        let spent = try machine.fail(running(attempts: 3), failure: .timeout, now: now, unitRandom: half).get()
        #expect(spent == DeliveryState(status: .opgegeven, attempts: 3, lastFailure: .timeout))
        let refused = try machine.fail(running(attempts: 1), failure: .forbidden, now: now, unitRandom: half).get()
        #expect(refused == DeliveryState(status: .opgegeven, attempts: 1, lastFailure: .forbidden))
    }

    @Test("fail with withdrawn consent or a cancellation: geannuleerd", arguments: [DeliveryFailure.consentWithdrawn, .cancelled])
    func failCancels(failure: DeliveryFailure) throws {
        let state = try machine.fail(running(), failure: failure, now: now, unitRandom: half).get()
        #expect(state == DeliveryState(status: .geannuleerd, attempts: 1, lastFailure: failure))
    }

    @Test("fail is refused outside bezig", arguments: [LeveringStatus.gepland, .mislukt, .geslaagd, .opgegeven, .geannuleerd])
    func failRefused(status: LeveringStatus) {
        #expect(refusal(machine.fail(DeliveryState(status: status), failure: .timeout, now: now)) == .notAllowed(status, .fail))
    }

    @Test("cancel: gepland, mislukt and bezig → geannuleerd", arguments: [LeveringStatus.gepland, .mislukt, .bezig])
    func cancel(status: LeveringStatus) throws {
        let start = DeliveryState(status: status, attempts: 1, leaseUntil: now, nextAttemptAt: now)
        #expect(try machine.cancel(start, now: now).get() == DeliveryState(status: .geannuleerd, attempts: 1))
    }

    @Test("cancel is refused once a delivery ended", arguments: [LeveringStatus.geslaagd, .opgegeven, .geannuleerd])
    func cancelRefused(status: LeveringStatus) {
        let result = machine.cancel(DeliveryState(status: status), now: now)
        #expect(refusal(result) == .notAllowed(status, .cancel))
        #expect(refusal(result)?.description == "a delivery that is \(status.rawValue) cannot cancel")
    }

    @Test("retryManually: opgegeven → gepland, due now, attempts reset, last failure kept")
    func retryManually() throws {
        let gaveUp = DeliveryState(status: .opgegeven, attempts: 3, lastFailure: .unauthorized)
        let state = try machine.retryManually(gaveUp, now: now).get()
        #expect(state == DeliveryState(status: .gepland, attempts: 0, nextAttemptAt: now, lastFailure: .unauthorized))
        #expect(try machine.claim(state, now: now).get().attempts == 1)
    }

    @Test("retryManually is refused outside opgegeven", arguments: [LeveringStatus.gepland, .bezig, .mislukt, .geslaagd, .geannuleerd])
    func retryManuallyRefused(status: LeveringStatus) {
        #expect(refusal(machine.retryManually(DeliveryState(status: status), now: now)) == .notAllowed(status, .retryManually))
    }

    @Test("rescue: an expired lease → mislukt (lease expired), or opgegeven on the last attempt")
    func rescue() throws {
        let lapsed = running(attempts: 1, leaseUntil: now)
        let rescued = try machine.rescue(lapsed, now: now, unitRandom: half).get()
        #expect(
            rescued == DeliveryState(status: .mislukt, attempts: 1, nextAttemptAt: utc("2026-04-01T01:00:30Z"), lastFailure: .leaseExpired))
        let last = try machine.rescue(running(attempts: 3, leaseUntil: now), now: now, unitRandom: half).get()
        #expect(last == DeliveryState(status: .opgegeven, attempts: 3, lastFailure: .leaseExpired))
    }

    @Test("rescue is refused while the lease holds, and outside bezig")
    func rescueRefused() {
        let lease = now.addingTimeInterval(1)
        #expect(refusal(machine.rescue(running(leaseUntil: lease), now: now)) == .leaseNotExpired(until: lease))
        for status in LeveringStatus.allCases where status != .bezig {
            #expect(refusal(machine.rescue(DeliveryState(status: status), now: now)) == .notAllowed(status, .rescue))
        }
    }

    @Test("statuses and purposes keep their stored names")
    func names() {
        #expect(LeveringStatus.allCases.map(\.rawValue) == ["gepland", "bezig", "geslaagd", "mislukt", "opgegeven", "geannuleerd"])
        #expect(LeveringStatus.allCases.filter(\.isFinal) == [.geslaagd, .opgegeven, .geannuleerd])
        #expect(LeveringDoel.allCases.map(\.rawValue) == ["test", "regulier", "herlevering"])
    }
}
