import DDASSignature
import Foundation
import Testing

@testable import SupplierSimulator

@Suite("Configuration")
struct ConfigurationTests {
    func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sim-config-\(UUID().uuidString).json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let file = #"""
        {
          "port": 0, "seed": 42,
          "suppliers": [{
            "name": "xxllnc", "basePath": "/xxllnc/v1/", "stroom": "VS",
            "organisations": [{"gemeentecode": "GM0363", "naam": "Gemeente Amsterdam"}],
            "recordsPerMonth": 10, "recordsPerMonthByGemeente": {"0363": 25}, "variation": 0,
            "clients": [{"clientId": "cbs", "clientSecretEnv": "SIM_CLIENT_SECRET"}],
            "tokenLifetimeSeconds": 120, "adminSecretEnv": "SIM_ADMIN_SECRET"
          }],
          "faults": [{"kind": "serverError", "gemeentecode": "0363", "limit": 1}]
        }
        """#

    @Test("a configuration file: secrets from the environment, base path normalised, faults in force")
    func configurationFile() async throws {
        let path = try write(Self.file)
        let file = try SimulatorConfigurationFile.load(path: path)
        let configuration = try file.configuration(environment: ["SIM_CLIENT_SECRET": "uit-de-omgeving", "SIM_ADMIN_SECRET": "beheer"])
        let service = try #require(configuration.suppliers.first)
        #expect(service.clients == [ClientCredential(id: "cbs", secret: "uit-de-omgeving")])
        #expect(service.adminSecret == "beheer")
        #expect(service.normalizedBasePath == "/xxllnc/v1")
        #expect(service.gemeenten.map(\.code) == ["0363"])
        #expect(configuration.faults.count == 1)
        let other = try file.configuration(environment: ["SIM_CLIENT_SECRET": "x", "SIM_ADMIN_SECRET": "y"], seed: 43)
        #expect(other.suppliers.first?.seed != service.seed)

        let simulator = try SupplierSimulator(configuration: configuration)
        try await simulator.withRunningServer { running in
            #expect(running.port > 0)
            let harness = Harness(simulator: simulator, running: running, clock: TestClock())
            let reply = try await harness.post(
                harness.base() + "/oauth/token", body: "grant_type=client_credentials&client_id=cbs&client_secret=uit-de-omgeving")
            let token = try #require(reply.json["access_token"] as? String)
            #expect(try await harness.gegevens(token: token).status == 500)
            let page = try await harness.gegevens(
                #"{"aanleverperiodeStartdatum":"2025-01-01","aanleverperiodeEinddatum":"2025-01-31"}"#, token: token)
            #expect(page.paginering["totalRecords"] == 25)
        }
    }

    @Test("a secret variable that is not set is an error naming the variable")
    func missingSecret() throws {
        let file = try SimulatorConfigurationFile.load(path: try write(Self.file))
        #expect(
            throws: SimulatorConfigurationError(
                code: "missing-secret", message: "client 'cbs': environment variable SIM_CLIENT_SECRET is not set")
        ) {
            _ = try file.configuration(environment: [:])
        }
    }

    @Test("configurations that cannot run are refused with a stable code")
    func refusals() throws {
        func code(_ configuration: SimulatorConfiguration) -> String? {
            do {
                _ = try SupplierSimulator(configuration: configuration)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code(SimulatorConfiguration(suppliers: [])) == "no-suppliers")
        #expect(code(SimulatorConfiguration(suppliers: [Fixture.service(), Fixture.service(basePath: "/ander")])) == "duplicate-supplier")
        #expect(
            code(SimulatorConfiguration(suppliers: [Fixture.service(), Fixture.service(name: "bkr", basePath: "/xxllnc/v1/")]))
                == "duplicate-base-path")
        #expect(
            code(
                SimulatorConfiguration(suppliers: [Fixture.service()], faults: [FaultRule(Fault(.serverError), gemeentecode: "Amsterdam")]))
                == "invalid-gemeentecode")
        #expect(
            code(SimulatorConfiguration(suppliers: [Fixture.service()], faults: [FaultRule(Fault(.serverError), supplier: "bkr")]))
                == "unknown-supplier")
        let unreadable = #"{"suppliers": [{"name": "x"}]}"#
        #expect(throws: SimulatorConfigurationError.self) { _ = try SimulatorConfigurationFile.load(path: try write(unreadable)) }
    }

    @Test("apiVersion, responseSigning and requestVerification from the file; wrong values refused with a stable code")
    func exchangeSettings() async throws {
        let keys = try await SigningPKI.shared.value
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sim-pki-\(UUID().uuidString)").path
        _ = try keys.pki.write(to: folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func file(version: String = "1.0", signing: String = "body", oin: String = SigningPKI.cbsOIN, anchors: String? = nil) -> String {
            """
            {
              "suppliers": [
                {"name": "oud", "basePath": "/oud", "apiVersion": "\(version)", "responseSigning": "\(signing)",
                 "organisations": [{"gemeentecode": "0363", "naam": "Gemeente Amsterdam"}], "clients": [{"clientId": "cbs", "clientSecret": "s"}]},
                {"name": "nieuw", "basePath": "/nieuw",
                 "organisations": [{"gemeentecode": "0363", "naam": "Gemeente Amsterdam"}], "clients": [{"clientId": "cbs", "clientSecret": "s"}]}
              ],
              "requestVerification": {"trustAnchors": "\(anchors ?? folder + "/root.pem")", "cbsOIN": "\(oin)"}
            }
            """
        }
        func code(_ text: String) throws -> String? {
            let path = try write(text)
            do {
                _ = try SimulatorConfigurationFile.load(path: path).configuration(environment: [:])
                return nil
            } catch {
                return error.code
            }
        }
        let configuration = try SimulatorConfigurationFile.load(path: try write(file())).configuration(environment: [:])
        let (old, new) = (configuration.suppliers[0], configuration.suppliers[1])
        #expect(old.apiVersion == .v1_0 && new.apiVersion == .v1_2)
        #expect(old.responseSigning == .body && new.responseSigning == .kpAPIs)
        let verifier = try #require(old.requestVerifier as? JAdESRequestVerifier)
        #expect(verifier.expectation == SignerExpectation(oin: SigningPKI.cbsOIN))
        #expect(verifier.verifier.trustAnchors == [keys.pki.root])
        #expect(new.requestVerifier != nil)

        let simulator = try SupplierSimulator(configuration: configuration)
        try await simulator.withRunningServer { running in
            let harness = Harness(simulator: simulator, running: running, clock: TestClock())
            let token = try #require(
                try await harness.post(
                    running.origin + "/oud/oauth/token", body: "grant_type=client_credentials&client_id=cbs&client_secret=s"
                )
                .json["access_token"] as? String)
            let body = #"{"aanleverende_organisatie":"Gemeente Amsterdam","pageSize":5}"#
            let signed = try keys.cbs.sign(body: Array(body.utf8))
            let reply = try await harness.send(
                running.origin + "/oud/gegevens", method: .POST, body: body,
                headerLines: [
                    ("Authorization", "Bearer \(token)"), ("Digest", signed.digest), ("nlgov-adr-payload-sig", signed.signature),
                ])
            #expect(reply.status == 200)
            let unsigned = try await harness.send(
                running.origin + "/oud/gegevens", method: .POST, body: body, headerLines: [("Authorization", "Bearer \(token)")])
            unsigned.expectFscError(401, code: "ERROR_CODE_ACCESS_TOKEN_INVALID", domain: .inway)
        }

        #expect(try code(file(version: "1.1")) == "invalid-api-version")
        #expect(try code(file(signing: "jws")) == "invalid-response-signing")
        #expect(try code(file(oin: "123")) == "invalid-oin")
        #expect(try code(file(anchors: folder + "/ontbreekt.pem")) == "request-trust-anchors-unreadable")
    }
}
