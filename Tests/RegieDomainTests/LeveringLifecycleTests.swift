import Foundation
import RegieDomain
import Testing

@Suite("LeveringLifecycle: every transition, allowed and refused, with each stream's retry policy")
struct LeveringLifecycleTests {
    let lifecycle = LeveringLifecycle(
        policies: [
            "VS": RetryPolicy(baseDelay: 60, maxDelay: 3600, maxAttempts: 3),
            "SHV": RetryPolicy(baseDelay: 900, maxDelay: 7200, maxAttempts: 2),
        ])
    let now = utc("2026-04-01T01:00:00Z")

    func queued(_ status: LeveringStatus = .gepland, stroom: String = "VS", attempts: Int = 0, maxAttempts: Int = 3) -> LeveringState {
        LeveringState(stroom: stroom, status: status, attempts: attempts, maxAttempts: maxAttempts, nextAttemptAt: now)
    }

    func running(stroom: String = "VS", attempts: Int = 1, maxAttempts: Int = 3, leaseUntil: Date? = nil) -> LeveringState {
        LeveringState(
            stroom: stroom, status: .bezig, attempts: attempts, maxAttempts: maxAttempts, leaseOwner: "w",
            leaseUntil: leaseUntil ?? now.addingTimeInterval(300), nextAttemptAt: now.addingTimeInterval(-60), startedAt: now)
    }

    func decided(_ state: LeveringState, _ event: LeveringEvent) throws -> LeveringDecision {
        try lifecycle.decide(state, event, now: now).get()
    }

    func refusal(_ state: LeveringState, _ event: LeveringEvent) -> LeveringRefusal? {
        if case .failure(let refusal) = lifecycle.decide(state, event, now: now) { return refusal }
        return nil
    }

    @Test("claimed: gepland or mislukt, once due → bezig, one attempt more, leased to the worker; the first start is kept")
    func claimed() throws {
        let lease = now.addingTimeInterval(300)
        let first = try decided(queued(), .claimed(owner: "w", leaseUntil: lease))
        #expect(first.state.status == .bezig && first.state.attempts == 1)
        #expect(first.state.leaseOwner == "w" && first.state.leaseUntil == lease && first.state.startedAt == now)
        #expect(first.endedAttempt == nil && first.auditEvent == nil)
        var failed = queued(.mislukt, attempts: 1)
        failed.startedAt = now.addingTimeInterval(-600)
        failed.lastFailure = .timeout
        let second = try decided(failed, .claimed(owner: "w", leaseUntil: lease))
        #expect(second.state.attempts == 2 && second.state.startedAt == now.addingTimeInterval(-600))
        #expect(second.state.lastFailure == .timeout, "the last failure stays until the attempt ends")
        var early = queued()
        early.nextAttemptAt = now.addingTimeInterval(1)
        #expect(refusal(early, .claimed(owner: "w", leaseUntil: lease)) == .notDue(until: now.addingTimeInterval(1)))
    }

    @Test("claimed: refused from bezig and every final status", arguments: [LeveringStatus.bezig, .geslaagd, .opgegeven, .geannuleerd])
    func claimRefused(status: LeveringStatus) {
        #expect(refusal(queued(status), .claimed(owner: "w", leaseUntil: now)) == .notAllowed(status, action: "claim"))
    }

    @Test("attempt succeeded: bezig → geslaagd, the lease and the last failure cleared, the attempt closed")
    func succeeded() throws {
        var state = running()
        state.lastFailure = .timeout
        state.lastMessage = "x"
        let decision = try decided(state, .attemptSucceeded(owner: "w"))
        #expect(decision.state.status == .geslaagd && decision.state.endedAt == now)
        #expect(decision.state.leaseOwner == nil && decision.state.leaseUntil == nil)
        #expect(decision.state.lastFailure == nil && decision.state.lastMessage == nil)
        #expect(decision.endedAttempt == 1 && decision.attemptFailure == nil)
    }

    @Test("a worker that no longer holds the lease can end nothing: it must not hand over")
    func leaseLost() {
        #expect(refusal(running(), .attemptSucceeded(owner: "other")) == .leaseLost)
        #expect(refusal(running(), .attemptFailed(owner: "other", LeveringFailure(.timeout, "x"), jitter: 0.5)) == .leaseLost)
        #expect(refusal(queued(.mislukt, attempts: 1), .attemptSucceeded(owner: "w")) == .leaseLost)
        #expect(refusal(queued(.geannuleerd, attempts: 1), .consentEnded(reason: "x", owner: "w")) == .leaseLost)
        #expect(refusal(queued(), .attemptSucceeded(owner: "w")) == .notAllowed(.gepland, action: "succeed"))
    }

