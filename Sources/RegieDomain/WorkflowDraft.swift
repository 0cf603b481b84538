import Yams

/// A workflow file as read, before the names it uses are checked against each other: every
/// value keeps its line, so the checks can point at it.
struct WorkflowDraft {
    typealias Located = WorkflowFileReader.Located

    struct FaseDraft {
        let name: Located<String>
        let due: Located<DueMonth>?
        let summary: String?
    }

    struct SideStateDraft {
        let name: Located<String>
        let roles: [WorkflowRole]
        let summary: String?
    }

    struct TransitionDraft {
        let from: Located<String>?
        let to: Located<String>?
        let roles: [WorkflowRole]
        let guards: [WorkflowFact]
        let evidence: [WorkflowEvidence]
        let line: Int
    }

    static let keys = ["subject", "initial", "reason_required_for", "fall_back_roles", "phases", "side_states", "transitions"]
    static let phaseKeys = ["name", "due", "summary"]
    static let sideStateKeys = ["name", "roles", "summary"]
    static let transitionKeys = ["from", "to", "roles", "guards", "evidence"]

    var subject: Located<WorkflowSubject>?
    var initial: Located<String>?
    var reasonRequiredFor: [WorkflowRole] = []
    var fallBackRoles: [WorkflowRole] = []
    var phases: [FaseDraft] = []
    var sideStates: [SideStateDraft] = []
    var transitions: [TransitionDraft] = []

    /// Reads the root node of a workflow file; what cannot be read is reported and left out.
    init(root: Node, reader: inout WorkflowFileReader) {
        guard let top = reader.entries(of: root, known: Self.keys, in: "the workflow") else { return }
        let line = WorkflowFileReader.line(of: root)
        if let entry = reader.required("subject", of: top, line: line, in: "the workflow"),
            let text = reader.text(entry.value, what: "subject")
        {
            if let subject = WorkflowSubject(rawValue: text.value) {
                self.subject = Located(value: subject, line: text.line)
            } else {
                let known = WorkflowSubject.allCases.map(\.rawValue).joined(separator: ", ")
                reader.report(text.line, "unknown subject '\(text.value)'; known: \(known)")
            }
        }
        if let entry = reader.required("initial", of: top, line: line, in: "the workflow") {
            initial = reader.name(entry.value, what: "initial")
        }
        if let entry = top["reason_required_for"] {
            reasonRequiredFor = reader.roles(entry.value, what: "reason_required_for") ?? []
        }
        if let entry = top["fall_back_roles"] {
            fallBackRoles = reader.roles(entry.value, what: "fall_back_roles") ?? []
        }
        if let entry = reader.required("phases", of: top, line: line, in: "the workflow"),
            let items = reader.list(entry.value, what: "phases")
        {
            if items.isEmpty { reader.report(entry.keyLine, "the workflow has no phases") }
            phases = items.compactMap { Self.phase($0, reader: &reader) }
        }
        if let entry = top["side_states"], let items = reader.list(entry.value, what: "side_states") {
            sideStates = items.compactMap { Self.sideState($0, reader: &reader) }
        }
        if let entry = reader.required("transitions", of: top, line: line, in: "the workflow"),
            let items = reader.list(entry.value, what: "transitions")
        {
            transitions = items.compactMap { transition($0, reader: &reader) }
        }
    }

    static func phase(_ node: Node, reader: inout WorkflowFileReader) -> FaseDraft? {
        let line = WorkflowFileReader.line(of: node)
        guard let entries = reader.entries(of: node, known: phaseKeys, in: "a phase"),
            let entry = reader.required("name", of: entries, line: line, in: "a phase"),
            let name = reader.name(entry.value, what: "a phase")
        else { return nil }
        var due: Located<DueMonth>?
        if let entry = entries["due"], let text = reader.text(entry.value, what: "due") {
            if let month = DueMonth(text.value) {
                due = Located(value: month, line: text.line)
            } else {
                reader.report(text.line, "due '\(text.value)' is not a month: write YYYY-MM, e.g. 2026-04")
            }
        }
        let summary = entries["summary"].flatMap { reader.text($0.value, what: "summary")?.value }
        return FaseDraft(name: name, due: due, summary: summary)
    }

    static func sideState(_ node: Node, reader: inout WorkflowFileReader) -> SideStateDraft? {
        let line = WorkflowFileReader.line(of: node)
        guard let entries = reader.entries(of: node, known: sideStateKeys, in: "a side state"),
            let entry = reader.required("name", of: entries, line: line, in: "a side state"),
            let name = reader.name(entry.value, what: "a side state")
        else { return nil }
        let roles = roles(in: entries, line: line, of: "side state '\(name.value)'", reader: &reader)
        let summary = entries["summary"].flatMap { reader.text($0.value, what: "summary")?.value }
        return SideStateDraft(name: name, roles: roles, summary: summary)
    }

    func transition(_ node: Node, reader: inout WorkflowFileReader) -> TransitionDraft? {
        let line = WorkflowFileReader.line(of: node)
        guard let entries = reader.entries(of: node, known: Self.transitionKeys, in: "a transition") else { return nil }
        let from = reader.required("from", of: entries, line: line, in: "a transition").flatMap {
            reader.name($0.value, what: "from")
        }
        let to = reader.required("to", of: entries, line: line, in: "a transition").flatMap {
            reader.name($0.value, what: "to")
        }
        let roles = Self.roles(in: entries, line: line, of: "a transition", reader: &reader)
        let subject = subject?.value
        var guards: [WorkflowFact] = []
        if let entry = entries["guards"], let items = reader.list(entry.value, what: "guards") {
            let known = subject.map(WorkflowFact.facts(of:)) ?? WorkflowFact.allCases
            guards = reader.closed(items, what: "fact", known: known, name: \.rawValue).map(\.value)
        }
        var evidence: [WorkflowEvidence] = []
        if let entry = entries["evidence"], let items = reader.list(entry.value, what: "evidence") {
            let known = WorkflowEvidence.allCases.filter { subject == nil || $0.subject == subject }
            evidence = reader.closed(items, what: "evidence", known: known, name: \.rawValue).map(\.value)
        }
        return TransitionDraft(from: from, to: to, roles: roles, guards: guards, evidence: evidence, line: line)
    }

    /// The `roles` of a side state or transition, which must name at least one role.
    static func roles(
        in entries: [String: WorkflowFileReader.Entry], line: Int, of what: String, reader: inout WorkflowFileReader
    ) -> [WorkflowRole] {
        guard let entry = entries["roles"] else {
            reader.report(line, "\(what) has no roles: name who may take it")
            return []
        }
        guard let items = reader.list(entry.value, what: "roles") else { return [] }
        if items.isEmpty {
            reader.report(entry.keyLine, "\(what) has no roles: name who may take it")
        }
        return reader.closed(items, what: "role", known: WorkflowRole.allCases, name: \.rawValue).map(\.value)
    }
}
