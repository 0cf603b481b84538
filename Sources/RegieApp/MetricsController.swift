import CoreMetrics
import Foundation
import HTTPTypes
import Hummingbird
import Postgres
import Prometheus

/// `GET /metrics`: the process's metrics in the Prometheus text format, for a scraper inside
/// the cluster (no token, like the health endpoints; they hold counts by state, outcome, error
/// class and phase only). Besides what the delivery engine records as it works
/// (``DeliveryMetrics``), each scrape counts the gemeenten per phase (`ddas_gemeenten{fase}`).
struct MetricsController {
    let registry: PrometheusCollectorRegistry
    let pool: PostgresPool

    func addRoutes(to routes: APIRoutes) {
        routes.get("/metrics", roles: nil, use: scrape)
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
