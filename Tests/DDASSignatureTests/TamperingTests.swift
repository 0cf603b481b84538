import Crypto
import Foundation
import Testing

@testable import DDASSignature
@testable import DDASTestPKI

@Suite("Tampered bodies and forged signatures")
struct TamperingTests {
    /// A body signed by the supplier, and the verifier that should accept it.
    private func signed() async throws -> (TestPKI, SignedHeaders, PayloadVerifier) {
        let pki = try await Fixture.pki()
        return (pki, try Fixture.signer(pki.leverancier).sign(body: Fixture.body), Fixture.verifier(pki))
    }

    @Test("one byte changed in the body is caught by the Digest")
    func tamperedBody() async throws {
        let (_, headers, verifier) = try await signed()
        var tampered = Fixture.body
        tampered[tampered.startIndex + 12] ^= 0x20
        await #expect(throws: SignatureFailure.digestMismatch) {
            try await verifier.verify(body: tampered, digestHeader: headers.digest, signatureHeader: headers.signature)
        }
    }

    @Test("a replaced body with a recomputed Digest is caught by the signature")
    func replacedBodyAndDigest() async throws {
        let (_, headers, verifier) = try await signed()
        let forged = Data(#"{"gegevens":{"leveringen":[{}]}}"#.utf8)
        await #expect(throws: SignatureFailure.signatureInvalid) {
            try await verifier.verify(
                body: forged, digestHeader: PayloadDigest.headerValue(for: forged), signatureHeader: headers.signature)
        }
    }

    @Test("another trusted signing certificate put in x5c does not carry the signature")
    func swappedCertificate() async throws {
        let (pki, headers, verifier) = try await signed()
        let cbsDER = try Fixture.derBytes(pki.cbs.certificate)
        let swapped = try Fixture.rewritingHeader(of: headers.signature) { header in
            header["x5c"] = [Data(cbsDER).base64EncodedString(), (header["x5c"] as? [String] ?? [])[1]]
            header["x5t#S256"] = Base64URL.encode(SHA256.hash(data: cbsDER))
        }
        await #expect(throws: SignatureFailure.signatureInvalid) {
            try await verifier.verify(body: Fixture.body, digestHeader: headers.digest, signatureHeader: swapped)
        }
    }

    @Test("a signature with flipped bits does not verify")
    func flippedSignature() async throws {
        let (_, headers, verifier) = try await signed()
        var parts = headers.signature.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var signature = try #require(Base64URL.decode(parts[2][...]))
        signature[signature.startIndex + 100] ^= 0x01
        parts[2] = Base64URL.encode(signature)
        await #expect(throws: SignatureFailure.signatureInvalid) {
            try await verifier.verify(body: Fixture.body, digestHeader: headers.digest, signatureHeader: parts.joined(separator: "."))
        }
    }

    @Test("an x5t#S256 that names another certificate is refused")
    func thumbprintMismatch() async throws {
        let (pki, headers, verifier) = try await signed()
        let other = try Fixture.derBytes(pki.cbs.certificate)
        let forged = try Fixture.rewritingHeader(of: headers.signature) { $0["x5t#S256"] = Base64URL.encode(SHA256.hash(data: other)) }
        await #expect(throws: SignatureFailure.certificateThumbprint) {
            try await verifier.verify(body: Fixture.body, digestHeader: headers.digest, signatureHeader: forged)
        }
    }

    @Test("missing headers are reported as missing", arguments: [nil, "", " "] as [String?])
    func missingHeaders(value: String?) async throws {
        let (_, headers, verifier) = try await signed()
        await #expect(throws: SignatureFailure.digestMissing) {
            try await verifier.verify(body: Fixture.body, digestHeader: value, signatureHeader: headers.signature)
        }
        await #expect(throws: SignatureFailure.signatureMissing) {
            try await verifier.verify(body: Fixture.body, digestHeader: headers.digest, signatureHeader: value)
        }
    }
}
