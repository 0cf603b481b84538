import AsyncHTTPClient
import Crypto
import DDASClient
import DDASSignature
import DDASTestPKI
import Foundation
import NIOCore
import SupplierSimulator
import SwiftASN1
import Testing
import X509

@Suite("Revocation checking against the simulator's OCSP responder and CRLs")
struct RevocationCheckerTests {
    @Test("A chain whose certificates the responder knows and has not revoked passes, one OCSP request per certificate")
    func goodChain() async throws {
        try await RevocationRig.run { rig in
            try await withHTTPFetcher { fetcher in
                let checker = try RevocationChecker(policy: .require, fetcher: fetcher)
                #expect(await outcome(checker, rig.chain(rig.pki.leverancier)) == "ok")
                #expect(await rig.responder.ocspRequestCount == 2)
                #expect(await rig.responder.crlRequestCount == 0)
            }
        }
    }

    @Test("A signing certificate revoked through the simulator's admin endpoint fails as certificate_revoked, under require and prefer")
    func revokedOverAdminEndpoint() async throws {
        try await RevocationRig.run { rig in
            #expect(try await rig.revokeOverHTTP(serialOrFingerprint: serialHex(rig.pki.cbs.certificate), secret: "wrong") == 401)
            #expect(try await rig.revokeOverHTTP(serialOrFingerprint: serialHex(rig.pki.cbs.certificate)) == 200)
            try await withHTTPFetcher { fetcher in
                for policy in [RevocationPolicy.require, .prefer] {
                    let checker = try RevocationChecker(policy: policy, fetcher: fetcher)
                    #expect(await outcome(checker, rig.chain(rig.pki.cbs)) == "certificate_revoked")
                    #expect(await outcome(checker, rig.chain(rig.pki.leverancier)) == "ok")
                }
            }
            #expect(SignatureFailure.certificateRevoked.isRetryable == false)
        }
    }

    @Test("A certificate revoked by its SHA-256 fingerprint is revoked; an unknown fingerprint is a 404")
    func revokedByFingerprint() async throws {
        try await RevocationRig.run { rig in
            var serializer = DER.Serializer()
            try serializer.serialize(rig.pki.leverancier.certificate)
            let der = serializer.serializedBytes
            let fingerprint = SHA256Hex.of(der)
            #expect(try await rig.revokeOverHTTP(serialOrFingerprint: String(repeating: "ab", count: 32), field: "vingerafdruk") == 404)
            #expect(try await rig.revokeOverHTTP(serialOrFingerprint: fingerprint, field: "vingerafdruk") == 200)
            try await withHTTPFetcher { fetcher in
                let checker = try RevocationChecker(policy: .require, fetcher: fetcher)
                #expect(await outcome(checker, rig.chain(rig.pki.leverancier)) == "certificate_revoked")
            }
        }
    }

    @Test("A certificate the responder does not know fails as revocation_unknown under require and prefer, and is not retryable")
    func unknown() async throws {
        let responder = TestRevocationResponder()
        try await RevocationRig.run(responder: responder, knowing: []) { rig in
            await responder.register(rig.pki.intermediate)
            try await withHTTPFetcher { fetcher in
                for policy in [RevocationPolicy.require, .prefer] {
                    let checker = try RevocationChecker(policy: policy, fetcher: fetcher)
                    #expect(await outcome(checker, rig.chain(rig.pki.leverancier)) == "revocation_unknown")
                }
            }
        }
        #expect(SignatureFailure.revocationUnknown.isRetryable == false)
    }

    @Test("With the responder and CRLs out of reach, require fails retryably, prefer passes and says so, off never asks")
    func responderDown() async throws {
        // A PKI naming a simulator that has stopped: nothing listens there any more.
        let stopped = try await RevocationRig.run { rig in rig }
        try await withHTTPFetcher(connectTimeout: .seconds(2), timeout: .seconds(5)) { fetcher in
            let reports = Reports()
            let require = try RevocationChecker(policy: .require, fetcher: fetcher, report: reports.report)
            #expect(await outcome(require, stopped.chain(stopped.pki.leverancier)) == "revocation_unavailable")
            #expect(SignatureFailure.revocationUnavailable.isRetryable)

            let preferReports = Reports()
            let prefer = try RevocationChecker(policy: .prefer, fetcher: fetcher, report: preferReports.report)
            #expect(await outcome(prefer, stopped.chain(stopped.pki.leverancier)) == "ok")
            #expect(preferReports.all.count == 2)
            #expect(preferReports.all.allSatisfy { $0.contains("tolerated") && $0.contains("unreachable") })

            let off = try RevocationChecker(policy: .off, fetcher: fetcher)
            #expect(await outcome(off, stopped.chain(stopped.pki.leverancier)) == "ok")
        }
        // Off does not even ask a running responder.
        try await RevocationRig.run { rig in
            try await withHTTPFetcher { fetcher in
                let off = try RevocationChecker(policy: .off, fetcher: fetcher)
                await rig.responder.revoke(rig.pki.leverancier.certificate)
                #expect(await outcome(off, rig.chain(rig.pki.leverancier)) == "ok")
                #expect(await rig.responder.ocspRequestCount == 0)
                #expect(await rig.responder.crlRequestCount == 0)
            }
        }
    }

