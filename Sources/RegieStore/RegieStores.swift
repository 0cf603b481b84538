import Foundation
import Logging
import Postgres
import RegieDomain

/// Every store of the service over one pool, each built once: what the composition root
/// hands to the routes, the workers and the commands, so that no code outside this module
/// holds the pool itself.
public struct RegieStores: Sendable {
    /// The gemeenten register.
    public let gemeenten: PostgresGemeenteStore
    /// Onboarding: DPIA, consent, suppliers, workflow moves.
    public let onboarding: OnboardingStore
    /// API tokens.
    public let tokens: TokenStore
    /// The sessions of the web pages.
    public let webSessions: WebSessionStore
    /// The answers kept for `Idempotency-Key`.
    public let idempotency: IdempotencyStore
    /// The audit trail: reading, verifying and the events that change nothing else.
    public let auditTrail: AuditTrail
    /// The status of every gemeente, for the reports.
    public let status: StatusStore
    /// The queue of leveringen.
    public let queue: LeveringQueue
    /// The op-orde-rapporten.
    public let qualityReports: OpOrdeRapportStore
    /// The maintained standardisation table.
    public let standardisation: StandardisationStore
    /// The suppliers known to the register.
    public let leveranciers: LeverancierRegister
    /// Leadership of the maintenance tasks, for this process.
    public let leadership: Leadership
    /// What authorisation asks to decide a caller's scope.
    public let scopes: ScopeStore
    /// The outbox of meldingen.
    public let meldingen: MeldingOutbox
    /// The parties' subscriptions to meldingen.
    public let abonnementen: MeldingAbonnementStore

    /// The stores over `pool`; onboarding decides moves with `workflows`, the queue changes
    /// of a levering with `lifecycle` (the retry policy of each stream's schedule).
    public init(
        pool: PostgresPool, workflows: Workflows, lifecycle: LeveringLifecycle, logger: Logger = Logger(label: "ddas-regie.leveringen")
    ) {
        gemeenten = PostgresGemeenteStore(pool: pool)
        onboarding = OnboardingStore(pool: pool, workflows: workflows)
        tokens = TokenStore(pool: pool)
        webSessions = WebSessionStore(pool: pool)
        idempotency = IdempotencyStore(pool: pool)
        auditTrail = AuditTrail(pool: pool)
        status = StatusStore(pool: pool)
        queue = LeveringQueue(pool: pool, lifecycle: lifecycle, logger: logger)
        qualityReports = OpOrdeRapportStore(pool: pool)
        standardisation = StandardisationStore(pool: pool)
        leveranciers = LeverancierRegister(pool: pool)
        leadership = Leadership(pool: pool)
        scopes = ScopeStore(pool: pool)
        meldingen = MeldingOutbox(pool: pool)
        abonnementen = MeldingAbonnementStore(pool: pool)
    }
}
