import Foundation
import RegieDomain
import Testing

@Suite("Workflow files: loading and validation")
struct WorkflowLoadingTests {
    /// A small valid workflow; the tests change one thing at a time. Line numbers on the right.
    static let valid = """
        subject: gemeente
        initial: a
        phases:
          - name: a
            due: 2025-04
          - name: b
            due: 2025-06
        side_states:
          - name: opgeschort
            roles: [projectteam]
        transitions:
          - from: a
            to: b
            roles: [gemeente]
            guards: [dpia_recorded]
        """

    static func replacing(_ old: String, with new: String) -> String {
        precondition(valid.contains(old), "the fixture has no '\(old)'")
        return valid.replacingOccurrences(of: old, with: new)
    }

    let topKeys = "subject, initial, reason_required_for, fall_back_roles, phases, side_states, transitions"

    @Test("the fixture itself loads")
    func fixtureLoads() throws {
        let definition = try WorkflowDefinition(yaml: Self.valid, file: "wf.yaml")
        #expect(definition.phases.map(\.name) == ["a", "b"])
        #expect(definition.phases.map(\.due) == [DueMonth("2025-04"), DueMonth("2025-06")])
        #expect(definition.sideStates.map(\.name) == ["opgeschort"])
        #expect(definition.transitions.map(\.line) == [12])
        #expect(definition.transitions.first?.guards == [.dpiaRecorded])
        #expect(definition.reasonRequiredFor.isEmpty && definition.fallBackRoles.isEmpty)
    }

