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
    /// The gemeenten register.
    public var gemeenten: any GemeenteStore
    /// API tokens.
    public var tokens: TokenStore
    /// The audit trail, for refusals that change nothing else.
    public var audit: any AuditRecording
    /// Onboarding: DPIA, consent, suppliers, workflow moves.
    public var onboarding: OnboardingStore
    /// The pool, for the read-only views that need no store of their own (the audit trail).
    public var pool: PostgresPool
    /// The delivery schedules (attempt limits of manual triggers).
    public var schedule: DeliverySchedule
    /// What `/health/ready` asks.
    public var readiness: any ReadinessCheck
    /// The standardisation (reference data and the maintained table).
    public var standardisation: StandardisationService
    /// The code lists of the exchange models, by name (`eindresultaat`), for the reports.
    public var codeLists: [String: CodeListValues]
    /// The newest exchange model of each stream, for `POST /v1/validaties`.
    public var exchangeModels: [ExchangeStream: ExchangeModel]
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
    /// The time, for what the web pages and refusals decide and record (tests move it).
    public var now: @Sendable () -> Date = { Date() }

    /// Every store over one pool; the reference data and exchange models from `resources`.
    public init(
        pool: PostgresPool, workflows: Workflows, schedule: DeliverySchedule, readiness: any ReadinessCheck, resources: Resources
    ) throws {
        self.schedule = schedule
        self.standardisation = try StandardisationService(
            store: StandardisationStore(pool: pool), referenceDirectory: resources.standaardisatie)
        let schemas = ExchangeSchemas(directory: resources.exchangeModels)
        var codeLists: [String: CodeListValues] = [:]
        var models: [ExchangeStream: ExchangeModel] = [:]
        for stream in ExchangeStream.allCases {
            let model = try schemas.latestModel(stream)
            models[stream] = model
            codeLists.merge(model.codeLists) { first, _ in first }
        }
        self.codeLists = codeLists
        self.exchangeModels = models
        self.exchangeSchemas = schemas
        self.metrics = PrometheusCollectorRegistry()
        self.databaseGauges = DatabaseGauges(registry: metrics, pool: pool, workflows: workflows)
        self.gemeenten = PostgresGemeenteStore(pool: pool)
        self.onboarding = OnboardingStore(pool: pool, workflows: workflows)
        self.pool = pool
        self.tokens = TokenStore(pool: pool)
        self.webSessions = WebSessionStore(pool: pool)
        self.audit = PostgresAuditRecorder(pool: pool)
        self.readiness = readiness
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
    let routes = APIRoutes(router: router, refusals: nil)
    HealthController(readiness: dependencies.readiness).addRoutes(to: routes)
    MetricsController(dependencies).addRoutes(to: routes)
    routes.finish()
    return router
}