    @Test("An answer signed with a key other than the issuer's is not taken, nor is a CRL so signed")
    func badSignature() async throws {
        let stranger = try await TestPKI.generate()
        try await RevocationRig.run { rig in
            // A second responder, for the same certificates, signing with a stranger's key under the issuer's name.
            let forger = TestRevocationResponder(
                authorities: [
                    .init(certificate: rig.pki.intermediate, key: Certificate.PrivateKey(stranger.intermediateKey)),
                    .init(certificate: rig.pki.root, key: Certificate.PrivateKey(stranger.rootKey)),
                ],
                issued: rig.pki.revocationCertificates)
            try await ForgedRig.run(forger: forger, pki: rig.pki) { forgedOrigin in
                try await withHTTPFetcher { fetcher in
                    let reports = Reports()
                    let checker = try RevocationChecker(
                        policy: .require, fetcher: RedirectingFetcher(fetcher, from: rig.origin, to: forgedOrigin), report: reports.report)
                    #expect(await outcome(checker, rig.chain(rig.pki.leverancier)) == "revocation_unavailable")
                    #expect(reports.all.first?.contains("the signature does not verify") == true)
                    #expect(reports.all.first?.contains("not signed by the issuer") == true)
                }
            }
        }
    }

    @Test("An answer with another nonce than the request's is not taken")
    func wrongNonce() async throws {
        try await RevocationRig.run { rig in
            await rig.responder.setNonceMode(.wrong)
            await rig.responder.setServes(ocsp: true, crls: false)
            try await withHTTPFetcher { fetcher in
                let reports = Reports()
                let checker = try RevocationChecker(policy: .require, fetcher: fetcher, report: reports.report)
                #expect(await outcome(checker, rig.chain(rig.pki.leverancier)) == "revocation_unavailable")
                #expect(reports.all.first?.contains("nonce") == true)
                // An answer without a nonce (as pre-produced answers are) is taken.
                await rig.responder.setNonceMode(.omit)
                #expect(await outcome(checker, rig.chain(rig.pki.leverancier)) == "ok")
            }
        }
    }

    @Test("An answer and a CRL past their nextUpdate are not taken")
    func staleNextUpdate() async throws {
        let past = Date().addingTimeInterval(-3 * 3_600)
        let responder = TestRevocationResponder(validity: 3_600, now: { past })
        try await RevocationRig.run(responder: responder) { rig in
            try await withHTTPFetcher { fetcher in
                let reports = Reports()
                let checker = try RevocationChecker(policy: .require, fetcher: fetcher, report: reports.report)
                #expect(await outcome(checker, rig.chain(rig.pki.leverancier)) == "revocation_unavailable")
                #expect(reports.all.first?.contains("past its nextUpdate") == true)
                #expect(await rig.responder.crlRequestCount == 1)
            }
        }
    }

    @Test("Without OCSP answers the CRL from the distribution point decides: revoked, then good for the others")
    func crlRevoked() async throws {
        try await RevocationRig.run { rig in
            await rig.responder.setServes(ocsp: false, crls: true)
            await rig.responder.revoke(rig.pki.cbs.certificate)
            try await withHTTPFetcher { fetcher in
                let checker = try RevocationChecker(policy: .require, fetcher: fetcher)
                #expect(await outcome(checker, rig.chain(rig.pki.cbs)) == "certificate_revoked")
                #expect(await outcome(checker, rig.chain(rig.pki.leverancier)) == "ok")
                // Two CRLs (intermediate's, root's), each fetched once and kept until its nextUpdate.
                #expect(await rig.responder.crlRequestCount == 2)
            }
        }
    }