    @Test("unknown keys, at the line of the key")
    func unknownKeys() {
        let yaml = Self.replacing("side_states:", with: "colour: red\nside_states:")
            .replacingOccurrences(of: "    guards: [dpia_recorded]", with: "    guard: [dpia_recorded]")
            .replacingOccurrences(of: "    due: 2025-06", with: "    deadline: 2025-06")
        #expect(
            WorkflowFixtures.problems(yaml) == [
                "wf.yaml:7: unknown key 'deadline' in a phase; known keys: name, due, summary",
                "wf.yaml:8: unknown key 'colour' in the workflow; known keys: \(topKeys)",
                "wf.yaml:16: unknown key 'guard' in a transition; known keys: from, to, roles, guards, evidence",
            ])
    }

    @Test("a workflow without phases")
    func missingPhases() {
        #expect(
            WorkflowFixtures.problems("subject: gemeente\ninitial: a\nphases: []\ntransitions: []\n") == [
                "wf.yaml:2: initial 'a' is not a phase",
                "wf.yaml:3: the workflow has no phases",
            ])
        #expect(
            WorkflowFixtures.problems("subject: gemeente\ninitial: a\ntransitions: []\n") == [
                "wf.yaml:1: the workflow has no 'phases'",
                "wf.yaml:2: initial 'a' is not a phase",
            ])
    }

    @Test("a phase without a name, and a name that is not one")
    func phaseNames() {
        let yaml = Self.replacing("  - name: b\n", with: "  - due: 2025-05\n  - name: B-2\n")
        #expect(
            WorkflowFixtures.problems(yaml) == [
                "wf.yaml:6: a phase has no 'name'",
                "wf.yaml:7: 'B-2' is not a valid name for a phase: use lowercase letters, digits and underscores",
                "wf.yaml:14: transition to unknown phase 'b'",
            ])
    }

    @Test("a phase or side state declared twice")
    func duplicates() {
        let yaml = Self.replacing("side_states:\n", with: "  - name: a\nside_states:\n  - name: b\n    roles: [projectteam]\n")
        #expect(
            WorkflowFixtures.problems(yaml) == [
                "wf.yaml:8: 'a' is declared twice (also on line 4)",
                "wf.yaml:10: 'b' is declared twice (also on line 6)",
            ])
    }

    @Test("a transition from or to an unknown phase or a side state")
    func unknownStates() {
        let yaml = Self.replacing("  - from: a\n    to: b\n", with: "  - from: x\n    to: opgeschort\n")
        #expect(
            WorkflowFixtures.problems(yaml) == [
                "wf.yaml:6: phase 'b' cannot be reached from 'a'",
                "wf.yaml:12: transition from unknown phase 'x'",
                "wf.yaml:13: transition to 'opgeschort' is a side state: side states are entered from any phase and left to "
                    + "the phase the evidence supports, not by transitions",
            ])
    }

    @Test("a transition that does not lead forward")
    func backwards() {
        let yaml = Self.valid + "\n  - from: b\n    to: a\n    roles: [system]\n  - from: a\n    to: a\n    roles: [system]\n"
        #expect(
            WorkflowFixtures.problems(yaml) == [
                "wf.yaml:16: the transition from 'b' to 'a' does not lead forward along the phases; moving back is what "
                    + "fall_back_roles allows",
                "wf.yaml:19: the transition from 'a' to 'a' does not lead forward along the phases; moving back is what "
                    + "fall_back_roles allows",
            ])
    }

    @Test("a phase not reachable from initial")
    func unreachable() {
        let yaml = Self.replacing("    due: 2025-06\n", with: "    due: 2025-06\n  - name: c\n")
        #expect(WorkflowFixtures.problems(yaml) == ["wf.yaml:8: phase 'c' cannot be reached from 'a'"])
    }

    @Test("a transition without roles: none listed, or no roles key")
    func noRoles() {
        #expect(
            WorkflowFixtures.problems(Self.replacing("roles: [gemeente]", with: "roles: []")) == [
                "wf.yaml:14: a transition has no roles: name who may take it"
            ])
        #expect(
            WorkflowFixtures.problems(Self.replacing("    roles: [gemeente]\n", with: "")) == [
                "wf.yaml:12: a transition has no roles: name who may take it"
            ])
        #expect(
            WorkflowFixtures.problems(Self.replacing("    roles: [projectteam]\n", with: "    roles:\n")) == [
                "wf.yaml:10: side state 'opgeschort' has no roles: name who may take it"
            ])
    }

    @Test("an unknown role")
    func unknownRole() {
        let yaml = Self.replacing("roles: [gemeente]", with: "roles: [gemeente,\n      burgemeester]")
        #expect(
            WorkflowFixtures.problems(yaml) == [
                "wf.yaml:15: unknown role 'burgemeester'; known: projectteam, gemeente, leverancier, scheduler, admin, system"
            ])
    }

    @Test("a guard naming an unknown fact, or a fact of the other subject")
    func unknownFact() {
        let known =
            "dpia_recorded, consent_active, supplier_at_least_cbs_test_geslaagd, test_delivery_succeeded, "
            + "regular_delivery_succeeded, deliveries_on_schedule, supplier_actief"
        #expect(
            WorkflowFixtures.problems(Self.replacing("[dpia_recorded]", with: "[dpia_recorded, weather_fine]")) == [
                "wf.yaml:15: unknown fact 'weather_fine'; known: \(known)"
            ])
        #expect(
            WorkflowFixtures.problems(Self.replacing("[dpia_recorded]", with: "[pulls_running]")) == [
                "wf.yaml:15: unknown fact 'pulls_running'; known: \(known)"
            ])
    }

    @Test("unknown evidence")
    func unknownEvidence() {
        let yaml = Self.valid + "\n    evidence: [dpia, production_contract]"
        #expect(
            WorkflowFixtures.problems(yaml) == [
                "wf.yaml:16: unknown evidence 'production_contract'; known: dpia, consent, test_delivery, delivery"
            ])
    }

    @Test("an invalid due month", arguments: ["2025-13", "2025-4", "april", "2025-04-01", "25-04"])
    func invalidDue(due: String) {
        #expect(
            WorkflowFixtures.problems(Self.replacing("due: 2025-06", with: "due: \(due)")) == [
                "wf.yaml:7: due '\(due)' is not a month: write YYYY-MM, e.g. 2026-04"
            ])
    }

    @Test("due months that go back along the path")
    func dueOrder() {
        #expect(
            WorkflowFixtures.problems(Self.replacing("due: 2025-06", with: "due: 2025-03")) == [
                "wf.yaml:7: due 2025-03 is before 2025-04, the due month of 'a' earlier on the path"
            ])
    }

    @Test("initial not a phase")
    func initial() {
        #expect(
            WorkflowFixtures.problems(Self.replacing("initial: a", with: "initial: opgeschort")) == [
                "wf.yaml:2: initial 'opgeschort' is a side state; a subject starts in a phase"
            ])
        #expect(
            WorkflowFixtures.problems(Self.replacing("initial: a", with: "initial: begin")) == [
                "wf.yaml:2: initial 'begin' is not a phase"
            ])
        #expect(
            WorkflowFixtures.problems(Self.replacing("initial: a", with: "initial: b")) == [
                "wf.yaml:4: phase 'a' cannot be reached from 'b'"
            ])
    }

    @Test("an unknown subject")
    func unknownSubject() {
        #expect(
            WorkflowFixtures.problems(Self.replacing("subject: gemeente", with: "subject: provincie")) == [
                "wf.yaml:1: unknown subject 'provincie'; known: gemeente, leverancier"
            ])
    }

    @Test("text that is not YAML, a key twice, a value of the wrong shape")
    func malformed() {
        #expect(
            WorkflowFixtures.problems(Self.replacing("  - name: b", with: "  - name: [b")).first?
                .hasPrefix("wf.yaml:7: not valid YAML: ") == true)
        #expect(
            WorkflowFixtures.problems(Self.replacing("    to: b\n", with: "    to: b\n    to: a\n")) == [
                "wf.yaml:13: the key 'to' appears more than once in one mapping"
            ])
        #expect(
            WorkflowFixtures.problems(Self.replacing("guards: [dpia_recorded]", with: "guards: dpia_recorded")) == [
                "wf.yaml:15: guards must be a list"
            ])
        #expect(WorkflowFixtures.problems("") == ["wf.yaml:1: the file is empty"])
        #expect(
            WorkflowFixtures.problems("- subject: gemeente\n") == [
                "wf.yaml:1: the workflow must be a mapping with the keys \(topKeys)"
            ])
    }

    @Test("every problem of a file at once, in line order, one a line")
    func allAtOnce() throws {
        let yaml = Self.replacing("initial: a", with: "initial: z")
            .replacingOccurrences(of: "roles: [gemeente]", with: "roles: [burger]")
            .replacingOccurrences(of: "due: 2025-06", with: "due: juni")
        let error = #expect(throws: WorkflowDefinition.Invalid.self) { try WorkflowDefinition(yaml: yaml, file: "wf.yaml") }
        #expect(error?.problems.map(\.line) == [2, 7, 14])
        #expect(
            error?.description == """
                wf.yaml:2: initial 'z' is not a phase
                wf.yaml:7: due 'juni' is not a month: write YYYY-MM, e.g. 2026-04
                wf.yaml:14: unknown role 'burger'; known: projectteam, gemeente, leverancier, scheduler, admin, system
                """)
    }
}
