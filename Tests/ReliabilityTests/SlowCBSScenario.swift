import Foundation
import Hummingbird
import NIOCore
import RegieDomain
import RegieTestSupport
import Synchronization
import Testing

/// A CBS intake that takes `stall` over every page: it keeps which deliveries it is taking
/// pages of, which got their manifest and which were discarded.
final class SlowIntake: Sendable {
    let stall: Duration
    let staging = Mutex<Set<String>>([])
    let committed = Mutex<Set<String>>([])
    let discarded = Mutex<Set<String>>([])

    init(stall: Duration) {
        self.stall = stall
    }

    func application(port: Int) -> some ApplicationProtocol {
        let router = Router()
        router.put("/intake/leveringen/:id/paginas/:n") { request, context -> Response in
            let id = context.parameters.get("id") ?? ""
            _ = try await request.body.collect(upTo: 64 << 20)
            self.staging.withLock { _ = $0.insert(id) }
            try await Task.sleep(for: self.stall)
            return Response(status: .noContent)
        }
        router.put("/intake/leveringen/:id/manifest") { request, context -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            self.committed.withLock { _ = $0.insert(context.parameters.get("id") ?? "") }
            return Response(status: .noContent)
        }
        router.delete("/intake/leveringen/:id") { _, context -> Response in
            self.discarded.withLock { _ = $0.insert(context.parameters.get("id") ?? "") }
            return Response(status: .noContent)
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
    }
}

/// A CBS intake that takes 30 s over every page, while four deliveries are handed over: the
/// API answers as fast as before, a revocation commits within a second, and the revoked
/// delivery is discarded, never committed.
enum SlowCBSScenario {
    static func latencies(_ url: String, token: String, count: Int) async throws -> [Double] {
        var seconds: [Double] = []
        for _ in 0..<count {
            let started = ContinuousClock.now
            let answer = try await HTTP.get(url, token: token)
            #expect(answer.status == 200)
            seconds.append(Self.seconds(ContinuousClock.now - started))
        }
        return seconds.sorted()
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func run() async throws {
        let intake = SlowIntake(stall: .seconds(30))
        let port = try RegieProcess.freePort()
        let server = Task { try await intake.application(port: port).run() }
        defer { server.cancel() }
        let settings = RigSettings(
            gemeenten: 4, recordsPerMonth: 30, pageSize: 100, pageDelayMilliseconds: 0, sinkURL: "http://127.0.0.1:\(port)/intake")
        try await ServiceRig.with("slow_cbs", settings) { rig in
            let projectteam = try await rig.token(.projectteam)
            let revoked = rig.codes[1]
            let gemeente = try await rig.token(.gemeente, scope: revoked.rawValue)
            let service = try rig.serve(role: "all")
            do {
                #expect(try await HTTP.waitUntilReady(service), "\(service.process.output().suffix(1_500))")
                let read = "\(service.base)/v1/gemeenten/\(rig.codes[0].rawValue)"
                let before = try await latencies(read, token: projectteam, count: 30)
                try await rig.enqueue(quarters: [3], maxAttempts: 3)
                let deadline = ContinuousClock.now + .seconds(60)
                while intake.staging.withLock({ $0.count }) < 4 && ContinuousClock.now < deadline && !service.process.hasExited {
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(intake.staging.withLock { $0.count } == 4, "every hand-over is at the intake")
                let during = try await latencies(read, token: projectteam, count: 30)
                let consent = try #require(
                    try await rig.pool.query(
                        "SELECT id FROM toestemmingen WHERE gemeente_code = $1 AND ingetrokken_op IS NULL", [revoked.rawValue]
                    )
                    .first?.decode("id", as: UUID.self))
                let started = ContinuousClock.now
                let revocation = try await HTTP.send(
                    .POST, "\(service.base)/v1/gemeenten/\(revoked.rawValue)/toestemmingen/\(consent.uuidString.lowercased())/intrekkingen",
                    token: gemeente, body: HTTP.json(["reden": "betrouwbaarheidsproef"]))
                let revocationSeconds = seconds(ContinuousClock.now - started)
                #expect(revocation.status == 201, "\(revocation.text)")
                #expect(revocationSeconds < 1, "the revocation waited for the intake")
                let stillStaging = intake.committed.withLock { $0.isEmpty }
                #expect(stillStaging, "the intake was still taking the pages when the revocation committed")
                let settled = try await rig.waitUntilSettled(within: 120) { !service.process.hasExited }
                #expect(settled == ["geslaagd": 3, "geannuleerd": 1], "\(settled)")
                let revokedDelivery = try #require(
                    try await rig.pool.query("SELECT id FROM leveringen WHERE gemeente_code = $1", [revoked.rawValue]).first?.decode(
                        "id", as: UUID.self)
                ).uuidString.lowercased()
                // The manifest goes to the intake right after the success is recorded (the
                // manifest holds only a committed success): wait for it, with a deadline.
                let manifestDeadline = ContinuousClock.now + .seconds(20)
                while intake.committed.withLock({ $0.count }) < 3, ContinuousClock.now < manifestDeadline {
                    try await Task.sleep(for: .milliseconds(50))
                }
                let committed = intake.committed.withLock { $0 }
                #expect(committed.count == 3 && !committed.contains(revokedDelivery), "\(committed)")
                #expect(intake.discarded.withLock { $0 } == [revokedDelivery])
                let p99 = { (values: [Double]) in values[min(values.count - 1, Int(Double(values.count) * 0.99))] }
                #expect(p99(during) < max(1, p99(before) * 5), "reads while CBS is slow: \(during), before: \(before)")
                Figures.record(
                    Scenario.slowCBS,
                    String(
                        format:
                            "CBS intake stalls 30 s on every page, 4 hand-overs at once: GET of a gemeente p99 %.3f s before, %.3f s during; a revocation committed in %.3f s; %d committed, the revoked delivery discarded (%@), never committed",
                        p99(before), p99(during), revocationSeconds, committed.count,
                        intake.discarded.withLock { $0 }.contains(revokedDelivery) ? "yes" : "no"))
            } catch {
                await rig.stop(service)
                throw error
            }
            #expect(await rig.stop(service) == 0)
        }
    }
}
