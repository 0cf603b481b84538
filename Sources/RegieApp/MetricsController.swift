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
/// class and phase only). Besides what the delivery engine records as it works
/// (``DeliveryMetrics``) and the HTTP requests (``HTTPMetricsMiddleware``), each scrape counts
/// the gemeenten per phase (`ddas_gemeenten{fase}`) and those overdue (`ddas_gemeenten_achterstallig`).
struct MetricsController {
    let registry: PrometheusCollectorRegistry
    let pool: PostgresPool
    let workflows: Workflows

    func addRoutes(to routes: APIRoutes) {
        routes.get("/metrics", roles: nil, use: scrape)
    }

    @Sendable func scrape(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let factory = PrometheusMetricsFactory(registry: registry)
        do {
            // One read of the gemeenten and their phase moves gives both the phases and who is overdue.
            let now = Date()
            let entries = try await StatusStore(pool: pool).phaseEntries()
            let engine = WorkflowEngine(workflows.gemeente)
            var phases: [String: Int] = [:]
            var overdue = 0
            for row in try await pool.query("SELECT code, fase FROM gemeenten WHERE active") {
                let fase: String = try row.decode("fase")
                phases[fase, default: 0] += 1
                let main = VoortgangReport.mainPhase(
                    of: fase, entries: entries[try row.decode("code", as: String.self)] ?? [], definition: workflows.gemeente)
                if engine.overdue(phase: main, now: now) { overdue += 1 }
            }
            for (phase, count) in phases {
                Gauge(label: "ddas_gemeenten", dimensions: [("fase", phase)], factory: factory).record(count)
            }
            Gauge(label: "ddas_gemeenten_achterstallig", factory: factory).record(overdue)
            Gauge(label: "ddas_database_bereikbaar", factory: factory).record(1)
        } catch {
            // The scrape still answers: a database that is down is itself worth seeing.
            Gauge(label: "ddas_database_bereikbaar", factory: factory).record(0)
        }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        var body = ByteBuffer()
        body.writeBytes(buffer)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .contentLength: String(buffer.count)],
            body: ResponseBody(byteBuffer: body))
    }
}
