import DDASClient
import Foundation
import Hummingbird
import Logging
import Postgres
import Prometheus
import RegieDomain
import RegieStore
import ServiceLifecycle
import Webhooks

/// What `serve --demo` adds to the service: the seed and the suppliers' side. The executable
/// gives it (the `RegieDemo` target), so that the service's own modules link neither the
/// supplier simulator nor the test PKI.
public protocol Demonstration: Sendable {
    /// Seeds the database, once: a later start finds it seeded.
    func seed(_ stores: RegieStores, register: GemeentenRegister, logger: Logger) async throws
    /// Runs `body` with the exchange of the demonstration's suppliers, which run as long as it
    /// does, and makes the demonstration's delivery history meanwhile (through `stores`, with
    /// the streams' `schedule`).
    func withSuppliers(
        state: URL, register: GemeentenRegister, stores: RegieStores, schedule: LeveringSchedule, logger: Logger,
        _ body: (ExchangeConfiguration) async throws -> Void
    ) async throws
    /// Runs `body` with the demonstration's meldingen (mails as files, a local webhook endpoint,
    /// its subscriptions), which run as long as it does.
    func withMeldingen(
        state: URL, stores: RegieStores, publiekAdres: String, logger: Logger, _ body: (MeldingenConfiguration) async throws -> Void
    ) async throws
}

