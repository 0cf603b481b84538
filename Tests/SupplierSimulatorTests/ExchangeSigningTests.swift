import AsyncHTTPClient
import DDASExchange
import DDASSignature
import DDASTestPKI
import Foundation
import Testing
import X509
import _CryptoExtras

@testable import SupplierSimulator

/// A test PKI shared by the tests of this file, with two signing certificates that carry an OIN
/// in their subject serialNumber: CBS's and another party's.
struct SigningPKI: Sendable {
    static let cbsOIN = "00000001001234567000"
    static let otherOIN = "00000009999999999999"
    static let shared = Task { try await SigningPKI() }

    let pki: TestPKI
    let cbs: PayloadSigner
    /// CBS's key (PKCS#8 PEM) and chain (PEM), for a signer of another implementation.
    let cbsKeyPEM: String
    let cbsChainPEM: String
    let other: PayloadSigner

    init() async throws {
        pki = try await TestPKI.generate()
        let cbs = try Self.identity(pki, commonName: "DDAS Test CBS met OIN", oin: Self.cbsOIN)
        self.cbs = try PayloadSigner(privateKey: cbs.key, certificateChain: cbs.chain, keyID: "cbs-oin", profile: .body)
        cbsKeyPEM = cbs.key.pkcs8PEMRepresentation
        cbsChainPEM = try PEMBundle.pem(of: cbs.chain)
        let other = try Self.identity(pki, commonName: "DDAS Test Andere Partij", oin: Self.otherOIN)
        self.other = try PayloadSigner(privateKey: other.key, certificateChain: other.chain, keyID: "ander", profile: .body)
    }

    /// A key and a certificate chain whose signing certificate, issued by the test intermediate, carries `oin`.
    static func identity(_ pki: TestPKI, commonName: String, oin: String) throws -> (key: _RSA.Signing.PrivateKey, chain: [Certificate]) {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let named = try DistinguishedName {
            CountryName("NL")
            OrganizationName("DDAS Test")
            CommonName(commonName)
        }
        let serialNumber = try RelativeDistinguishedName.Attribute(type: SubjectOIN.serialNumber, printableString: oin)
        let subject = DistinguishedName(Array(named) + [RelativeDistinguishedName(serialNumber)])
        let publicKey = Certificate.PublicKey(key.publicKey)
        let issuerKey = Certificate.PrivateKey(pki.intermediateKey)
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: Date().addingTimeInterval(-3_600), notValidAfter: Date().addingTimeInterval(86_400),
            issuer: pki.intermediate.subject, subject: subject, signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions([
                Certificate.Extension(BasicConstraints.notCertificateAuthority, critical: true),
                Certificate.Extension(KeyUsage(digitalSignature: true, nonRepudiation: true), critical: true),
                Certificate.Extension(SubjectKeyIdentifier(hash: publicKey), critical: false),
                Certificate.Extension(
                    AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: issuerKey.publicKey).keyIdentifier), critical: false),
            ]),
            issuerPrivateKey: issuerKey)
        return (key, [certificate, pki.intermediate])
    }

    /// The fixture's service at API 1.2, verifying requests against the test root and CBS's OIN.
    func verifyingService(name: String = "xxllnc", basePath: String = "/xxllnc/v1") -> LeverancierDienst {
        var service = Fixture.service(name: name, basePath: basePath, apiVersion: .v1_2)
        service.requestVerifier = JAdESRequestVerifier(
            verifier: PayloadVerifier(trustAnchors: [pki.root]), expecting: SignerExpectation(oin: Self.cbsOIN))
        return service
    }
}

/// The FSC codes the spec allows in `Fsc-Error-Code`, read from the spec file in the repository.
let specFscErrorCodes: Set<String> = {
    let spec = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Exchange/DDAS-VS.yaml")
    let text = (try? String(contentsOf: spec, encoding: .utf8)) ?? ""
    return Set(
        text.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.hasPrefix("- ERROR_CODE_") ? String(trimmed.dropFirst(2)) : nil
        })
}()

