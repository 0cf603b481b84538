import Foundation
import Postgres
import RegieDomain

/// A gemeente's phase in PostgreSQL: its row's lock and version, the facts the workflow
/// decides on, and the moves it applies. Every method runs on the executor it is given: the
/// pool, or the connection of the caller's transaction.
public struct GemeenteFaseStore: Sendable {
    public init() {}

    /// Locks a gemeente's row and returns its phase and version; checks `If-Match`.
    public func lock(_ code: Gemeentecode, expectedVersion: Int?, on executor: some PostgresExecutor) async throws -> (
        fase: String, versie: Int
    ) {
        guard let row = try await executor.query("SELECT fase, versie FROM gemeenten WHERE code = $1 FOR UPDATE", [code.rawValue]).first
        else { throw OnboardingError.gemeenteNotFound(code) }
        let state = (fase: try row.decode("fase", as: String.self), versie: try row.decode("versie", as: Int.self))
        if let expectedVersion, expectedVersion != state.versie { throw OnboardingError.versionMismatch(current: state.versie) }
        return state
    }

    /// Locks a gemeente's row for a change and gives it its new version at once (one
    /// statement for ``lock(_:expectedVersion:on:)`` and ``touch(_:on:)``); checks `If-Match`
    /// against the version before. A refused change rolls the version back with it.
    public func lockForChange(_ code: Gemeentecode, expectedVersion: Int?, on executor: some PostgresExecutor) async throws -> (
        fase: String, versie: Int
    ) {
        guard
            let row = try await executor.query(
                "UPDATE gemeenten SET versie = versie + 1 WHERE code = $1 RETURNING fase, versie - 1 AS versie", [code.rawValue]
            ).first
        else { throw OnboardingError.gemeenteNotFound(code) }
        let state = (fase: try row.decode("fase", as: String.self), versie: try row.decode("versie", as: Int.self))
        if let expectedVersion, expectedVersion != state.versie { throw OnboardingError.versionMismatch(current: state.versie) }
        return state
    }

    /// Marks a change to a gemeente that did not move it: a new version for the ETag.
    public func touch(_ code: Gemeentecode, on executor: some PostgresExecutor) async throws {
        try await executor.execute("UPDATE gemeenten SET versie = versie + 1 WHERE code = $1", [code.rawValue])
    }

    /// A gemeente's phase.
    public func fase(_ code: Gemeentecode, on executor: some PostgresExecutor) async throws -> String? {
        try await executor.query("SELECT fase FROM gemeenten WHERE code = $1", [code.rawValue]).first?.decode("fase", as: String.self)
    }

    /// Every active gemeente, by code.
    public func activeCodes(on executor: some PostgresExecutor) async throws -> [Gemeentecode] {
        try await executor.query("SELECT code FROM gemeenten WHERE active ORDER BY code").compactMap {
            Gemeentecode(try $0.decode("code", as: String.self))
        }
    }

    /// Sets a gemeente's phase as `decision` decided (the caller audits it).
    public func apply(_ decision: WorkflowDecision, to code: Gemeentecode, on executor: some PostgresExecutor) async throws {
        try await executor.execute(
            "UPDATE gemeenten SET fase = $2, fase_sinds = $3, versie = versie + 1 WHERE code = $1",
            [code.rawValue, decision.to, decision.at])
    }

    /// What the workflow decides a gemeente's phase on, as of `today`: a DPIA, its current
    /// suppliers and how many of them have active consent, the phases of their services, and
    /// its deliveries from its current suppliers (a switch starts over).
    public struct Facts: Sendable {
        public var dpia: Bool
        public var assignments: Int
        public var consented: Int
        public var servicePhases: [String]
        public var testDelivered: Bool
        public var regularDelivered: Bool
        public var regularGivenUp: Bool
    }

    /// The facts of a gemeente as of `today`; nil for a gemeente that does not exist.
    public func facts(_ code: Gemeentecode, today: PostgresDate, on executor: some PostgresExecutor) async throws -> Facts? {
        let row = try await executor.query(
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
                           WHERE l.gemeente_code = $1 AND l.doel = $3 AND l.status = $5) AS test_delivered,
                   EXISTS (SELECT 1 FROM leveringen l JOIN gemeente_leveranciers c
                               ON c.gemeente_code = l.gemeente_code AND c.leverancier_id = l.leverancier_id AND c.stroom = l.stroom AND c.tot IS NULL
                           WHERE l.gemeente_code = $1 AND l.doel = $4 AND l.status = $5) AS regular_delivered,
                   EXISTS (SELECT 1 FROM leveringen l
                           WHERE l.gemeente_code = $1 AND l.doel = $4 AND l.status = $6) AS regular_given_up
            FROM (SELECT 1) AS one
            LEFT JOIN gemeente_leveranciers a ON a.gemeente_code = $1 AND a.tot IS NULL
            LEFT JOIN leverancier_diensten d ON d.leverancier_id = a.leverancier_id AND d.stroom = a.stroom
            """,
            [
                code.rawValue, today, LeveringDoel.test.rawValue, LeveringDoel.regulier.rawValue, LeveringStatus.geslaagd.rawValue,
                LeveringStatus.opgegeven.rawValue,
            ]
        ).first
        guard let row else { return nil }
        return Facts(
            dpia: try row.decode("dpia"), assignments: try row.decode("assignments"), consented: try row.decode("consented"),
            servicePhases: try row.decode("service_phases"), testDelivered: try row.decode("test_delivered"),
            regularDelivered: try row.decode("regular_delivered"), regularGivenUp: try row.decode("regular_given_up"))
    }

    /// A gemeente's register entry, phase and version; nil when there is none.
    public func gemeente(_ code: Gemeentecode, on executor: some PostgresExecutor) async throws -> (
        gemeente: Gemeente, fase: String, faseSinds: Date, versie: Int
    )? {
        guard
            let row = try await executor.query(
                "SELECT code, name, province_code, province, arbeidsmarktregio, active, fase, fase_sinds, versie FROM gemeenten WHERE code = $1",
                [code.rawValue]
            ).first
        else { return nil }
        return (
            try PostgresGemeenteStore.gemeente(row), try row.decode("fase"), try row.decode("fase_sinds"), try row.decode("versie")
        )
    }
}
