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

    /// How many active gemeenten are past the due month of a phase they have not reached.
    func overdueCount() async throws -> Int {
        let status = StatusStore(pool: pool)
        let now = Date()
        let entries = try await status.phaseEntries()
        let engine = WorkflowEngine(workflows.gemeente)
        return try await status.rows(now: now).filter { row in
            let main = VoortgangReport.mainPhase(row, entries: entries[row.gemeente.code.rawValue] ?? [], definition: workflows.gemeente)
            return engine.overdue(phase: main, now: now)
        }.count
    }

    @Sendable func scrape(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let factory = PrometheusMetricsFactory(registry: registry)
        do {
            var phases: [String: Int] = [:]
            for row in try await pool.query("SELECT fase, count(*) AS n FROM gemeenten WHERE active GROUP BY fase") {
                phases[try row.decode("fase", as: String.self)] = try row.decode("n", as: Int.self)
            }
            for (phase, count) in phases {
                Gauge(label: "ddas_gemeenten", dimensions: [("fase", phase)], factory: factory).record(count)
            }
            Gauge(label: "ddas_gemeenten_achterstallig", factory: factory).record(try await overdueCount())
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
