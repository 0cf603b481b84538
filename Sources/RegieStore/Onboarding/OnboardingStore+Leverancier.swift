import Foundation
import Postgres
import RegieDomain

extension OnboardingStore {
    /// The evidence a person reports for a supplier-service step, by the fact it establishes:
    /// the spec version implemented, the acceptance service's name, the production
    /// certificate's fingerprint, the contract reference.
    public static let reportableFacts: [String: WorkflowFact] = [
        "specificatieVersie": .specVersionReported,
        "acceptatieDienst": .acceptanceServicePublished,
        "productieCertificaat": .productionCertificateRegistered,
        "contractreferentie": .productionContractSigned,
    ]

    /// Moves a supplier service, recording the evidence that comes with the move (a
    /// supplier reports its own steps; the project team confirms the FSC steps). After a
    /// move the supplier's gemeenten are reconciled (a gemeente may now pass its guard).
    public func moveSupplierService(
        _ leverancierID: String, stroom: Stroom, to target: String, evidence: [String: String], reason: String?, role: WorkflowRole,
        actor: AuditActor, expectedVersion: Int?, now: Date = Date()
    ) async throws {
        try await pool.withTransaction { connection in
            try await moveSupplierService(
                leverancierID, stroom: stroom, to: target, evidence: evidence, reason: reason, role: role, actor: actor,
                expectedVersion: expectedVersion, now: now, on: connection)
        }
    }

    /// The evidence only the service records, from deliveries: a successful test pull is the
    /// conformance pull; a successful regular pull shows that production pulls run.
    static let deliveryFacts: [String: WorkflowFact] = [
        "conformancePull": .conformancePullPassed,
        "productiePull": .pullsRunning,
    ]

    /// Moves a supplier service with what a successful delivery proves, on the hand-over's
    /// connection: a test pull moves `fsc_acceptatie` to `cbs_test_geslaagd`, a regular one
    /// `productie_contract` to `actief`. Any other phase stays as it is.
    public func recordSuccessfulDelivery(
        leverancierID: String, stroom: Stroom, doel: String, levering: UUID, now: Date, on connection: PostgresConnection
    ) async throws {
        let (from, target, key) = Self.serviceMove(byDoel: doel)
        guard try await diensten.lock(leverancierID, stroom: stroom, inPhase: from, on: connection) else { return }
        try await moveSupplierService(
            leverancierID, stroom: stroom, to: target, evidence: [key: levering.uuidString.lowercased()], reason: nil, role: .system,
            actor: .system, expectedVersion: nil, now: now, on: connection)
    }

    /// The phase a successful delivery of `doel` moves a supplier service from, the phase it
    /// moves it to, and the evidence it records.
    static func serviceMove(byDoel doel: String) -> (from: String, to: String, evidence: String) {
        doel == "test" ? ("fsc_acceptatie", "cbs_test_geslaagd", "conformancePull") : ("productie_contract", "actief", "productiePull")
    }

    /// Locks the supplier service that a successful delivery of `doel` would move, if it is in
    /// the phase such a delivery moves it from, together with every other service a delivery
    /// could move (all of them in supplier and stream order); for the hand-over, before it locks
    /// its gemeente.
    ///
    /// The lock order of every onboarding change is: supplier service, then gemeenten (in
    /// code order), then consent. A supplier service that moves reconciles all its gemeenten
    /// while the hand-over holds its own gemeente. Two such hand-overs of different services
    /// (a gemeente's VS and SHV, or two suppliers serving overlapping gemeenten) would each hold
    /// the gemeente the other reconciles: they deadlock unless they take one lock in common
    /// first. So a hand-over that may move its service locks every movable service; one that
    /// cannot (its service is past that phase, the usual case once a supplier is live) locks
    /// none and only ever holds its own gemeente.
    ///
    /// The one that may move its service then locks the gemeenten the move reconciles, in code
    /// order, before its own delivery ends: ending a delivery updates its supplier's slot row
    /// (the claim's limit), which another hand-over, holding its own gemeente, needs too; had
    /// this one taken that slot row first and the other's gemeente after, they would deadlock.
    public func lockServiceMovedByDelivery(
        leverancierID: String, stroom: Stroom, doel: String, on connection: PostgresConnection
    ) async throws {
        let movable = try await diensten.lockMovable(
            ifService: leverancierID, stroom: stroom, isIn: Self.serviceMove(byDoel: doel).from,
            movable: [Self.serviceMove(byDoel: "test").from, Self.serviceMove(byDoel: "regulier").from], on: connection)
        if movable { try await leveranciers.lockGemeenten(of: leverancierID, stroom: stroom, on: connection) }
    }

    func moveSupplierService(
        _ leverancierID: String, stroom: Stroom, to target: String, evidence: [String: String], reason: String?, role: WorkflowRole,
        actor: AuditActor, expectedVersion: Int?, now: Date, on connection: PostgresConnection
    ) async throws {
        do {
            guard let service = try await diensten.lock(leverancierID, stroom: stroom, on: connection) else {
                throw OnboardingError.serviceNotFound(leverancierID, stroom)
            }
            let current = service.fase
            if let expectedVersion, expectedVersion != service.versie { throw OnboardingError.versionMismatch(current: service.versie) }
            var recorded = service.bewijs
            recorded.merge(evidence) { _, new in new }
            let facts = Set(recorded.keys.compactMap { Self.reportableFacts[$0] ?? Self.deliveryFacts[$0] })
            let request = WorkflowRequest(current: current, target: target, role: role, facts: facts, reason: reason, now: now)
            let decision: WorkflowDecision
            switch leverancierEngine.decide(request) {
            case .success(let decided): decision = decided
            case .failure(let refusal): throw OnboardingError.workflow(refusal)
            }
            try await diensten.apply(decision, to: leverancierID, stroom: stroom, bewijs: recorded, now: now, on: connection)
            var after = evidence
            after["fase"] = decision.to
            if let reason = decision.reason { after["reden"] = reason }
            try await audit.append(
                actor.event(
                    "leverancier.fase", objectType: "leverancierdienst", objectID: "\(leverancierID)/\(stroom.rawValue)",
                    before: ["fase": current], after: after, at: now), on: connection)
            for code in try await leveranciers.gemeenten(of: leverancierID, stroom: stroom, on: connection) {
                try await reconcileGemeente(code, now: now, on: connection)
            }
        }
    }
}
