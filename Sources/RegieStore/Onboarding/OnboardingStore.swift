import Foundation
import Postgres
import RegieDomain

/// The onboarding of gemeenten and supplier services in PostgreSQL: DPIA sign-offs, consent,
/// supplier assignments and workflow moves.
///
/// Every change runs in one transaction that first locks the subject's row (`FOR UPDATE`),
/// so two changes to one gemeente are serialised; moves are decided by the pure
/// `WorkflowEngine` from facts read in that same transaction, and each change and each
/// move writes its audit event in it.
public struct OnboardingStore: Sendable {
    let pool: PostgresPool
    /// The workflow definitions the store decides moves with.
    public let workflows: Workflows
    let audit = AuditLog()
    /// The subjects' SQL, each run on the transaction's connection.
    let gemeenten = GemeenteFaseStore()
    let dpia = DPIAStore()
    let toestemmingen = ToestemmingStore()
    let leveranciers = GemeenteLeverancierStore()
    let diensten = LeverancierDienstStore()

    public init(pool: PostgresPool, workflows: Workflows) {
        self.pool = pool
        self.workflows = workflows
    }

    var gemeenteEngine: WorkflowEngine { WorkflowEngine(workflows.gemeente) }
    var leverancierEngine: WorkflowEngine { WorkflowEngine(workflows.leverancier) }

    /// The facts about a gemeente, read on `connection` (inside the caller's transaction).
    func gemeenteFacts(_ code: Gemeentecode, now: Date, on connection: PostgresConnection) async throws -> Set<WorkflowFact> {
        guard let read = try await gemeenten.facts(code, today: amsterdamDay(now), on: connection) else { return [] }
        var facts: Set<WorkflowFact> = []
        if read.dpia { facts.insert(.dpiaRecorded) }
        // Deliveries count only from the current supplier: a switch starts over.
        if read.testDelivered { facts.insert(.testDeliverySucceeded) }
        if read.regularDelivered {
            facts.insert(.regularDeliverySucceeded)
            if !read.regularGivenUp { facts.insert(.deliveriesOnSchedule) }
        }
        if read.assignments > 0 && read.assignments == read.consented { facts.insert(.consentActive) }
        let definition = workflows.leverancier
        let indices = read.servicePhases.map { definition.index(ofPhase: $0) ?? -1 }
        if !indices.isEmpty, let tested = definition.index(ofPhase: "cbs_test_geslaagd"), indices.allSatisfy({ $0 >= tested }) {
            facts.insert(.supplierAtLeastCbsTestGeslaagd)
        }
        if !indices.isEmpty, let active = definition.index(ofPhase: "actief"), indices.allSatisfy({ $0 >= active }) {
            facts.insert(.supplierActief)
        }
        return facts
    }

    /// Applies a decided move to a gemeente and audits it.
    func applyGemeenteMove(
        _ code: Gemeentecode, _ decision: WorkflowDecision, actor: AuditActor, on connection: PostgresConnection
    ) async throws {
        try await gemeenten.apply(decision, to: code, on: connection)
        var after = ["fase": decision.to]
        if let reason = decision.reason { after["reden"] = reason }
        try await audit.append(
            actor.event(
                "gemeente.fase", objectType: "gemeente", objectID: code.rawValue, before: ["fase": decision.from], after: after,
                at: decision.at),
            on: connection)
    }

    /// Reconciles every active gemeente, each in its own short transaction; returns the
    /// codes whose phase changed. For evidence that changes with time alone: consent whose
    /// validity starts or ends.
    public func reconcileAll(now: Date = Date()) async throws -> [Gemeentecode] {
        let codes = try await gemeenten.activeCodes(on: pool)
        var moved: [Gemeentecode] = []
        for code in codes {
            let changed = try await pool.withTransaction { connection in
                let before = try await gemeenten.lock(code, expectedVersion: nil, on: connection).fase
                try await reconcileGemeente(code, now: now, on: connection)
                return try await before != gemeenten.fase(code, on: connection)
            }
            if changed { moved.append(code) }
        }
        return moved
    }

    /// Reconciles one gemeente on the caller's connection, inside its transaction: for the
    /// transaction that records a delivery's hand-over, so the phase moves with it.
    public func reconcile(_ code: Gemeentecode, now: Date, on connection: PostgresConnection) async throws {
        try await reconcileGemeente(code, now: now, on: connection)
    }

    /// Brings a gemeente's phase in line with its evidence, as the service (`system`) may:
    /// forward along automatic steps, back to the supported phase when evidence stopped
    /// holding (a supplier switch), into `toestemming_ingetrokken` when consent was revoked
    /// after it counted, and out of it when consent is active again.
    /// `fase` is the phase when the caller locked the row already in this transaction.
    func reconcileGemeente(
        _ code: Gemeentecode, revoked: Bool = false, fase: String? = nil, now: Date, on connection: PostgresConnection
    ) async throws {
        var current: String
        if let fase { current = fase } else { current = try await gemeenten.lock(code, expectedVersion: nil, on: connection).fase }
        let facts = try await gemeenteFacts(code, now: now, on: connection)
        let engine = gemeenteEngine
        let definition = workflows.gemeente
        let supported = engine.supportedPhase(facts: facts)
        func move(to target: String, reason: String?) async throws -> Bool {
            let request = WorkflowRequest(current: current, target: target, role: .system, facts: facts, reason: reason, now: now)
            guard case .success(let decision) = engine.decide(request) else { return false }
            try await applyGemeenteMove(code, decision, actor: .system, on: connection)
            current = target
            return true
        }
        guard let currentIndex = definition.index(ofPhase: current) else {
            if current == "toestemming_ingetrokken" && facts.contains(.consentActive) {
                _ = try await move(to: supported, reason: "toestemming weer actief")
            }
            return
        }
        let consentIndex = definition.index(ofPhase: "toestemming_gegeven") ?? Int.max
        if revoked && !facts.contains(.consentActive) && currentIndex >= consentIndex {
            _ = try await move(to: "toestemming_ingetrokken", reason: "toestemming ingetrokken")
            return
        }
        guard let supportedIndex = definition.index(ofPhase: supported) else { return }
        if supportedIndex < currentIndex {
            _ = try await move(to: supported, reason: "het bewijs ondersteunt deze fase niet meer")
            return
        }
        // Forward, one automatic step at a time, as far as the evidence goes.
        while let index = definition.index(ofPhase: current), index < supportedIndex {
            let next = definition.phases[index + 1].name
            guard try await move(to: next, reason: nil) else { break }
        }
    }
}
