import Foundation
import Testing

/// 200 deliveries drained by one service process while its PostgreSQL is restarted (fast
/// shutdown) twice; the process is never restarted.
enum DatabaseRestartScenario {
    static func run() async throws {
        let settings = RigSettings(gemeenten: 100, recordsPerMonth: 150, pageSize: 200)
        try await ServiceRig.with("restart", settings) { rig in
            #expect(try await rig.enqueue(quarters: [1, 2], maxAttempts: 5) == 200)
            let service = try rig.serve(role: "all")
            let cluster = try await ReliabilityCluster.shared.value
            var restarts = 0
            var inFlight: [Int] = []
            for moment in [40 + Int.random(in: 0...30), 110 + Int.random(in: 0...30)] {
                let done = try await rig.waitForSuccesses(moment, within: 180) { !service.process.hasExited }
                #expect(done >= moment, "\(service.process.output().suffix(1_500))")
                inFlight.append(try await rig.statuses()["bezig"] ?? 0)
                try await cluster.restart()
                restarts += 1
            }
            let final = try await rig.waitUntilSettled(within: 300) { !service.process.hasExited }
            #expect(!service.process.hasExited, "the service kept running through the restarts")
            let ready = try await HTTP.get("\(service.base)/health/ready")
            #expect(ready.status == 200, "ready again after the restarts: \(ready.text.prefix(300))")
            #expect(await rig.stop(service) == 0)
            #expect(final == ["geslaagd": 200], "\(final)")
            let check = try await rig.checkHandOvers()
            #expect(check.isClean, "\(check)")
            let audit = try await rig.auditVerify()
            #expect(audit.status == 0, "\(audit.output)")
            Figures.record(
                Scenario.databaseRestart,
                "\(check.deliveries) deliveries, \(restarts) PostgreSQL restarts (with \(inFlight.map(String.init).joined(separator: ", ")) running), service process restarted 0 times, \(final["geslaagd"] ?? 0) geslaagd, \(check.rescued) rescued, \(check.duplicates) duplicates, \(check.lost) lost, \(check.sinkMismatches) sink mismatches, audit chain \(audit.status == 0 ? "intact" : "BROKEN")"
            )
        }
    }
}
