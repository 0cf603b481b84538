import Foundation
import Hummingbird
import NIOCore
import RegieDomain
import RegieTestSupport
import Testing

/// Suppliers that send 1 GiB: one declares it and stalls after 1 MiB, the other streams it
/// without declaring a length. Each delivery ends `opgegeven` (`responseTooLarge`) within
/// seconds, and the service's peak memory stays far below the body.
enum HugeBodyScenario {
    static let gibibyte = 1 << 30

    /// A supplier at `/<name>/v1` that answers the token request, and every page as `declared` or `streamed`.
    static func application(port: Int) -> some ApplicationProtocol {
        let router = Router()
        for name in ["declared", "streamed"] {
            router.post("/\(name)/v1/oauth/token") { _, _ -> Response in
                var buffer = ByteBuffer()
                buffer.writeString(#"{"access_token":"huge","token_type":"Bearer","expires_in":3600}"#)
                return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
            }
        }
        let chunk = ByteBuffer(repeating: UInt8(ascii: " "), count: 1 << 20)
        router.post("/declared/v1/gegevens") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(contentLength: gibibyte) { writer in
                    try await writer.write(chunk)
                    try await Task.sleep(for: .seconds(20))
                })
        }
        router.post("/streamed/v1/gegevens") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody { writer in
                    for _ in 0..<(gibibyte >> 20) { try await writer.write(chunk) }
                    try await writer.finish(nil)
                })
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
    }

    /// A field of `/proc/<pid>/status` in bytes (`VmRSS`, `VmHWM`).
    static func memory(_ field: String, of pid: pid_t) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1024 }
        }
        return nil
    }

    static func run() async throws {
        let port = try RegieProcess.freePort()
        let server = Task { try await application(port: port).run() }
        defer { server.cancel() }
        let settings = RigSettings(
            gemeenten: 2, recordsPerMonth: 30, pageSize: 100, pageDelayMilliseconds: 0, readTimeoutSeconds: 5,
            baseURLs: ["xxllnc": "http://127.0.0.1:\(port)/declared/v1", "bkr": "http://127.0.0.1:\(port)/streamed/v1"])
        try await ServiceRig.with("huge_body", settings) { rig in
            let service = try rig.serve(role: "all")
            do {
                #expect(try await HTTP.waitUntilReady(service), "\(service.process.output().suffix(1_500))")
                let resident = try #require(memory("VmRSS", of: service.process.pid))
                let started = ContinuousClock.now
                try await rig.enqueue(quarters: [3], maxAttempts: 3)
                let settled = try await rig.waitUntilSettled(within: 120) { !service.process.hasExited }
                let seconds = SlowCBSScenario.seconds(ContinuousClock.now - started)
                #expect(settled == ["opgegeven": 2], "\(settled)")
                let classes = try await rig.pool.query("SELECT DISTINCT laatste_fout_klasse FROM leveringen").map {
                    try $0.decode("laatste_fout_klasse", as: String.self)
                }
                #expect(classes == ["responseTooLarge"])
                let peak = try #require(memory("VmHWM", of: service.process.pid))
                let growth = max(0, peak - resident)
                #expect(growth < 128 << 20, "the peak grew by \(growth >> 20) MiB for bodies of 1 GiB")
                #expect(!service.process.hasExited)
                Figures.record(
                    Scenario.hugeBody,
                    String(
                        format:
                            "two suppliers send 1 GiB (declared and stalled; streamed without a length) against a limit of 256 MiB: both deliveries opgegeven (responseTooLarge) within %.1f s; peak memory %d MiB, %d MiB above the %d MiB before",
                        seconds, peak >> 20, growth >> 20, resident >> 20))
            } catch {
                await rig.stop(service)
                throw error
            }
            #expect(await rig.stop(service) == 0)
        }
    }
}
