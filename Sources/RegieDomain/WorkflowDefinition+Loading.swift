import Foundation

extension WorkflowDefinition {
    /// Loads and validates a workflow file's text; `file` names it in problems.
    ///
    /// Throws `Invalid` listing every problem at the line of the offending node: YAML that
    /// does not parse, unknown keys, a missing or duplicate phase, a transition from or to an
    /// unknown phase (or a side state), a transition that does not lead forward, a phase not
    /// reachable from `initial`, a transition or side state without roles, an unknown role,
    /// fact or evidence, a due month that is not `YYYY-MM` or comes before an earlier phase's,
    /// and an `initial` that is not a phase.
    public init(yaml: String, file: String) throws(Invalid) {
        var reader = WorkflowFileReader(file: file)
        guard let root = reader.root(of: yaml) else { throw Invalid(problems: reader.problems) }
        let draft = WorkflowDraft(root: root, reader: &reader)
        draft.check(reader: &reader)
        guard reader.problems.isEmpty, let subject = draft.subject?.value, let initial = draft.initial?.value else {
            throw Invalid(problems: reader.problems)
        }
        self.init(
            subject: subject, file: file, initial: initial,
            phases: draft.phases.map { Fase(name: $0.name.value, due: $0.due?.value, summary: $0.summary) },
            sideStates: draft.sideStates.map { SideState(name: $0.name.value, roles: $0.roles, summary: $0.summary) },
            transitions: draft.transitions.compactMap { transition in
                guard let from = transition.from?.value, let to = transition.to?.value else { return nil }
                return Transition(
                    from: from, to: to, roles: transition.roles, guards: transition.guards, evidence: transition.evidence,
                    line: transition.line)
            },
            reasonRequiredFor: Set(draft.reasonRequiredFor), fallBackRoles: Set(draft.fallBackRoles))
    }

    /// Reads and loads the workflow file at `url`; a file that cannot be read is a problem too.
    public init(contentsOf url: URL) throws(Invalid) {
        let yaml: String
        do {
            yaml = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw Invalid(problems: [Problem(file: url.path, line: nil, reason: "cannot be read: \(error.localizedDescription)")])
        }
        try self.init(yaml: yaml, file: url.path)
    }
}

extension WorkflowDraft {
    /// Checks the names the draft uses against each other: states declared once, transitions
    /// between known phases and forward only, every phase reachable, due months in order.
    func check(reader: inout WorkflowFileReader) {
        var declared: [String: Int] = [:]
        var phaseIndex: [String: Int] = [:]
        for (index, phase) in phases.enumerated() {
            if let earlier = declared[phase.name.value] {
                reader.report(phase.name.line, "'\(phase.name.value)' is declared twice (also on line \(earlier))")
                continue
            }
            declared[phase.name.value] = phase.name.line
            phaseIndex[phase.name.value] = index
        }
        var sideStateNames: Set<String> = []
        for state in sideStates {
            if let earlier = declared[state.name.value] {
                reader.report(state.name.line, "'\(state.name.value)' is declared twice (also on line \(earlier))")
                continue
            }
            declared[state.name.value] = state.name.line
            sideStateNames.insert(state.name.value)
        }
        func phase(_ name: Located<String>, as what: String) -> Int? {
            if let index = phaseIndex[name.value] { return index }
            if sideStateNames.contains(name.value) {
                reader.report(
                    name.line,
                    "\(what) '\(name.value)' is a side state: side states are entered from any phase and left to "
                        + "the phase the evidence supports, not by transitions")
            } else {
                reader.report(name.line, "\(what) unknown phase '\(name.value)'")
            }
            return nil
        }
        var edges: [Int: [Int]] = [:]
        for transition in transitions {
            guard let fromName = transition.from, let toName = transition.to else { continue }
            let from = phase(fromName, as: "transition from")
            let to = phase(toName, as: "transition to")
            guard let from, let to else { continue }
            guard from < to else {
                reader.report(
                    transition.line,
                    "the transition from '\(fromName.value)' to '\(toName.value)' does not lead forward along the phases; "
                        + "moving back is what fall_back_roles allows")
                continue
            }
            edges[from, default: []].append(to)
        }
        if let initial {
            if sideStateNames.contains(initial.value) {
                reader.report(initial.line, "initial '\(initial.value)' is a side state; a subject starts in a phase")
            } else if let start = phaseIndex[initial.value] {
                checkReachable(from: start, edges: edges, initial: initial.value, phaseIndex: phaseIndex, reader: &reader)
            } else {
                reader.report(initial.line, "initial '\(initial.value)' is not a phase")
            }
        }
        checkDueOrder(reader: &reader)
    }

    /// Every phase must be reachable from the initial one along the transitions.
    func checkReachable(
        from start: Int, edges: [Int: [Int]], initial: String, phaseIndex: [String: Int], reader: inout WorkflowFileReader
    ) {
        var reached: Set<Int> = [start]
        var pending = [start]
        while let index = pending.popLast() {
            for next in edges[index, default: []] where reached.insert(next).inserted {
                pending.append(next)
            }
        }
        // A phase declared twice is reported as such, not as unreachable.
        for (index, phase) in phases.enumerated() where !reached.contains(index) && phaseIndex[phase.name.value] == index {
            reader.report(phase.name.line, "phase '\(phase.name.value)' cannot be reached from '\(initial)'")
        }
    }

    /// Due months may not go back in time along the main path.
    func checkDueOrder(reader: inout WorkflowFileReader) {
        var latest: (month: DueMonth, phase: String)?
        for phase in phases {
            guard let due = phase.due else { continue }
            if let latest, due.value < latest.month {
                reader.report(
                    due.line, "due \(due.value) is before \(latest.month), the due month of '\(latest.phase)' earlier on the path")
                continue
            }
            latest = (due.value, phase.name.value)
        }
    }
}
