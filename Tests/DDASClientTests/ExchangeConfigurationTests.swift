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
            page_size: 25000
            read_timeout_seconds: 30
        """

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
        ])
    func refused(old: String, new: String, message: String) throws {
        let yaml = Self.valid.replacingOccurrences(of: old, with: new)
        #expect(yaml != Self.valid)
        let error = #expect(throws: ExchangeConfigurationError.self) { try load(yaml) }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
        #expect(error?.description.contains("s3cret") == false)
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
