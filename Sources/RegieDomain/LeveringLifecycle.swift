import Foundation

/// What the lifecycle knows of one levering: the columns of its queue row that a transition
/// reads or writes.
public struct LeveringState: Hashable, Sendable {
    /// The stream (`VS`, `SHV`), whose retry policy applies.
    public var stroom: String
    /// Where the levering stands.
    public var status: LeveringStatus
    /// The attempts started.
    public var attempts: Int
    /// The attempts it may have, the first included (raised by a manual retry).
    public var maxAttempts: Int
    /// The worker holding the running attempt's lease (`bezig` only).
    public var leaseOwner: String?
    /// Until when that lease holds (`bezig` only).
    public var leaseUntil: Date?
    /// Not before this instant may the next attempt start (`gepland` or `mislukt`).
    public var nextAttemptAt: Date
    /// When the first attempt started.
    public var startedAt: Date?
    /// When the levering ended (`geslaagd`, `opgegeven`, `geannuleerd`).
    public var endedAt: Date?
    /// The class of the last failure or cancellation.
    public var lastFailure: LeveringFailure.Klasse?
    /// The message of the last failure or cancellation.
    public var lastMessage: String?

    /// A state; a new levering is `gepland` with no attempts, due at `nextAttemptAt`.
    public init(
        stroom: String, status: LeveringStatus = .gepland, attempts: Int = 0, maxAttempts: Int, leaseOwner: String? = nil,
        leaseUntil: Date? = nil, nextAttemptAt: Date, startedAt: Date? = nil, endedAt: Date? = nil,
        lastFailure: LeveringFailure.Klasse? = nil, lastMessage: String? = nil
    ) {
        self.stroom = stroom
        self.status = status
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.leaseOwner = leaseOwner
        self.leaseUntil = leaseUntil
        self.nextAttemptAt = nextAttemptAt
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.lastFailure = lastFailure
        self.lastMessage = lastMessage
    }
}

/// Something that happens to a levering.
public enum LeveringEvent: Hashable, Sendable {
    /// A worker claims it, with a lease until `leaseUntil`.
    case claimed(owner: String, leaseUntil: Date)
    /// The worker's attempt handed the data over to CBS.
    case attemptSucceeded(owner: String)
    /// The worker's attempt failed. `jitter` (a number in `0...1`) picks the backoff within the
    /// retry policy's ceiling; the caller draws it, so the lifecycle stays a function.
    case attemptFailed(owner: String, LeveringFailure, jitter: Double)
    /// The rescuer found the lease of the running attempt expired.
    case leaseExpired
    /// A person cancels it (API, CLI).
    case cancelledManually(reason: String)
    /// A person queues a given-up levering again (API, CLI).
    case retriedManually
    /// Its consent was revoked, lapsed, or moved to another supplier. With an `owner` it is the
    /// worker's running attempt that learns so (during the pull or at hand-over); without one
    /// it is the queued levering.
    case consentEnded(reason: String, owner: String?)

    /// The name of the event in a refusal.
    public var action: String {
        switch self {
        case .claimed: "claim"
        case .attemptSucceeded: "succeed"
        case .attemptFailed: "fail"
        case .leaseExpired: "rescue"
        case .cancelledManually: "cancel"
        case .retriedManually: "retry"
        case .consentEnded: "cancel"
        }
    }
}

/// What the lifecycle decided: the new state, which the store writes as it is, and what goes
/// with it.
public struct LeveringDecision: Hashable, Sendable {
    /// The state to store.
    public let state: LeveringState
    /// The attempt that ended, when one did: its record is closed with `attemptFailure` (nil
    /// for a success).
    public let endedAttempt: Int?
    /// The failure class the ended attempt is recorded with.
    public let attemptFailure: LeveringFailure.Klasse?
    /// The audit event due with the change (`levering.geannuleerd`, `levering.herhaald`), in
    /// the same transaction; nil when none is.
    public let auditEvent: String?
}

/// Why the lifecycle refused an event.
public enum LeveringRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The event does not apply to a levering in this status.
    case notAllowed(LeveringStatus, action: String)
    /// The caller no longer holds the lease of the running attempt (it was rescued, cancelled
    /// or taken over): it must not hand anything over.
    case leaseLost
    /// The next attempt may not start before this instant.
    case notDue(until: Date)
    /// The lease still holds; only an expired lease is rescued.
    case leaseNotExpired(until: Date)

    /// The stable code: `not_allowed`, `lease_lost`, ….
    public var code: String {
        switch self {
        case .notAllowed: "not_allowed"
        case .leaseLost: "lease_lost"
        case .notDue: "not_due"
        case .leaseNotExpired: "lease_not_expired"
        }
    }

    public var description: String {
        switch self {
        case .notAllowed(let status, let action): "a levering that is \(status.rawValue) cannot \(action)"
        case .leaseLost: "the caller no longer holds the lease of the running attempt"
        case .notDue(let until): "the next attempt is not due before \(until.ISO8601Format())"
        case .leaseNotExpired(let until): "the running attempt holds its lease until \(until.ISO8601Format())"
        }
    }
}

