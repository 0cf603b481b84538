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

    public init(pool: PostgresPool, workflows: Workflows) {
        self.pool = pool
        self.workflows = workflows
    }

    var gemeenteEngine: WorkflowEngine { WorkflowEngine(workflows.gemeente) }
    var leverancierEngine: WorkflowEngine { WorkflowEngine(workflows.leverancier) }

    /// Locks a gemeente's row and returns its phase and version; checks `If-Match`.
    func lockGemeente(_ code: Gemeentecode, expectedVersion: Int?, on connection: PostgresConnection) async throws -> (
        fase: String, versie: Int
    ) {
        guard let row = try await connection.query("SELECT fase, versie FROM gemeenten WHERE code = $1 FOR UPDATE", [code.rawValue]).first
        else {
            throw OnboardingError.gemeenteNotFound(code)
        }
        let state = (fase: try row.decode("fase", as: String.self), versie: try row.decode("versie", as: Int.self))
        if let expectedVersion, expectedVersion != state.versie { throw OnboardingError.versionMismatch(current: state.versie) }
        return state
    }

    /// Marks a change to a gemeente that did not move it: a new version for the ETag.
    func touchGemeente(_ code: Gemeentecode, on connection: PostgresConnection) async throws {
        try await connection.execute("UPDATE gemeenten SET versie = versie + 1 WHERE code = $1", [code.rawValue])
    }

    /// The facts about a gemeente, read on `connection` (inside the caller's transaction).
    func gemeenteFacts(_ code: Gemeentecode, now: Date, on connection: PostgresConnection) async throws -> Set<WorkflowFact> {
        let today = amsterdamDay(now)
        let row = try await connection.query(
            """
            SELECT EXISTS (SELECT 1 FROM dpia_akkoorden WHERE gemeente_code = $1) AS dpia,
                   count(a.id) AS assignments,
                   count(a.id) FILTER (WHERE EXISTS (
                       SELECT 1 FROM toestemmingen t
                       WHERE t.gemeente_code = a.gemeente_code AND t.leverancier_id = a.leverancier_id AND t.stroom = a.stroom
                         AND toestemming_actief(t, $2))) AS consented,
                   coalesce(array_agg(d.fase) FILTER (WHERE d.fase IS NOT NULL), '{}') AS service_phases,
                   EXISTS (SELECT 1 FROM leveringen l JOIN gemeente_leveranciers c
                               ON c.gemeente_code = l.gemeente_code AND c.leverancier_id = l.leverancier_id AND c.stroom = l.stroom AND c.tot IS NULL
                           WHERE l.gemeente_code = $1 AND l.doel = 'test' AND l.status = 'geslaagd') AS test_delivered,
                   EXISTS (SELECT 1 FROM leveringen l JOIN gemeente_leveranciers c
                               ON c.gemeente_code = l.gemeente_code AND c.leverancier_id = l.leverancier_id AND c.stroom = l.stroom AND c.tot IS NULL
                           WHERE l.gemeente_code = $1 AND l.doel = 'regulier' AND l.status = 'geslaagd') AS regular_delivered,
                   EXISTS (SELECT 1 FROM leveringen l
                           WHERE l.gemeente_code = $1 AND l.doel = 'regulier' AND l.status = 'opgegeven') AS regular_given_up
            FROM (SELECT 1) AS one
            LEFT JOIN gemeente_leveranciers a ON a.gemeente_code = $1 AND a.tot IS NULL
            LEFT JOIN leverancier_diensten d ON d.leverancier_id = a.leverancier_id AND d.stroom = a.stroom
            """, [code.rawValue, today]
        ).first
        guard let row else { return [] }
        var facts: Set<WorkflowFact> = []
        if try row.decode("dpia", as: Bool.self) { facts.insert(.dpiaRecorded) }
        // Deliveries count only from the current supplier: a switch starts over.
        if try row.decode("test_delivered", as: Bool.self) { facts.insert(.testDeliverySucceeded) }
        if try row.decode("regular_delivered", as: Bool.self) {
            facts.insert(.regularDeliverySucceeded)
            if try !row.decode("regular_given_up", as: Bool.self) { facts.insert(.deliveriesOnSchedule) }
        }
        let assignments = try row.decode("assignments", as: Int.self)
        let consented = try row.decode("consented", as: Int.self)
        if assignments > 0 && assignments == consented { facts.insert(.consentActive) }
        let servicePhases = try row.decode("service_phases", as: [String].self)
        let definition = workflows.leverancier
        let indices = servicePhases.map { definition.index(ofPhase: $0) ?? -1 }
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
        try await connection.execute(
            "UPDATE gemeenten SET fase = $2, fase_sinds = $3, versie = versie + 1 WHERE code = $1",
            [code.rawValue, decision.to, decision.at])
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
        let codes = try await pool.query("SELECT code FROM gemeenten WHERE active ORDER BY code").compactMap {
            Gemeentecode(try $0.decode("code", as: String.self))
        }
        var moved: [Gemeentecode] = []
        for code in codes {
            let changed = try await pool.withTransaction { connection in
                let before = try await lockGemeente(code, expectedVersion: nil, on: connection).fase
                try await reconcileGemeente(code, now: now, on: connection)
                let after = try await connection.query("SELECT fase FROM gemeenten WHERE code = $1", [code.rawValue]).first?.decode(
                    "fase", as: String.self)
                return before != after
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
    func reconcileGemeente(_ code: Gemeentecode, revoked: Bool = false, now: Date, on connection: PostgresConnection) async throws {
        var current = try await lockGemeente(code, expectedVersion: nil, on: connection).fase
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
