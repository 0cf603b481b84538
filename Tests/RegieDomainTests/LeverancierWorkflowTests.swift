import Foundation
import RegieDomain
import Testing

@Suite("Leverancier workflow: the shipped file and its transitions")
struct LeverancierWorkflowTests {
    let engine: WorkflowEngine
    let all = Set(WorkflowFact.facts(of: .leverancier))

    init() throws {
        engine = WorkflowEngine(try WorkflowFixtures.shipped().leverancier)
    }

    func decide(
        _ current: String, _ target: String, _ role: WorkflowRole, facts: Set<WorkflowFact>? = nil, reason: String? = nil
    ) -> Result<WorkflowDecision, WorkflowRefusal> {
        engine.decide(
            .init(current: current, target: target, role: role, facts: facts ?? all, reason: reason, now: WorkflowFixtures.now))
    }

    @Test("the phases, their due months and the side states follow DESIGN.md §1 and §3")
    func shape() {
        let definition = engine.definition
        #expect(
            definition.phases.map(\.name) == [
                "aangemeld", "api_gebouwd", "fsc_acceptatie", "cbs_test_geslaagd", "fsc_productie", "productie_contract", "actief",
            ])
        #expect(
            definition.phases.map { $0.due?.description } == [
                "2025-04", "2025-08", "2025-08", "2026-04", "2026-07", "2026-07", "2026-07",
            ])
        #expect(definition.sideStates.map(\.name) == ["opgeschort", "geblokkeerd"])
        #expect(definition.sideStates.allSatisfy { $0.roles == [.projectteam] })
        #expect(definition.reasonRequiredFor == [.projectteam])
    }

    @Test("the transitions: who, on which facts, with which evidence")
    func transitions() {
        let rows = engine.definition.transitions.map { "\($0.from)>\($0.to) \($0.roles) \($0.guards) \($0.evidence)" }
        #expect(
            rows == [
                "aangemeld>api_gebouwd [leverancier, projectteam] [spec_version_reported] [spec_version]",
                "api_gebouwd>fsc_acceptatie [leverancier, projectteam] [acceptance_service_published] [acceptance_service]",
                "fsc_acceptatie>cbs_test_geslaagd [system] [conformance_pull_passed] [conformance_pull]",
                "cbs_test_geslaagd>fsc_productie [projectteam] [production_certificate_registered] [production_certificate]",
                "fsc_productie>productie_contract [projectteam] [production_contract_signed] [production_contract]",
                "productie_contract>actief [system] [pulls_running] []",
            ])
    }

    @Test("the supplier reports its own steps, without a reason")
    func ownSteps() throws {
        let built = try decide("aangemeld", "api_gebouwd", .leverancier, facts: [.specVersionReported]).get()
        #expect(built.evidence == [.specVersion] && !built.reasonRequired)
        let published = try decide(
            "api_gebouwd", "fsc_acceptatie", .leverancier, facts: [.specVersionReported, .acceptanceServicePublished]
        ).get()
        #expect(published.move == .advance(try engine.transition("api_gebouwd", "fsc_acceptatie")))
        #expect(
            decide("aangemeld", "api_gebouwd", .leverancier, facts: [])
                == .failure(.guardFailed(.specVersionReported, target: "api_gebouwd")))
        #expect(
            decide("api_gebouwd", "fsc_acceptatie", .leverancier, facts: [.specVersionReported])
                == .failure(.guardFailed(.acceptanceServicePublished, target: "fsc_acceptatie")))
        #expect(decide("aangemeld", "api_gebouwd", .projectteam) == .failure(.reasonRequired(target: "api_gebouwd")))
        #expect(
            decide("aangemeld", "api_gebouwd", .gemeente) == .failure(.roleNotAllowed(.gemeente, from: "aangemeld", to: "api_gebouwd")))
    }

    @Test("the CBS test is passed only by a conformance pull")
    func cbsTest() throws {
        #expect(try decide("fsc_acceptatie", "cbs_test_geslaagd", .system).get().evidence == [.conformancePull])
        for role in [WorkflowRole.leverancier, .projectteam] {
            #expect(
                decide("fsc_acceptatie", "cbs_test_geslaagd", role, reason: "r") == .failure(.automaticOnly(target: "cbs_test_geslaagd")))
        }
        #expect(
            decide("fsc_acceptatie", "cbs_test_geslaagd", .system, facts: all.subtracting([.conformancePullPassed]))
                == .failure(.guardFailed(.conformancePullPassed, target: "cbs_test_geslaagd")))
    }

    @Test("the production steps are confirmed by the project team, not the supplier")
    func production() throws {
        #expect(try decide("cbs_test_geslaagd", "fsc_productie", .projectteam, reason: "RINIS gecontroleerd").get().reasonRequired)
        #expect(
            decide("cbs_test_geslaagd", "fsc_productie", .leverancier)
                == .failure(.roleNotAllowed(.leverancier, from: "cbs_test_geslaagd", to: "fsc_productie")))
        #expect(
            decide("fsc_productie", "productie_contract", .leverancier)
                == .failure(.roleNotAllowed(.leverancier, from: "fsc_productie", to: "productie_contract")))
        #expect(
            decide("fsc_productie", "productie_contract", .projectteam, facts: all.subtracting([.productionContractSigned]), reason: "r")
                == .failure(.guardFailed(.productionContractSigned, target: "productie_contract")))
        #expect(try decide("productie_contract", "actief", .system).get().to == "actief")
        #expect(decide("productie_contract", "actief", .projectteam, reason: "r") == .failure(.automaticOnly(target: "actief")))
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
            for fact in transition.guards {
                #expect(
                    decide(transition.from, transition.to, transition.roles[0], facts: all.subtracting([fact]), reason: "r")
                        == .failure(.guardFailed(fact, target: transition.to)))
            }
        }
    }

    @Test("leaving a side state: back to the phase the evidence supports")
    func sideStates() throws {
        let facts: Set<WorkflowFact> = [.specVersionReported, .acceptanceServicePublished, .conformancePullPassed]
        #expect(engine.supportedPhase(facts: facts) == "cbs_test_geslaagd")
        #expect(try decide("cbs_test_geslaagd", "geblokkeerd", .projectteam, reason: "certificaat verlopen").get().move == .enterSideState)
        #expect(
            try decide("geblokkeerd", "cbs_test_geslaagd", .projectteam, facts: facts, reason: "opgelost").get().move == .leaveSideState)
        #expect(
            decide("geblokkeerd", "fsc_productie", .projectteam, facts: facts, reason: "opgelost")
                == .failure(.guardFailed(.productionCertificateRegistered, target: "fsc_productie")))
        #expect(decide("actief", "toestemming_ingetrokken", .system, reason: "r") == .failure(.unknownTarget("toestemming_ingetrokken")))
    }
}
