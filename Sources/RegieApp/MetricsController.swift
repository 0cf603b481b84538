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
/// load the database; `ddas_gemeenten_berekend_op` says when they were counted. So is the
/// outbox of meldingen: `ddas_meldingen{status}` (wachtend, bezig, verzonden, mislukt) and
/// `ddas_meldingen_oudste_wachtend_seconden` (how long the oldest waiting message has waited).
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
    let meldingen: MeldingOutbox?
    let workflows: Workflows
    let refreshInterval: Duration
    private var counted: ContinuousClock.Instant?
    private var counting: Task<Void, Never>?

    init(
        registry: PrometheusCollectorRegistry, status: StatusStore, meldingen: MeldingOutbox? = nil, workflows: Workflows,
        refreshInterval: Duration = .seconds(5)
    ) {
        self.registry = registry
        self.status = status
        self.meldingen = meldingen
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
        let task = Task { [registry, status, meldingen, workflows] in
            await Self.count(registry: registry, status: status, workflows: workflows)
            await Self.count(registry: registry, meldingen: meldingen)
        }
        counting = task
        await task.value
        counting = nil
        counted = .now
    }

    /// The outbox's figures; left as they were when the database cannot be read.
    static func count(registry: PrometheusCollectorRegistry, meldingen: MeldingOutbox?) async {
        guard let meldingen, let stand = try? await meldingen.stand(now: Date()) else { return }
        let factory = PrometheusMetricsFactory(registry: registry)
        for (status, count) in [
            ("wachtend", stand.wachtend), ("bezig", stand.bezig), ("verzonden", stand.verzonden), ("mislukt", stand.mislukt),
        ] {
            Gauge(label: "ddas_meldingen", dimensions: [("status", status)], factory: factory).record(count)
        }
        Gauge(label: "ddas_meldingen_oudste_wachtend_seconden", factory: factory).record(stand.oudsteWachtendSeconden)
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