extension Reply {
    /// Checks that this is the spec's FscError: `application/problem+json`, `Fsc-Error-Code`
    /// from the spec's list, and a body with `code` (the same), `domain` (one of the two),
    /// `title` and `detail` strings and `status` the HTTP status.
    func expectFscError(
        _ status: Int, code: String, domain: FscErrorDomain, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectProblem(status, fscErrorCode: code, sourceLocation: sourceLocation)
        #expect(specFscErrorCodes.contains(code), "\(code) is in the spec's list", sourceLocation: sourceLocation)
        #expect(json["domain"] as? String == domain.rawValue, sourceLocation: sourceLocation)
        #expect(["ERROR_DOMAIN_INWAY", "ERROR_DOMAIN_OUTWAY"].contains(json["domain"] as? String), sourceLocation: sourceLocation)
        #expect(json["title"] is String && json["detail"] is String, sourceLocation: sourceLocation)
        #expect(json["status"] as? Int == status, sourceLocation: sourceLocation)
    }
}

extension Harness {
    /// `POST /gegevens` of `body` with a fresh token and the given extra header lines.
    func gegevens(_ body: String, headerLines: [(String, String)], supplier: String = "xxllnc") async throws -> Reply {
        let bearer = try await token(supplier)
        return try await send(
            base(supplier) + "/gegevens", method: .POST, body: body,
            headerLines: [("Authorization", "Bearer \(bearer)"), ("Content-Type", "application/json")] + headerLines)
    }

    /// `POST /gegevens` of `body`, signed by `signer`.
    func signedGegevens(_ body: String, by signer: PayloadSigner, supplier: String = "xxllnc") async throws -> Reply {
        let signed = try signer.sign(body: Array(body.utf8))
        return try await gegevens(
            body, headerLines: [("Digest", signed.digest), ("nlgov-adr-payload-sig", signed.signature)], supplier: supplier)
    }
}

@Suite("API versions: the request's organisation member")
struct APIVersionTests {
    static let old = #"{"aanleverende_organisatie":"Gemeente Utrecht","pageSize":10}"#
    static let new = #"{"aanleverendeOrganisatie":"Gemeente Utrecht","pageSize":10}"#

    @Test("a 1.0 service serves aanleverende_organisatie and refuses aanleverendeOrganisatie with 400; a 1.2 service the other way round")
    func versions() async throws {
        let services = [
            Fixture.service(name: "oud", basePath: "/oud/v1", apiVersion: .v1_0),
            Fixture.service(name: "nieuw", basePath: "/nieuw/v1", apiVersion: .v1_2),
        ]
        try await Fixture.withSimulator(services) { harness async throws in
            for (supplier, accepted, refused, unknown) in [
                ("oud", Self.old, Self.new, "aanleverendeOrganisatie"), ("nieuw", Self.new, Self.old, "aanleverende_organisatie"),
            ] {
                let served = try await harness.gegevens(accepted, supplier: supplier)
                #expect(served.status == 200)
                #expect(served.leveringen.map { $0["gemeentecode"] as? String } == ["0344"])
                let reply = try await harness.gegevens(refused, supplier: supplier)
                reply.expectProblem(400)
                #expect((reply.json["detail"] as? String)?.contains("unknown field '\(unknown)'") == true)
                #expect(reply.json["code"] == nil)
            }
            let counts = await harness.simulator.ledger.snapshot()
            #expect(counts.count(supplier: "oud", outcome: .refused(status: 400)) == 1)
            #expect(counts.count(supplier: "nieuw", outcome: .refused(status: 400)) == 1)
        }
    }

