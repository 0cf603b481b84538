/// One subject's onboarding workflow, as a workflow file declares it (`Workflows/*.yaml`).
///
/// The main path is the list of phases, in order; transitions lead forward along it, each
/// allowed to some roles and guarded by facts. Side states (`opgeschort`, `geblokkeerd`,
/// `toestemming_ingetrokken`) stand beside the path: they are entered from any phase by their
/// roles and left to the phase the subject's evidence supports. A definition exists only
/// validated: the one way to make one is to load a file (`init(yaml:file:)`), which refuses
/// a file with any problem.
public struct WorkflowDefinition: Hashable, Sendable {
    /// The kind of subject this workflow is for.
    public let subject: WorkflowSubject
    /// Where the definition was read from, as given to the loader.
    public let file: String
    /// The phase every subject starts in.
    public let initial: String
    /// The main path, in order.
    public let phases: [Fase]
    /// The states beside the main path.
    public let sideStates: [SideState]
    /// The steps along the main path, in file order.
    public let transitions: [Transition]
    /// Roles that must give a reason for every move they make (DESIGN.md §2: the project team
    /// acts "always with a reason"). Entering or leaving a side state needs a reason from anyone.
    public let reasonRequiredFor: Set<WorkflowRole>
    /// Roles that may move a subject back to the phase its evidence supports, when the
    /// evidence no longer supports the phase it is in (a gemeente switched supplier).
    public let fallBackRoles: Set<WorkflowRole>

    /// A phase of the main path.
    public struct Fase: Hashable, Sendable {
        /// The phase's name, as the API and the reports show it (`dpia_akkoord`).
        public let name: String
        /// The month the plan wants every subject to have reached it by; nil when the file gives none.
        public let due: DueMonth?
        /// What reaching the phase means, in a sentence.
        public let summary: String?
    }

    /// A state beside the main path.
    public struct SideState: Hashable, Sendable {
        /// The state's name (`opgeschort`).
        public let name: String
        /// Who may put a subject in this state and take it out again.
        public let roles: [WorkflowRole]
        /// What the state means, in a sentence.
        public let summary: String?

        /// True when only the service itself sets and clears this state.
        public var isAutomatic: Bool { roles == [.system] }
    }

    /// A step from one phase to a later one.
    public struct Transition: Hashable, Sendable {
        /// The phase the step starts from.
        public let from: String
        /// The phase it leads to.
        public let to: String
        /// Who may take the step.
        public let roles: [WorkflowRole]
        /// Facts that must all hold, in file order.
        public let guards: [WorkflowFact]
        /// The records the step rests on.
        public let evidence: [WorkflowEvidence]
        /// The 1-based line of the transition in its file.
        public let line: Int

        /// True when only the service itself takes this step.
        public var isAutomatic: Bool { roles == [.system] }
    }

    /// A phase or side state, looked up by name.
    public enum State: Hashable, Sendable {
        /// A phase of the main path, with its position on it.
        case phase(Fase, index: Int)
        /// A side state.
        case sideState(SideState)
    }

    /// The phase or side state named `name`; nil when the workflow has none.
    public func state(named name: String) -> State? {
        if let index = phases.firstIndex(where: { $0.name == name }) {
            return .phase(phases[index], index: index)
        }
        return sideStates.first { $0.name == name }.map { .sideState($0) }
    }

    /// The position of the phase named `name` on the main path; nil for a side state or an unknown name.
    public func index(ofPhase name: String) -> Int? {
        phases.firstIndex { $0.name == name }
    }

    init(
        subject: WorkflowSubject, file: String, initial: String, phases: [Fase], sideStates: [SideState],
        transitions: [Transition], reasonRequiredFor: Set<WorkflowRole>, fallBackRoles: Set<WorkflowRole>
    ) {
        self.subject = subject
        self.file = file
        self.initial = initial
        self.phases = phases
        self.sideStates = sideStates
        self.transitions = transitions
        self.reasonRequiredFor = reasonRequiredFor
        self.fallBackRoles = fallBackRoles
    }
}

extension WorkflowDefinition {
    /// One problem in a workflow file, at the line of the offending node.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        /// The file, as given to the loader.
        public let file: String
        /// The 1-based line; nil when the problem has no place in the file (it cannot be read).
        public let line: Int?
        /// What is wrong, in a sentence.
        public let reason: String

        /// A problem at `line` of `file`.
        public init(file: String, line: Int?, reason: String) {
            self.file = file
            self.line = line
            self.reason = reason
        }

        /// `file:line: reason`.
        public var description: String {
            line.map { "\(file):\($0): \(reason)" } ?? "\(file): \(reason)"
        }
    }

    /// The refusal of one or more workflow files, with every problem found.
    public struct Invalid: Error, Hashable, Sendable, CustomStringConvertible {
        /// The problems, by file and line.
        public let problems: [Problem]

        /// The problems of one or more files, put in file and line order.
        public init(problems: [Problem]) {
            self.problems = problems.enumerated()
                .sorted { ($0.element.file, $0.element.line ?? 0, $0.offset) < ($1.element.file, $1.element.line ?? 0, $1.offset) }
                .map(\.element)
        }

        /// Every problem, one a line, each `file:line: reason`.
        public var description: String {
            problems.map(\.description).joined(separator: "\n")
        }
    }
}
