import Foundation
import Testing

@testable import DDASSignature
@testable import DDASTestPKI

@Suite("The test PKI and its files")
struct TestPKIFilesTests {
    private static let fileNames = [
        "root.pem", "intermediate.pem", "leverancier.key.pem", "leverancier.chain.pem", "cbs.key.pem", "cbs.chain.pem",
        "verlopen.key.pem", "verlopen.chain.pem", "onbekend.key.pem", "onbekend.chain.pem", "onbekend-root.pem",
    ]

    /// A fresh directory under the system's temporary directory, removed by the caller.
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ddas-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func mode(of path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test("names, issuers and validity periods are as documented")
    func shape() async throws {
        let pki = try await Fixture.pki()
        #expect(pki.root.subject.description == "CN=DDAS Test Root CA,O=DDAS Test,C=NL")
        #expect(pki.root.issuer == pki.root.subject)
        #expect(pki.intermediate.issuer == pki.root.subject)
        #expect(pki.leverancier.certificate.issuer == pki.intermediate.subject)
        #expect(pki.cbs.certificate.subject.description == "CN=DDAS Test CBS,2.5.4.5=\(TestPKI.cbsOIN),O=DDAS Test,C=NL")
        #expect(pki.verlopen.certificate.issuer == pki.intermediate.subject)
        #expect(pki.onbekend.certificateChain[1].issuer == pki.onbekendRoot.subject)
        #expect(pki.onbekendRoot.subject != pki.root.subject)

        let day: TimeInterval = 86_400
        #expect(abs(pki.root.notValidAfter.timeIntervalSince(Fixture.issuedAt) - 3_650 * day) < 2)
        #expect(abs(pki.intermediate.notValidAfter.timeIntervalSince(Fixture.issuedAt) - 3_650 * day) < 2)
        #expect(abs(pki.leverancier.certificate.notValidAfter.timeIntervalSince(Fixture.issuedAt) - 730 * day) < 2)
        #expect(pki.leverancier.certificate.notValidBefore < Fixture.issuedAt)
        #expect(pki.verlopen.certificate.notValidAfter < Fixture.issuedAt)
        #expect(try pki.leverancier.certificate.extensions.keyUsage?.digitalSignature == true)
        #expect(try pki.leverancier.certificate.extensions.basicConstraints == .notCertificateAuthority)
    }

    @Test("write puts the eleven PEM files in place, keys readable by the owner only")
    func writtenFiles() async throws {
        let pki = try await Fixture.pki()
        let directory = try temporaryDirectory().appendingPathComponent("pki")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }

        let written = try pki.write(to: directory.path)
        #expect(written.map { URL(fileURLWithPath: $0).lastPathComponent } == Self.fileNames)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == Self.fileNames.sorted())
        for path in written {
            #expect(try mode(of: path) == (path.hasSuffix(".key.pem") ? 0o600 : 0o644), "\(path)")
        }
        let chain = try PEMBundle.loadCertificateChain(from: directory.appendingPathComponent("leverancier.chain.pem").path)
        #expect(chain == pki.leverancier.certificateChain)
        let onbekendRoot = try PEMBundle.loadTrustAnchors(from: directory.appendingPathComponent("onbekend-root.pem").path)
        #expect(onbekendRoot == [pki.onbekendRoot])
    }

    @Test("files written once sign and verify when loaded back")
    func loadedBack() async throws {
        let pki = try await Fixture.pki()
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try pki.write(to: directory.path)
        let anchors = directory.appendingPathComponent("anchors")
        try FileManager.default.createDirectory(at: anchors, withIntermediateDirectories: false)
        try FileManager.default.copyItem(
            at: directory.appendingPathComponent("root.pem"), to: anchors.appendingPathComponent("root.pem"))
        try Data("not a certificate".utf8).write(to: anchors.appendingPathComponent("README.txt"))

        let signer = try PayloadSigner(
            privateKey: try PEMBundle.loadPrivateKey(from: directory.appendingPathComponent("cbs.key.pem").path),
            certificateChain: try PEMBundle.loadCertificateChain(from: directory.appendingPathComponent("cbs.chain.pem").path),
            keyID: "cbs-test", now: Fixture.clock(Fixture.signedAt))
        let verifier = PayloadVerifier(
            trustAnchors: try PEMBundle.loadTrustAnchors(from: anchors.path), now: Fixture.clock(Fixture.signedAt))
        #expect(verifier.trustAnchors == [pki.root])
        let headers = try signer.sign(body: Fixture.body)
        let verified = try await verifier.verify(
            body: Fixture.body, digestHeader: headers.digest, signatureHeader: headers.signature)
        #expect(verified.keyID == "cbs-test")
    }

    @Test("existing files are kept unless overwriting is asked for")
    func overwrite() async throws {
        let pki = try await Fixture.pki()
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try pki.write(to: directory.path)
        let rootPath = directory.appendingPathComponent("root.pem").path
        #expect(throws: KeyMaterialError.unwritable(path: rootPath)) { try pki.write(to: directory.path) }
        let keyPath = directory.appendingPathComponent("cbs.key.pem").path
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyPath)
        try pki.write(to: directory.path, overwrite: true)
        #expect(try mode(of: keyPath) == 0o600)
    }

    @Test("trust anchors from a missing path or an empty directory are refused")
    func missingAnchors() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: KeyMaterialError.noCertificates) { try PEMBundle.loadTrustAnchors(from: directory.path) }
        let missing = directory.appendingPathComponent("nothing.pem").path
        #expect(throws: KeyMaterialError.unreadable(path: missing)) { try PEMBundle.loadTrustAnchors(from: missing) }
    }
}