    @Test("a service made without a version speaks 1.2")
    func standardVersion() {
        let service = LeverancierDienst(
            name: "x", basePath: "/x", gemeenten: [SimulatedGemeente(code: "0363", organisatie: "A")!],
            clients: [ClientCredential(id: "a", secret: "b")])
        #expect(service.apiVersion == .v1_2)
        #expect(service.responseSigning == .kpAPIs)
        #expect(service.requestVerifier == nil)
    }
}

@Suite("CBS's request signature, as the simulator verifies it")
struct RequestVerificationTests {
    static let body = #"{"aanleverendeOrganisatie":"Gemeente Amsterdam","pageSize":10}"#

    @Test("a request signed by CBS is served, and the ledger records the profile it used")
    func signedByCBS() async throws {
        let keys = try await SigningPKI.shared.value
        try await Fixture.withSimulator([keys.verifyingService()]) { harness async throws in
            let reply = try await harness.signedGegevens(Self.body, by: keys.cbs)
            #expect(reply.status == 200)
            #expect(reply.leveringen.map { $0["gemeentecode"] as? String } == ["0363"])
            let counts = await harness.simulator.ledger.snapshot()
            #expect(counts.count(outcome: .served, requestProfile: .body) == 1)
            #expect(counts.count(outcome: .served, requestProfile: .kpAPIs) == 0)
        }
    }

    @Test("a bad or missing signature, a wrong Digest, or a Digest or signature header sent twice: 401 ACCESS_TOKEN_INVALID, Inway")
    func invalidSignatures() async throws {
        let keys = try await SigningPKI.shared.value
        try await Fixture.withSimulator([keys.verifyingService()]) { harness async throws in
            let signed = try keys.cbs.sign(body: Array(Self.body.utf8))
            let other = try keys.cbs.sign(body: Array((Self.body + " ").utf8))
            let cases: [(String, [(String, String)])] = [
                ("signature_invalid", [("Digest", signed.digest), ("nlgov-adr-payload-sig", other.signature)]),
                ("digest_mismatch", [("Digest", other.digest), ("nlgov-adr-payload-sig", signed.signature)]),
                ("signature_missing", [("Digest", signed.digest)]),
                ("digest_missing", []),
                (
                    "signature_duplicate",
                    [("Digest", signed.digest), ("nlgov-adr-payload-sig", signed.signature), ("nlgov-adr-payload-sig", signed.signature)]
                ),
                ("digest_duplicate", [("Digest", signed.digest), ("Digest", signed.digest), ("nlgov-adr-payload-sig", signed.signature)]),
            ]
            for (failure, headers) in cases {
                let reply = try await harness.gegevens(Self.body, headerLines: headers)
                reply.expectFscError(401, code: "ERROR_CODE_ACCESS_TOKEN_INVALID", domain: .inway)
                #expect((reply.json["detail"] as? String)?.contains("(\(failure))") == true, "\(failure)")
                #expect((reply.json["type"] as? String)?.hasSuffix("handtekening-ongeldig") == true)
            }
            let counts = await harness.simulator.ledger.snapshot()
            #expect(counts.count(outcome: .refused(status: 401)) == cases.count)
            #expect(counts.count(outcome: .served) == 0)
        }
    }

    @Test("a request signed by a trusted certificate of another party than CBS: 403 WRONG_GROUP_ID_IN_TOKEN, Inway")
    func otherSigner() async throws {
        let keys = try await SigningPKI.shared.value
        try await Fixture.withSimulator([keys.verifyingService()]) { harness async throws in
            for signer in [keys.other, try keys.pki.leverancier.signer(keyID: "leverancier")] {
                let reply = try await harness.signedGegevens(Self.body, by: signer)
                reply.expectFscError(403, code: "ERROR_CODE_WRONG_GROUP_ID_IN_TOKEN", domain: .inway)
                #expect((reply.json["type"] as? String)?.hasSuffix("ondertekenaar-onbekend") == true)
            }
            let untrusted = try await harness.signedGegevens(Self.body, by: try keys.pki.onbekend.signer(keyID: "onbekend"))
            untrusted.expectFscError(401, code: "ERROR_CODE_ACCESS_TOKEN_INVALID", domain: .inway)
            #expect((untrusted.json["detail"] as? String)?.contains("(certificate_untrusted)") == true)
        }
    }

