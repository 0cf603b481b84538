import Foundation

/// Decides whether one subject may move to a requested state: a pure state machine over a
/// workflow definition, without I/O; the caller brings the facts that hold and the time.
///
/// The rules, beyond what the file declares:
/// - a phase is reached only along a declared transition, by one of its roles, when its
///   guards hold *and* the evidence supports the target (every transition on the way from
///   `initial` has its guards holding, see `supportedPhase(facts:)`), so no subject gets
///   ahead of its evidence;
/// - a side state is entered from any phase by its roles, always with a reason; from another
///   side state only by a role that may also leave that one, unless that one is automatic
///   (the service never overrides a person's suspension; a person may suspend a subject whose
///   consent was revoked);
/// - a side state is left by its roles, with a reason, to exactly the phase the evidence
///   supports;
/// - a subject falls back to an earlier phase only by a role of `fall_back_roles`, and only to
///   the phase the evidence supports (a gemeente whose consent no longer counts);
/// - roles in `reason_required_for` give a reason for every move.
public struct WorkflowEngine: Hashable, Sendable {
    /// The workflow this engine decides on.
    public let definition: WorkflowDefinition

    /// An engine for one workflow.
    public init(_ definition: WorkflowDefinition) {
        self.definition = definition
    }

    /// The decision on `request`: the new state, or why not.
    public func decide(_ request: WorkflowRequest) -> Result<WorkflowDecision, WorkflowRefusal> {
        Result { () throws(WorkflowRefusal) in try decision(on: request) }
    }

    func decision(on request: WorkflowRequest) throws(WorkflowRefusal) -> WorkflowDecision {
        guard let current = definition.state(named: request.current) else { throw .unknownCurrent(request.current) }
        guard let target = definition.state(named: request.target) else { throw .unknownTarget(request.target) }
        guard request.current != request.target else {
            throw .notAllowedFromHere(from: request.current, to: request.target)
        }
        let move: WorkflowDecision.Move
        let reasonRequired: Bool
        switch (current, target) {
        case (_, .sideState(let entering)):
            try checkEntering(entering, from: current, request)
            (move, reasonRequired) = (.enterSideState, true)
        case (.sideState(let leaving), .phase(_, let index)):
            try checkLeaving(leaving, to: index, request)
            (move, reasonRequired) = (.leaveSideState, true)
        case (.phase(_, let from), .phase(_, let to)):
            (move, reasonRequired) = try step(from: from, to: to, request)
        }
        let evidence: [WorkflowEvidence] = if case .advance(let transition) = move { transition.evidence } else { [] }
        return WorkflowDecision(
            from: request.current, to: request.target, move: move, role: request.role, reason: request.givenReason,
            reasonRequired: reasonRequired, evidence: evidence, at: request.now)
    }

    /// Into a side state: by its roles; out of another side state only by a role that may
    /// leave that one, unless that one is automatic; always with a reason.
    func checkEntering(
        _ entering: WorkflowDefinition.SideState, from current: WorkflowDefinition.State, _ request: WorkflowRequest
    ) throws(WorkflowRefusal) {
        let role = request.role
        guard entering.roles.contains(role) else {
            throw entering.isAutomatic && role != .system
                ? .automaticOnly(target: entering.name) : .roleNotAllowed(role, from: request.current, to: request.target)
        }
        if case .sideState(let leaving) = current, !leaving.isAutomatic, !leaving.roles.contains(role) {
            throw .roleNotAllowed(role, from: request.current, to: request.target)
        }
        guard request.givenReason != nil else { throw .reasonRequired(target: request.target) }
    }

    /// Out of a side state: by its roles, with a reason, to exactly the phase the evidence supports.
    func checkLeaving(_ leaving: WorkflowDefinition.SideState, to index: Int, _ request: WorkflowRequest) throws(WorkflowRefusal) {
        guard leaving.roles.contains(request.role) else {
            throw .roleNotAllowed(request.role, from: request.current, to: request.target)
        }
        guard request.givenReason != nil else { throw .reasonRequired(target: request.target) }
        try requireExactlySupported(index, facts: request.facts)
    }

    /// From phase to phase: forward along a declared transition, or back to the supported phase.
    func step(from: Int, to: Int, _ request: WorkflowRequest) throws(WorkflowRefusal) -> (WorkflowDecision.Move, Bool) {
        let role = request.role
        let reasonRequired = definition.reasonRequiredFor.contains(role)
        let steps = definition.transitions.filter { $0.from == request.current && $0.to == request.target }
        if steps.isEmpty && to < from {
            guard definition.fallBackRoles.contains(role) else {
                throw definition.fallBackRoles == [.system] && role != .system
                    ? .automaticOnly(target: request.target) : .roleNotAllowed(role, from: request.current, to: request.target)
            }
            guard request.givenReason != nil || !reasonRequired else { throw .reasonRequired(target: request.target) }
            try requireExactlySupported(to, facts: request.facts)
            return (.fallBack, reasonRequired)
        }
        // A person asking for a phase only the service sets hears so, whatever phase it is in.
        let automaticOnly = role != .system && definition.transitions.filter { $0.to == request.target }.allSatisfy(\.isAutomatic)
        guard !steps.isEmpty else {
            throw automaticOnly ? .automaticOnly(target: request.target) : .notAllowedFromHere(from: request.current, to: request.target)
        }
        let allowed = steps.filter { $0.roles.contains(role) }
        guard let first = allowed.first else {
            throw automaticOnly ? .automaticOnly(target: request.target) : .roleNotAllowed(role, from: request.current, to: request.target)
        }
        guard request.givenReason != nil || !reasonRequired else { throw .reasonRequired(target: request.target) }
        guard let transition = allowed.first(where: { $0.guards.allSatisfy(request.facts.contains) }) else {
            // Some guard of `first` fails, or it would have been chosen.
            let missing = first.guards.first { !request.facts.contains($0) }
            throw missing.map { WorkflowRefusal.guardFailed($0, target: request.target) }
                ?? .notAllowedFromHere(from: request.current, to: request.target)
        }
        try requireSupported(to, facts: request.facts)
        return (.advance(transition), reasonRequired)
    }
}
