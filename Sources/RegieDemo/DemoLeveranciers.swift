import DDASClient
import DDASExchange
import DDASSignature
import DDASTestPKI
import Foundation
import Logging
import RegieDomain
import SupplierSimulator

/// The suppliers of the demonstration: the project's simulator in this process, serving
/// xxllnc and BKR, each with a VS and an SHV service, for the gemeenten the seed gives each
/// (``DemoSeed/streams(_:)``), signing with a test PKI made in the
/// state folder, with a few gemeenten whose test pull fails for a visible reason (another
/// gemeente's data, a bad signature, free text in a code list in every record: above the
/// error threshold), one whose pull is handed over with a few errors on its op-orde-rapport,
/// and a few that fail twice with a 503 and then succeed (all of them in VS; their SHV pulls
/// succeed). `exchange(at:)` is the configuration that points the service at it.
struct DemoLeveranciers {
    let simulator: SupplierSimulator
    let folder: URL

    /// The gemeenten whose VS pulls go wrong in the demonstration, and how.
    static func faults(for register: GemeentenRegister) -> [FaultRule] {
        let consenting = register.gemeenten.filter { DemoSeed.plan($0.code).stage == .consent }.map(\.code)
        guard consenting.count >= 8 else { return [] }
        let faults: [(Fault, limit: Int?)] = [
            (.schemaViolation(.valueOutsideCodeList), nil), (Fault(.foreignLevering), nil), (Fault(.badSignature), nil),
            (Fault(.serviceUnavailable), 2), (Fault(.serviceUnavailable), 2), (.tooManyRequests(retryAfterSeconds: 5), 1),
            (.schemaViolation(.valueOutsideCodeListInEveryRecord), nil),
        ]
        return faults.enumerated().map { index, fault in
            let code = consenting[index + 1]
            return FaultRule(
                fault.0, supplier: serviceName(DemoSeed.plan(code).leverancier, .vroegsignalering), gemeentecode: code.rawValue,
                limit: fault.limit)
        }
    }

    /// The simulator's name of a supplier's service of a stream: `xxllnc` (VS), `xxllnc-shv`.
    static func serviceName(_ supplier: String, _ stroom: Stroom) -> String {
        stroom == .vroegsignalering ? supplier : "\(supplier)-shv"
    }

    /// Where the simulator serves a supplier's service of a stream: `/xxllnc/v1`, `/xxllnc/shv/v1`.
    static func basePath(_ supplier: String, _ stroom: Stroom) -> String {
        stroom == .vroegsignalering ? "/\(supplier)/v1" : "/\(supplier)/shv/v1"
    }

    /// Every service of the demonstration: each supplier with each stream.
    static var services: [(supplier: String, stroom: Stroom)] {
        DemoSeed.suppliers.flatMap { name, _ in Stroom.allCases.map { (name, $0) } }
    }

