import Foundation

/// A request to move one subject to another state, with everything the engine needs to decide.
public struct WorkflowRequest: Hashable, Sendable {
    /// The phase or side state the subject is in now.
    public var current: String
    /// The phase or side state asked for.
    public var target: String
    /// Who asks: the token's role, or `system` for the service itself.
    public var role: WorkflowRole
    /// The facts about the subject that hold now.
    public var facts: Set<WorkflowFact>
    /// Why; required for side states and for roles in `reason_required_for`. Blank counts as none.
    public var reason: String?
    /// The time of the request, from the caller's clock.
    public var now: Date

    /// A request; `facts` and `reason` default to none.
    public init(
        current: String, target: String, role: WorkflowRole, facts: Set<WorkflowFact> = [], reason: String? = nil, now: Date
    ) {
        self.current = current
        self.target = target
        self.role = role
        self.facts = facts
        self.reason = reason
        self.now = now
    }
}

extension WorkflowRequest {
    /// The reason, trimmed; nil when none or only blanks were given.
    var givenReason: String? {
        guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else { return nil }
        return reason
    }
}

/// The engine's yes: the subject moves to `to`. The caller writes it, with its audit event.
public struct WorkflowDecision: Hashable, Sendable {
    /// The kind of move.
    public enum Move: Hashable, Sendable {
        /// A step along a declared transition.
        case advance(WorkflowDefinition.Transition)
        /// Into a side state.
        case enterSideState
        /// Out of a side state, to the phase the evidence supports.
        case leaveSideState
        /// Back along the main path, to the phase the evidence supports.
        case fallBack
    }

    /// The state the subject was in.
    public let from: String
    /// The state the subject is in now.
    public let to: String
    /// How it got there.
    public let move: Move
    /// Who moved it.
    public let role: WorkflowRole
    /// The reason given, trimmed; nil when none was given.
    public let reason: String?
    /// Whether the move needed a reason.
    public let reasonRequired: Bool
    /// The records the move rests on, to attach to the audit event.
    public let evidence: [WorkflowEvidence]
    /// When the move was decided (the request's `now`).
    public let at: Date

    /// The declared transition taken, for an `advance`.
    public var transition: WorkflowDefinition.Transition? {
        if case .advance(let transition) = move { return transition }
        return nil
    }
}
