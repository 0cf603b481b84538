import Foundation
import Testing

@testable import DDASSignature
@testable import DDASTestPKI

@Suite("Who signed: the supplier's OIN and certificate, one signature, one Digest")
struct SignerIdentityTests {
    @Test("the OIN in the signing certificate's subject serialNumber is reported", arguments: SigningProfile.allCases)
    func oinReported(profile: SigningProfile) async throws {
        let pki = try await Fixture.pki()
        let headers = try Fixture.signer(pki.cbs, profile: profile).sign(body: Fixture.body)
        let signer = try await Fixture.verifier(pki).verify(
            body: Fixture.body, digestHeader: headers.digest, signatureHeader: headers.signature)
        #expect(signer.oin == TestPKI.cbsOIN)
        #expect(pki.leverancier.oin == TestPKI.leverancierOIN)
        #expect(pki.verlopen.oin == TestPKI.leverancierOIN)
        #expect(TestPKI.testOIN(7) == "00000099000000000007")
    }

    @Test("the expected supplier's signature passes, with or without its certificate's fingerprint listed")
    func expectedSigner() async throws {
        let pki = try await Fixture.pki()
        let headers = try Fixture.signer(pki.leverancier).sign(body: Fixture.body)
        let fingerprint = try pki.leverancier.fingerprint()
        let other = try pki.cbs.fingerprint()
        for expectation in [
            SignerExpectation(oin: TestPKI.leverancierOIN),
            SignerExpectation(oin: TestPKI.leverancierOIN, fingerprints: [other, fingerprint]),
        ] {
            let signer = try await Fixture.verifier(pki).verify(
                body: Fixture.body, digestHeader: headers.digest, signatureHeader: headers.signature, expecting: expectation)
            #expect(signer.oin == TestPKI.leverancierOIN)
            #expect(signer.certificateFingerprint == fingerprint)
        }
    }

