import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

/// Requests that once could crash the service or slip past its checks: numbers at their
/// edges, control characters in text, and the labels people read.
@Suite("Hardening")
struct HardeningTests {
    /// Every list the OpenAPI document gives paging parameters, a gemeente's filled in.
    static func lists() throws -> [(path: String, role: Role)] {
        let document = try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.json()) as? [String: Any])
        var lists: [(path: String, role: Role)] = []
        for (path, methods) in document["paths"] as? [String: [String: Any]] ?? [:] {
            let operation = methods["get"] as? [String: Any]
            let parameters = operation?["parameters"] as? [[String: Any]] ?? []
            guard parameters.contains(where: { $0["name"] as? String == "pagina" }) else { continue }
            let roles = (operation?["x-roles"] as? [String] ?? []).compactMap(Role.init(rawValue:))
            lists.append(
                (path.replacingOccurrences(of: "{gemeentecode}", with: "GM0014"), roles.contains(.projectteam) ? .projectteam : .admin))
        }
        return lists.sorted { $0.path < $1.path }
    }

    @Test("pagina and paginaGrootte at their edges: 400 naming the allowed range outside it, a page inside it, never a crash")
    func pagingEdges() async throws {
        let app = try await TestApp.make()
        let outside = ["0", "-1", "100001", "9223372036854775807", "-9223372036854775808", "100000000000000000000", "1e3", "", "abc"]
        let lists = try Self.lists()
        #expect(lists.count >= 6, "\(lists.map(\.path))")
        let admin = try await app.headers(.admin)
        try await app.application().test(.router) { client in
            for (list, role) in lists {
                let headers = role == .admin ? admin : app.projectteam
                for value in outside {
                    try await client.execute(uri: "\(list)?pagina=\(value)", method: .get, headers: headers) { response in
                        #expect(response.status == .badRequest, "\(list)?pagina=\(value)")
                        #expect(response.problem()?.invalidParams?.first?.reason == "must be a whole number from 1 to 100000")
                    }
                }
                for value in ["0", "-1", "501", "9223372036854775807", "-9223372036854775808", "100000000000000000000"] {
                    try await client.execute(uri: "\(list)?paginaGrootte=\(value)", method: .get, headers: headers) { response in
                        #expect(response.status == .badRequest, "\(list)?paginaGrootte=\(value)")
                    }
                }
                for query in ["pagina=1", "pagina=100000", "pagina=100000&paginaGrootte=500", "paginaGrootte=1"] {
                    try await client.execute(uri: "\(list)?\(query)", method: .get, headers: headers) { response in
                        #expect(response.status == .ok, "\(list)?\(query)")
                    }
                }
            }
            // The last page number a caller may ask for answers an empty page with the true totals.
            try await client.execute(uri: "/v1/gemeenten?pagina=100000&paginaGrootte=500", method: .get, headers: app.projectteam) {
                response in
                #expect(response.text.contains(#""gemeenten":[]"#))
                #expect(response.text.contains(#""totaal":342"#))
            }
        }
    }

    @Test("the OpenAPI document declares the bounds of every integer parameter")
    func documentedBounds() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.json()) as? [String: Any])
        var integers = 0
        for (_, methods) in document["paths"] as? [String: [String: Any]] ?? [:] {
            for (_, operation) in methods {
                for parameter in (operation as? [String: Any])?["parameters"] as? [[String: Any]] ?? [] {
                    guard let schema = parameter["schema"] as? [String: Any], schema["type"] as? String == "integer" else { continue }
                    integers += 1
                    #expect(schema["minimum"] as? Int == 1, "\(parameter["name"] ?? "")")
                    #expect((schema["maximum"] as? Int).map { $0 == 100_000 || $0 == 500 } == true, "\(parameter["name"] ?? "")")
                }
            }
        }
        #expect(integers >= 12)
    }

    @Test("a control character in any text of a body is a 400 naming the field, and changes nothing")
    func controlCharacters() async throws {
        let app = try await TestApp.make()
        let code = "GM0014"
        let gemeente = try await app.headers(.gemeente, scope: code)
        try await app.application().test(.router) { client in
            let before = try await app.pool.query("SELECT count(*) AS n FROM dpia_akkoorden").first?.decode("n", as: Int.self)
            for character in ["\\u0000", "\\u0007", "\\u001b", "\\u007f", "\\u0085"] {
                let body =
                    #"{"besluitdatum":"2026-10-01","goedkeurendeRol":"college","documentreferentie":"D-1\#(character)x","documentSha256":"\#(String(repeating: "ab", count: 32))"}"#
                try await client.execute(
                    uri: "/v1/gemeenten/\(code)/dpia-akkoorden", method: .post, headers: gemeente + [.contentType: "application/json"],
                    body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == .badRequest, "\(character)")
                    #expect(response.problem()?.invalidParams?.map(\.name) == ["documentreferentie"])
                    #expect(response.problem()?.invalidParams?.first?.reason == "must not contain control characters")
                }
            }
            let after = try await app.pool.query("SELECT count(*) AS n FROM dpia_akkoorden").first?.decode("n", as: Int.self)
            #expect(before == after)
        }
        #expect(TextInput.hasControlCharacter("regel 1\nregel 2\tmet tab\r\n") == false)
        #expect(TextInput.hasControlCharacter("Groningen") == false)
    }

    @Test("error classes read as Dutch labels in the report, the code stays in JSON")
    func dutchLabels() {
        #expect(FoutKlasse.label("signature") == "ondertekening ongeldig")
        #expect(FoutKlasse.label("foreignGemeente") == "gegevens van een andere gemeente")
        #expect(FoutKlasse.label("validation") == "te veel fouten in de gegevens")
        #expect(FoutKlasse.label("nieuwe_klasse") == "overige fout (nieuwe_klasse)")
        for (code, label) in FoutKlasse.labels {
            #expect(label != code && !label.isEmpty)
        }
    }

    @Test("a delivery given up for its signature reads 'ondertekening ongeldig' on the gemeente's page; the API keeps the code")
    func labelOnThePage() async throws {
        let app = try await TestApp.make()
        let queue = LeveringQueue(pool: app.pool)
        let codes = try LeveringFixtures.gemeenten(1)
        try await LeveringFixtures.grantConsent(codes, pool: app.pool)
        try await queue.enqueue(LeveringFixtures.requests(codes, notBefore: Date().addingTimeInterval(-60)))
        let claimed = try #require(try await queue.claim(owner: "w", limit: 1, perSupplierLimit: 1, lease: .seconds(60), now: Date()).first)
        _ = try await queue.fail(
            claimed.id, owner: "w", failure: LeveringFailure(.signature, "digest_mismatch", httpStatus: 200, code: "digest_mismatch"),
            figures: .init(httpStatus: 200), now: Date())
        let session = try await WebPagesTests.session(app, .projectteam)
        try await app.application().test(.router) { client in
            try await client.execute(
                uri: "/gemeenten/\(codes[0].rawValue)", method: .get, headers: WebPagesTests.cookie(session)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("opgegeven (ondertekening ongeldig)"))
                #expect(!response.text.contains("(signature)"))
            }
            try await client.execute(uri: "/v1/leveringen/\(claimed.id.uuidString)", method: .get, headers: app.projectteam) { response in
                #expect(response.text.contains(#""laatsteFoutKlasse":"signature""#))
            }
        }
        await app.pool.close()
    }

    @Test("the CSV of ddas-regie standaardiseer and of the API defuse formulas alike")
    func formulas() {
        for text in ["=1+1", "+31 6", "-5", "@SUM(A1)", "\tx", "\rx"] {
            #expect(CSVTable.defused(text) == "'" + text)
        }
        #expect(CSVTable.defused("Schuldhulp") == "Schuldhulp")
    }

    @Test("an HTTP connection that sends nothing is closed after the idle timeout")
    func idleConnectionsClosed() async throws {
        let app = try await TestApp.make()
        let port = try RegieProcess.freePort()
        let server = application(
            router: buildRouter(app.dependencies), address: .init(host: "127.0.0.1", port: port), idleTimeout: .seconds(1), services: [],
            logger: TestPostgres.logger)
        try await server.test(.live) { client in
            // The test client's own connection may sit idle past the timeout before its first request on a loaded
            // machine, so the answer is asked on a connection of its own.
            let answer = try await Task.detached { try IdleSocket.statusLine(port: client.port ?? port, path: "/health/live") }.value
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
            let started = ContinuousClock.now
            let closed = try await Task.detached { try IdleSocket.waitForClose(port: client.port ?? port, atMost: 15) }.value
            #expect(closed, "the server kept an idle connection open")
            #expect(ContinuousClock.now - started < .seconds(10))
        }
        await app.pool.close()
    }
}

/// A TCP connection that sends nothing and waits for the server to close it.
enum IdleSocket {
    /// Connects to 127.0.0.1:`port`; true when the server closes within `atMost` seconds.
    static func waitForClose(port: Int, atMost seconds: Int) throws -> Bool {
        let descriptor = try connected(port: port, timeout: seconds)
        defer { close(descriptor) }
        var byte: UInt8 = 0
        // 0: the server closed the connection; -1 with EAGAIN: it was still open at the timeout.
        return recv(descriptor, &byte, 1, 0) == 0
    }

    /// Sends one GET for `path` on a new connection and returns the first line of the answer.
    static func statusLine(port: Int, path: String) throws -> String {
        let descriptor = try connected(port: port, timeout: 15)
        defer { close(descriptor) }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard send(descriptor, request, request.count, 0) == request.count else { throw POSIXError(.EPIPE) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { throw POSIXError(.ECONNRESET) }
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        return String(text.prefix { $0 != "\r" && $0 != "\n" })
    }

    private static func connected(port: Int, timeout seconds: Int) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return descriptor
    }
}
