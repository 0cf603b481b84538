import Foundation
import RegieTestSupport
import Testing

/// `serve --demo` on a fresh data folder, five times: the demonstration's first test pulls
/// (some 230 hand-overs, many of one supplier service at once) run without a single
/// deadlock in the PostgreSQL log and without a delivery failing for an internal reason.
enum DemoStartScenario {
    static let runs = 5

    /// The value of the counter `ddas_leveringen_afgerond_total{uitkomst="<outcome>"}` in a scrape.
    static func ended(_ outcome: String, in text: String) -> Int {
        let prefix = #"ddas_leveringen_afgerond_total{uitkomst="\#(outcome)"} "#
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }.map { Int($0) }
            ?? 0
    }

    static func run() async throws {
        var lines: [String] = []
        var deadlocks = 0
        var internalFailures = 0
        for run in 1...runs {
            let folder = try TestPostgres.temporaryFolder("ddas-demo")
            let port = try RegieProcess.freePort()
            let process = try RegieProcess.start(["serve", "--demo", "--data-dir", folder + "/pg", "--port", String(port)])
            let base = "http://127.0.0.1:\(port)"
            let started = ContinuousClock.now
            var handedOver = 0
            var last = (count: -1, since: ContinuousClock.now)
            // Until the test pulls stop coming in: 200 handed over, or none more for 15 s, or 240 s.
            while ContinuousClock.now - started < .seconds(240) && !process.hasExited {
                if let scrape = try? await HTTP.get("\(base)/metrics"), scrape.status == 200 {
                    handedOver = ended("geslaagd", in: scrape.text)
                    if handedOver != last.count { last = (handedOver, ContinuousClock.now) }
                    if handedOver >= 200 || (handedOver > 0 && ContinuousClock.now - last.since > .seconds(15)) { break }
                }
                try await Task.sleep(for: .seconds(1))
            }
            kill(process.pid, SIGINT)
            let status = await process.exitStatus()
            let log = (try? String(contentsOfFile: folder + "/pg/postgresql.log", encoding: .utf8)) ?? ""
            let found = log.components(separatedBy: "deadlock detected").count - 1
            let output = process.output()
            let failed = output.components(separatedBy: "delivery failed unexpectedly").count - 1
            let retried = output.components(separatedBy: "transaction lost to a concurrent one").count - 1
            deadlocks += found
            internalFailures += failed
            #expect(status == 0, "run \(run): \(output.suffix(1_000))")
            #expect(handedOver >= 100, "run \(run): only \(handedOver) test pulls handed over")
            lines.append("run \(run): \(handedOver) handed over, \(found) deadlocks, \(retried) retried in place, \(failed) internal")
        }
        #expect(deadlocks == 0, "\(lines)")
        #expect(internalFailures == 0, "\(lines)")
        Figures.record(
            Scenario.demoStart,
            "serve --demo on a fresh data folder \(runs) times: \(deadlocks) deadlocks in the PostgreSQL log, \(internalFailures) deliveries failed for an internal reason; "
                + lines.joined(separator: "; "))
    }
}