    @Test("attempt failed with a retryable class: mislukt, due after the stream's backoff with the drawn jitter")
    func failedRetryable() throws {
        let first = try decided(running(), .attemptFailed(owner: "w", LeveringFailure(.timeout, "late"), jitter: 0.5))
        #expect(first.state.status == .mislukt && first.state.nextAttemptAt == now.addingTimeInterval(30))
        #expect(first.state.endedAt == nil && first.state.leaseOwner == nil)
        #expect(first.state.lastFailure == .timeout && first.state.lastMessage == "late")
        #expect(first.endedAttempt == 1 && first.attemptFailure == .timeout)
        let second = try decided(running(attempts: 2), .attemptFailed(owner: "w", LeveringFailure(.serverError, "502"), jitter: 0.5))
        #expect(second.state.nextAttemptAt == now.addingTimeInterval(60))
        let throttled = try decided(
            running(), .attemptFailed(owner: "w", LeveringFailure(.tooManyRequests, "429", retryAfter: 300), jitter: 0.5))
        #expect(throttled.state.nextAttemptAt == now.addingTimeInterval(300), "Retry-After is a floor")
    }

    @Test("SHV's failures follow SHV's own retry settings, not VS's")
    func perStream() throws {
        let failure = LeveringEvent.attemptFailed(owner: "w", LeveringFailure(.network, "down"), jitter: 1)
        #expect(try decided(running(stroom: "VS", maxAttempts: 2), failure).state.nextAttemptAt == now.addingTimeInterval(60))
        #expect(try decided(running(stroom: "SHV", maxAttempts: 2), failure).state.nextAttemptAt == now.addingTimeInterval(900))
        #expect(lifecycle.policy("SHV").maxAttempts == 2 && lifecycle.policy("ONBEKEND") == RetryPolicy())
    }

    @Test("the retry policy per stream is read from leveringen.yaml")
    func fromSchedule() throws {
        let schedule = try LeveringSchedule(
            yaml: """
                streams:
                  VS: {cron: "0 6 1 1,4,7,10 *", period: kwartaal, max_attempts: 5, backoff_base_seconds: 60, backoff_max_seconds: 3600, lease_seconds: 300, per_supplier: 4}
                  SHV: {cron: "0 6 1 * *", period: maand, max_attempts: 8, backoff_base_seconds: 600, backoff_max_seconds: 7200, lease_seconds: 300, per_supplier: 2}
                """, file: "leveringen.yaml")
        let fromFile = LeveringLifecycle(schedule: schedule)
        #expect(fromFile.policy("VS") == RetryPolicy(baseDelay: 60, maxDelay: 3600, maxAttempts: 5))
        #expect(fromFile.policy("SHV") == RetryPolicy(baseDelay: 600, maxDelay: 7200, maxAttempts: 8))
        let state = running(stroom: "SHV", attempts: 2, maxAttempts: 8)
        let decision = try fromFile.decide(state, .attemptFailed(owner: "w", LeveringFailure(.timeout, "x"), jitter: 1), now: now).get()
        #expect(decision.state.nextAttemptAt == now.addingTimeInterval(1200))
    }

    @Test("attempt failed at the last attempt, or with a final class: opgegeven, ended now")
    func failedFinal() throws {
        let spent = try decided(running(attempts: 3), .attemptFailed(owner: "w", LeveringFailure(.timeout, "x"), jitter: 0.5))
        #expect(spent.state.status == .opgegeven && spent.state.endedAt == now && spent.state.nextAttemptAt == now)
        let refused = try decided(running(), .attemptFailed(owner: "w", LeveringFailure(.forbidden, "403"), jitter: 0.5))
        #expect(refused.state.status == .opgegeven && refused.attemptFailure == .forbidden)
        let verdict = try decided(running(), .attemptFailed(owner: "w", LeveringFailure(.validation, "too many errors"), jitter: 0.5))
        #expect(verdict.state.status == .opgegeven, "the validation verdict is final")
    }

    @Test("the validation verdict: above the stream's max_error_share fails, at or below it passes")
    func validationVerdict() {
        #expect(LeveringLifecycle.failsValidation(errorShare: 0.051, maxErrorShare: 0.05))
        #expect(!LeveringLifecycle.failsValidation(errorShare: 0.05, maxErrorShare: 0.05))
        #expect(!LeveringLifecycle.failsValidation(errorShare: 0, maxErrorShare: 0))
    }

    @Test(
        "retryable classes: what the supplier, the network or our machinery may get past on its own",
        arguments: [
            LeveringFailure.Klasse.network, .timeout, .serverError, .tooManyRequests, .brokenPage, .fscTokenExpired, .fscUnreachable,
            .paginering, .staging, .sink, .database, .internal, .cancelled, .leaseVerlopen,
        ])
    func retryable(klasse: LeveringFailure.Klasse) {
        #expect(LeveringFailure(klasse, "x").isRetryable)
    }

    @Test(
        "final classes: credentials, contracts, refusals, signatures, the exchange model, other gemeenten' data, validation, configuration, consent",
        arguments: [
            LeveringFailure.Klasse.unauthorized, .forbidden, .notFound, .unprocessable, .rejected, .responseTooLarge, .fscConfiguration,
            .signature, .schema, .foreignGemeente, .validation, .configuration, .consentWithdrawn,
        ])
    func final(klasse: LeveringFailure.Klasse) {
        #expect(!LeveringFailure(klasse, "x").isRetryable)
    }

