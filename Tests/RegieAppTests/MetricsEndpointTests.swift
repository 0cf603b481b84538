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
        let metrics = LeveringMetrics(factory: PrometheusMetricsFactory(registry: app.dependencies.metrics))
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
                #expect(text.contains("ddas_gemeenten_achterstallig 342"), "every gemeente is past the DPIA's due month")
            }
        }
        try await app.application().test(.router) { client in
            _ = try await client.execute(uri: "/v1/gemeenten/GM0363", method: .get, headers: app.projectteam) { $0.status }
            _ = try await client.execute(uri: "/v1/gemeenten/GM0014", method: .get, headers: app.projectteam) { $0.status }
            _ = try await client.execute(uri: "/v1/gemeenten/GM0014", method: .get) { $0.status }
            let text = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            let samples = try PrometheusText.parse(text)
            let requests = samples.filter { $0.name == "ddas_http_verzoeken_total" }
            let found = requests.filter { $0.labels["route"]?.contains("gemeentecode") == true }
            let ok = found.first { $0.labels["status"] == "200" }?.value
            let unauthorized = found.first { $0.labels["status"] == "401" }?.value
            #expect(ok == 2, "one route for both gemeenten: \(found)")
            #expect(unauthorized == 1, "\(found)")
            let leaked = requests.filter { sample in sample.labels.values.contains { value in value.contains("GM0363") } }
            #expect(leaked.isEmpty, "no gemeentecode as a label")
            let timed = samples.filter { sample in sample.name.hasPrefix("ddas_http_duur") }
            #expect(!timed.isEmpty)
        }
        await app.pool.close()
    }

    @Test("the gemeenten are counted in the database at most once per interval, however often /metrics is scraped")
    func countedOncePerInterval() async throws {
        let app = try await TestApp.make()
        var dependencies = app.dependencies
        dependencies.databaseGauges = DatabaseGauges(
            registry: dependencies.metrics, status: dependencies.stores.status, workflows: dependencies.onboarding.workflows,
            refreshInterval: .seconds(3600))
        @Sendable func countedAt(_ client: some TestClientProtocol) async throws -> Double? {
            let text = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            return try PrometheusText.parse(text).first { $0.name == "ddas_gemeenten_berekend_op" }?.value
        }
        try await app.application(router: buildRouter(dependencies)).test(.router) { client in
            let counted = try await countedAt(client)
            let first = try #require(counted)
            // Ten scrapes after a change of phase: the same count, read once.
            try await app.pool.query("UPDATE gemeenten SET fase = 'dpia_akkoord' WHERE code = 'GM0014'")
            var again = Set<Double?>()
            for _ in 0..<10 { again.insert(try await countedAt(client)) }
            #expect(again == [first])
            let text = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(text.contains(#"ddas_gemeenten{fase="aangemeld"} 342"#))
        }
        // With an interval of zero every scrape counts anew and sees the change.
        dependencies.databaseGauges = DatabaseGauges(
            registry: dependencies.metrics, status: dependencies.stores.status, workflows: dependencies.onboarding.workflows,
            refreshInterval: .zero)
        try await app.application(router: buildRouter(dependencies)).test(.router) { client in
            let text = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(text.contains(#"ddas_gemeenten{fase="aangemeld"} 341"#))
        }
        await app.pool.close()
    }

    @Test("with metrics on an address of their own, the API's address has no /metrics")
    func metricsOffTheAPI() async throws {
        let app = try await TestApp.make()
        try await app.application(router: buildRouter(app.dependencies, withMetrics: false)).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/health/live", method: .get) { #expect($0.status == .ok) }
        }
        await app.pool.close()
    }

    @Test("the strict parser refuses what the text format does not allow")
    func parser() throws {
        for bad in ["ddas x", "1abc 1", "ddas{a=\"b} 1", "ddas{a=b} 1", "# TYPE ddas tellertje\nddas 1", "ddas 1"] {
            #expect(throws: PrometheusText.Invalid.self, "\(bad)") { try PrometheusText.parse(bad) }
        }
        let parsed = try PrometheusText.parse("# HELP d een\n# TYPE d gauge\nd{x=\"a\\\"b\"} 1.5e3\n")
        #expect(parsed == [PrometheusText.Sample(name: "d", labels: ["x": "a\"b"], value: 1500)])
    }
}
