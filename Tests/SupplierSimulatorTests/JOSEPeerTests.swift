import DDASSignature
import Foundation
import Testing

@testable import SupplierSimulator

/// joserfc (PyPI, pinned in `Tests/Peers/jose`) as the other side of the simulator's
/// signatures: it signs CBS's request, and it checks the simulator's response. The tests fail
/// when it cannot run.
@Suite("Signatures against an independent JOSE implementation")
struct JOSEPeerTests {
    /// Runs `Tests/Peers/jose` with `arguments`; its output lines, or a failure with its output.
    static func jose(_ arguments: [String]) async throws -> [String] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Peers/jose").path
        let (status, output) = try await ChildProcess.run("/bin/bash", [script] + arguments)
        guard status == 0 else { throw PeerFailed(status: status, output: String(output.suffix(2_000))) }
        return output.split(separator: "\n").map(String.init)
    }

    struct PeerFailed: Error, CustomStringConvertible {
        let status: Int32
        let output: String
        var description: String { "Tests/Peers/jose exited with \(status): \(output)" }
    }

    /// A folder for the files the peer reads, removed afterwards.
    static func withFolder<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jose-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await body(folder)
    }

    @Test("a request joserfc signs with CBS's key is served; one it signs with the supplier's key gets 403")
    func requestSignedByJoserfc() async throws {
        let keys = try await SigningPKI.shared.value
        let body = #"{"aanleverendeOrganisatie":"Gemeente Amsterdam","pageSize":10}"#
        try await Self.withFolder { folder in
            try Data(body.utf8).write(to: folder.appendingPathComponent("body.json"))
            try Data(keys.cbsKeyPEM.utf8).write(to: folder.appendingPathComponent("cbs.key.pem"))
            try Data(keys.cbsChainPEM.utf8).write(to: folder.appendingPathComponent("cbs.chain.pem"))
            try Data(keys.pki.leverancier.privateKeyPEM.utf8).write(to: folder.appendingPathComponent("leverancier.key.pem"))
            try Data(try keys.pki.leverancier.certificateChainPEM().utf8).write(to: folder.appendingPathComponent("leverancier.chain.pem"))
            func sign(_ name: String) async throws -> [(String, String)] {
                let lines = try await Self.jose([
                    "sign", folder.appendingPathComponent("\(name).key.pem").path, folder.appendingPathComponent("\(name).chain.pem").path,
                    folder.appendingPathComponent("body.json").path,
                ])
                try #require(lines.count == 2)
                return [("Digest", lines[0]), ("nlgov-adr-payload-sig", lines[1])]
            }
            let byCBS = try await sign("cbs")
            let bySupplier = try await sign("leverancier")
            try await Fixture.withSimulator([keys.verifyingService()]) { harness async throws in
                let served = try await harness.gegevens(body, headerLines: byCBS)
                #expect(served.status == 200)
                #expect(served.leveringen.map { $0["gemeentecode"] as? String } == ["0363"])
                let counts = await harness.simulator.ledger.snapshot()
                #expect(counts.count(outcome: .served, requestProfile: .body) == 1)
                try await harness.gegevens(body, headerLines: bySupplier)
                    .expectFscError(403, code: "ERROR_CODE_WRONG_GROUP_ID_IN_TOKEN", domain: .inway)
            }
        }
    }

    @Test("joserfc verifies the simulator's signed response in the service's profile", arguments: SigningProfile.allCases)
    func responseVerifiedByJoserfc(_ profile: SigningProfile) async throws {
        let keys = try await SigningPKI.shared.value
        var service = Fixture.service(apiVersion: .v1_2)
        service.signer = JAdESResponseSigner(
            signer: try PayloadSigner(
                privateKey: keys.pki.leverancier.privateKey, certificateChain: keys.pki.leverancier.certificateChain,
                keyID: "leverancier", profile: profile))
        try await Self.withFolder { folder in
            try await Fixture.withSimulator([service]) { harness async throws in
                let reply = try await harness.gegevens(#"{"pageSize":25}"#)
                #expect(reply.status == 200)
                let file = folder.appendingPathComponent("response.json")
                try Data(reply.body).write(to: file)
                let seen = try await Self.jose([
                    "verify", file.path, reply.headers.first(name: "nlgov-adr-payload-sig") ?? "",
                    reply.headers.first(name: "Digest") ?? "",
                ])
                #expect(seen.count == 1)
                #expect(seen == [profile.rawValue])
                let tampered = folder.appendingPathComponent("tampered.json")
                try Data(reply.body + [0x20]).write(to: tampered)
                await #expect(throws: PeerFailed.self) {
                    _ = try await Self.jose([
                        "verify", tampered.path, reply.headers.first(name: "nlgov-adr-payload-sig") ?? "",
                        DDASSignature.PayloadDigest.headerValue(for: reply.body + [0x20]),
                    ])
                }
            }
        }
    }
}