    @Test("without a request verifier a wrong Digest is still a 400 problem, and an unsigned request is served")
    func withoutVerifier() async throws {
        try await Fixture.withSimulator([Fixture.service(apiVersion: .v1_2)]) { harness async throws in
            let wrong = try await harness.gegevens(
                Self.body, headerLines: [("Digest", DDASSignature.PayloadDigest.headerValue(for: [0x20]))])
            wrong.expectProblem(400)
            #expect(try await harness.gegevens(Self.body, headerLines: []).status == 200)
        }
    }
}

@Suite("FSC errors as the spec describes them")
struct FscErrorTests {
    @Test("404, 405 and 502 are FscError bodies: Inway for an unknown service and an unreachable one, Outway for a method")
    func statusCodes() async throws {
        try await Fixture.withSimulator(faults: [FaultRule(Fault(.badGateway), limit: 1)]) { harness async throws in
            try await harness.gegevens(GegevensAPITests.request(page: 1, pageSize: 10))
                .expectFscError(502, code: "ERROR_CODE_SERVICE_UNREACHABLE", domain: .inway)
            try await harness.send(harness.base() + "/nergens", method: .POST, body: "{}")
                .expectFscError(404, code: "ERROR_CODE_SERVICE_NOT_FOUND", domain: .inway)
            let method = try await harness.send(harness.base() + "/gegevens", method: .GET)
            method.expectFscError(405, code: "ERROR_CODE_METHOD_UNSUPPORTED", domain: .outway)
            #expect(method.headers.first(name: "Allow") == "POST")
            try await harness.gegevens(token: "onbekend").expectFscError(401, code: "ERROR_CODE_ACCESS_TOKEN_INVALID", domain: .inway)
        }
    }

    @Test(
        "an expired access token (fault, twice): 401 ACCESS_TOKEN_EXPIRED from the Outway; the same token stays expired, a new one is served"
    )
    func accessTokenExpired() async throws {
        let request = GegevensAPITests.request(page: 1, pageSize: 10)
        try await Fixture.withSimulator(faults: [FaultRule(Fault(.accessTokenExpired), limit: 2)]) { harness async throws in
            let token = try await harness.token()
            let first = try await harness.gegevens(request, token: token)
            first.expectFscError(401, code: "ERROR_CODE_ACCESS_TOKEN_EXPIRED", domain: .outway)
            #expect(first.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
            let again = try await harness.gegevens(request, token: token)
            again.expectFscError(401, code: "ERROR_CODE_ACCESS_TOKEN_EXPIRED", domain: .inway)
            let renewed = try await harness.gegevens(request)
            renewed.expectFscError(401, code: "ERROR_CODE_ACCESS_TOKEN_EXPIRED", domain: .outway)
            #expect(try await harness.gegevens(request).status == 200)
            let counts = await harness.simulator.ledger.snapshot()
            #expect(counts.count(outcome: .fault(.accessTokenExpired)) == 2)
            #expect(counts.count(outcome: .refused(status: 401)) == 1)
            #expect(counts.count(outcome: .served) == 1)
        }
    }

    @Test("a wrong group id: 403 WRONG_GROUP_ID_IN_TOKEN every time, a new token does not help")
    func wrongGroupID() async throws {
        try await Fixture.withSimulator(faults: [FaultRule(Fault(.wrongGroupID))]) { harness async throws in
            for _ in 0..<2 {
                try await harness.gegevens(GegevensAPITests.request(page: 1, pageSize: 10))
                    .expectFscError(403, code: "ERROR_CODE_WRONG_GROUP_ID_IN_TOKEN", domain: .inway)
            }
        }
    }