/// `ddas-regie serve`, the start-up: open the database, migrate, load the register, build the
/// stores once, then run the services of the process's role (leadership, scheduler, rescuer,
/// pruner, worker, the HTTP server) until SIGINT/SIGTERM; then close the pool and stop the
/// embedded cluster. The routes are wired by ``buildRouter(_:withMetrics:)``.
public enum RegieServer {
    /// Starts and serves until stopped; `demonstration` is what `--demo` runs.
    public static func run(configuration: AppConfiguration, logger: Logger, demonstration: (any Demonstration)? = nil) async throws {
        // Schedules, due months and pull dates are Dutch wall-clock time: without the zone's
        // data they would silently run on a fixed offset.
        guard TimeZone(identifier: "Europe/Amsterdam") != nil else { throw TimeZoneDataMissing() }
        // Invalid workflow and schedule files stop the start, naming file and line, before anything changes.
        let workflows = try Workflows.load(from: configuration.resources.workflows)
        let schedule = try LeveringSchedule.load(from: configuration.resources.workflows)
        let database = try await RegieDatabase.open(
            configuration.database, mode: .exclusive, poolSize: configuration.poolSize, privileges: .service, logger: logger)
        do {
            var dependencies = try await prepare(
                database: database, resources: configuration.resources, workflows: workflows, schedule: schedule, logger: logger)
            let meldingen = try configuration.meldingenConfiguration.map { try MeldingenConfiguration.load(path: $0) }
            if let meldingen { try dependencies.configure(meldingen) }
            let state = URL(fileURLWithPath: configuration.stateDirectory)
            // After the database: when the state folder holds the embedded cluster's folder,
            // the server's account must traverse it, and it exists by now with that mode.
            try PrivateFolder.create(state)
            switch configuration.exchange {
            case .off:
                try await serve(
                    configuration, database: database, dependencies: dependencies, exchange: nil, meldingen: meldingen, logger: logger)
            case .file(let path):
                try await serve(
                    configuration, database: database, dependencies: dependencies, exchange: try ExchangeConfiguration.load(path: path),
                    meldingen: meldingen, logger: logger)
            case .demo:
                guard let demonstration else { throw DemonstrationMissing() }
                let register = try GemeentenRegister(
                    csv: try String(contentsOf: configuration.resources.gemeentenRegister, encoding: .utf8))
                try await demonstration.seed(dependencies.stores, register: register, logger: logger)
                guard configuration.role != .api else {
                    try await serve(
                        configuration, database: database, dependencies: dependencies, exchange: nil, meldingen: meldingen, logger: logger)
                    break
                }
                try await demonstration.withSuppliers(
                    state: state, register: register, stores: dependencies.stores, schedule: schedule, logger: logger
                ) { exchange in
                    guard meldingen == nil else {
                        try await serve(
                            configuration, database: database, dependencies: dependencies, exchange: exchange, meldingen: meldingen,
                            logger: logger)
                        return
                    }
                    try await demonstration.withMeldingen(
                        state: state, stores: dependencies.stores, publiekAdres: "http://\(configuration.host):\(configuration.port)",
                        logger: logger
                    ) { demo in
                        var demoDependencies = dependencies
                        try demoDependencies.configure(demo)
                        try await serve(
                            configuration, database: database, dependencies: demoDependencies, exchange: exchange, meldingen: demo,
                            logger: logger)
                    }
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
        exchange exchangeConfiguration: ExchangeConfiguration?, meldingen: MeldingenConfiguration?,
        logger: Logger
    ) async throws {
        // The pool first: services stop in reverse order, so it closes last.
        var services: [any Service] = [database.pool]
        // The webhooks' client: no redirects followed; shut down when the service stops.
        let webhookClient = WebhookSender.makeClient()
        // Audited writes only queue their events; this links them to the chain soon after.
        services.append(AuditSequencer(trail: dependencies.stores.auditTrail, logger: logger))
        if configuration.role != .worker {
            services.append(FaseReconciler(onboarding: dependencies.onboarding, logger: logger))
            // Tokens are verified here only, and cached only while revocations are heard.
            services.append(TokenRevocationListener(cache: dependencies.tokens.cache, connection: database.connection, logger: logger))
        }
        if configuration.role != .api {
            services += try workers(
                configuration, database: database, dependencies: dependencies, exchange: exchangeConfiguration, logger: logger)
            services += try meldingServices(
                meldingen, database: database, dependencies: dependencies, webhooks: WebhookSender(client: webhookClient), logger: logger)
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
        do {
            try await app.runService()
        } catch {
            try? await webhookClient.shutdown()
            throw error
        }
        try await webhookClient.shutdown()
    }

    /// The services of a worker process: the scheduler, the rescuer and the pruner (each run by
    /// the process that leads it), and with an exchange the delivery worker and its exchange.
    static func workers(
        _ configuration: AppConfiguration, database: RegieDatabase, dependencies: AppDependencies,
        exchange exchangeConfiguration: ExchangeConfiguration?, logger: Logger
    ) throws -> [any Service] {
        let stores = dependencies.stores
        let metrics = LeveringMetrics(factory: PrometheusMetricsFactory(registry: dependencies.metrics))
        var services: [any Service] = [
            LeveringScheduler(schedule: dependencies.schedule, queue: stores.queue, logger: logger, leadership: stores.leadership),
            LeaseRescuer(
                queue: stores.queue, configuration: dependencies.schedule.rescuerConfiguration(), logger: logger,
                leadership: stores.leadership, metrics: metrics),
            PogingPruner(queue: stores.queue, logger: logger, leadership: stores.leadership),
            MeldingDetector(
                stores: stores, configuration: .init(drempels: dependencies.schedule.meldingen), logger: logger,
                leadership: stores.leadership),
        ]
        guard let exchangeConfiguration else {
            logger.notice("no exchange configured: deliveries are scheduled but not pulled (give --exchange-config, or --demo)")
            return services
        }
        let workerConfiguration = dependencies.schedule.workerConfiguration()
        // With the API in the same process, the pulls get a pool of their own (a connection
        // per running pull, and two for claims and heartbeats), so that they can never take
        // the API's connections; its stores are the pulls' own.
        var pulls = stores
        if configuration.role == .all {
            let workerPool = database.separatePool(maximumConnections: workerConfiguration.concurrency + 2, logger: logger)
            services.insert(workerPool, at: 0)
            pulls = RegieStores(
                pool: workerPool, workflows: dependencies.onboarding.workflows,
                lifecycle: LeveringLifecycle(schedule: dependencies.schedule),
                logger: logger)
        }
        let revocationLogger = logger
        let exchange = try Exchange.make(
            exchangeConfiguration, schemas: configuration.resources.exchangeModels,
            defaultStaging: URL(fileURLWithPath: configuration.stateDirectory).appendingPathComponent("staging"),
            report: { revocationLogger.warning("revocation check", metadata: ["detail": "\($0)"]) })
        services.append(ExchangeService(exchange: exchange))
        services.append(
            LeveringWorker(
                queue: pulls.queue,
                puller: DDASPuller(
                    exchange: exchange, reports: pulls.qualityReports, auditTrail: pulls.auditTrail,
                    standardisation: try StandardisationService(
                        store: pulls.standardisation, referenceDirectory: configuration.resources.standaardisatie),
                    maxErrorShare: dependencies.schedule.maxErrorShares,
                    schemaViolations: dependencies.schedule.schemaViolationPolicies, logger: logger),
                configuration: workerConfiguration,
                notifications: database.connection, onboarding: dependencies.onboarding, logger: logger,
                metrics: metrics))
        return services
    }

    /// The services that send meldingen, on a worker: the dispatcher on every replica, the
    /// digest on the leader. Without a configuration, none: meldingen wait in the outbox.
    static func meldingServices(
        _ meldingen: MeldingenConfiguration?, database: RegieDatabase, dependencies: AppDependencies, webhooks: WebhookSender,
        logger: Logger
    ) throws -> [any Service] {
        guard let meldingen, let sleutel = dependencies.meldingSleutel else {
            logger.notice("no meldingen configured: meldingen are recorded in the outbox but not sent (give --meldingen-config)")
            return []
        }
        let kanalen = MeldingKanalen(
            mail: try meldingen.mailBestemming(), webhooks: webhooks, sleutel: sleutel, publiekAdres: meldingen.publiekAdres)
        var services: [any Service] = [
            MeldingDispatcher(
                outbox: dependencies.stores.meldingen, kanalen: kanalen,
                configuration: .init(
                    concurrency: meldingen.tegelijk, lease: .seconds(meldingen.leaseSeconden),
                    pollInterval: .seconds(meldingen.pollSeconden)),
                notifications: database.connection, logger: logger,
                metrics: MeldingMetrics(factory: PrometheusMetricsFactory(registry: dependencies.metrics)))
        ]
        if let tijdstip = meldingen.dagoverzicht {
            services.append(
                Dagoverzicht(
                    tijdstip: tijdstip, outbox: dependencies.stores.meldingen, status: dependencies.stores.status,
                    workflows: dependencies.onboarding.workflows, leadership: dependencies.stores.leadership,
                    logger: logger))
        }
        return services
    }

    /// Migrates, loads the register, builds the stores and returns the dependencies of the routes.
    public static func prepare(
        database: RegieDatabase, resources: Resources, workflows: Workflows, schedule: LeveringSchedule, logger: Logger
    ) async throws -> AppDependencies {
        let migrations = try MigrationSet(directory: resources.migrations)
        try await database.migrate(migrations, logger: logger)
        let stores = database.stores(workflows: workflows, schedule: schedule, logger: logger)
        let register = try GemeentenRegister(csv: try String(contentsOf: resources.gemeentenRegister, encoding: .utf8))
        let loaded = try await stores.gemeenten.load(register)
        logger.info(
            "gemeenten register loaded",
            metadata: [
                "gemeenten": "\(register.gemeenten.count)", "inserted": "\(loaded.inserted)", "updated": "\(loaded.updated)",
                "deactivated": "\(loaded.deactivated)",
            ])
        // Readiness reads the applied migrations with the service's own connections.
        return try AppDependencies(
            stores: stores, workflows: workflows, schedule: schedule,
            readiness: DatabaseReadiness(migrator: database.migrator(migrations, logger: logger)), resources: resources)
    }
}

/// The time zone data of Europe/Amsterdam is missing from this system.
struct TimeZoneDataMissing: Error, CustomStringConvertible {
    var description: String {
        "the time zone Europe/Amsterdam is unknown on this system: the schedules and due dates need it (install the time zone data, e.g. Debian's tzdata)"
    }
}

/// `--demo` was asked of a program that does not carry the demonstration.
struct DemonstrationMissing: Error, CustomStringConvertible {
    var description: String { "this program has no demonstration: run `ddas-regie serve --demo`" }
}