    @Test("a signature failure is final, except a revocation status that could not be had")
    func signature() {
        #expect(!LeveringFailure(.signature, "x", code: "certificate_revoked").isRetryable)
        #expect(LeveringFailure(.signature, "x", code: LeveringFailure.revocationUnavailable).isRetryable)
    }

    @Test("every class has its stable code and a Dutch label; an unknown code reads as overige fout")
    func labels() {
        #expect(LeveringFailure.Klasse.allCases.count == 27)
        #expect(LeveringFailure.Klasse.leaseVerlopen.rawValue == "lease_verlopen")
        #expect(FoutKlasse.label("foreignGemeente") == "gegevens van een andere gemeente")
        #expect(FoutKlasse.label("nieuw") == "overige fout (nieuw)")
        #expect(LeveringFailure(.serverError, "HTTP 503").description == "serverError: HTTP 503")
    }

    @Test("lease expired: bezig → mislukt, due at once, or opgegeven at the last attempt; a live lease is not taken")
    func leaseExpired() throws {
        let lapsed = running(leaseUntil: now.addingTimeInterval(-1))
        let rescued = try decided(lapsed, .leaseExpired)
        #expect(rescued.state.status == .mislukt && rescued.state.nextAttemptAt == now && rescued.state.endedAt == nil)
        #expect(rescued.state.lastFailure == .leaseVerlopen && rescued.state.lastMessage == LeveringLifecycle.leaseExpiredMessage)
        #expect(rescued.state.leaseOwner == nil && rescued.endedAttempt == nil)
        let last = try decided(running(attempts: 3, leaseUntil: now.addingTimeInterval(-1)), .leaseExpired)
        #expect(last.state.status == .opgegeven && last.state.endedAt == now)
        #expect(refusal(running(leaseUntil: now), .leaseExpired) == .leaseNotExpired(until: now))
        #expect(refusal(queued(.mislukt), .leaseExpired) == .notAllowed(.mislukt, action: "rescue"))
    }

    @Test(
        "cancelled manually: gepland, mislukt or bezig → geannuleerd with the reason, audited",
        arguments: [
            LeveringStatus.gepland, .mislukt, .bezig,
        ])
    func cancelled(status: LeveringStatus) throws {
        let state = status == .bezig ? running() : queued(status)
        let decision = try decided(state, .cancelledManually(reason: "dubbel"))
        #expect(decision.state.status == .geannuleerd && decision.state.endedAt == now && decision.state.leaseOwner == nil)
        #expect(decision.state.lastFailure == .cancelled && decision.state.lastMessage == "dubbel")
        #expect(decision.auditEvent == "levering.geannuleerd")
    }

    @Test("cancelled manually: refused once ended", arguments: [LeveringStatus.geslaagd, .opgegeven, .geannuleerd])
    func cancelRefused(status: LeveringStatus) {
        #expect(refusal(queued(status), .cancelledManually(reason: "x")) == .notAllowed(status, action: "cancel"))
    }

    @Test("retried manually: opgegeven → gepland, due now, with a fresh set of attempts; the attempt numbers go on; audited")
    func retried() throws {
        var gaveUp = queued(.opgegeven, attempts: 1, maxAttempts: 3)
        gaveUp.endedAt = now.addingTimeInterval(-60)
        gaveUp.lastFailure = .unauthorized
        let decision = try decided(gaveUp, .retriedManually)
        #expect(decision.state.status == .gepland && decision.state.nextAttemptAt == now && decision.state.endedAt == nil)
        #expect(decision.state.attempts == 1 && decision.state.maxAttempts == 4)
        #expect(decision.state.lastFailure == .unauthorized, "the reason it gave up stays readable")
        #expect(decision.auditEvent == "levering.herhaald")
    }

    @Test("retried manually: refused unless opgegeven", arguments: [LeveringStatus.gepland, .bezig, .mislukt, .geslaagd, .geannuleerd])
    func retryRefused(status: LeveringStatus) {
        #expect(refusal(queued(status), .retriedManually) == .notAllowed(status, action: "retry"))
    }

    @Test("consent ended: a queued levering → geannuleerd; the worker's running one too, its attempt closed; nothing else")
    func consentEnded() throws {
        for status in [LeveringStatus.gepland, .mislukt] {
            let decision = try decided(queued(status), .consentEnded(reason: "ingetrokken", owner: nil))
            #expect(decision.state.status == .geannuleerd && decision.state.lastFailure == .consentWithdrawn)
            #expect(decision.state.lastMessage == "ingetrokken" && decision.endedAttempt == nil && decision.auditEvent == nil)
        }
        let during = try decided(running(), .consentEnded(reason: "during the pull", owner: "w"))
        #expect(during.state.status == .geannuleerd && during.state.leaseOwner == nil)
        #expect(during.endedAttempt == 1 && during.attemptFailure == .consentWithdrawn)
        #expect(refusal(running(), .consentEnded(reason: "x", owner: nil)) == .notAllowed(.bezig, action: "cancel"))
        for status in [LeveringStatus.geslaagd, .opgegeven, .geannuleerd] {
            #expect(refusal(queued(status), .consentEnded(reason: "x", owner: nil)) == .notAllowed(status, action: "cancel"))
        }
    }
}
