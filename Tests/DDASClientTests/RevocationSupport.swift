import AsyncHTTPClient
import DDASClient
import DDASSignature
import DDASTestPKI
import Foundation
import NIOCore
import SupplierSimulator
import X509

/// A simulator serving only the test PKI's revocation services (and one supplier, which it
/// needs to start), with a PKI whose certificates name it.
struct RevocationRig {
    let pki: TestPKI
    let responder: TestRevocationResponder
    let origin: String
    static let adminSecret = "revocation-admin-test-secret"

    /// The chain as the verifier hands it to the checker: signing certificate, intermediate, root.
    func chain(_ identity: TestPKI.Identity) -> [Certificate] { identity.certificateChain + [pki.root] }

    /// Runs `body` with a simulator whose responder answers for a PKI made for it.
    static func run<Result: Sendable>(
        responder: TestRevocationResponder = TestRevocationResponder(), knowing: [Certificate]? = nil,
        _ body: (RevocationRig) async throws -> Result
    ) async throws -> Result {
        let supplier = LeverancierDienst(
            name: "pki", basePath: "/pki-leverancier/v1",
            gemeenten: [SimulatedGemeente(code: "GM0363", organisatie: "Gemeente Amsterdam")!],
            clients: [ClientCredential(id: "regie", secret: "geheim-voor-tests")])
        var configuration = SimulatorConfiguration(suppliers: [supplier])
        configuration.revocation = SimulatedRevocation(responder: responder, basePath: "/pki", adminSecret: adminSecret)
        let simulator = try SupplierSimulator(configuration: configuration)
        return try await simulator.withRunningServer { running in
            let pki = try await TestPKI.generate(revocationBaseURL: running.origin + "/pki")
            await responder.serve(pki: pki, knowing: knowing)
            return try await body(RevocationRig(pki: pki, responder: responder, origin: running.origin))
        }
    }

    /// Revokes a certificate through the simulator's admin endpoint.
    func revokeOverHTTP(serialOrFingerprint: String, field: String = "serial", secret: String = adminSecret) async throws -> Int {
        try await withFetcherClient { client in
            var request = HTTPClientRequest(url: origin + "/pki/_simulator/intrekkingen")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(secret)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: "{\"\(field)\":\"\(serialOrFingerprint)\"}"))
            let response = try await client.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 16)
            return Int(response.status.code)
        }
    }
}

/// Runs `body` with an HTTP client that is shut down afterwards.
func withFetcherClient<Result: Sendable>(_ body: (HTTPClient) async throws -> Result) async throws -> Result {
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}

/// Runs `body` with an HTTP revocation fetcher that is shut down afterwards. Its timeouts are
/// generous by default: a test that counts the responder's requests must not see one given up
/// (and asked again) because a loaded machine answered slowly. A test of a responder out of
/// reach passes short ones, so that it waits no longer than it must.
func withHTTPFetcher<Result: Sendable>(
    connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(30), _ body: (HTTPRevocationFetcher) async throws -> Result
) async throws -> Result {
    let fetcher = HTTPRevocationFetcher(connectTimeout: connectTimeout, timeout: timeout)
    do {
        let result = try await body(fetcher)
        try await fetcher.shutdown()
        return result
    } catch {
        try? await fetcher.shutdown()
        throw error
    }
}

/// What a checker reported (what `prefer` tolerated).
final class Reports: Sendable {
    private let box = Box()
    var report: @Sendable (String) -> Void { { [box] in box.append($0) } }
    var all: [String] { box.all }

    private final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var lines = [String]()
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }
}

/// The outcome of a check as a failure code, or "ok".
func outcome(_ checker: RevocationChecker, _ chain: [Certificate], at time: Date = Date()) async -> String {
    do {
        try await checker.check(chain: chain, at: time)
        return "ok"
    } catch {
        return error.code
    }
}

/// The hex of a certificate's serial as Python prints it (no leading zeros).
func serialHex(_ certificate: Certificate) -> String {
    let hex = certificate.serialNumber.bytes.map { String(format: "%02x", $0) }.joined()
    let stripped = hex.drop { $0 == "0" }
    return stripped.isEmpty ? "0" : String(stripped)
}
