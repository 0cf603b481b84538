import Foundation
import Testing

/// 300 deliveries (100 gemeenten, two suppliers, three quarters, pages of 200 records)
/// drained by two worker processes. Three times, at a random number of finished deliveries,
/// the process that holds pulls at that moment is killed with SIGKILL mid-pull and started
/// again. (The per-supplier limit is shared, so one process may hold every slot for a
/// while; killing the one that holds work is what tests the rescue.)
enum CrashScenario {
    static func run() async throws {
        let settings = RigSettings(gemeenten: 100, recordsPerMonth: 150, pageSize: 200)
        try await ServiceRig.with("crash", settings) { rig in
            #expect(try await rig.enqueue(quarters: [1, 2, 3], maxAttempts: 5) == 300)
            var processes = [try rig.serve(role: "worker"), try rig.serve(role: "worker")]
            func alive() -> Bool { processes.allSatisfy { !$0.process.hasExited } }
            var killed: [Int] = []
            for round in 0..<3 {
                // A random moment: somewhere within the next 60 deliveries.
                let moment = round * 70 + Int.random(in: 20...60)
                let done = try await rig.waitForSuccesses(moment, within: 180, while: alive)
                #expect(done >= moment, "\(processes[0].process.output().suffix(1_500))")
                // The process that holds pulls right now.
                var victim: Int?
                var holding = 0
                let deadline = ContinuousClock.now + .seconds(60)
                while victim == nil && ContinuousClock.now < deadline && alive() {
                    for (index, service) in processes.enumerated() {
                        let held = try await rig.leases(heldBy: service.process.pid)
                        if held > holding { (victim, holding) = (index, held) }
                    }
                    if victim == nil { try await Task.sleep(for: .milliseconds(20)) }
                }
                let index = try #require(victim, "a process holds pulls")
                kill(processes[index].process.pid, SIGKILL)
                #expect(await processes[index].process.exitStatus() == 128 + SIGKILL)
                await ServiceRig.logs.add(processes[index].process.output())
                killed.append(holding)
                processes[index] = try rig.serve(role: "worker")
            }
            let final = try await rig.waitUntilSettled(within: 300, while: alive)
            // A kill between a hand-over's commit and its manifest leaves the manifest to be
            // sent again by the workers: the sink is whole once they did.
            let unconfirmed = try await rig.waitUntilManifestsConfirmed(within: 120, while: alive)
            #expect(unconfirmed == 0, "manifests the sink never confirmed: \(unconfirmed)")
            for service in processes { #expect(await rig.stop(service) == 0) }
            #expect(final == ["geslaagd": 300], "\(final)")
            let check = try await rig.checkHandOvers()
            #expect(check.isClean, "\(check)")
            #expect(check.rescued >= killed.count, "every kill left at least one pull for the rescuer: \(check.rescued)")
            let audit = try await rig.auditVerify()
            #expect(audit.status == 0, "\(audit.output)")
            Figures.record(
                Scenario.crash,
                "\(check.deliveries) deliveries, 100 gemeenten, 2 suppliers, 2 worker processes; \(killed.count) SIGKILLs of the process holding pulls (it held \(killed.map(String.init).joined(separator: ", "))), each restarted; \(check.rescued) rescued, \(check.duplicates) duplicates, \(check.lost) lost, \(check.pages) pages in the sink exactly as recorded (\(check.sinkMismatches) mismatches), audit chain \(audit.status == 0 ? "intact" : "BROKEN")"
            )
        }
    }
}
