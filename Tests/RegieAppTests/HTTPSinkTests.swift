import AsyncHTTPClient
import DDASClient
import Foundation
import Hummingbird
import HummingbirdTesting
import RegieTestSupport
import Synchronization
import Testing

/// A CBS intake for tests: keeps what is PUT, by path, and answers 503 to the first `failures` PUTs.
final class RecordingIntake: Sendable {
    let received = Mutex<[String: (body: [UInt8], digest: String?, signature: String?)]>([:])
    let puts = Mutex(0)
    let failures: Int

    init(failures: Int) {
        self.failures = failures
    }

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.put("/intake/**") { request, context -> Response in
            let count = self.puts.withLock { count in
                count += 1
                return count
            }
            if count <= self.failures { return Response(status: .serviceUnavailable) }
            let body = try await request.body.collect(upTo: 16 << 20)
            self.received.withLock {
                $0[request.uri.path] = (
                    Array(body.readableBytesView), request.headers[.init("Digest")!], request.headers[.init("nlgov-adr-payload-sig")!]
                )
            }
            return Response(status: .noContent)
        }
        return Application(router: router)
    }
}

@Suite("CBS HTTP sink")
struct HTTPSinkTests {
    @Test("pages are PUT as received with their headers, keyed by delivery and page, then the manifest; a 503 is tried again")
    func handOver() async throws {
        let intake = RecordingIntake(failures: 1)
        try await intake.application().test(.live) { client in
            let port = try #require(client.port)
            let staging = PageStaging(root: URL(fileURLWithPath: try TestPostgres.temporaryFolder("ddas-http-sink")))
            let levering = UUID()
            let area = try staging.area(levering: levering, attempt: 1)
            let pages = try (1...2).map {
                try area.stage(
                    number: $0, body: Array("{\"pagina\":\($0)}".utf8), records: 1, digestHeader: "SHA-256=d\($0)",
                    signatureHeader: "s\($0)")
            }
            let manifest = LeveringManifest(
                leveringID: levering, gemeentecode: "GM0363", leverancier: "xxllnc", stroom: "VS", periode: "2026-Q1",
                periodeStart: "2026-01-01", periodeEind: "2026-03-31", doel: "test", pages: pages, overgedragenOp: Date())
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let sink = HTTPSink(url: try #require(URL(string: "http://127.0.0.1:\(port)/intake")), token: nil, client: http)
                try await sink.handOver(manifest, pages: pages)
                try await sink.handOver(manifest, pages: pages)  // repeated: the same keys, the same content
                try await http.shutdown()
            } catch {
                try await http.shutdown()
                throw error
            }
            let id = levering.uuidString.lowercased()
            let received = intake.received.withLock { $0 }
            #expect(
                received.keys.sorted() == [
                    "/intake/leveringen/\(id)/manifest", "/intake/leveringen/\(id)/paginas/1", "/intake/leveringen/\(id)/paginas/2",
                ])
            let page = try #require(received["/intake/leveringen/\(id)/paginas/2"])
            #expect(page.body == Array("{\"pagina\":2}".utf8) && page.digest == "SHA-256=d2" && page.signature == "s2")
            #expect(intake.puts.withLock { $0 } == 7, "one 503, then three PUTs, twice")
        }
    }

    @Test("an intake that refuses (4xx) fails the hand-over at once")
    func refused() async throws {
        let router = Router()
        router.put("/intake/**") { _, _ in Response(status: .forbidden) }
        try await Application(router: router).test(.live) { client in
            let port = try #require(client.port)
            let staging = PageStaging(root: URL(fileURLWithPath: try TestPostgres.temporaryFolder("ddas-http-sink")))
            let levering = UUID()
            let page = try staging.area(levering: levering, attempt: 1).stage(
                number: 1, body: [123, 125], records: 0, digestHeader: "d", signatureHeader: "s")
            let manifest = LeveringManifest(
                leveringID: levering, gemeentecode: "GM0363", leverancier: "xxllnc", stroom: "VS", periode: "2026-Q1",
                periodeStart: "2026-01-01", periodeEind: "2026-03-31", doel: "test", pages: [page], overgedragenOp: Date())
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            let sink = HTTPSink(url: try #require(URL(string: "http://127.0.0.1:\(port)/intake")), token: "t", client: http)
            await #expect(throws: SinkError.self) { try await sink.handOver(manifest, pages: [page]) }
            try await http.shutdown()
        }
    }
}
