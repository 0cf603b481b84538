import Foundation
import Testing
import X509

@testable import DDASSignature

@Suite("The certificate chain behind a signature")
struct CertificateChainTests {
    /// Signs the test body with `signer` and verifies it with `verifier`.
    private func verify(_ signer: PayloadSigner, with verifier: PayloadVerifier) async throws -> VerifiedSigner {
        let headers = try signer.sign(body: Fixture.body)
        return try await verifier.verify(body: Fixture.body, digestHeader: headers.digest, signatureHeader: headers.signature)
    }

    @Test("an expired signing certificate is reported as expired")
    func expired() async throws {
        let pki = try await Fixture.pki()
        await #expect(throws: SignatureFailure.certificateExpired) {
            try await verify(Fixture.signer(pki.verlopen), with: Fixture.verifier(pki))
        }
    }

    @Test("a valid certificate judged after its end is reported as expired")
    func judgedAfterEnd() async throws {
        let pki = try await Fixture.pki()
        let later = pki.leverancier.certificate.notValidAfter.addingTimeInterval(1)
        await #expect(throws: SignatureFailure.certificateExpired) {
            try await verify(Fixture.signer(pki.leverancier), with: Fixture.verifier(pki, at: later))
        }
    }

    @Test("a chain judged before its start is reported as not yet valid")
    func notYetValid() async throws {
        let pki = try await Fixture.pki()
        let earlier = pki.leverancier.certificate.notValidBefore.addingTimeInterval(-1)
        await #expect(throws: SignatureFailure.certificateNotYetValid) {
            try await verify(Fixture.signer(pki.leverancier), with: Fixture.verifier(pki, at: earlier))
        }
    }

    @Test("a chain under an unknown root is untrusted, even though its signature is sound")
    func unknownRoot() async throws {
        let pki = try await Fixture.pki()
        await #expect(throws: SignatureFailure.certificateUntrusted) {
            try await verify(Fixture.signer(pki.onbekend), with: Fixture.verifier(pki))
        }
        let trustingIt = PayloadVerifier(trustAnchors: [pki.root, pki.onbekendRoot], now: Fixture.clock(Fixture.signedAt))
        let signer = try await verify(Fixture.signer(pki.onbekend), with: trustingIt)
        #expect(signer.subject.hasPrefix("CN=DDAS Onbekende Leverancier"))
    }

    @Test("a chain that leaves out the intermediate does not reach the root")
    func missingIntermediate() async throws {
        let pki = try await Fixture.pki()
        let signer = try PayloadSigner(
            privateKey: pki.leverancier.privateKey, certificateChain: [pki.leverancier.certificate], keyID: "k",
            now: Fixture.clock(Fixture.signedAt))
        await #expect(throws: SignatureFailure.certificateUntrusted) {
            try await verify(signer, with: Fixture.verifier(pki))
        }
    }

    @Test("a verifier without trust anchors trusts nothing")
    func noAnchors() async throws {
        let pki = try await Fixture.pki()
        let verifier = PayloadVerifier(trustAnchors: [], now: Fixture.clock(Fixture.signedAt))
        await #expect(throws: SignatureFailure.certificateUntrusted) {
            try await verify(Fixture.signer(pki.leverancier), with: verifier)
        }
    }

    @Test("a signing certificate whose key usage leaves out digitalSignature is refused")
    func keyUsage() async throws {
        let pki = try await Fixture.pki()
        let encipherOnly = try pki.issueSigningCertificate(
            commonName: "DDAS Test Versleuteling", publicKey: pki.leverancier.privateKey.publicKey,
            notValidBefore: Fixture.issuedAt, notValidAfter: Fixture.issuedAt.addingTimeInterval(86_400),
            keyUsage: KeyUsage(keyEncipherment: true))
        let signer = try PayloadSigner(
            privateKey: pki.leverancier.privateKey, certificateChain: [encipherOnly, pki.intermediate], keyID: "k",
            now: Fixture.clock(Fixture.signedAt))
        await #expect(throws: SignatureFailure.certificateUsage) {
            try await verify(signer, with: Fixture.verifier(pki))
        }
    }

    @Test("an extra certificate issued for the supplier key verifies when its usage is right")
    func issuedCertificateVerifies() async throws {
        let pki = try await Fixture.pki()
        let extra = try pki.issueSigningCertificate(
            commonName: "DDAS Test Extra", publicKey: pki.leverancier.privateKey.publicKey,
            notValidBefore: Fixture.issuedAt, notValidAfter: Fixture.issuedAt.addingTimeInterval(86_400))
        let signer = try PayloadSigner(
            privateKey: pki.leverancier.privateKey, certificateChain: [extra, pki.intermediate], keyID: "k",
            now: Fixture.clock(Fixture.signedAt))
        let verified = try await verify(signer, with: Fixture.verifier(pki))
        #expect(verified.subject.hasPrefix("CN=DDAS Test Extra"))
    }
}