    @Test("CRL files configured for the deployment decide for certificates that name no responder")
    func configuredCRLFiles() async throws {
        let pki = try await TestPKI.generate()
        let responder = TestRevocationResponder(pki: pki)
        await responder.revoke(pki.cbs.certificate)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let intermediateCRL = try #require(await responder.crl(slug: TestPKI.crlSlug(of: pki.intermediate)))
        let rootCRL = try #require(await responder.crl(slug: TestPKI.crlSlug(of: pki.root)))
        let derPath = directory.appendingPathComponent("intermediate.crl").path
        let pemPath = directory.appendingPathComponent("root.crl.pem").path
        try Data(intermediateCRL).write(to: URL(fileURLWithPath: derPath))
        let pem =
            "-----BEGIN X509 CRL-----\n" + Data(rootCRL).base64EncodedString(options: .lineLength64Characters)
            + "\n-----END X509 CRL-----\n"
        try pem.write(toFile: pemPath, atomically: true, encoding: .utf8)

        let checker = try RevocationChecker(policy: .require, fetcher: nil, crlFiles: [derPath, pemPath])
        #expect(await outcome(checker, pki.cbs.certificateChain + [pki.root]) == "certificate_revoked")
        #expect(await outcome(checker, pki.leverancier.certificateChain + [pki.root]) == "ok")
        // Past the files' nextUpdate they no longer count.
        #expect(
            await outcome(checker, pki.leverancier.certificateChain + [pki.root], at: Date().addingTimeInterval(2 * 3_600))
                == "revocation_unavailable")
        // Without the root's CRL the intermediate has no answer.
        let partial = try RevocationChecker(policy: .require, fetcher: nil, crlFiles: [derPath])
        #expect(await outcome(partial, pki.leverancier.certificateChain + [pki.root]) == "revocation_unavailable")
        #expect(throws: KeyMaterialError.unreadable(path: directory.appendingPathComponent("missing.crl").path)) {
            _ = try RevocationChecker(policy: .require, fetcher: nil, crlFiles: [directory.appendingPathComponent("missing.crl").path])
        }
    }

    @Test("OCSP answers are kept until their nextUpdate, then asked again")
    func cacheUntilNextUpdate() async throws {
        try await RevocationRig.run { rig in
            try await withHTTPFetcher { fetcher in
                let checker = try RevocationChecker(policy: .require, fetcher: fetcher)
                let now = Date()
                #expect(await outcome(checker, rig.chain(rig.pki.leverancier), at: now) == "ok")
                #expect(await outcome(checker, rig.chain(rig.pki.leverancier), at: now.addingTimeInterval(1_800)) == "ok")
                #expect(await rig.responder.ocspRequestCount == 2)
                // A revocation after the answer was kept shows once the answer has run out.
                await rig.responder.revoke(rig.pki.leverancier.certificate)
                #expect(await outcome(checker, rig.chain(rig.pki.leverancier), at: now.addingTimeInterval(1_900)) == "ok")
                #expect(await rig.responder.ocspRequestCount == 2)
                #expect(await outcome(checker, rig.chain(rig.pki.leverancier), at: now.addingTimeInterval(3_700)) == "certificate_revoked")
                #expect(await rig.responder.ocspRequestCount > 2)
            }
        }
    }

    @Test("The responder also answers GET requests (RFC 6960 appendix A)")
    func getRequest() async throws {
        try await RevocationRig.run { rig in
            let checker = try RevocationChecker(policy: .require, fetcher: GETFetcher())
            #expect(await outcome(checker, rig.chain(rig.pki.leverancier)) == "ok")
            #expect(await rig.responder.ocspRequestCount == 2)
        }
    }
}

/// Hex of SHA-256.
enum SHA256Hex {
    static func of(_ bytes: [UInt8]) -> String {
        Crypto.SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}

/// Sends requests meant for one origin to another (the forger), over real HTTP.
struct RedirectingFetcher: RevocationFetching {
    let inner: HTTPRevocationFetcher
    let from: String
    let to: String

    init(_ inner: HTTPRevocationFetcher, from: String, to: String) {
        self.inner = inner
        self.from = from
        self.to = to
    }

    func postOCSPRequest(_ request: [UInt8], to url: String) async throws -> [UInt8] {
        try await inner.postOCSPRequest(request, to: url.replacingOccurrences(of: from, with: to))
    }

    func fetchCRL(from url: String) async throws -> [UInt8] {
        try await inner.fetchCRL(from: url.replacingOccurrences(of: from, with: to))
    }
}

/// Asks OCSP with GET and the base64 request in the path (RFC 6960 appendix A), over real HTTP.
struct GETFetcher: RevocationFetching {
    func postOCSPRequest(_ request: [UInt8], to url: String) async throws -> [UInt8] {
        let encoded = Data(request).base64EncodedString().addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return try await withFetcherClient { client in
            let response = try await client.execute(HTTPClientRequest(url: url + "/" + encoded), timeout: .seconds(10))
            #expect(response.headers.first(name: "Content-Type") == "application/ocsp-response")
            return Array(buffer: try await response.body.collect(upTo: 1 << 20))
        }
    }