    @Test("the domain of a refusal fault can be set")
    func domain() async throws {
        var fault = Fault(.forbidden)
        fault.fscErrorDomain = .outway
        try await Fixture.withSimulator(faults: [FaultRule(fault)]) { harness async throws in
            try await harness.gegevens(GegevensAPITests.request(page: 1, pageSize: 10))
                .expectFscError(403, code: "ERROR_CODE_WRONG_GROUP_ID_IN_TOKEN", domain: .outway)
        }
    }
}

@Suite("Response signatures: profile, duplicate header, wrong OIN")
struct ResponseSigningTests {
    @Test("the response is signed in the service's profile, with the signers of a test PKI folder", arguments: SigningProfile.allCases)
    func profile(_ profile: SigningProfile) async throws {
        let keys = try await SigningPKI.shared.value
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sim-pki-\(UUID().uuidString)").path
        _ = try keys.pki.write(to: folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var service = Fixture.service(apiVersion: .v1_2)
        service.responseSigning = profile
        try service.loadSigners(fromTestPKI: folder)
        #expect((service.signer as? JAdESResponseSigner)?.signer.profile == profile)
        #expect((service.expiredSigner as? JAdESResponseSigner)?.signer.profile == profile)
        try await Fixture.withSimulator([service]) { harness async throws in
            let reply = try await harness.gegevens(#"{"pageSize":10}"#)
            #expect(reply.status == 200)
            let verified = try await PayloadVerifier(trustAnchors: [keys.pki.root]).verify(
                body: reply.body, digestHeaders: reply.headers["Digest"], signatureHeaders: reply.headers["nlgov-adr-payload-sig"])
            #expect(verified.subject.contains("DDAS Test Leverancier"))
            #expect(verified.profile == profile)
        }
    }

    @Test("duplicateSignatureHeader sends nlgov-adr-payload-sig twice, which a verifier refuses")
    func duplicateSignatureHeader() async throws {
        let keys = try await SigningPKI.shared.value
        var service = Fixture.service(apiVersion: .v1_2)
        service.signer = JAdESResponseSigner(signer: try keys.pki.leverancier.signer(keyID: "leverancier"))
        try await Fixture.withSimulator([service], faults: [FaultRule(Fault(.duplicateSignatureHeader), limit: 1)]) {
            harness async throws in
            let reply = try await harness.gegevens(#"{"pageSize":10}"#)
            #expect(reply.status == 200)
            let signatures = reply.headers["nlgov-adr-payload-sig"]
            #expect(signatures.count == 2)
            let verifier = PayloadVerifier(trustAnchors: [keys.pki.root])
            await #expect(throws: SignatureFailure.signatureDuplicate) {
                _ = try await verifier.verify(body: reply.body, digestHeaders: reply.headers["Digest"], signatureHeaders: signatures)
            }
            let next = try await harness.gegevens(#"{"pageSize":10}"#)
            #expect(next.headers["nlgov-adr-payload-sig"].count == 1)
            _ = try await verifier.verify(
                body: next.body, digestHeaders: next.headers["Digest"], signatureHeaders: next.headers["nlgov-adr-payload-sig"])
        }
    }

    @Test("wrongOINSigner signs with the wrong-OIN signer; without one configured the fault is refused")
    func wrongOINSigner() async throws {
        try await Fixture.withSimulator(faults: [FaultRule(Fault(.wrongOINSigner), limit: 1)]) { harness async throws in
            let reply = try await harness.gegevens(GegevensAPITests.request(page: 1, pageSize: 10))
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "nlgov-adr-payload-sig") == NamedSigner.signature("wrong-oin", reply.body))
        }
        var bare = Fixture.service()
        bare.wrongOINSigner = nil
        #expect(throws: SimulatorConfigurationError.self) {
            _ = try SupplierSimulator(configuration: SimulatorConfiguration(suppliers: [bare], faults: [FaultRule(Fault(.wrongOINSigner))]))
        }
    }
}
