import ChildProgram
import Foundation
import Testing

@testable import DDASSignature
@testable import DDASTestPKI

/// Never both sides of the protocol: jwcrypto (PyPI, pinned in `Tests/Interop/jose-peer`, the
/// Python in `Tests/Interop/jose_peer.py`) signs for our verifier and verifies our signer, in
/// both readings. Keys, certificates and header values go to it as files in a private folder.
/// The peer must run: when it cannot, the test fails with what it printed.
@Suite("Signing against an independent JOSE implementation (jwcrypto)")
struct IndependentJOSETests {
    /// The repository root, three levels above this file.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A private temporary folder for one test's files.
    struct Folder {
        let url: URL

        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("ddas-jose-peer-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        }

        /// Writes a file (mode 0600) and returns its path.
        func write(_ name: String, _ contents: Data) -> String {
            let path = url.appendingPathComponent(name).path
            FileManager.default.createFile(atPath: path, contents: contents, attributes: [.posixPermissions: 0o600])
            return path
        }

        func path(_ name: String) -> String { url.appendingPathComponent(name).path }

        func remove() { try? FileManager.default.removeItem(at: url) }
    }

    /// Runs `Tests/Interop/jose-peer` with the arguments (file paths and a profile name only).
    static func peer(_ arguments: [String]) async throws -> ChildProgram.Finished {
        try await ChildProgram.script("Tests/Interop/jose-peer", arguments)
    }

    /// The headers jwcrypto made for a body.
    private struct PeerHeaders: Decodable {
        var digest: String
        var signature: String
    }

    @Test("jwcrypto's signature in either reading verifies here; over a changed body it does not", arguments: SigningProfile.allCases)
    func peerSigns(profile: SigningProfile) async throws {
        let pki = try await Fixture.pki()
        let folder = try Folder()
        defer { folder.remove() }
        let key = folder.write("signer.key.pem", Data(pki.leverancier.privateKeyPEM.utf8))
        let chain = folder.write("signer.chain.pem", Data(try pki.leverancier.certificateChainPEM().utf8))
        let body = folder.write("body", Fixture.body)
        let out = folder.path("headers.json")
        let outcome = try await Self.peer(["sign", profile.rawValue, key, chain, body, out])
        try #require(outcome.status == 0, "jose-peer sign failed: \(outcome.errors)")
        let headers = try JSONDecoder().decode(PeerHeaders.self, from: try Data(contentsOf: URL(fileURLWithPath: out)))

        let header = try Fixture.header(of: headers.signature)
        #expect((header["b64"] as? Bool) == (profile == .kpAPIs ? false : nil))
        let verifier = Fixture.verifier(pki)
        let signer = try await verifier.verify(
            body: Fixture.body, digestHeader: headers.digest, signatureHeader: headers.signature,
            expecting: SignerExpectation(oin: TestPKI.leverancierOIN))
        #expect(signer.profile == profile)
        #expect(signer.keyID == "jwcrypto-peer")

        var changed = Fixture.body
        changed[changed.startIndex + 3] ^= 0x01
        await #expect(throws: SignatureFailure.signatureInvalid) {
            try await verifier.verify(
                body: changed, digestHeader: PayloadDigest.headerValue(for: changed), signatureHeader: headers.signature)
        }
    }

    @Test("our signature in either reading verifies with jwcrypto; over a changed body it does not", arguments: SigningProfile.allCases)
    func peerVerifies(profile: SigningProfile) async throws {
        let pki = try await Fixture.pki()
        let folder = try Folder()
        defer { folder.remove() }
        let headers = try Fixture.signer(pki.leverancier, profile: profile).sign(body: Fixture.body)
        let certificate = folder.write("signer.pem", Data(try PEMBundle.pem(of: [pki.leverancier.certificate]).utf8))
        let body = folder.write("body", Fixture.body)
        let digest = folder.write("digest", Data(headers.digest.utf8))
        let signature = folder.write("signature", Data(headers.signature.utf8))
        let accepted = try await Self.peer(["verify", profile.rawValue, certificate, body, digest, signature])
        #expect(accepted.status == 0, "jwcrypto refused our \(profile) signature: \(accepted.errors)")

        var changed = Fixture.body
        changed[changed.startIndex + 3] ^= 0x01
        let changedBody = folder.write("changed", changed)
        let changedDigest = folder.write("changed-digest", Data(PayloadDigest.headerValue(for: changed).utf8))
        let refused = try await Self.peer(["verify", profile.rawValue, certificate, changedBody, changedDigest, signature])
        #expect(refused.status == 1, "jose-peer: \(refused.errors)")
        #expect(refused.errors.contains("InvalidJWSSignature"), "jose-peer: \(refused.errors)")
    }
}
