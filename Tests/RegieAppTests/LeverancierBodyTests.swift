import DDASSignature
import DDASTestPKI
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import RegieDomain
import RegieTestSupport
import Testing

@testable import DDASClient

/// A supplier (or Outway) that sends more than it may: the body is streamed to disk while it
/// is hashed and refused at the configured size, never collected in memory.
@Suite("Bodies past the configured size")
struct LeverancierBodyTests {
    /// A supplier that declares 1 GiB and stalls (10 s) after 64 KiB, and one that streams 64 MiB without declaring a length.
    static func application() -> some ApplicationProtocol {
        let router = Router()
        router.post("/declared/gegevens") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(contentLength: 1 << 30) { writer in
                    try await writer.write(ByteBuffer(repeating: UInt8(ascii: " "), count: 1 << 16))
                    // A stall far longer than a refusal may take, even on a loaded machine.
                    try await Task.sleep(for: .seconds(30))
                })
        }
        router.post("/endless/gegevens") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody { writer in
                    for _ in 0..<1024 { try await writer.write(ByteBuffer(repeating: UInt8(ascii: " "), count: 1 << 16)) }
                    try await writer.finish(nil)
                })
        }
        return Application(router: router)
    }

    func transport(port: Int, path: String) throws -> LeverancierTransport {
        try LeverancierTransport(
            connection: LeverancierConnection(
                leverancierID: "x", stroom: "VS", baseURL: try #require(URL(string: "http://127.0.0.1:\(port)/\(path)")), oauth: nil,
                trustAnchors: "", supplierIdentity: SignerExpectation(oin: TestPKI.leverancierOIN), schemaVersion: "1.2", pageSize: 100,
                timeouts: .init(connect: .seconds(5), read: .seconds(30), total: .seconds(60)), maxResponseBytes: 1 << 20))
    }

    @Test("a body declared at 1 GiB is refused before it is read; one streamed past the size is refused there; neither is left on disk")
    func refused() async throws {
        let folder = URL(fileURLWithPath: try TestPostgres.temporaryFolder("ddas-body"))
        try await Self.application().test(.live) { client in
            let port = try #require(client.port)
            for path in ["declared", "endless"] {
                let transport = try transport(port: port, path: path)
                let file = folder.appendingPathComponent("\(path).ontvangen")
                let started = ContinuousClock.now
                do throws(LeveringFailure) {
                    _ = try await transport.postGegevens(body: Array("{}".utf8), digest: "", signature: "", page: 1, into: file)
                    Issue.record("\(path): the body was taken")
                } catch {
                    #expect(error.klasse == .responseTooLarge, "\(path): \(error)")
                    #expect(!error.isRetryable)
                }
                #expect(ContinuousClock.now - started < .seconds(20), "\(path): refused at once, not after the stall")
                #expect(!FileManager.default.fileExists(atPath: file.path), "\(path): nothing of it stays on disk")
                try await transport.shutdown()
            }
        }
    }

    @Test("pages wait for room in the process's page memory, first come first served; one larger than all of it runs alone")
    func pageMemory() async throws {
        let memory = PageMemory(budget: 100, factor: 4)
        #expect(await memory.cost(ofPage: 10) == 40)
        #expect(await memory.cost(ofPage: 1_000) == 100)
        #expect(await memory.cost(ofPage: Int.max) == 100)
        let first = await memory.reserve(page: 20)
        let second = await memory.reserve(page: 5)
        #expect(await memory.inUse == 100)
        let waiting = Task { await memory.reserve(page: 1) }
        while await memory.waitingCount == 0 { await Task.yield() }
        #expect(await memory.inUse == 100)
        await memory.release(second)
        #expect(await waiting.value == 4)
        await memory.release(first)
        await memory.release(4)
        #expect(await memory.inUse == 0)
    }
}
