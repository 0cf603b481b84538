import DDASClient
import DDASExchange
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Postgres
import Prometheus
import RegieDomain
import RegieStore
import ServiceLifecycle

/// What the routes need; tests build it over their own database.
public struct AppDependencies: Sendable {
    /// Every store, each built once over the service's pool.
    public var stores: RegieStores
    /// The gemeenten register.
    public var gemeenten: any GemeenteStore
    /// API tokens.
    public var tokens: TokenStore
    /// The audit trail, for refusals that change nothing else.
    public var audit: any AuditRecording
    /// Onboarding: DPIA, consent, suppliers, workflow moves.
    public var onboarding: OnboardingStore
    /// The delivery schedules (attempt limits of manual triggers).
    public var schedule: LeveringSchedule
    /// What `/health/ready` asks.
    public var readiness: any ReadinessCheck
    /// The standardisation (reference data and the maintained table).
    public var standardisation: StandardisationService
    /// The code lists of the exchange models, by name (`eindresultaat`), for the reports.
    public var codeLists: [String: CodeListValues]
    /// The newest exchange model of each stream, for `POST /v1/validaties`.
    public var exchangeModels: [ExchangeStroom: ExchangeModel]
    /// The exchange models' schema files, for an older version a validation asks for.
    public var exchangeSchemas: ExchangeSchemas
    /// The largest body `POST /v1/validaties` takes: a page's limit.
    public var validatieLimiet = ExchangeDocumentCheck.maximumBytes
    /// The process's metrics, served at `/metrics`.
    public var metrics: PrometheusCollectorRegistry
    /// The gauges of `/metrics` that are counted in the database, shared by every router of the process.
    var databaseGauges: DatabaseGauges
    /// The sessions of the web pages.
    public var webSessions: WebSessionStore
    /// The outbox of meldingen.
    public var meldingen: MeldingOutbox
    /// The key webhook secrets and unsubscribe links are derived from; nil when meldingen are
    /// not configured (then a webhook subscription cannot be made: its secret could not be shown).
    public var meldingSleutel: MeldingSleutel?
    /// The service's public address, for links in meldingen (`https://regie.example.nl`).
    public var publiekAdres = "http://127.0.0.1:8080"
    /// The time, for what the web pages and refusals decide and record (tests move it).
    public var now: @Sendable () -> Date = { Date() }

    /// The routes' dependencies over `stores`; the reference data and exchange models from `resources`.
    public init(
        stores: RegieStores, workflows: Workflows, schedule: LeveringSchedule, readiness: any ReadinessCheck, resources: Resources
    ) throws {
        self.stores = stores
        self.schedule = schedule
        self.standardisation = try StandardisationService(store: stores.standardisation, referenceDirectory: resources.standaardisatie)
        let schemas = ExchangeSchemas(directory: resources.exchangeModels)
        var codeLists: [String: CodeListValues] = [:]
        var models: [ExchangeStroom: ExchangeModel] = [:]
        for stream in ExchangeStroom.allCases {
            let model = try schemas.latestModel(stream)
            models[stream] = model
            codeLists.merge(model.codeLists) { first, _ in first }
        }
        self.codeLists = codeLists
        self.exchangeModels = models
        self.exchangeSchemas = schemas
        self.metrics = PrometheusCollectorRegistry()
        self.databaseGauges = DatabaseGauges(
            registry: metrics, status: stores.status, meldingen: stores.meldingen, workflows: workflows)
        self.gemeenten = stores.gemeenten
        self.onboarding = stores.onboarding
        self.tokens = stores.tokens
        self.webSessions = stores.webSessions
        self.audit = stores.auditTrail
        self.readiness = readiness
        self.meldingen = stores.meldingen
    }

    /// The routes' dependencies over the stores of `pool` (tests, over their own database).
    public init(
        pool: PostgresPool, workflows: Workflows, schedule: LeveringSchedule, readiness: any ReadinessCheck, resources: Resources
    ) throws {
        try self.init(
            stores: RegieStores(pool: pool, workflows: workflows, lifecycle: LeveringLifecycle(schedule: schedule)), workflows: workflows,
            schedule: schedule, readiness: readiness,
            resources: resources)
    }
}

/// The router with every route and the API conventions; `/metrics` only when `withMetrics`
/// (it is not when metrics have an address of their own).
public func buildRouter(_ dependencies: AppDependencies, withMetrics: Bool = true) -> Router<RegieRequestContext> {
    buildRoutes(dependencies, withMetrics: withMetrics).router
}

/// A router with the health endpoints and `/metrics` only: for a process that serves no
/// API, and for the separate metrics address.
func buildHealthRouter(_ dependencies: AppDependencies) -> Router<RegieRequestContext> {
    let router = Router(context: RegieRequestContext.self, options: [.autoGenerateHeadEndpoints])
    router.add(middleware: HTTPMetricsMiddleware(factory: PrometheusMetricsFactory(registry: dependencies.metrics)))
    router.add(middleware: APIConventionsMiddleware())
    let routes = APIRoutes(router: router, guard: nil)
    HealthController(readiness: dependencies.readiness).addRoutes(to: routes)
    MetricsController(dependencies).addRoutes(to: routes)
    routes.finish()
    return router
}

