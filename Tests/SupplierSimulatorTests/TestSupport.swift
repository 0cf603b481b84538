import AsyncHTTPClient
import Crypto
import DDASExchange
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@testable import SupplierSimulator

/// A clock the tests move by hand.
final class TestClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_767_225_600))  // 2026-01-01T00:00:00Z

    var now: Date { current.withLock { $0 } }

    func advance(seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// A signer whose signature names it and the SHA-256 of the bytes it signed, so a test can tell
/// which signer signed which bytes.
struct NamedSigner: ResponseSigning {
    let name: String

    func signatureHeaders(for body: [UInt8]) throws -> (digest: String, signature: String) {
        (PayloadDigest.header(for: body), NamedSigner.signature(name, body))
    }

    static func signature(_ name: String, _ body: [UInt8]) -> String {
        "\(name).." + SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
    }
}

/// The standard fixture: supplier `xxllnc` (VS, API 1.0 unless told otherwise) at
/// `/xxllnc/v1` serving Amsterdam and Utrecht, and a kredietbank serving two gemeenten under
/// one name; 120 records a month exactly.
enum Fixture {
    static let clientID = "cbs"
    static let clientSecret = "geheim-van-cbs"
    static let adminSecret = "beheer"

    static func service(
        name: String = "xxllnc", basePath: String = "/xxllnc/v1", stroom: Stroom = .vroegsignalering,
        apiVersion: ExchangeAPIVersion = .v1_0, recordsPerMonth: Int = 120, tokenLifetimeSeconds: Int = 3_600
    ) -> LeverancierDienst {
        LeverancierDienst(
            name: name, basePath: basePath, stroom: stroom, apiVersion: apiVersion, codeGegevensleverancier: name,
            gemeenten: [
                SimulatedGemeente(code: "GM0363", organisatie: "Gemeente Amsterdam")!,
                SimulatedGemeente(code: "0344", organisatie: "Gemeente Utrecht")!,
                SimulatedGemeente(code: "0014", organisatie: "Kredietbank Noord")!,
                SimulatedGemeente(code: "0037", organisatie: "Kredietbank Noord")!,
            ],
            seed: 7, volume: SyntheticVolume(recordsPerMonth: recordsPerMonth, variation: 0),
            clients: [ClientCredential(id: clientID, secret: clientSecret)], tokenLifetimeSeconds: tokenLifetimeSeconds,
            signer: NamedSigner(name: "normal"), untrustedSigner: NamedSigner(name: "untrusted"),
            expiredSigner: NamedSigner(name: "expired"), wrongOINSigner: NamedSigner(name: "wrong-oin"), adminSecret: adminSecret)
    }

    /// Runs a simulator of `services` on a free port while `body` runs.
    static func withSimulator<Result: Sendable>(
        _ services: [LeverancierDienst] = [service()], faults: [FaultRule] = [], clock: TestClock = TestClock(),
        _ body: (Harness) async throws -> Result
    ) async throws -> Result {
        let simulator = try SupplierSimulator(
            configuration: SimulatorConfiguration(suppliers: services, faults: faults), now: { clock.now }, logger: quietLogger)
        return try await simulator.withRunningServer { running in
            try await body(Harness(simulator: simulator, running: running, clock: clock))
        }
    }
}

/// The simulator's log in tests: warnings and worse.
let quietLogger: Logger = {
    var logger = Logger(label: "ddas-supplier-sim-tests")
    logger.logLevel = .warning
    return logger
}()

/// A client of a running simulator.
struct Harness: Sendable {
    let simulator: SupplierSimulator
    let running: RunningSimulator
    let clock: TestClock

    func base(_ supplier: String = "xxllnc") -> String { running.baseURL(supplier: supplier) ?? "" }

    /// A token of `supplier` by the client credentials grant.
    func token(_ supplier: String = "xxllnc") async throws -> String {
        let reply = try await post(
            base(supplier) + "/oauth/token", body: "grant_type=client_credentials&client_id=cbs&client_secret=geheim-van-cbs",
            headers: ["Content-Type": "application/x-www-form-urlencoded"])
        try #require(reply.status == 200)
        return try #require(reply.json["access_token"] as? String)
    }

    /// `POST /gegevens` with `body`, a fresh token unless `token` is given.
    func gegevens(_ body: String = "{}", token: String? = nil, supplier: String = "xxllnc", headers: [String: String] = [:]) async throws
        -> Reply
    {
        var bearer = token ?? ""
        if token == nil { bearer = try await self.token(supplier) }
        return try await post(
            base(supplier) + "/gegevens", body: body,
            headers: headers.merging(["Authorization": "Bearer \(bearer)", "Content-Type": "application/json"]) { mine, _ in mine })
    }

    func post(_ url: String, body: String, headers: [String: String] = [:], client: HTTPClient = .shared) async throws -> Reply {
        try await send(url, method: .POST, body: body, headers: headers, client: client)
    }

    func send(_ url: String, method: HTTPMethod, body: String? = nil, headers: [String: String] = [:], client: HTTPClient = .shared)
        async throws -> Reply
    {
        try await send(url, method: method, body: body, headerLines: headers.map { ($0.key, $0.value) }, client: client)
    }

    /// Sends with `headerLines` as given: a name may come more than once.
    func send(_ url: String, method: HTTPMethod, body: String? = nil, headerLines: [(String, String)], client: HTTPClient = .shared)
        async throws -> Reply
    {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headerLines { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 256 * 1024 * 1024)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView))
    }
}

/// A response as the client saw it.
struct Reply: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: [UInt8]

    /// The body as a JSON object (empty when it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }

    var gegevens: [String: Any] { json["gegevens"] as? [String: Any] ?? [:] }
    var paginering: [String: Int] { json["paginering"] as? [String: Int] ?? [:] }
    var leveringen: [[String: Any]] { gegevens["leveringen"] as? [[String: Any]] ?? [] }
    var vroegsignalen: [[String: Any]] { leveringen.flatMap { $0["vroegsignalen"] as? [[String: Any]] ?? [] } }

    /// Checks that this is a problem+json answer with `status` (and `fscErrorCode`, when given).
    func expectProblem(_ status: Int, fscErrorCode: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(self.status == status, sourceLocation: sourceLocation)
        #expect(headers.first(name: "Content-Type") == "application/problem+json", sourceLocation: sourceLocation)
        #expect(json["status"] as? Int == status, sourceLocation: sourceLocation)
        #expect((json["type"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect((json["title"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect((json["detail"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(headers.first(name: "Fsc-Error-Code") == fscErrorCode, sourceLocation: sourceLocation)
        if let fscErrorCode { #expect(json["code"] as? String == fscErrorCode, sourceLocation: sourceLocation) }
    }
}

/// The elfproef, written independently of the generator.
func passesElfproef(_ bsn: String) -> Bool {
    let digits = bsn.compactMap(\.wholeNumberValue)
    guard bsn.count == 9, digits.count == 9 else { return false }
    let sum = zip(digits.prefix(8), (2...9).reversed()).reduce(0) { $0 + $1.0 * $1.1 } - digits[8]
    return sum % 11 == 0
}

/// A Dutch postcode: four digits not starting with 0, two capitals, never SA, SD or SS.
func isPostcode(_ text: String) -> Bool {
    guard text.wholeMatch(of: /[1-9][0-9]{3}[A-Z]{2}/) != nil else { return false }
    return !["SA", "SD", "SS"].contains(String(text.suffix(2)))
}