/// The one place that decides a levering's life (DESIGN.md §5): a pure function from a state
/// and an event to a decision, with the retry policy of each stream from
/// `Workflows/leveringen.yaml`. The queue reads the row `FOR UPDATE`, asks, and writes the
/// decision in the same transaction; its SQL never decides on its own.
///
/// - claimed: `gepland` or `mislukt`, once due → `bezig`, one attempt more, leased.
/// - attempt succeeded: `bezig` (held by the caller) → `geslaagd`.
/// - attempt failed: `bezig` (held by the caller) → `mislukt`, due after the stream's backoff
///   (at least the supplier's `Retry-After`); → `opgegeven` when the class is final (see
///   ``isRetryable(_:)``: the validation verdict of ``failsValidation(errorShare:maxErrorShare:)``
///   among them) or the attempts are used up.
/// - lease expired: `bezig` with an expired lease → `mislukt`, due at once (the attempt did
///   not fail at the supplier, so it waits for no backoff), or `opgegeven` at its last attempt.
/// - cancelled manually: `gepland`, `mislukt` or `bezig` → `geannuleerd`, audited.
/// - retried manually: `opgegeven` → `gepland`, due at once, with a fresh set of attempts as
///   large as its allowance was (the attempt numbers go on, so the attempt records stay), audited.
/// - consent ended: `gepland` or `mislukt` (or the caller's `bezig`) → `geannuleerd`.
public struct LeveringLifecycle: Hashable, Sendable {
    /// The retry policy per stream (`VS`, `SHV`).
    public let policies: [String: RetryPolicy]
    /// The policy of a stream the schedule does not name.
    public let fallback: RetryPolicy

    /// A lifecycle with a retry policy per stream.
    public init(policies: [String: RetryPolicy] = [:], fallback: RetryPolicy = RetryPolicy()) {
        self.policies = policies
        self.fallback = fallback
    }

    /// The lifecycle of the streams in `schedule`, each with its own retry settings.
    public init(schedule: LeveringSchedule) {
        self.init(policies: schedule.streams.mapValues(\.retry))
    }

    /// The retry policy of `stroom`.
    public func policy(_ stroom: String) -> RetryPolicy { policies[stroom] ?? fallback }

    /// Whether another attempt may succeed without anyone changing anything, by class: what
    /// the supplier, the network or our own machinery may get past on its own. A `signature`
    /// failure is final, except one whose revocation status could not be had.
    public static func isRetryable(_ failure: LeveringFailure) -> Bool {
        switch failure.klasse {
        case .network, .timeout, .serverError, .tooManyRequests, .brokenPage, .fscTokenExpired, .fscUnreachable, .paginering,
            .staging, .sink, .database, .internal, .cancelled, .leaseVerlopen:
            true
        case .signature: failure.code == LeveringFailure.revocationUnavailable
        case .unauthorized, .forbidden, .notFound, .unprocessable, .rejected, .responseTooLarge, .fscConfiguration, .schema,
            .foreignGemeente, .validation, .configuration, .consentWithdrawn:
            false
        }
    }

    /// The validation verdict (DESIGN.md §6): whether a pull whose records and zaken have
    /// errors in `errorShare` of them fails validation under the stream's `max_error_share`.
    /// Above it the attempt fails as `validation`, a final class; at or below it the levering is
    /// handed over and its op-orde-rapport shows the errors.
    public static func failsValidation(errorShare: Double, maxErrorShare: Double) -> Bool { errorShare > maxErrorShare }

    /// The message a rescued levering carries.
    public static let leaseExpiredMessage = "the worker stopped answering; its lease expired"