/// The router, its API routes (what the OpenAPI contract describes) and every route it
/// registered, API and web, each as its entry in ``RouteTable``.
func buildRoutes(_ dependencies: AppDependencies, withMetrics: Bool = true) -> (
    router: Router<RegieRequestContext>, routes: [APIRoutes.Route], registered: [APIRoutes.Route]
) {
    let router = Router(context: RegieRequestContext.self, options: [.autoGenerateHeadEndpoints])
    router.add(middleware: HTTPMetricsMiddleware(factory: PrometheusMetricsFactory(registry: dependencies.metrics)))
    router.add(middleware: APIConventionsMiddleware())
    router.add(middleware: AuthenticationMiddleware(tokens: dependencies.tokens))
    router.add(middleware: IdempotencyMiddleware(store: dependencies.stores.idempotency))
    let refusals = Refusals(audit: dependencies.audit, now: dependencies.now)
    let accessGuard = AccessGuard(
        refusals: refusals, scopes: dependencies.stores.scopes, sessions: dependencies.webSessions, now: dependencies.now)
    let routes = APIRoutes(router: router, guard: accessGuard)
    HealthController(readiness: dependencies.readiness).addRoutes(to: routes)
    if withMetrics {
        MetricsController(dependencies).addRoutes(to: routes)
    }
    routes.get("/v1/openapi.json") { _, _ in
        var response = JSONBody.response(encoded: OpenAPIDocument.json(workflows: dependencies.onboarding.workflows))
        response.headers[.accessControlAllowOrigin] = "*"
        return response
    }
    GemeentenController(
        store: dependencies.gemeenten, onboarding: dependencies.onboarding,
        status: dependencies.stores.status
    ).addRoutes(to: routes)
    OnboardingController(onboarding: dependencies.onboarding).addRoutes(to: routes)
    LeveranciersController(onboarding: dependencies.onboarding).addRoutes(to: routes)
    AuditController(trail: dependencies.stores.auditTrail).addRoutes(to: routes)
    LeveringenController(
        queue: dependencies.stores.queue, onboarding: dependencies.onboarding, schedule: dependencies.schedule,
        reports: dependencies.stores.qualityReports, codeLists: dependencies.codeLists
    )
    .addRoutes(to: routes)
    VoortgangController(status: dependencies.stores.status, onboarding: dependencies.onboarding).addRoutes(to: routes)
    DatakwaliteitController(
        reports: dependencies.stores.qualityReports, standardisation: dependencies.standardisation
    ).addRoutes(to: routes)
    ValidatieController(
        models: dependencies.exchangeModels, schemas: dependencies.exchangeSchemas, limit: dependencies.validatieLimiet,
        schemaPolicies: dependencies.schedule.schemaViolationPolicies,
        audit: dependencies.audit, now: dependencies.now
    ).addRoutes(to: routes)
    TokensController(
        tokens: dependencies.tokens, gemeenten: dependencies.gemeenten, leveranciers: dependencies.stores.leveranciers
    ).addRoutes(to: routes)
    AbonnementenController(
        store: dependencies.stores.abonnementen, gemeenten: dependencies.gemeenten, leveranciers: dependencies.stores.leveranciers,
        sleutel: dependencies.meldingSleutel, refusals: refusals
    ).addRoutes(to: routes)
    AfmeldController(store: dependencies.stores.abonnementen, sleutel: dependencies.meldingSleutel).addRoutes(to: routes)
    let figures = CijfersController(
        reports: dependencies.stores.qualityReports, gemeenten: dependencies.gemeenten, codeLists: dependencies.codeLists,
        refusals: refusals)
    figures.addRoutes(to: routes)
    WebController(
        tokens: dependencies.tokens, sessions: dependencies.webSessions, refusals: refusals, now: dependencies.now,
        onboarding: dependencies.onboarding, status: dependencies.stores.status,
        queue: dependencies.stores.queue, reports: dependencies.stores.qualityReports, meldingen: dependencies.meldingen,
        codeLists: dependencies.codeLists, figures: figures
    ).addRoutes(to: routes)
    routes.finish()
    return (router, routes.routes, routes.registered)
}

/// The HTTP application over `router`, running `services` (the pool first, so it closes last).
public func buildApplication(
    configuration: AppConfiguration, router: Router<RegieRequestContext>, services: [any Service], logger: Logger
) -> some ApplicationProtocol {
    application(
        router: router, address: .init(host: configuration.host, port: configuration.port), idleTimeout: configuration.idleTimeout,
        services: services, logger: logger)
}

/// An HTTP server on `address`: HTTP/1.1, connections closed after `idleTimeout` without a request.
func application(
    router: Router<RegieRequestContext>, address: AppConfiguration.Address, idleTimeout: Duration, services: [any Service], logger: Logger
) -> some ApplicationProtocol {
    let idle = TimeAmount.nanoseconds(idleTimeout.components.seconds * 1_000_000_000 + idleTimeout.components.attoseconds / 1_000_000_000)
    return Application(
        router: router, server: .http1(configuration: .init(idleTimeout: idle)),
        configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil),
        services: services,
        logger: logger)
}
