import Foundation
import Testing
import _CryptoExtras

@testable import DDASSignature

@Suite("Setting up a signer")
struct SignerSetupTests {
    @Test("a key that does not belong to the signing certificate is refused")
    func keyMismatch() async throws {
        let pki = try await Fixture.pki()
        #expect(throws: KeyMaterialError.keyMismatch) {
            try PayloadSigner(privateKey: pki.cbs.privateKey, certificateChain: pki.leverancier.certificateChain, keyID: "k")
        }
        #expect(throws: KeyMaterialError.keyMismatch) {
            try PayloadSigner(
                privateKeyPEM: pki.cbs.privateKeyPEM, certificateChainPEM: try pki.leverancier.certificateChainPEM(), keyID: "k")
        }
    }

    @Test("PKCS#8 and PKCS#1 keys both load and sign verifiably")
    func keyFormats() async throws {
        let pki = try await Fixture.pki()
        let pkcs1 = pki.leverancier.privateKey.pemRepresentation
        #expect(pkcs1.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        #expect(pki.leverancier.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        for pem in [pkcs1, pki.leverancier.privateKeyPEM] {
            let signer = try PayloadSigner(
                privateKeyPEM: pem, certificateChainPEM: try pki.leverancier.certificateChainPEM(), keyID: "k",
                now: Fixture.clock(Fixture.signedAt))
            let headers = try signer.sign(body: Fixture.body)
            _ = try await Fixture.verifier(pki).verify(
                body: Fixture.body, digestHeader: headers.digest, signatureHeader: headers.signature)
        }
    }

    @Test("a key under 2048 bits is refused")
    func smallKey() throws {
        let small = try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024))
        #expect(throws: KeyMaterialError.keyTooSmall(bits: 1024)) { try PEMBundle.privateKey(fromPEM: small.pkcs8PEMRepresentation) }
        #expect(throws: KeyMaterialError.keyTooSmall(bits: 1024)) {
            try PayloadSigner(privateKey: small, certificateChain: [], keyID: "k")
        }
    }

    @Test(
        "unreadable key text is refused with its own code",
        arguments: [
            ("not pem at all", KeyMaterialError.notPEM),
            ("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", .keyEncrypted),
            ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", .keyMalformed),
            ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", .notPEM),
        ])
    func badKeys(pem: String, error: KeyMaterialError) {
        #expect(throws: error) { try PEMBundle.privateKey(fromPEM: pem) }
    }

    @Test("an empty chain or a chain with a gap is refused")
    func badChains() async throws {
        let pki = try await Fixture.pki()
        #expect(throws: KeyMaterialError.noCertificates) {
            try PayloadSigner(privateKey: pki.leverancier.privateKey, certificateChain: [], keyID: "k")
        }
        #expect(throws: KeyMaterialError.chainOutOfOrder) {
            try PayloadSigner(
                privateKey: pki.leverancier.privateKey, certificateChain: [pki.leverancier.certificate, pki.root], keyID: "k")
        }
        #expect(throws: KeyMaterialError.noCertificates) {
            try PEMBundle.certificates(fromPEM: pki.leverancier.privateKeyPEM)
        }
    }

    @Test("a root at the end of the configured chain is not sent in x5c")
    func rootLeftOut() async throws {
        let pki = try await Fixture.pki()
        let signer = try PayloadSigner(
            privateKey: pki.leverancier.privateKey,
            certificateChain: [pki.leverancier.certificate, pki.intermediate, pki.root], keyID: "k")
        #expect(signer.certificateChain == pki.leverancier.certificateChain)
        let header = try Fixture.header(of: try signer.sign(body: Fixture.body).signature)
        #expect((header["x5c"] as? [String])?.count == 2)
    }

    @Test("error codes are stable and name no key material")
    func errorCodes() {
        #expect(KeyMaterialError.keyMismatch.code == "key_mismatch")
        #expect(KeyMaterialError.keyTooSmall(bits: 1024).description.contains("1024"))
        #expect(KeyMaterialError.unreadable(path: "/etc/ddas/key.pem").description == "cannot read /etc/ddas/key.pem")
    }
}
