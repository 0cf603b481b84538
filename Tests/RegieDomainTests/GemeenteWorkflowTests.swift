import Foundation
import RegieDomain
import Testing

@Suite("Gemeente workflow: the shipped file and its transitions")
struct GemeenteWorkflowTests {
    let engine: WorkflowEngine
    let now = WorkflowFixtures.now
    /// Every gemeente fact: enough evidence for any phase.
    let all = Set(WorkflowFact.facts(of: .gemeente))

    init() throws {
        engine = WorkflowEngine(try WorkflowFixtures.shipped().gemeente)
    }

    func decide(
        _ current: String, _ target: String, _ role: WorkflowRole, facts: Set<WorkflowFact>? = nil, reason: String? = nil
    ) -> Result<WorkflowDecision, WorkflowRefusal> {
        engine.decide(.init(current: current, target: target, role: role, facts: facts ?? all, reason: reason, now: now))
    }

    @Test("the phases, their due months and the side states follow DESIGN.md §1 and §3")
    func shape() {
        let definition = engine.definition
        #expect(definition.initial == "aangemeld")
        #expect(
            definition.phases.map(\.name) == [
                "aangemeld", "dpia_akkoord", "toestemming_gegeven", "api_getest", "eerste_levering", "actief",
            ])
        #expect(
            definition.phases.map { $0.due?.description } == ["2025-04", "2025-12", "2025-12", "2026-04", "2026-07", "2026-07"])
        #expect(definition.sideStates.map(\.name) == ["opgeschort", "geblokkeerd", "toestemming_ingetrokken"])
        #expect(definition.sideStates.map(\.roles) == [[.projectteam], [.projectteam], [.system]])
        #expect(definition.reasonRequiredFor == [.projectteam])
        #expect(definition.fallBackRoles == [.system, .projectteam])
    }

    @Test("the transitions: who, on which facts, with which evidence")
    func transitions() {
        let rows = engine.definition.transitions.map { "\($0.from)>\($0.to) \($0.roles) \($0.guards) \($0.evidence)" }
        #expect(
            rows == [
                "aangemeld>dpia_akkoord [gemeente, projectteam] [dpia_recorded] [dpia]",
                "dpia_akkoord>toestemming_gegeven [system] [consent_active] [consent]",
                "toestemming_gegeven>api_getest [system] [supplier_at_least_cbs_test_geslaagd, test_delivery_succeeded] [test_delivery]",
                "api_getest>eerste_levering [system] [supplier_actief, regular_delivery_succeeded] [delivery]",
                "eerste_levering>actief [system] [supplier_actief, deliveries_on_schedule] []",
            ])
    }

    @Test("the gemeente records its DPIA sign-off")
    func dpiaByGemeente() throws {
        let decision = try decide("aangemeld", "dpia_akkoord", .gemeente, facts: [.dpiaRecorded]).get()
        #expect(decision.from == "aangemeld" && decision.to == "dpia_akkoord")
        #expect(decision.move == .advance(try engine.transition("aangemeld", "dpia_akkoord")))
        #expect(decision.role == .gemeente && decision.reason == nil && !decision.reasonRequired)
        #expect(decision.evidence == [.dpia] && decision.at == now)
    }

    @Test("the project team records it on the gemeente's behalf, only with a reason")
    func dpiaByProjectteam() throws {
        #expect(decide("aangemeld", "dpia_akkoord", .projectteam) == .failure(.reasonRequired(target: "dpia_akkoord")))
        #expect(decide("aangemeld", "dpia_akkoord", .projectteam, reason: "  ") == .failure(.reasonRequired(target: "dpia_akkoord")))
        let decision = try decide("aangemeld", "dpia_akkoord", .projectteam, reason: " FG-besluit per mail \n").get()
        #expect(decision.reason == "FG-besluit per mail" && decision.reasonRequired)
    }

    @Test("no DPIA sign-off recorded: refused naming the fact")
    func dpiaMissing() {
        let refusal = WorkflowRefusal.guardFailed(.dpiaRecorded, target: "dpia_akkoord")
        #expect(decide("aangemeld", "dpia_akkoord", .gemeente, facts: [.consentActive]) == .failure(refusal))
        #expect(refusal.code == "guard_failed" && refusal.fact == .dpiaRecorded)
        #expect(refusal.description == "dpia_akkoord requires that the DPIA sign-off is recorded (dpia_recorded).")
    }

    @Test("no other role records a DPIA", arguments: [WorkflowRole.leverancier, .scheduler, .admin, .system])
    func dpiaOtherRoles(role: WorkflowRole) {
        #expect(
            decide("aangemeld", "dpia_akkoord", role, reason: "r")
                == .failure(.roleNotAllowed(role, from: "aangemeld", to: "dpia_akkoord")))
    }

    @Test("consent moves the gemeente on, by the service alone")
    func consent() throws {
        let decision = try decide("dpia_akkoord", "toestemming_gegeven", .system, facts: [.dpiaRecorded, .consentActive]).get()
        #expect(decision.move == .advance(try engine.transition("dpia_akkoord", "toestemming_gegeven")))
        #expect(decision.evidence == [.consent] && !decision.reasonRequired)
        #expect(
            decide("dpia_akkoord", "toestemming_gegeven", .system, facts: [.dpiaRecorded])
                == .failure(.guardFailed(.consentActive, target: "toestemming_gegeven")))
        // Consent without the DPIA sign-off is not evidence enough: the path is checked whole.
        #expect(
            decide("dpia_akkoord", "toestemming_gegeven", .system, facts: [.consentActive])
                == .failure(.guardFailed(.dpiaRecorded, target: "toestemming_gegeven")))
        for role in [WorkflowRole.gemeente, .projectteam, .leverancier] {
            #expect(
                decide("dpia_akkoord", "toestemming_gegeven", role, reason: "r")
                    == .failure(.automaticOnly(target: "toestemming_gegeven")))
        }
    }

    @Test("a successful test pull moves it to api_getest, once the supplier passed its CBS test")
    func apiGetest() throws {
        let facts: Set<WorkflowFact> = [.dpiaRecorded, .consentActive, .supplierAtLeastCbsTestGeslaagd, .testDeliverySucceeded]
        let decision = try decide("toestemming_gegeven", "api_getest", .system, facts: facts).get()
        #expect(decision.to == "api_getest" && decision.evidence == [.testDelivery])
        #expect(
            decide("toestemming_gegeven", "api_getest", .system, facts: facts.subtracting([.supplierAtLeastCbsTestGeslaagd]))
                == .failure(.guardFailed(.supplierAtLeastCbsTestGeslaagd, target: "api_getest")))
        #expect(
            decide("toestemming_gegeven", "api_getest", .system, facts: facts.subtracting([.testDeliverySucceeded]))
                == .failure(.guardFailed(.testDeliverySucceeded, target: "api_getest")))
        // A test that succeeded after consent was withdrawn does not count.
        #expect(
            decide("toestemming_gegeven", "api_getest", .system, facts: facts.subtracting([.consentActive]))
                == .failure(.guardFailed(.consentActive, target: "api_getest")))
    }

    @Test("the first regular delivery, then deliveries on schedule, with the supplier actief")
    func deliveries() throws {
        var facts: Set<WorkflowFact> = [
            .dpiaRecorded, .consentActive, .supplierAtLeastCbsTestGeslaagd, .testDeliverySucceeded, .supplierActief,
            .regularDeliverySucceeded,
        ]
        #expect(try decide("api_getest", "eerste_levering", .system, facts: facts).get().evidence == [.delivery])
        #expect(
            decide("api_getest", "eerste_levering", .system, facts: facts.subtracting([.supplierActief]))
                == .failure(.guardFailed(.supplierActief, target: "eerste_levering")))
        #expect(
            decide("api_getest", "eerste_levering", .system, facts: facts.subtracting([.regularDeliverySucceeded]))
                == .failure(.guardFailed(.regularDeliverySucceeded, target: "eerste_levering")))
        #expect(
            decide("eerste_levering", "actief", .system, facts: facts)
                == .failure(.guardFailed(.deliveriesOnSchedule, target: "actief")))
        facts.insert(.deliveriesOnSchedule)
        #expect(try decide("eerste_levering", "actief", .system, facts: facts).get().evidence == [])
        #expect(
            decide("eerste_levering", "actief", .system, facts: facts.subtracting([.supplierActief]))
                == .failure(.guardFailed(.supplierActief, target: "actief")))
    }

    @Test(
        "api_getest, eerste_levering and actief are never set by hand, from anywhere",
        arguments: ["api_getest", "eerste_levering", "actief"])
    func automaticOnly(target: String) {
        let phases = engine.definition.phases.map(\.name)
        for current in phases.prefix(while: { $0 != target }) {
            for role in [WorkflowRole.projectteam, .gemeente, .leverancier, .scheduler, .admin] {
                #expect(decide(current, target, role, reason: "handmatig") == .failure(.automaticOnly(target: target)))
            }
        }
        #expect(WorkflowRefusal.automaticOnly(target: target).code == "automatic_only")
    }

    @Test("every transition by every role: allowed exactly for its roles")
    func everyTransitionByRole() throws {
        for transition in engine.definition.transitions {
            for role in WorkflowRole.allCases {
                let result = decide(transition.from, transition.to, role, reason: "reden")
                if transition.roles.contains(role) {
                    #expect(try result.get().move == .advance(transition))
                } else if transition.isAutomatic {
                    #expect(result == .failure(.automaticOnly(target: transition.to)))
                } else {
                    #expect(result == .failure(.roleNotAllowed(role, from: transition.from, to: transition.to)))
                }
            }
        }
    }

    @Test("every guard of every transition: refused when its fact is missing")
    func everyGuard() {
        for transition in engine.definition.transitions {
            let role = transition.roles[0]
            for fact in transition.guards {
                #expect(
                    decide(transition.from, transition.to, role, facts: all.subtracting([fact]), reason: "reden")
                        == .failure(.guardFailed(fact, target: transition.to)))
            }
        }
    }

    @Test("skipping a phase, staying put, unknown names")
    func notAllowed() {
        #expect(
            decide("aangemeld", "toestemming_gegeven", .system)
                == .failure(.notAllowedFromHere(from: "aangemeld", to: "toestemming_gegeven")))
        #expect(decide("actief", "actief", .system) == .failure(.notAllowedFromHere(from: "actief", to: "actief")))
        #expect(decide("aangemeld", "klaar", .system) == .failure(.unknownTarget("klaar")))
        #expect(decide("verdwenen", "aangemeld", .system) == .failure(.unknownCurrent("verdwenen")))
        #expect(WorkflowRefusal.unknownTarget("klaar").code == "unknown_target")
        #expect(WorkflowRefusal.notAllowedFromHere(from: "a", to: "b").code == "not_allowed_from_here")
    }

    @Test(
        "the phase the evidence supports",
        arguments: [
            ([], "aangemeld"),
            ([.consentActive], "aangemeld"),
            ([.dpiaRecorded], "dpia_akkoord"),
            ([.dpiaRecorded, .consentActive], "toestemming_gegeven"),
            ([.dpiaRecorded, .consentActive, .testDeliverySucceeded], "toestemming_gegeven"),
            ([.dpiaRecorded, .consentActive, .testDeliverySucceeded, .supplierAtLeastCbsTestGeslaagd], "api_getest"),
            (
                [
                    .dpiaRecorded, .consentActive, .testDeliverySucceeded, .supplierAtLeastCbsTestGeslaagd, .supplierActief,
                    .regularDeliverySucceeded,
                ], "eerste_levering"
            ),
            (Array(WorkflowFact.facts(of: .gemeente)), "actief"),
            (WorkflowFact.facts(of: .gemeente).filter { $0 != .consentActive }, "dpia_akkoord"),
        ] as [([WorkflowFact], String)])
    func supportedPhase(facts: [WorkflowFact], phase: String) {
        #expect(engine.supportedPhase(facts: Set(facts)) == phase)
    }
}