    func fetchCRL(from url: String) async throws -> [UInt8] { throw HTTPRevocationFetcher.FetchError.unreachable }
}

/// A second simulator serving a forging responder.
enum ForgedRig {
    static func run<Result: Sendable>(forger: TestRevocationResponder, pki: TestPKI, _ body: (String) async throws -> Result) async throws
        -> Result
    {
        let supplier = LeverancierDienst(
            name: "pki", basePath: "/pki-leverancier/v1",
            gemeenten: [SimulatedGemeente(code: "GM0363", organisatie: "Gemeente Amsterdam")!],
            clients: [ClientCredential(id: "regie", secret: "geheim-voor-tests")])
        var configuration = SimulatorConfiguration(suppliers: [supplier])
        configuration.revocation = SimulatedRevocation(responder: forger)
        return try await SupplierSimulator(configuration: configuration).withRunningServer { running in
            try await body(running.origin)
        }
    }
}

@Suite("The test PKI's responder from its folder")
struct RevocationFilesTests {
    @Test("A responder loaded from a PKI folder answers for its certificates, and a revocation outlives the process in revoked.json")
    func responderFromFolder() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pki-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pki = try await TestPKI.generate(revocationBaseURL: "http://127.0.0.1:1/pki")
        try pki.write(to: directory.path)
        let written = try pki.writeRevocationFiles(to: directory.path)
        #expect(written.map { URL(fileURLWithPath: $0).lastPathComponent } == ["root.key.pem", "intermediate.key.pem"])
        for path in written {
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        }

        let first = try TestRevocationResponder.load(pkiDirectory: directory.path)
        #expect(await first.revoke(serialHex(pki.cbs.certificate)) != nil)
        #expect(await first.revoke("00ff00ff") == nil)

        // A second process (here: a second load) sees the revocation.
        let second = try TestRevocationResponder.load(pkiDirectory: directory.path)
        let slug = TestPKI.crlSlug(of: pki.intermediate)
        let crl = try #require(await second.crl(slug: slug))
        let crlPath = directory.appendingPathComponent("intermediate.crl").path
        try Data(crl).write(to: URL(fileURLWithPath: crlPath))
        let rootCRLPath = directory.appendingPathComponent("root.crl").path
        try Data(try #require(await second.crl(slug: TestPKI.crlSlug(of: pki.root)))).write(to: URL(fileURLWithPath: rootCRLPath))
        let checker = try RevocationChecker(policy: .require, fetcher: nil, crlFiles: [crlPath, rootCRLPath])
        #expect(await outcome(checker, pki.cbs.certificateChain + [pki.root]) == "certificate_revoked")
        #expect(await outcome(checker, pki.leverancier.certificateChain + [pki.root]) == "ok")
    }

    @Test("The certificates of a PKI made with a revocation base URL name its OCSP responder and CRL")
    func pointers() async throws {
        let pki = try await TestPKI.generate(revocationBaseURL: "http://127.0.0.1:8089/pki/")
        let access = try #require(try pki.leverancier.certificate.extensions.authorityInformationAccess)
        #expect(access.map { "\($0.location)" }.joined().contains("http://127.0.0.1:8089/pki/ocsp"))
        #expect(
            TestPKI.crlURL(base: "http://127.0.0.1:8089/pki", issuer: pki.intermediate)
                == "http://127.0.0.1:8089/pki/crl/ddas-test-intermediate-ca.crl")
        #expect(try pki.root.extensions.authorityInformationAccess == nil)
        let plain = try await TestPKI.generate()
        #expect(try plain.leverancier.certificate.extensions.authorityInformationAccess == nil)
    }
}

@Suite("Revocation in payload verification")
struct RevocationPayloadTests {
    @Test("A message signed with a revoked certificate fails verification as certificate_revoked; one signed with a good one passes")
    func verifierUsesChecker() async throws {
        try await RevocationRig.run { rig in
            await rig.responder.revoke(rig.pki.cbs.certificate)
            try await withHTTPFetcher { fetcher in
                let verifier = PayloadVerifier(
                    trustAnchors: [rig.pki.root], revocation: try RevocationChecker(policy: .require, fetcher: fetcher))
                let body = Data("{\"leveringen\":[]}".utf8)
                let good = try rig.pki.leverancier.signer(keyID: "leverancier").sign(body: body)
                let signer = try await verifier.verify(body: body, digestHeader: good.digest, signatureHeader: good.signature)
                #expect(signer.keyID == "leverancier")
                let revoked = try rig.pki.cbs.signer(keyID: "cbs").sign(body: body)
                await #expect(throws: SignatureFailure.certificateRevoked) {
                    _ = try await verifier.verify(body: body, digestHeader: revoked.digest, signatureHeader: revoked.signature)
                }
            }
        }
    }
}
