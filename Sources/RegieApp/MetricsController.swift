import CoreMetrics
import Foundation
import HTTPTypes
import Hummingbird
import Postgres
import Prometheus
import RegieDomain
import RegieStore

/// `GET /metrics`: the process's metrics in the Prometheus text format, for a scraper inside
/// the cluster (no token, like the health endpoints; they hold counts by state, outcome, error
/// class and phase only; `--metrics-port` serves them on an address of their own). Besides
/// what the delivery engine records as it works (``LeveringMetrics``) and the HTTP requests
/// (``HTTPMetricsMiddleware``), the gemeenten per phase (`ddas_gemeenten{fase}`) and those
/// overdue (`ddas_gemeenten_achterstallig`) are counted from the database — at most once per
/// `refreshInterval`, however often or by how many it is scraped, so that scraping cannot
/// load the database; `ddas_gemeenten_berekend_op` says when they were counted.
struct MetricsController {
    let registry: PrometheusCollectorRegistry
    let gauges: DatabaseGauges

    init(_ dependencies: AppDependencies) {
        self.registry = dependencies.metrics
        self.gauges = dependencies.databaseGauges
    }

    func addRoutes(to routes: APIRoutes) {
        routes.get("/metrics", use: scrape)
    }

    @Sendable func scrape(_ request: Request, context: RegieRequestContext) async throws -> Response {
        await gauges.refreshIfStale()
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        var body = ByteBuffer()
        body.writeBytes(buffer)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .contentLength: String(buffer.count)],
            body: ResponseBody(byteBuffer: body))
    }
}

/// The gauges `/metrics` reads from the database, counted at most once per
/// `refreshInterval`; scrapes that come while they are counted wait for that count.
actor DatabaseGauges {
    let registry: PrometheusCollectorRegistry
    let status: StatusStore
    let workflows: Workflows
    let refreshInterval: Duration
    private var counted: ContinuousClock.Instant?
    private var counting: Task<Void, Never>?

    init(registry: PrometheusCollectorRegistry, status: StatusStore, workflows: Workflows, refreshInterval: Duration = .seconds(5)) {
        self.registry = registry
        self.status = status
        self.workflows = workflows
        self.refreshInterval = refreshInterval
    }

    /// Counts again when the last count is older than `refreshInterval`.
    func refreshIfStale() async {
        if let counted, ContinuousClock.now - counted < refreshInterval { return }
        if let counting {
            await counting.value
            return
        }
        let task = Task { [registry, status, workflows] in await Self.count(registry: registry, status: status, workflows: workflows) }
        counting = task
        await task.value
        counting = nil
        counted = .now
    }

    static func count(registry: PrometheusCollectorRegistry, status: StatusStore, workflows: Workflows) async {
        let factory = PrometheusMetricsFactory(registry: registry)
        do {
            // One read of the gemeenten and their phase moves gives both the phases and who is overdue.
            let now = Date()
            let entries = try await status.phaseEntries()
            let engine = WorkflowEngine(workflows.gemeente)
            var phases: [String: Int] = [:]
            var overdue = 0
            for (code, fase) in try await status.activePhases() {
                phases[fase, default: 0] += 1
                let main = VoortgangReport.mainPhase(of: fase, entries: entries[code] ?? [], definition: workflows.gemeente)
                if engine.overdue(phase: main, now: now) { overdue += 1 }
            }
            for (phase, count) in phases {
                Gauge(label: "ddas_gemeenten", dimensions: [("fase", phase)], factory: factory).record(count)
            }
            Gauge(label: "ddas_gemeenten_achterstallig", factory: factory).record(overdue)
            Gauge(label: "ddas_gemeenten_berekend_op", factory: factory).record(now.timeIntervalSince1970)
            Gauge(label: "ddas_database_bereikbaar", factory: factory).record(1)
        } catch {
            // The scrape still answers: a database that is down is itself worth seeing.
            Gauge(label: "ddas_database_bereikbaar", factory: factory).record(0)
        }
    }
}
