import ChildProgram
import DDASClient
import DDASSignature
import DDASTestPKI
import Foundation
import SupplierSimulator
import SwiftASN1
import Testing
import X509

/// Revocation against implementations that are not ours: an OCSP responder written with Python
/// `cryptography` (`Tests/Interop/ocsp-peer`, pinned in a virtual environment under `.build/`),
/// and `openssl ocsp` / `openssl crl` and `cryptography` verifying what the simulator answers.
/// A peer that cannot run fails the test.
@Suite("Revocation interop with Python cryptography and openssl")
struct RevocationInteropTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let peer = repositoryRoot.appendingPathComponent("Tests/Interop/ocsp-peer").path

    @Test("Our checker reads the Python responder's good, revoked and unknown answers as good, certificate_revoked and revocation_unknown")
    func pythonResponder() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "{}".write(to: directory.appendingPathComponent("status.json"), atomically: true, encoding: .utf8)
        let server = try ListeningPeer(script: "Tests/Interop/ocsp-peer", arguments: ["serve", directory.path])
        defer { server.stop() }
        let port = try await server.waitForPort()

        let pki = try await TestPKI.generate(revocationBaseURL: "http://127.0.0.1:\(port)/pki")
        try Self.write(pki.intermediate, key: pki.intermediateKey.pemRepresentation, name: "intermediate", in: directory)
        try Self.write(pki.root, key: pki.rootKey.pemRepresentation, name: "root", in: directory)
        let statuses = [
            serialHex(pki.intermediate): "good",
            serialHex(pki.leverancier.certificate): "good",
            serialHex(pki.cbs.certificate): "revoked",
                // verlopen's serial is not listed: the peer answers unknown.
        ]
        try JSONSerialization.data(withJSONObject: statuses).write(to: directory.appendingPathComponent("status.json"))

        try await withHTTPFetcher { fetcher in
            let checker = try RevocationChecker(policy: .require, fetcher: fetcher)
            #expect(await outcome(checker, pki.leverancier.certificateChain + [pki.root]) == "ok")
            #expect(await outcome(checker, pki.cbs.certificateChain + [pki.root]) == "certificate_revoked")
            #expect(await outcome(checker, pki.verlopen.certificateChain + [pki.root]) == "revocation_unknown")
        }
    }

    @Test("openssl ocsp verifies the simulator's answers (signature, nonce) and reads good and revoked")
    func opensslVerifiesSimulatorOCSP() async throws {
        try await RevocationRig.run { rig in
            let directory = try Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let files = try Self.writeCertificates(rig.pki, in: directory)
            await rig.responder.revoke(rig.pki.cbs.certificate)
            for (leaf, expected) in [(files.leverancier, "good"), (files.cbs, "revoked")] {
                let result = try await Self.run(
                    "/usr/bin/env",
                    [
                        "openssl", "ocsp", "-issuer", files.intermediate, "-cert", leaf, "-url", rig.origin + "/pki/ocsp",
                        "-CAfile", files.root, "-verify_other", files.intermediate,
                    ])
                #expect(result.status == 0, "openssl ocsp: \(result.output)")
                #expect(result.output.contains("Response verify OK"), "\(result.output)")
                #expect(result.output.contains("\(leaf): \(expected)"), "\(result.output)")
                #expect(!result.output.contains("WARNING: no nonce"), "\(result.output)")
            }
        }
    }

    @Test("openssl crl and Python cryptography verify the simulator's CRL and find the revoked serial")
    func independentVerifiersCheckSimulatorCRL() async throws {
        try await RevocationRig.run { rig in
            let directory = try Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let files = try Self.writeCertificates(rig.pki, in: directory)
            await rig.responder.revoke(rig.pki.cbs.certificate)
            let crlPath = directory.appendingPathComponent("intermediate.crl").path
            let crl = try await withHTTPFetcher { fetcher in
                try await fetcher.fetchCRL(from: TestPKI.crlURL(base: rig.origin + "/pki", issuer: rig.pki.intermediate))
            }
            try Data(crl).write(to: URL(fileURLWithPath: crlPath))

            let openssl = try await Self.run(
                "/usr/bin/env", ["openssl", "crl", "-inform", "DER", "-in", crlPath, "-CAfile", files.intermediate, "-noout", "-text"])
            #expect(openssl.status == 0, "\(openssl.output)")
            #expect(openssl.output.contains("verify OK"), "\(openssl.output)")
            #expect(openssl.output.uppercased().contains(serialHex(rig.pki.cbs.certificate).uppercased()), "\(openssl.output)")

            let python = try await Self.run(Self.peer, ["verify-crl", crlPath, files.intermediate])
            #expect(python.status == 0, "\(python.output)")
            let lines = python.output.split(separator: "\n").map(String.init)
            #expect(lines.contains("signature valid"), "\(python.output)")
            #expect(lines.contains(serialHex(rig.pki.cbs.certificate)), "\(python.output)")
            #expect(!lines.contains(serialHex(rig.pki.leverancier.certificate)), "\(python.output)")
        }
    }

    @Test("Python cryptography verifies the signature of the simulator's OCSP answer and reads its status")
    func pythonVerifiesSimulatorOCSP() async throws {
        try await RevocationRig.run { rig in
            let directory = try Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let files = try Self.writeCertificates(rig.pki, in: directory)
            await rig.responder.revoke(rig.pki.cbs.certificate)
            // The request made by openssl, the answer kept for the Python verifier.
            for (leaf, expected) in [(files.leverancier, "good"), (files.cbs, "revoked")] {
                let response = directory.appendingPathComponent("response.der").path
                let asked = try await Self.run(
                    "/usr/bin/env",
                    [
                        "openssl", "ocsp", "-issuer", files.intermediate, "-cert", leaf, "-url", rig.origin + "/pki/ocsp", "-noverify",
                        "-respout", response,
                    ])
                #expect(asked.status == 0, "\(asked.output)")
                let verified = try await Self.run(Self.peer, ["verify-ocsp", response, files.intermediate])
                #expect(verified.status == 0, "\(verified.output)")
                #expect(verified.output.split(separator: "\n").last.map(String.init) == expected, "\(verified.output)")
            }
        }
    }

    // MARK: - Helpers

    struct CertificateFiles {
        let root: String
        let intermediate: String
        let leverancier: String
        let cbs: String
    }

    static func writeCertificates(_ pki: TestPKI, in directory: URL) throws -> CertificateFiles {
        func write(_ certificate: Certificate, _ name: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try certificate.serializeAsPEM().pemString.appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        return CertificateFiles(
            root: try write(pki.root, "root-ca.pem"), intermediate: try write(pki.intermediate, "intermediate-ca.pem"),
            leverancier: try write(pki.leverancier.certificate, "leverancier.pem"), cbs: try write(pki.cbs.certificate, "cbs.pem"))
    }

    static func write(_ certificate: Certificate, key: String, name: String, in directory: URL) throws {
        try certificate.serializeAsPEM().pemString.appending("\n").write(
            to: directory.appendingPathComponent("\(name).pem"), atomically: true, encoding: .utf8)
        try key.appending("\n").write(to: directory.appendingPathComponent("\(name).key.pem"), atomically: true, encoding: .utf8)
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("revocation-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Runs a program to its end; its standard output and error together.
    static func run(_ program: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let run = try await ChildProgram.run(program, arguments, mergingErrors: true)
        return (run.status, run.output)
    }
}
