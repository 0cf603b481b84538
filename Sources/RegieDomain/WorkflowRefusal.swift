/// Why the engine refused a move: a stable code for clients (`code`) and a sentence for people
/// (`description`).
public enum WorkflowRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The current state is not a phase or side state of the workflow (stale data).
    case unknownCurrent(String)
    /// The target is not a phase or side state of the workflow.
    case unknownTarget(String)
    /// No move leads from the current state to the target (or the subject is there already).
    case notAllowedFromHere(from: String, to: String)
    /// The move exists, but not for this role.
    case roleNotAllowed(WorkflowRole, from: String, to: String)
    /// Only the service itself moves a subject there (a delivery outcome, a consent event).
    case automaticOnly(target: String)
    /// The move needs a reason and none was given.
    case reasonRequired(target: String)
    /// A fact the move needs does not hold.
    case guardFailed(WorkflowFact, target: String)
    /// Leaving a side state or falling back goes to the phase the evidence supports, which is
    /// an earlier one than the target.
    case notSupportedPhase(target: String, supported: String)

    /// The stable code: `unknown_target`, `guard_failed`, ….
    public var code: String {
        switch self {
        case .unknownCurrent: "unknown_current"
        case .unknownTarget: "unknown_target"
        case .notAllowedFromHere: "not_allowed_from_here"
        case .roleNotAllowed: "role_not_allowed"
        case .automaticOnly: "automatic_only"
        case .reasonRequired: "reason_required"
        case .guardFailed: "guard_failed"
        case .notSupportedPhase: "not_supported_phase"
        }
    }

    /// The fact that failed, for `guard_failed`.
    public var fact: WorkflowFact? {
        if case .guardFailed(let fact, _) = self { return fact }
        return nil
    }

    /// What was refused and why, in a sentence.
    public var description: String {
        switch self {
        case .unknownCurrent(let state):
            "The current state '\(state)' is not a phase or side state of this workflow."
        case .unknownTarget(let target):
            "'\(target)' is not a phase or side state of this workflow."
        case .notAllowedFromHere(let from, let to) where from == to:
            "The subject is in \(to) already."
        case .notAllowedFromHere(let from, let to):
            "No step leads from \(from) to \(to)."
        case .roleNotAllowed(let role, let from, let to):
            "The role \(role) may not move a subject from \(from) to \(to)."
        case .automaticOnly(let target):
            "\(target) is set only by the service itself, on a delivery outcome or a consent event; never by hand."
        case .reasonRequired(let target):
            "Moving to \(target) needs a reason."
        case .guardFailed(let fact, let target):
            "\(target) requires that \(fact.summary) (\(fact))."
        case .notSupportedPhase(let target, let supported):
            "The evidence supports \(supported), not \(target): a subject returns to the phase its evidence supports."
        }
    }
}
