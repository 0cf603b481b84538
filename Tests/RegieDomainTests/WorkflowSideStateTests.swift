import Foundation
import RegieDomain
import Testing

@Suite("Side states and falling back (gemeente workflow)")
struct WorkflowSideStateTests {
    let engine: WorkflowEngine
    let now = WorkflowFixtures.now
    /// Evidence for toestemming_gegeven and no further.
    let consented: Set<WorkflowFact> = [.dpiaRecorded, .consentActive, .testDeliverySucceeded]

    init() throws {
        engine = WorkflowEngine(try WorkflowFixtures.shipped().gemeente)
    }

    func decide(
        _ current: String, _ target: String, _ role: WorkflowRole, facts: Set<WorkflowFact> = [], reason: String? = nil
    ) -> Result<WorkflowDecision, WorkflowRefusal> {
        engine.decide(.init(current: current, target: target, role: role, facts: facts, reason: reason, now: now))
    }

    @Test("the project team suspends or blocks from any phase, with a reason", arguments: ["opgeschort", "geblokkeerd"])
    func enter(state: String) throws {
        for phase in engine.definition.phases.map(\.name) {
            let decision = try decide(phase, state, .projectteam, reason: "leverancier in gebreke").get()
            #expect(decision.move == .enterSideState && decision.to == state && decision.from == phase)
            #expect(decision.reasonRequired && decision.reason == "leverancier in gebreke" && decision.evidence == [])
            #expect(decide(phase, state, .projectteam) == .failure(.reasonRequired(target: state)))
        }
        for role in [WorkflowRole.gemeente, .leverancier, .scheduler, .admin, .system] {
            #expect(
                decide("api_getest", state, role, reason: "r") == .failure(.roleNotAllowed(role, from: "api_getest", to: state)))
        }
    }

    @Test("toestemming_ingetrokken is set by the service alone, with a reason")
    func revocation() throws {
        let decision = try decide("api_getest", "toestemming_ingetrokken", .system, reason: "toestemming ingetrokken").get()
        #expect(decision.move == .enterSideState)
        #expect(decide("api_getest", "toestemming_ingetrokken", .system) == .failure(.reasonRequired(target: "toestemming_ingetrokken")))
        for role in [WorkflowRole.projectteam, .gemeente] {
            #expect(
                decide("api_getest", "toestemming_ingetrokken", role, reason: "r")
                    == .failure(.automaticOnly(target: "toestemming_ingetrokken")))
        }
    }

    @Test("leaving a side state returns to the phase the evidence supports, and only there")
    func leave() throws {
        let decision = try decide("opgeschort", "toestemming_gegeven", .projectteam, facts: consented, reason: "hersteld").get()
        #expect(decision.move == .leaveSideState && decision.to == "toestemming_gegeven" && decision.reasonRequired)
        #expect(engine.supportedPhase(facts: consented) == "toestemming_gegeven")
        #expect(
            decide("opgeschort", "api_getest", .projectteam, facts: consented, reason: "hersteld")
                == .failure(.guardFailed(.supplierAtLeastCbsTestGeslaagd, target: "api_getest")))
        #expect(
            decide("opgeschort", "dpia_akkoord", .projectteam, facts: consented, reason: "hersteld")
                == .failure(.notSupportedPhase(target: "dpia_akkoord", supported: "toestemming_gegeven")))
        #expect(
            decide("geblokkeerd", "toestemming_gegeven", .projectteam, facts: consented)
                == .failure(.reasonRequired(target: "toestemming_gegeven")))
        #expect(
            decide("geblokkeerd", "toestemming_gegeven", .gemeente, facts: consented, reason: "r")
                == .failure(.roleNotAllowed(.gemeente, from: "geblokkeerd", to: "toestemming_gegeven")))
        // Without any evidence, back to the start.
        #expect(try decide("opgeschort", "aangemeld", .projectteam, reason: "opnieuw").get().to == "aangemeld")
    }

    @Test("new consent takes the gemeente out of toestemming_ingetrokken; a person cannot")
    func leaveRevocation() throws {
        let decision = try decide("toestemming_ingetrokken", "toestemming_gegeven", .system, facts: consented, reason: "nieuwe toestemming")
            .get()
        #expect(decision.move == .leaveSideState)
        #expect(
            decide("toestemming_ingetrokken", "toestemming_gegeven", .system, facts: [.dpiaRecorded], reason: "r")
                == .failure(.guardFailed(.consentActive, target: "toestemming_gegeven")))
        #expect(
            decide("toestemming_ingetrokken", "dpia_akkoord", .projectteam, facts: [.dpiaRecorded], reason: "r")
                == .failure(.roleNotAllowed(.projectteam, from: "toestemming_ingetrokken", to: "dpia_akkoord")))
    }

    @Test("from one side state to another: the service never overrides a person's suspension")
    func sideToSide() throws {
        #expect(try decide("opgeschort", "geblokkeerd", .projectteam, reason: "escalatie").get().move == .enterSideState)
        #expect(
            decide("geblokkeerd", "toestemming_ingetrokken", .system, reason: "ingetrokken")
                == .failure(.roleNotAllowed(.system, from: "geblokkeerd", to: "toestemming_ingetrokken")))
        #expect(try decide("toestemming_ingetrokken", "opgeschort", .projectteam, reason: "onderzoek").get().to == "opgeschort")
        #expect(
            decide("opgeschort", "opgeschort", .projectteam, reason: "r")
                == .failure(.notAllowedFromHere(from: "opgeschort", to: "opgeschort")))
    }

    @Test("a gemeente that switched supplier falls back to the phase its evidence supports")
    func fallBack() throws {
        // The old consent no longer counts: only the DPIA sign-off still holds.
        let facts: Set<WorkflowFact> = [.dpiaRecorded, .testDeliverySucceeded, .regularDeliverySucceeded]
        let decision = try decide("actief", "dpia_akkoord", .system, facts: facts, reason: "andere leverancier").get()
        #expect(decision.move == .fallBack && decision.to == "dpia_akkoord" && !decision.reasonRequired)
        #expect(try decide("actief", "dpia_akkoord", .system, facts: facts).get().reason == nil)
        #expect(
            decide("actief", "aangemeld", .system, facts: facts)
                == .failure(.notSupportedPhase(target: "aangemeld", supported: "dpia_akkoord")))
        #expect(
            decide("actief", "toestemming_gegeven", .system, facts: facts)
                == .failure(.guardFailed(.consentActive, target: "toestemming_gegeven")))
        #expect(decide("actief", "dpia_akkoord", .projectteam, facts: facts) == .failure(.reasonRequired(target: "dpia_akkoord")))
        #expect(try decide("actief", "dpia_akkoord", .projectteam, facts: facts, reason: "correctie").get().reasonRequired)
        #expect(
            decide("actief", "dpia_akkoord", .gemeente, facts: facts)
                == .failure(.roleNotAllowed(.gemeente, from: "actief", to: "dpia_akkoord")))
    }

    @Test("no falling back while the evidence still supports the phase")
    func noFallBack() {
        let refusal = WorkflowRefusal.notSupportedPhase(target: "dpia_akkoord", supported: "toestemming_gegeven")
        #expect(decide("toestemming_gegeven", "dpia_akkoord", .system, facts: consented) == .failure(refusal))
        #expect(refusal.code == "not_supported_phase")
        #expect(
            refusal.description
                == "The evidence supports toestemming_gegeven, not dpia_akkoord: a subject returns to the phase its evidence supports.")
    }
}