    @Test("a certificate from the trusted intermediate with another OIN is not the expected supplier's")
    func wrongOIN() async throws {
        let pki = try await Fixture.pki()
        let impostor = try await pki.makeIdentity(commonName: "DDAS Test Andere Leverancier", oin: TestPKI.testOIN(99))
        #expect(impostor.oin == TestPKI.testOIN(99))
        let headers = try Fixture.signer(impostor).sign(body: Fixture.body)
        let verifier = Fixture.verifier(pki)
        let signer = try await verifier.verify(body: Fixture.body, digestHeader: headers.digest, signatureHeader: headers.signature)
        #expect(signer.oin == TestPKI.testOIN(99))
        await #expect(throws: SignatureFailure.signerMismatch) {
            try await verifier.verify(
                body: Fixture.body, digestHeader: headers.digest, signatureHeader: headers.signature,
                expecting: SignerExpectation(oin: TestPKI.leverancierOIN))
        }
    }

    @Test("a certificate without an OIN is no one's, and reports none")
    func noOIN() async throws {
        let pki = try await Fixture.pki()
        let certificate = try pki.issueSigningCertificate(
            commonName: "DDAS Test Zonder OIN", publicKey: pki.leverancier.privateKey.publicKey,
            notValidBefore: Fixture.issuedAt.addingTimeInterval(-60), notValidAfter: Fixture.issuedAt.addingTimeInterval(86_400))
        let signer = try PayloadSigner(
            privateKey: pki.leverancier.privateKey, certificateChain: [certificate, pki.intermediate], keyID: "k",
            now: Fixture.clock(Fixture.signedAt))
        let headers = try signer.sign(body: Fixture.body)
        let verified = try await Fixture.verifier(pki).verify(
            body: Fixture.body, digestHeader: headers.digest, signatureHeader: headers.signature)
        #expect(verified.oin == nil)
        await #expect(throws: SignatureFailure.signerMismatch) {
            try await Fixture.verifier(pki).verify(
                body: Fixture.body, digestHeader: headers.digest, signatureHeader: headers.signature,
                expecting: SignerExpectation(oin: TestPKI.leverancierOIN))
        }
    }

    @Test("the right OIN on a certificate not in the allowed set is refused")
    func fingerprintNotAllowed() async throws {
        let pki = try await Fixture.pki()
        let headers = try Fixture.signer(pki.leverancier).sign(body: Fixture.body)
        await #expect(throws: SignatureFailure.signerMismatch) {
            try await Fixture.verifier(pki).verify(
                body: Fixture.body, digestHeader: headers.digest, signatureHeader: headers.signature,
                expecting: SignerExpectation(oin: TestPKI.leverancierOIN, fingerprints: [try pki.cbs.fingerprint()]))
        }
    }

    @Test("an impostor with the supplier's OIN under an untrusted root is refused as untrusted, not as a mismatch")
    func impostorUntrusted() async throws {
        let pki = try await Fixture.pki()
        #expect(pki.onbekend.oin == TestPKI.leverancierOIN)
        let headers = try Fixture.signer(pki.onbekend).sign(body: Fixture.body)
        await #expect(throws: SignatureFailure.certificateUntrusted) {
            try await Fixture.verifier(pki).verify(
                body: Fixture.body, digestHeader: headers.digest, signatureHeader: headers.signature,
                expecting: SignerExpectation(oin: TestPKI.leverancierOIN))
        }
    }

    @Test("two Digest headers or two signature headers make the message invalid", arguments: SigningProfile.allCases)
    func duplicates(profile: SigningProfile) async throws {
        let pki = try await Fixture.pki()
        let headers = try Fixture.signer(pki.leverancier, profile: profile).sign(body: Fixture.body)
        let verifier = Fixture.verifier(pki)
        await #expect(throws: SignatureFailure.digestDuplicate) {
            try await verifier.verify(
                body: Fixture.body, digestHeaders: [headers.digest, headers.digest], signatureHeaders: [headers.signature])
        }
        await #expect(throws: SignatureFailure.signatureDuplicate) {
            try await verifier.verify(
                body: Fixture.body, digestHeaders: [headers.digest], signatureHeaders: [headers.signature, headers.signature])
        }
        await #expect(throws: SignatureFailure.digestDuplicate) {
            try await verifier.verify(
                body: Fixture.body, digestHeaders: [headers.digest, headers.digest],
                signatureHeaders: [headers.signature, headers.signature])
        }
        let signer = try await verifier.verify(
            body: Fixture.body, digestHeaders: [headers.digest], signatureHeaders: [headers.signature])
        #expect(signer.profile == profile)
    }

    @Test("a KP-APIs signature with another body's Digest is caught by the Digest")
    func swappedDigest() async throws {
        let pki = try await Fixture.pki()
        let other = Data(#"{"gegevens":{"leveringen":[{}]}}"#.utf8)
        let signer = try Fixture.signer(pki.leverancier, profile: .kpAPIs)
        let headers = try signer.sign(body: Fixture.body)
        let otherHeaders = try signer.sign(body: other)
        await #expect(throws: SignatureFailure.digestMismatch) {
            try await Fixture.verifier(pki).verify(
                body: Fixture.body, digestHeader: otherHeaders.digest, signatureHeader: headers.signature)
        }
    }

    @Test("a KP-APIs signature with a correct Digest of a changed body is caught by the signature")
    func changedBodyWithItsDigest() async throws {
        let pki = try await Fixture.pki()
        let headers = try Fixture.signer(pki.leverancier, profile: .kpAPIs).sign(body: Fixture.body)
        var changed = Fixture.body
        changed[changed.startIndex + 12] ^= 0x20
        await #expect(throws: SignatureFailure.signatureInvalid) {
            try await Fixture.verifier(pki).verify(
                body: changed, digestHeader: PayloadDigest.headerValue(for: changed), signatureHeader: headers.signature)
        }
    }

    @Test("the Digest line is signed with the value trimmed, as JAdES builds it")
    func trimmedDigest() async throws {
        let pki = try await Fixture.pki()
        let headers = try Fixture.signer(pki.leverancier, profile: .kpAPIs).sign(body: Fixture.body)
        let signer = try await Fixture.verifier(pki).verify(
            body: Fixture.body, digestHeader: "  " + headers.digest + " ", signatureHeader: headers.signature)
        #expect(signer.profile == .kpAPIs)
    }
}