    /// Makes the test PKI (once per state folder), the client secret and the simulator.
    static func prepare(state: URL, register: GemeentenRegister, logger: Logger) async throws -> DemoLeveranciers {
        let folder = state.appendingPathComponent("demo-pki")
        if !Self.pkiIsCurrent(folder) {
            try PrivateFolder.create(folder)
            _ = try await TestPKI.generate().write(to: folder.path, overwrite: true)
            logger.notice("demonstration test PKI written", metadata: ["folder": "\(folder.path)"])
        }
        let secretFile = folder.appendingPathComponent("client-secret")
        if !FileManager.default.fileExists(atPath: secretFile.path) {
            let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
            FileManager.default.createFile(atPath: secretFile.path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600])
        }
        let secret = try String(contentsOf: secretFile, encoding: .utf8)
        // CBS's requests are verified: its chain must end in the test root and, when the test
        // PKI's CBS certificate carries an OIN, be signed by that OIN.
        let cbsOIN = try PEMBundle.loadCertificateChain(from: folder.appendingPathComponent("cbs.chain.pem").path).first
            .flatMap(SubjectOIN.of)
        let verifier = try JAdESRequestVerifier(trustAnchorsPath: folder.appendingPathComponent("root.pem").path, cbsOIN: cbsOIN)
        let suppliers = try Self.services.map { name, stroom in
            let served = register.gemeenten.filter {
                DemoSeed.plan($0.code).leverancier == name && (stroom == .vroegsignalering || DemoSeed.offersSHV($0.code))
            }
            var service = LeverancierDienst(
                name: Self.serviceName(name, stroom), basePath: Self.basePath(name, stroom), stroom: stroom,
                apiVersion: Self.apiVersion(of: name), codeGegevensleverancier: name,
                gemeenten: served.compactMap { SimulatedGemeente(code: $0.code.rawValue, organisatie: DemoSeed.organisationName($0)) },
                seed: name == "xxllnc" ? 363 : 14, volume: SyntheticVolume(recordsPerMonth: 120),
                clients: [ClientCredential(id: "cbs", secret: secret)], responseSigning: Self.signing(of: name), requestVerifier: verifier)
            try service.loadSigners(fromTestPKI: folder.path)
            return service
        }
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        let simulator = try SupplierSimulator(
            configuration: SimulatorConfiguration(suppliers: suppliers, faults: faults(for: register)), logger: quiet)
        return DemoLeveranciers(simulator: simulator, folder: folder)
    }

    /// The exchange configuration for the running simulator: CBS signs with the test PKI's
    /// CBS key, responses must chain to its root, pages go to `<state>/cbs-sink`.
    func exchange(at running: RunningSimulator, state: URL) throws -> ExchangeConfiguration {
        let connections = try Self.services.map { name, stroom in
            guard let base = running.baseURL(supplier: Self.serviceName(name, stroom)).flatMap(URL.init(string:)),
                let token = URL(string: base.absoluteString + "/oauth/token")
            else { throw ExchangeConfigurationError.invalid(setting: "demo", reason: "the simulator has no \(name) \(stroom.rawValue)") }
            return LeverancierConnection(
                leverancierID: name, stroom: stroom.rawValue, baseURL: base,
                oauth: .init(tokenURL: token, clientID: "cbs", clientSecret: try SecretReference("file:\(folder.path)/client-secret")),
                trustAnchors: folder.appendingPathComponent("root.pem").path,
                supplierIdentity: SignerExpectation(oin: TestPKI.leverancierOIN), apiVersion: Self.apiVersion(of: name),
                requestSigning: Self.signing(of: name), schemaVersion: stroom == .vroegsignalering ? "1.2" : "1.0", pageSize: 200,
                timeouts: .init(connect: .seconds(5), read: .seconds(30), total: .seconds(120)))
        }
        return try ExchangeConfiguration(
            signing: .init(
                keyID: "cbs-demonstratie", key: try SecretReference("file:\(folder.path)/cbs.key.pem"),
                chain: folder.appendingPathComponent("cbs.chain.pem").path),
            sink: .directory(state.appendingPathComponent("cbs-sink").path),
            // The demo's PKI is made before its simulator has a port, so its certificates name
            // no OCSP responder or CRL: nothing to ask. The compose demo (fixed ports) and the
            // tests run the simulator's responder under `require`.
            revocation: .init(policy: .off), connections: connections)
    }

    /// The two readings of the exchange side by side, as real suppliers will run them for a
    /// while: xxllnc on API 1.2 signing the KP-APIs way (the API files), BKR on API 1.0
    /// signing the body (the prose), and CBS signing its requests to each the same way.
    static func apiVersion(of supplier: String) -> ExchangeAPIVersion { supplier == "bkr" ? .v1_0 : .v1_2 }

    static func signing(of supplier: String) -> SigningProfile { supplier == "bkr" ? .body : .kpAPIs }

    /// Whether the state folder holds a test PKI of this version: one whose signing
    /// certificates carry their OIN (older demonstrations made theirs without).
    static func pkiIsCurrent(_ folder: URL) -> Bool {
        ["cbs", "leverancier"].allSatisfy { name in
            let chain = try? PEMBundle.loadCertificateChain(from: folder.appendingPathComponent("\(name).chain.pem").path)
            return chain?.first.flatMap(SubjectOIN.of) != nil
        }
    }
}