/// The router and its table of routes and roles.
func buildRoutes(_ dependencies: AppDependencies, withMetrics: Bool = true) -> (
    router: Router<RegieRequestContext>, routes: [APIRoutes.Route]
) {
    let router = Router(context: RegieRequestContext.self, options: [.autoGenerateHeadEndpoints])
    router.add(middleware: HTTPMetricsMiddleware(factory: PrometheusMetricsFactory(registry: dependencies.metrics)))
    router.add(middleware: APIConventionsMiddleware())
    router.add(middleware: AuthenticationMiddleware(tokens: dependencies.tokens))
    router.add(middleware: IdempotencyMiddleware(store: IdempotencyStore(pool: dependencies.pool)))
    let refusals = Refusals(audit: dependencies.audit, now: dependencies.now)
    let routes = APIRoutes(router: router, refusals: refusals)
    let scopeGuard = ScopeGuard(refusals: refusals, pool: dependencies.pool)
    HealthController(readiness: dependencies.readiness).addRoutes(to: routes)
    if withMetrics {
        MetricsController(dependencies).addRoutes(to: routes)
    }
    routes.get("/v1/openapi.json", roles: nil) { _, _ in
        var response = JSONBody.response(encoded: OpenAPIDocument.json())
        response.headers[.accessControlAllowOrigin] = "*"
        return response
    }
    GemeentenController(
        store: dependencies.gemeenten, onboarding: dependencies.onboarding, scopeGuard: scopeGuard,
        status: StatusStore(pool: dependencies.pool)
    ).addRoutes(to: routes)
    OnboardingController(onboarding: dependencies.onboarding, scopeGuard: scopeGuard).addRoutes(to: routes)
    LeveranciersController(onboarding: dependencies.onboarding, refusals: refusals).addRoutes(to: routes)
    AuditController(pool: dependencies.pool).addRoutes(to: routes)
    LeveringenController(
        queue: DeliveryQueue(pool: dependencies.pool), onboarding: dependencies.onboarding, schedule: dependencies.schedule,
        reports: QualityReportStore(pool: dependencies.pool), codeLists: dependencies.codeLists, refusals: refusals
    )
    .addRoutes(to: routes)
    VoortgangController(status: StatusStore(pool: dependencies.pool), onboarding: dependencies.onboarding).addRoutes(to: routes)
    DataQualityController(
        reports: QualityReportStore(pool: dependencies.pool), standardisation: dependencies.standardisation, scopeGuard: scopeGuard
    ).addRoutes(to: routes)
    ValidatieController(
        models: dependencies.exchangeModels, schemas: dependencies.exchangeSchemas, limit: dependencies.validatieLimiet,
        schemaPolicies: dependencies.schedule.schemaViolationPolicies,
        audit: dependencies.audit, now: dependencies.now
    ).addRoutes(to: routes)
    TokensController(
        tokens: dependencies.tokens, gemeenten: dependencies.gemeenten, leveranciers: LeverancierRegister(pool: dependencies.pool)
    ).addRoutes(to: routes)
    routes.finish()
    WebController(
        tokens: dependencies.tokens, sessions: dependencies.webSessions, refusals: refusals, now: dependencies.now,
        onboarding: dependencies.onboarding, status: StatusStore(pool: dependencies.pool),
        queue: DeliveryQueue(pool: dependencies.pool), reports: QualityReportStore(pool: dependencies.pool),
        codeLists: dependencies.codeLists
    ).addRoutes(to: router)
    return (router, routes.routes)
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

/// `ddas-regie serve`: open the database, migrate, load the register, serve until
/// SIGINT/SIGTERM, then close the pool and stop the embedded cluster.
public enum RegieServer {
    public static func run(configuration: AppConfiguration, logger: Logger) async throws {
        // Schedules, due months and pull dates are Dutch wall-clock time: without the zone's
        // data they would silently run on a fixed offset.
        guard TimeZone(identifier: "Europe/Amsterdam") != nil else { throw TimeZoneDataMissing() }
        // Invalid workflow and schedule files stop the start, naming file and line, before anything changes.
        let workflows = try Workflows.load(from: configuration.resources.workflows)
        let schedule = try DeliverySchedule.load(from: configuration.resources.workflows)
        let database = try await RegieDatabase.open(
            configuration.database, mode: .exclusive, poolSize: configuration.poolSize, privileges: .service, logger: logger)
        do {
            let dependencies = try await prepare(
                database: database, resources: configuration.resources, workflows: workflows, schedule: schedule, logger: logger)
            let state = URL(fileURLWithPath: configuration.stateDirectory)
            // After the database: when the state folder holds the embedded cluster's folder,
            // the server's account must traverse it, and it exists by now with that mode.
            try PrivateFolder.create(state)
            switch configuration.exchange {
            case .off:
                try await serve(configuration, database: database, dependencies: dependencies, exchange: nil, logger: logger)
            case .file(let path):
                try await serve(
                    configuration, database: database, dependencies: dependencies, exchange: try ExchangeConfiguration.load(path: path),
                    logger: logger)
            case .demo:
                let register = try GemeentenRegister(
                    csv: try String(contentsOf: configuration.resources.gemeentenRegister, encoding: .utf8))
                try await DemoSeed(onboarding: dependencies.onboarding, pool: database.pool, logger: logger).seedIfNeeded(
                    register: register)
                guard configuration.role != .api else {
                    try await serve(configuration, database: database, dependencies: dependencies, exchange: nil, logger: logger)
                    break
                }
                let suppliers = try await DemoSuppliers.prepare(state: state, register: register, logger: logger)
                try await suppliers.simulator.withRunningServer { running in
                    logger.notice(
                        "demonstration: the supplier simulator serves xxllnc and BKR; CBS pages go to the sink",
                        metadata: ["simulator": "\(running.origin)", "sink": "\(state.appendingPathComponent("cbs-sink").path)"])
                    try await serve(
                        configuration, database: database, dependencies: dependencies,
                        exchange: try suppliers.exchange(at: running, state: state), logger: logger)
                }
            }
        } catch {
            try? await database.close()
            throw error
        }
        try await database.close()
    }

    /// Runs the services of the configured role until SIGINT or SIGTERM; with an exchange,
    /// the delivery worker pulls through it.
    static func serve(
        _ configuration: AppConfiguration, database: RegieDatabase, dependencies: AppDependencies,
        exchange exchangeConfiguration: ExchangeConfiguration?,
        logger: Logger
    ) async throws {
        // The pool first: services stop in reverse order, so it closes last.
        var services: [any Service] = [database.pool]
        if configuration.role != .worker {
            services.append(PhaseReconciler(onboarding: dependencies.onboarding, logger: logger))
        }
        if configuration.role != .api {
            let queue = DeliveryQueue(pool: database.pool, lifecycle: LeveringLifecycle(schedule: dependencies.schedule), logger: logger)
            let leadership = Leadership(pool: database.pool)
            let metrics = DeliveryMetrics(factory: PrometheusMetricsFactory(registry: dependencies.metrics))
            services.append(DeliveryScheduler(schedule: dependencies.schedule, queue: queue, logger: logger, leadership: leadership))
            services.append(
                LeaseRescuer(
                    queue: queue, configuration: dependencies.schedule.rescuerConfiguration(), logger: logger, leadership: leadership,
                    metrics: metrics))
            services.append(AttemptPruner(queue: queue, logger: logger, leadership: leadership))
            if let exchangeConfiguration {
                let workerConfiguration = dependencies.schedule.workerConfiguration()
                // With the API in the same process, the pulls get a pool of their own (a
                // connection per running pull, and two for claims and heartbeats), so that
                // they can never take the API's connections.
                let workerPool =
                    configuration.role == .all
                    ? PostgresPool(
                        configuration: .init(
                            connection: database.pool.configuration.connection, maximumConnections: workerConfiguration.concurrency + 2),
                        logger: logger)
                    : database.pool
                if configuration.role == .all { services.insert(workerPool, at: 1) }
                let queue = DeliveryQueue(pool: workerPool, lifecycle: LeveringLifecycle(schedule: dependencies.schedule), logger: logger)
                let revocationLogger = logger
                let exchange = try Exchange.make(
                    exchangeConfiguration, schemas: configuration.resources.exchangeModels,
                    defaultStaging: URL(fileURLWithPath: configuration.stateDirectory).appendingPathComponent("staging"),
                    report: { revocationLogger.warning("revocation check", metadata: ["detail": "\($0)"]) })
                services.append(ExchangeService(exchange: exchange))
                services.append(
                    DeliveryWorker(
                        queue: queue,
                        puller: DDASPuller(
                            exchange: exchange, pool: workerPool,
                            standardisation: try StandardisationService(
                                store: StandardisationStore(pool: workerPool), referenceDirectory: configuration.resources.standaardisatie),
                            maxErrorShare: dependencies.schedule.maxErrorShares,
                            schemaViolations: dependencies.schedule.schemaViolationPolicies, logger: logger),
                        configuration: workerConfiguration,
                        notifications: database.pool.configuration.connection, onboarding: dependencies.onboarding, logger: logger,
                        metrics: metrics))
            } else {
                logger.notice("no exchange configured: deliveries are scheduled but not pulled (give --exchange-config, or --demo)")
            }
        }
        if let metricsAddress = configuration.metricsAddress {
            services.append(
                application(
                    router: buildHealthRouter(dependencies), address: metricsAddress, idleTimeout: configuration.idleTimeout, services: [],
                    logger: logger))
        }
        let router =
            configuration.role == .worker
            ? buildHealthRouter(dependencies) : buildRouter(dependencies, withMetrics: configuration.metricsAddress == nil)
        let app = buildApplication(configuration: configuration, router: router, services: services, logger: logger)
        logger.info("serving", metadata: ["role": "\(configuration.role.rawValue)"])
        try await app.runService()
    }

    /// Migrates, loads the register and returns the dependencies of the routes.
    public static func prepare(
        database: RegieDatabase, resources: Resources, workflows: Workflows, schedule: DeliverySchedule, logger: Logger
    ) async throws -> AppDependencies {
        let migrations = try MigrationSet(directory: resources.migrations)
        try await database.migrate(migrations, logger: logger)
        // Readiness reads the applied migrations with the service's own connections.
        let migrator = Migrator(pool: database.pool, migrations: migrations, logger: logger)
        let store = PostgresGemeenteStore(pool: database.pool)
        let register = try GemeentenRegister(csv: try String(contentsOf: resources.gemeentenRegister, encoding: .utf8))
        let loaded = try await store.load(register)
        logger.info(
            "gemeenten register loaded",
            metadata: [
                "gemeenten": "\(register.gemeenten.count)", "inserted": "\(loaded.inserted)", "updated": "\(loaded.updated)",
                "deactivated": "\(loaded.deactivated)",
            ])
        return try AppDependencies(
            pool: database.pool, workflows: workflows, schedule: schedule, readiness: DatabaseReadiness(migrator: migrator),
            resources: resources)
    }
}

/// The time zone data of Europe/Amsterdam is missing from this system.
struct TimeZoneDataMissing: Error, CustomStringConvertible {
    var description: String {
        "the time zone Europe/Amsterdam is unknown on this system: the schedules and due dates need it (install the time zone data, e.g. Debian's tzdata)"
    }
}