    /// Decides what `event` does to a levering in `state` at `now`.
    public func decide(_ state: LeveringState, _ event: LeveringEvent, now: Date) -> Result<LeveringDecision, LeveringRefusal> {
        var next = state
        switch event {
        case .claimed(let owner, let leaseUntil):
            guard LeveringStatus.waiting.contains(state.status) else {
                return .failure(.notAllowed(state.status, action: event.action))
            }
            guard state.nextAttemptAt <= now else { return .failure(.notDue(until: state.nextAttemptAt)) }
            next.status = .bezig
            next.attempts += 1
            next.leaseOwner = owner
            next.leaseUntil = leaseUntil
            next.startedAt = state.startedAt ?? now
            return .success(LeveringDecision(state: next, endedAttempt: nil, attemptFailure: nil, auditEvent: nil))

        case .attemptSucceeded(let owner):
            if let refusal = Self.holds(state, owner, event) { return .failure(refusal) }
            next.release()
            next.status = .geslaagd
            next.endedAt = now
            next.lastFailure = nil
            next.lastMessage = nil
            return .success(LeveringDecision(state: next, endedAttempt: state.attempts, attemptFailure: nil, auditEvent: nil))

        case .attemptFailed(let owner, let failure, let jitter):
            if let refusal = Self.holds(state, owner, event) { return .failure(refusal) }
            next.release()
            next.lastFailure = failure.klasse
            next.lastMessage = failure.message
            let policy = policy(state.stroom)
            if !Self.isRetryable(failure) || state.attempts >= state.maxAttempts {
                next.status = .opgegeven
                next.nextAttemptAt = now
                next.endedAt = now
            } else {
                next.status = .mislukt
                let delay = policy.delay(afterAttempt: state.attempts, retryAfter: failure.retryAfter, unitRandom: { jitter })
                next.nextAttemptAt = now.addingTimeInterval(delay)
            }
            return .success(LeveringDecision(state: next, endedAttempt: state.attempts, attemptFailure: failure.klasse, auditEvent: nil))

        case .leaseExpired:
            guard state.status == .bezig else { return .failure(.notAllowed(state.status, action: event.action)) }
            if let lease = state.leaseUntil, lease >= now { return .failure(.leaseNotExpired(until: lease)) }
            next.release()
            next.lastFailure = .leaseVerlopen
            next.lastMessage = Self.leaseExpiredMessage
            next.nextAttemptAt = now
            if state.attempts >= state.maxAttempts {
                next.status = .opgegeven
                next.endedAt = now
            } else {
                next.status = .mislukt
            }
            return .success(LeveringDecision(state: next, endedAttempt: nil, attemptFailure: nil, auditEvent: nil))

        case .cancelledManually(let reason):
            guard [.gepland, .mislukt, .bezig].contains(state.status) else {
                return .failure(.notAllowed(state.status, action: event.action))
            }
            next.release()
            next.status = .geannuleerd
            next.endedAt = now
            next.lastFailure = .cancelled
            next.lastMessage = reason
            return .success(LeveringDecision(state: next, endedAttempt: nil, attemptFailure: nil, auditEvent: "levering.geannuleerd"))

        case .retriedManually:
            guard state.status == .opgegeven else { return .failure(.notAllowed(state.status, action: event.action)) }
            next.status = .gepland
            next.maxAttempts = state.attempts + state.maxAttempts
            next.nextAttemptAt = now
            next.endedAt = nil
            return .success(LeveringDecision(state: next, endedAttempt: nil, attemptFailure: nil, auditEvent: "levering.herhaald"))

        case .consentEnded(let reason, let owner):
            if let owner {
                if let refusal = Self.holds(state, owner, event) { return .failure(refusal) }
            } else if state.status != .gepland && state.status != .mislukt {
                return .failure(.notAllowed(state.status, action: event.action))
            }
            next.release()
            next.status = .geannuleerd
            next.endedAt = now
            next.lastFailure = .consentWithdrawn
            next.lastMessage = reason
            return .success(
                LeveringDecision(
                    state: next, endedAttempt: owner == nil ? nil : state.attempts, attemptFailure: owner == nil ? nil : .consentWithdrawn,
                    auditEvent: nil))
        }
    }

    /// The refusal when `owner` does not hold the running attempt's lease.
    static func holds(_ state: LeveringState, _ owner: String, _ event: LeveringEvent) -> LeveringRefusal? {
        guard state.status == .bezig else {
            // Ended or back in the queue while the worker still ran: its lease is gone.
            return state.leaseOwner == nil && state.attempts > 0 ? .leaseLost : .notAllowed(state.status, action: event.action)
        }
        return state.leaseOwner == owner ? nil : .leaseLost
    }
}

extension LeveringState {
    /// Drops the lease of a running attempt.
    fileprivate mutating func release() {
        leaseOwner = nil
        leaseUntil = nil
    }
}
