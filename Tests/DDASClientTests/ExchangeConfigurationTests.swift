import DDASSignature
import Foundation
import Testing

@testable import DDASClient

@Suite("Exchange configuration")
struct ExchangeConfigurationTests {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("exchange-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func load(_ yaml: String) throws -> ExchangeConfiguration {
        let url = try folder().appendingPathComponent("exchange.yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return try ExchangeConfiguration.load(path: url.path)
    }

    static let valid = """
        signing:
          key_id: cbs-2026
          key: file:/run/secrets/cbs.key.pem
          chain: pki/cbs.chain.pem
        sink:
          directory: /var/lib/ddas-regie/cbs-sink
        services:
          - leverancier: xxllnc
            stroom: VS
            base_url: https://outway.example.nl/xxllnc/v1
            token_url: https://auth.example.nl/token
            client_id: cbs
            client_secret: env:XXLLNC_SECRET
            fsc_grant_hash: "$1$abc"
            trust_anchors: pki/roots
            oin: "00000001234567890000"
            page_size: 25000
            read_timeout_seconds: 30
        """

    @Test("the deployment's exchange files (the compose demo, the Kubernetes base) read, each with both streams of both suppliers")
    func deploymentFiles() throws {
        let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../deploy").standardized
        for file in ["compose/exchange.demo.yaml", "kubernetes/base/exchange.yaml"] {
            let configuration = try ExchangeConfiguration.load(path: deploy.appendingPathComponent(file).path)
            for supplier in ["xxllnc", "bkr"] {
                #expect(configuration.connection(leverancierID: supplier, stroom: "VS")?.schemaVersion == "1.2", "\(file) \(supplier)")
                #expect(configuration.connection(leverancierID: supplier, stroom: "SHV")?.schemaVersion == "1.0", "\(file) \(supplier)")
            }
        }
    }

    @Test("a valid file gives each service its settings; relative paths are taken from the file's folder")
    func valid() throws {
        let configuration = try load(Self.valid)
        let service = try #require(configuration.connection(leverancierID: "xxllnc", stroom: "VS"))
        #expect(service.baseURL.absoluteString == "https://outway.example.nl/xxllnc/v1")
        #expect(service.oauth?.clientSecret == (try SecretReference("env:XXLLNC_SECRET")))
        #expect(service.fscGrantHash == "$1$abc")
        #expect(service.trustAnchors.hasSuffix("/pki/roots") && service.trustAnchors.hasPrefix("/"))
        #expect(service.pageSize == 25_000)
        #expect(service.schemaVersion == "1.2")
        #expect(service.timeouts.read == .seconds(30))
        #expect(configuration.connection(leverancierID: "bkr", stroom: "VS") == nil)
        #expect(configuration.signing.chain.hasSuffix("/pki/cbs.chain.pem"))
        #expect(service.supplierIdentity == SignerExpectation(oin: "00000001234567890000"))
    }

    @Test("what a file leaves out takes the specification's defaults: API 1.2, KP-APIs request signing, scope read, revocation required")
    func defaults() throws {
        let configuration = try load(Self.valid)
        let service = try #require(configuration.connection(leverancierID: "xxllnc", stroom: "VS"))
        #expect(service.apiVersion == .v1_2)
        #expect(service.requestSigning == .kpAPIs)
        #expect(service.oauth?.scope == "read")
        #expect(configuration.revocation.policy == .require)
        #expect(configuration.revocation.crlFiles.isEmpty)
    }

    @Test("API version, request signing, scope, certificate fingerprints and the revocation policy are read as given")
    func choices() throws {
        let fingerprint = String(repeating: "ab", count: 32)
        let yaml =
            Self.valid.replacingOccurrences(
                of: "    page_size: 25000\n",
                with: """
                        page_size: 25000
                        api_version: "1.0"
                        request_signing: body
                        scope: "read write"
                        certificate_fingerprints: ["\(fingerprint.uppercased())", "\(String(repeating: "cd", count: 32))"]

                    """) + "\nrevocation:\n  policy: prefer\n  crl_files: [pki/intermediate.crl]\n"
        let configuration = try load(yaml)
        let service = try #require(configuration.connection(leverancierID: "xxllnc", stroom: "VS"))
        #expect(service.apiVersion == .v1_0)
        #expect(service.requestSigning == .body)
        #expect(service.oauth?.scope == "read write")
        #expect(service.supplierIdentity.fingerprints == [fingerprint, String(repeating: "cd", count: 32)])
        #expect(configuration.revocation.policy == .prefer)
        #expect(configuration.revocation.crlFiles.count == 1 && configuration.revocation.crlFiles[0].hasSuffix("/pki/intermediate.crl"))
    }

    @Test("the revocation policy off reads the same quoted or bare (YAML 1.1 would make a bare off a boolean)")
    func revocationOff() throws {
        for text in ["off", "\"off\"", "'off'"] {
            let configuration = try load("revocation:\n  policy: \(text)\n" + Self.valid)
            #expect(configuration.revocation.policy == .off, "\(text)")
        }
    }

    @Test("a relative file: secret is taken from the file's folder, and a missing one names the path it tried")
    func relativeSecrets() throws {
        let yaml = Self.valid.replacingOccurrences(of: "key: file:/run/secrets/cbs.key.pem", with: "key: file:secrets/cbs.key.pem")
            .replacingOccurrences(of: "client_secret: env:XXLLNC_SECRET", with: "client_secret: file:secrets/xxllnc")
        let url = try folder().appendingPathComponent("exchange.yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        let secrets = url.deletingLastPathComponent().appendingPathComponent("secrets")
        try FileManager.default.createDirectory(at: secrets, withIntermediateDirectories: true)
        try "geheim\n".write(to: secrets.appendingPathComponent("xxllnc"), atomically: true, encoding: .utf8)
        let configuration = try ExchangeConfiguration.load(path: url.path)
        let secret = try #require(configuration.connection(leverancierID: "xxllnc", stroom: "VS")?.oauth?.clientSecret)
        #expect(try secret.resolve() == "geheim", "found from the file's folder, whatever the working directory")
        let expected = secrets.appendingPathComponent("cbs.key.pem").standardizedFileURL.path
        let error = #expect(throws: ExchangeConfigurationError.self) { try configuration.signing.key.resolve() }
        #expect(error?.description.contains("file:\(expected)") == true, "\(String(describing: error))")
        #expect(error?.description.contains("geheim") == false)
    }

    @Test(
        "unsafe or unusable settings are refused, naming the setting",
        arguments: [
            ("base_url: https://outway.example.nl/xxllnc/v1", "base_url: http://outway.example.nl/xxllnc/v1", "must use https"),
            ("base_url: https://outway.example.nl/xxllnc/v1", "base_url: https://user:pw@outway.example.nl/v1", "credentials"),
            ("base_url: https://outway.example.nl/xxllnc/v1", "base_url: https://outway.example.nl/v1?token=x", "query"),
            ("client_secret: env:XXLLNC_SECRET", "client_secret: s3cret", "env:NAME or file:/path"),
            ("page_size: 25000", "page_size: 60000", "between 1 and 50000"),
            ("stroom: VS", "stroom: AR", "must be VS or SHV"),
            ("    client_id: cbs\n", "", "go together"),
            ("    oin: \"00000001234567890000\"\n", "", "xxllnc/VS oin: missing"),
            ("oin: \"00000001234567890000\"", "oin: \"1234567890\"", "20 digits"),
            ("oin: \"00000001234567890000\"", "oin: \"0000000123456789000x\"", "20 digits"),
            ("page_size: 25000", "page_size: 25000\n    api_version: \"1.1\"", "api_version: must be 1.0 or 1.2"),
            ("page_size: 25000", "page_size: 25000\n    request_signing: jws", "request_signing: must be kp-apis or body"),
            ("page_size: 25000", "page_size: 25000\n    certificate_fingerprints: [abc]", "64 hexadecimal digits"),
            ("sink:", "revocation:\n  policy: sometimes\nsink:", "revocation policy: must be require or prefer or off"),
        ])
    func refused(old: String, new: String, message: String) throws {
        let yaml = Self.valid.replacingOccurrences(of: old, with: new)
        #expect(yaml != Self.valid)
        let error = #expect(throws: ExchangeConfigurationError.self) { try load(yaml) }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
        #expect(error?.description.contains("s3cret") == false)
    }

    @Test("a supplier's SHV service beside its VS one: its own connection, the SHV model 1.0 and 25,000 a page unless told")
    func schuldhulpverlening() throws {
        let shv = Self.valid.components(separatedBy: "services:\n")[1].replacingOccurrences(of: "stroom: VS", with: "stroom: SHV")
            .replacingOccurrences(of: "    page_size: 25000\n", with: "")
        let configuration = try load(Self.valid + "\n" + shv)
        let service = try #require(configuration.connection(leverancierID: "xxllnc", stroom: "SHV"))
        #expect(service.schemaVersion == "1.0" && service.pageSize == 25_000 && service.name == "xxllnc/SHV")
        #expect(configuration.connection(leverancierID: "xxllnc", stroom: "VS")?.schemaVersion == "1.2")
        let error = #expect(throws: ExchangeConfigurationError.self) {
            try load(Self.valid + "\n" + shv.replacingOccurrences(of: "    read_timeout_seconds: 30", with: "    page_size: 30000"))
        }
        #expect(error?.description.contains("between 1 and 25000") == true, "\(String(describing: error))")
    }

    @Test("plain http is allowed on loopback only (the simulator); a service twice is refused")
    func loopbackAndDuplicates() throws {
        let local = Self.valid.replacingOccurrences(of: "https://outway.example.nl", with: "http://127.0.0.1:9000")
        #expect(try load(local).connections.count == 1)
        let twice = Self.valid + "\n" + Self.valid.components(separatedBy: "services:\n")[1]
        #expect(throws: ExchangeConfigurationError.duplicateService("xxllnc/VS")) { try load(twice) }
    }

    @Test("a file that is not YAML of this shape names the missing key, not the content")
    func shape() throws {
        let error = #expect(throws: ExchangeConfigurationError.self) {
            try load(Self.valid.replacingOccurrences(of: "  key_id: cbs-2026\n", with: ""))
        }
        #expect(error?.description.contains("signing.key_id") == true, "\(String(describing: error))")
        #expect(throws: ExchangeConfigurationError.unreadable("/nonexistent/exchange.yaml")) {
            try ExchangeConfiguration.load(path: "/nonexistent/exchange.yaml")
        }
    }

    @Test("secrets resolve from the environment or a file, and a missing one is named without a value")
    func secrets() throws {
        let file = try folder().appendingPathComponent("secret")
        try "from-file\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try SecretReference("file:\(file.path)").resolve() == "from-file")
        #expect(try SecretReference("env:DDAS_TEST_SECRET").resolve(environment: ["DDAS_TEST_SECRET": "v"]) == "v")
        #expect(throws: ExchangeConfigurationError.secretUnavailable("env:DDAS_TEST_SECRET")) {
            try SecretReference("env:DDAS_TEST_SECRET").resolve(environment: [:])
        }
        #expect(throws: ExchangeConfigurationError.secretNotReferenced) { try SecretReference("env:") }
    }
}
