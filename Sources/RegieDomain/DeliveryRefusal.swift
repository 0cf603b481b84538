import Foundation

/// Why the delivery state machine refused a transition: a stable code for clients (`code`)
/// and a sentence for people (`description`).
public enum DeliveryRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// A transition of the state machine.
    public enum Action: String, Hashable, Sendable {
        /// Start an attempt.
        case claim
        /// Extend a lease.
        case heartbeat
        /// End an attempt that succeeded.
        case succeed
        /// End an attempt that failed.
        case fail
        /// Cancel the delivery.
        case cancel
        /// Plan a delivery that gave up again.
        case retryManually = "retry"
        /// Take back an attempt whose lease ran out.
        case rescue
    }

    /// The action does not apply to a delivery in this status.
    case notAllowed(LeveringStatus, Action)
    /// The next attempt may not start before this instant.
    case notDue(until: Date)
    /// The lease still holds; only an expired lease is rescued.
    case leaseNotExpired(until: Date)
    /// The lease ran out; the attempt may already have been taken back.
    case leaseExpired(at: Date)

    /// The stable code: `not_allowed`, `not_due`, ….
    public var code: String {
        switch self {
        case .notAllowed: "not_allowed"
        case .notDue: "not_due"
        case .leaseNotExpired: "lease_not_expired"
        case .leaseExpired: "lease_expired"
        }
    }

    public var description: String {
        switch self {
        case .notAllowed(let status, let action): "a delivery that is \(status.rawValue) cannot \(action.rawValue)"
        case .notDue(let until): "the next attempt is not due before \(until.ISO8601Format())"
        case .leaseNotExpired(let until): "the running attempt holds its lease until \(until.ISO8601Format())"
        case .leaseExpired(let at): "the lease of the running attempt ran out at \(at.ISO8601Format())"
        }
    }
}
