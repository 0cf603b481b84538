import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Prometheus
import RegieDomain
import RegieTestSupport
import Testing

@testable import RegieApp

@Suite("GET /metrics: the Prometheus text format")
struct MetricsEndpointTests {
    @Test("gemeenten per phase at each scrape, and what the delivery engine recorded; no token needed, on the worker's router too")
    func scrape() async throws {
        let app = try await TestApp.make()
        let metrics = DeliveryMetrics(factory: PrometheusMetricsFactory(registry: app.dependencies.metrics))
        metrics.ended("geslaagd", errorClass: nil, pullDuration: .milliseconds(250))
        metrics.ended("opgegeven", errorClass: "signature", pullDuration: .seconds(1))
        metrics.rescued(2)
        metrics.queue(byState: ["gepland": 7], waiting: 3, oldestWaitingSeconds: 42)
        for router in [buildRouter(app.dependencies), buildHealthRouter(app.dependencies)] {
            try await app.application(router: router).test(.router) { client in
                let text = try await client.execute(uri: "/metrics", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                    return String(buffer: response.body)
                }
                #expect(text.contains(#"ddas_gemeenten{fase="aangemeld"} 342"#), "\(text.prefix(800))")
                #expect(text.contains("ddas_database_bereikbaar 1"))
                #expect(text.contains(#"ddas_leveringen_afgerond_total{uitkomst="geslaagd"} 1"#))
                #expect(text.contains(#"ddas_levering_pogingen_total{fout="signature"} 1"#))
                #expect(text.contains("ddas_leveringen_gered_total 2"))
                #expect(text.contains(#"ddas_leveringen{status="gepland"} 7"#))
                #expect(text.contains("ddas_wachtrij_diepte 3"))
                #expect(
                    text.contains("# TYPE ddas_levering_pull_duur histogram") || text.contains("# TYPE ddas_levering_pull_duur summary"))
            }
        }
        await app.pool.close()
    }
}
