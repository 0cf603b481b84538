import Foundation

/// The state of one delivery that the state machine decides on: its status, attempts, lease
/// and next attempt.
public struct DeliveryState: Hashable, Sendable {
    /// Where the delivery stands.
    public var status: LeveringStatus
    /// The number of attempts started.
    public var attempts: Int
    /// Until when the running attempt holds its lease (`bezig` only).
    public var leaseUntil: Date?
    /// Not before this instant may the next attempt start (`gepland` or `mislukt`).
    public var nextAttemptAt: Date?
    /// Why the last attempt failed.
    public var lastFailure: DeliveryFailure?

    /// A state; a new delivery is `gepland` with no attempts, runnable at `nextAttemptAt`.
    public init(
        status: LeveringStatus = .gepland, attempts: Int = 0, leaseUntil: Date? = nil, nextAttemptAt: Date? = nil,
        lastFailure: DeliveryFailure? = nil
    ) {
        self.status = status
        self.attempts = attempts
        self.leaseUntil = leaseUntil
        self.nextAttemptAt = nextAttemptAt
        self.lastFailure = lastFailure
    }
}

/// Moves a delivery between its states: a pure state machine with an injected clock, the
/// rules of DESIGN.md §5 without the database. The caller stores the new state in the same
/// `UPDATE` that re-checks the old one.
///
/// - `claim`: `gepland` or `mislukt`, once due → `bezig`, one attempt more, leased until
///   `now + leaseDuration`.
/// - `heartbeat`: `bezig` with a live lease → the lease extended.
/// - `succeed`: `bezig` → `geslaagd` (also after the lease ran out: as long as no rescuer took
///   the delivery back, the work is done).
/// - `fail`: `bezig` → `mislukt` with the next attempt after the policy's delay; → `opgegeven`
///   when the failure is not retryable or the attempts are used up; → `geannuleerd` when the
///   failure is a cancellation or withdrawn consent.
/// - `cancel`: `gepland`, `mislukt` or `bezig` → `geannuleerd`.
/// - `retryManually`: `opgegeven` → `gepland` with the attempts reset to 0: a person retries
///   after fixing the cause (credentials, a contract), so the delivery gets a full set of
///   attempts again; the earlier attempts stay in the attempt records.
/// - `rescue`: `bezig` with an expired lease → `mislukt` (`leaseExpired`), or `opgegeven` when
///   that was the last attempt.
public struct DeliveryStateMachine: Hashable, Sendable {
    /// When to retry and how often.
    public let policy: RetryPolicy
    /// How long a claim holds before a rescuer may take it back, in seconds.
    public let leaseDuration: TimeInterval

    /// A state machine with `policy` and `leaseDuration`.
    public init(policy: RetryPolicy = RetryPolicy(), leaseDuration: TimeInterval = 300) {
        self.policy = policy
        self.leaseDuration = leaseDuration
    }

    /// Starts an attempt.
    public func claim(_ state: DeliveryState, now: Date) -> Result<DeliveryState, DeliveryRefusal> {
        guard state.status == .gepland || state.status == .mislukt else { return .failure(.notAllowed(state.status, .claim)) }
        if let due = state.nextAttemptAt, now < due { return .failure(.notDue(until: due)) }
        var next = state
        next.status = .bezig
        next.attempts += 1
        next.leaseUntil = now.addingTimeInterval(leaseDuration)
        next.nextAttemptAt = nil
        return .success(next)
    }

    /// Extends the lease of a running attempt.
    public func heartbeat(_ state: DeliveryState, now: Date) -> Result<DeliveryState, DeliveryRefusal> {
        guard state.status == .bezig else { return .failure(.notAllowed(state.status, .heartbeat)) }
        if let lease = state.leaseUntil, lease <= now { return .failure(.leaseExpired(at: lease)) }
        var next = state
        next.leaseUntil = now.addingTimeInterval(leaseDuration)
        return .success(next)
    }

    /// Ends a running attempt that handed its data to CBS.
    public func succeed(_ state: DeliveryState, now: Date) -> Result<DeliveryState, DeliveryRefusal> {
        guard state.status == .bezig else { return .failure(.notAllowed(state.status, .succeed)) }
        var next = state
        next.status = .geslaagd
        next.leaseUntil = nil
        next.lastFailure = nil
        return .success(next)
    }

    /// Ends a running attempt that failed; `retryAfter` (seconds) is the supplier's
    /// `Retry-After`, if any, beside the one `failure` carries; `unitRandom` picks the jitter.
    public func fail(
        _ state: DeliveryState, failure: DeliveryFailure, retryAfter: TimeInterval? = nil, now: Date,
        unitRandom: () -> Double = { Double.random(in: 0...1) }
    ) -> Result<DeliveryState, DeliveryRefusal> {
        guard state.status == .bezig else { return .failure(.notAllowed(state.status, .fail)) }
        return .success(failed(state, failure, retryAfter: retryAfter, now: now, unitRandom: unitRandom))
    }

    /// Cancels a delivery that has not ended.
    public func cancel(_ state: DeliveryState, now: Date) -> Result<DeliveryState, DeliveryRefusal> {
        guard [.gepland, .mislukt, .bezig].contains(state.status) else { return .failure(.notAllowed(state.status, .cancel)) }
        var next = state
        next.status = .geannuleerd
        next.leaseUntil = nil
        next.nextAttemptAt = nil
        return .success(next)
    }

    /// Plans a delivery that gave up again, due at once, with its attempts reset.
    public func retryManually(_ state: DeliveryState, now: Date) -> Result<DeliveryState, DeliveryRefusal> {
        guard state.status == .opgegeven else { return .failure(.notAllowed(state.status, .retryManually)) }
        return .success(DeliveryState(status: .gepland, attempts: 0, nextAttemptAt: now, lastFailure: state.lastFailure))
    }

    /// Takes back a running attempt whose lease ran out.
    public func rescue(
        _ state: DeliveryState, now: Date, unitRandom: () -> Double = { Double.random(in: 0...1) }
    ) -> Result<DeliveryState, DeliveryRefusal> {
        guard state.status == .bezig else { return .failure(.notAllowed(state.status, .rescue)) }
        if let lease = state.leaseUntil, lease > now { return .failure(.leaseNotExpired(until: lease)) }
        return .success(failed(state, .leaseExpired, retryAfter: nil, now: now, unitRandom: unitRandom))
    }

    private func failed(
        _ state: DeliveryState, _ failure: DeliveryFailure, retryAfter: TimeInterval?, now: Date, unitRandom: () -> Double
    ) -> DeliveryState {
        var next = state
        next.leaseUntil = nil
        next.lastFailure = failure
        next.nextAttemptAt = nil
        if failure == .cancelled || failure == .consentWithdrawn {
            next.status = .geannuleerd
        } else if !failure.isRetryable || policy.isLast(attempt: state.attempts) {
            next.status = .opgegeven
        } else {
            let floor = [retryAfter, failure.retryAfter].compactMap { $0 }.max()
            let delay = policy.delay(afterAttempt: state.attempts, retryAfter: floor, unitRandom: unitRandom)
            next.status = .mislukt
            next.nextAttemptAt = now.addingTimeInterval(delay)
        }
        return next
    }
}
