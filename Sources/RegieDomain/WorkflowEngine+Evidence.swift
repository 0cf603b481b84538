import Foundation

extension WorkflowEngine {
    /// The furthest phase the evidence supports: from `initial`, follow forward transitions
    /// whose guards all hold (whoever may take them), always to the furthest one.
    ///
    /// A subject leaving a side state, and a subject whose evidence no longer supports its
    /// phase (a gemeente switched supplier, its consent stopped counting), goes here.
    public func supportedPhase(facts: Set<WorkflowFact>) -> String {
        definition.phases[supportedIndex(facts: facts)].name
    }

    func supportedIndex(facts: Set<WorkflowFact>) -> Int {
        var index = definition.index(ofPhase: definition.initial) ?? 0
        while true {
            let name = definition.phases[index].name
            let reachable = definition.transitions
                .filter { $0.from == name && $0.guards.allSatisfy(facts.contains) }
                .compactMap { definition.index(ofPhase: $0.to) }
                .filter { $0 > index }
            guard let next = reachable.max() else { return index }
            index = next
        }
    }

    /// Refuses unless the evidence supports the phase at `target` or a later one.
    func requireSupported(_ target: Int, facts: Set<WorkflowFact>) throws(WorkflowRefusal) {
        let supported = supportedIndex(facts: facts)
        guard supported < target else { return }
        throw missingFact(from: supported, toward: target, facts: facts)
    }

    /// Refuses unless the phase at `target` is exactly the one the evidence supports.
    func requireExactlySupported(_ target: Int, facts: Set<WorkflowFact>) throws(WorkflowRefusal) {
        let supported = supportedIndex(facts: facts)
        if supported < target { throw missingFact(from: supported, toward: target, facts: facts) }
        if supported > target {
            throw .notSupportedPhase(target: definition.phases[target].name, supported: definition.phases[supported].name)
        }
    }

    /// The refusal naming the first fact missing on the way from the supported phase toward the target.
    func missingFact(from supported: Int, toward target: Int, facts: Set<WorkflowFact>) -> WorkflowRefusal {
        let name = definition.phases[supported].name
        let forward = definition.transitions.filter {
            $0.from == name && (definition.index(ofPhase: $0.to) ?? 0) > supported
        }
        let onTheWay = forward.filter { (definition.index(ofPhase: $0.to) ?? 0) <= target }
        let targetName = definition.phases[target].name
        for transition in onTheWay + forward {
            if let fact = transition.guards.first(where: { !facts.contains($0) }) {
                return .guardFailed(fact, target: targetName)
            }
        }
        return .notSupportedPhase(target: targetName, supported: name)
    }

    /// The first phase after `phase` on the main path that has a due month: the deadline a
    /// subject in `phase` works toward. Nil after the last such phase, or for a side state.
    public func nextDeadline(after phase: String) -> WorkflowDefinition.Fase? {
        guard let index = definition.index(ofPhase: phase) else { return nil }
        return definition.phases[(index + 1)...].first { $0.due != nil }
    }

    /// Whether a subject in `phase` is overdue at `now`: the due month of the next phase it
    /// has not reached (the first later phase with a due month) is over, in Dutch time.
    ///
    /// A subject is late for a phase only once the whole due month has passed: a gemeente in
    /// `toestemming_gegeven` with `api_getest` due 2026-04 is overdue from 1 May 2026 00:00
    /// Europe/Amsterdam. Due months never go back along the path (the loader checks), so this
    /// is also "some phase it has not reached is past due". For a subject in a side state,
    /// pass the phase its evidence supports.
    public func overdue(phase: String, now: Date) -> Bool {
        guard let deadline = nextDeadline(after: phase), let due = deadline.due else { return false }
        return due.hasPassed(at: now)
    }
}
