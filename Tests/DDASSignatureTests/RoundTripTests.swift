import Crypto
import Foundation
import Testing
import _CryptoExtras

@testable import DDASSignature
@testable import DDASTestPKI

@Suite("Signing and verifying")
struct RoundTripTests {
    @Test("a supplier-signed body verifies and names the signer")
    func supplierRoundTrip() async throws {
        let pki = try await Fixture.pki()
        let headers = try Fixture.signer(pki.leverancier, keyID: "leverancier-2026").sign(body: Fixture.body)
        let signer = try await Fixture.verifier(pki).verify(
            body: Fixture.body, digestHeader: headers.digest, signatureHeader: headers.signature)

        #expect(signer.subject == "CN=DDAS Test Leverancier,2.5.4.5=\(TestPKI.leverancierOIN),O=DDAS Test,C=NL")
        #expect(signer.oin == TestPKI.leverancierOIN)
        #expect(signer.profile == .kpAPIs)
        #expect(signer.issuer == "CN=DDAS Test Intermediate CA,O=DDAS Test,C=NL")
        #expect(signer.keyID == "leverancier-2026")
        #expect(signer.signingTime == Fixture.signedAt)
        let leafDER = try Fixture.derBytes(pki.leverancier.certificate)
        #expect(signer.certificateFingerprint == SHA256.hash(data: leafDER).map { String(format: "%02x", $0) }.joined())
        #expect(signer.chain == [pki.leverancier.certificate, pki.intermediate, pki.root])
    }

    @Test("a CBS-signed request verifies against the same trust anchor")
    func cbsRoundTrip() async throws {
        let pki = try await Fixture.pki()
        let request = Data(#"{"page":1,"pageSize":50000}"#.utf8)
        let headers = try Fixture.signer(pki.cbs).sign(body: request)
        let signer = try await Fixture.verifier(pki).verify(
            body: request, digestHeader: headers.digest, signatureHeader: headers.signature)
        #expect(signer.subject == "CN=DDAS Test CBS,2.5.4.5=\(TestPKI.cbsOIN),O=DDAS Test,C=NL")
    }

    @Test("an empty body signs and verifies", arguments: SigningProfile.allCases)
    func emptyBody(profile: SigningProfile) async throws {
        let pki = try await Fixture.pki()
        let headers = try Fixture.signer(pki.leverancier, profile: profile).sign(body: Data())
        _ = try await Fixture.verifier(pki).verify(body: Data(), digestHeader: headers.digest, signatureHeader: headers.signature)
    }

    @Test(
        "the streamed base64url encoding equals the one-shot one at slice boundaries",
        arguments: [0, 1, 2, 3, 196_607, 196_608, 196_609, 400_001])
    func streamedEncoding(length: Int) {
        let bytes = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        var streamed = SHA256()
        Base64URL.hashEncoding(of: bytes, into: &streamed)
        let oneShot = SHA256.hash(data: Data(Base64URL.encode(bytes).utf8))
        #expect(streamed.finalize() == oneShot)
        #expect(Base64URL.decode(Base64URL.encode(bytes)[...]) == bytes)
    }

    @Test("a 20 MB body signs and verifies", arguments: SigningProfile.allCases)
    func largeBody(profile: SigningProfile) async throws {
        let pki = try await Fixture.pki()
        var body = Data(count: 20 * 1024 * 1024)
        body.withUnsafeMutableBytes { buffer in
            for index in stride(from: 0, to: buffer.count, by: 4096) { buffer[index] = UInt8(truncatingIfNeeded: index >> 12) }
        }
        let headers = try Fixture.signer(pki.leverancier, profile: profile).sign(body: body)
        let signer = try await Fixture.verifier(pki).verify(
            body: body, digestHeader: headers.digest, signatureHeader: headers.signature)
        #expect(signer.subject.hasPrefix("CN=DDAS Test Leverancier"))
        body[body.count - 1] ^= 0xFF
        await #expect(throws: SignatureFailure.digestMismatch) {
            try await Fixture.verifier(pki).verify(body: body, digestHeader: headers.digest, signatureHeader: headers.signature)
        }
    }
}
