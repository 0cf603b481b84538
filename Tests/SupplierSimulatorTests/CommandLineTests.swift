import AsyncHTTPClient
import DDASSignature
import Foundation
import Testing

@testable import SupplierSimulator

/// `ddas-supplier-sim serve` as a process: the request verification options.
@Suite("ddas-supplier-sim serve: CBS's signature options")
struct CommandLineTests {
    /// The built executable, beside the test bundle.
    static var executable: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("ddas-supplier-sim").path
    }

    /// A configuration file with one supplier on API 1.2, in `folder`.
    static func configuration(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("sim.json").path
        let text = #"""
            {"port": 0, "suppliers": [{"name": "xxllnc", "basePath": "/xxllnc/v1", "responseSigning": "body",
              "organisations": [{"gemeentecode": "0363", "naam": "Gemeente Amsterdam"}],
              "clients": [{"clientId": "cbs", "clientSecret": "geheim"}], "recordsPerMonth": 20}]}
            """#
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs `serve` with `arguments` to its end.
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run(executable, ["serve"] + arguments)
    }

    @Test("wrong options are refused with the setting named: --cbs-oin alone, an unreadable root file, an OIN that is not 20 digits")
    func refusals() async throws {
        let keys = try await SigningPKI.shared.value
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sim-cli-\(UUID().uuidString)")
        _ = try keys.pki.write(to: folder.path)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try Self.configuration(in: folder)
        let root = folder.appendingPathComponent("root.pem").path
        for (arguments, expected) in [
            (["--cbs-oin", SigningPKI.cbsOIN], "--cbs-oin needs --cbs-trust-anchors"),
            (["--cbs-trust-anchors", folder.appendingPathComponent("geen.pem").path], "request-trust-anchors-unreadable"),
            (["--cbs-trust-anchors", root, "--cbs-oin", "12345"], "invalid-oin"),
        ] {
            let (status, output) = try await Self.run(["--config", config] + arguments)
            #expect(status != 0)
            #expect(output.contains(expected), "\(output)")
        }
    }

    @Test(
        "with --cbs-trust-anchors and --cbs-oin a request signed by CBS is served, signed in the file's profile; an unsigned one gets 401")
    func verifying() async throws {
        let keys = try await SigningPKI.shared.value
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sim-cli-\(UUID().uuidString)")
        _ = try keys.pki.write(to: folder.path)
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = try ChildProcess.start(
            Self.executable,
            [
                "serve", "--config", try Self.configuration(in: folder), "--pki", folder.path, "--cbs-trust-anchors",
                folder.appendingPathComponent("root.pem").path, "--cbs-oin", SigningPKI.cbsOIN,
            ])
        // A client of its own, shut down before the process is stopped, so that no pooled
        // connection to the stopped process outlives the test.
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await exchange(process: process, client: client, keys: keys)
        } catch {
            try await client.shutdown()
            process.terminate()
            _ = await process.exitStatus()
            throw error
        }
        try await client.shutdown()
        process.terminate()
        #expect(await process.exitStatus() == 0)
    }

    /// The requests of `verifying` to the started process.
    func exchange(process: ChildProcess, client: HTTPClient, keys: SigningPKI) async throws {
        var text = ""
        var port: Int?
        for await chunk in process.output {
            text += chunk
            if let match = text.firstMatch(of: /port=(\d+)/) {
                port = Int(match.1)
                break
            }
        }
        let bound = try #require(port, "\(text)")
        let origin = "http://127.0.0.1:\(bound)"
        let harness = Harness(
            simulator: try SupplierSimulator(configuration: SimulatorConfiguration(suppliers: [Fixture.service()])),
            running: RunningSimulator(host: "127.0.0.1", port: bound, suppliers: []), clock: TestClock())
        let token = try #require(
            try await harness.post(
                origin + "/xxllnc/v1/oauth/token", body: "grant_type=client_credentials&client_id=cbs&client_secret=geheim",
                client: client
            )
            .json["access_token"] as? String)
        let body = #"{"aanleverendeOrganisatie":"Gemeente Amsterdam","pageSize":5}"#
        let signed = try keys.cbs.sign(body: Array(body.utf8))
        let served = try await harness.send(
            origin + "/xxllnc/v1/gegevens", method: .POST, body: body,
            headerLines: [("Authorization", "Bearer \(token)"), ("Digest", signed.digest), ("nlgov-adr-payload-sig", signed.signature)],
            client: client)
        #expect(served.status == 200)
        let verified = try await PayloadVerifier(trustAnchors: [keys.pki.root]).verify(
            body: served.body, digestHeaders: served.headers["Digest"], signatureHeaders: served.headers["nlgov-adr-payload-sig"])
        #expect(verified.profile == .body)
        let unsigned = try await harness.send(
            origin + "/xxllnc/v1/gegevens", method: .POST, body: body, headerLines: [("Authorization", "Bearer \(token)")], client: client)
        unsigned.expectFscError(401, code: "ERROR_CODE_ACCESS_TOKEN_INVALID", domain: .inway)
    }
}
