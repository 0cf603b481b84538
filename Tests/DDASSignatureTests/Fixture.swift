import Foundation
import SwiftASN1
import Testing
import X509
import _CryptoExtras

@testable import DDASSignature
@testable import DDASTestPKI

/// Shared material for the signature tests: one test PKI for the whole run (RSA key generation is
/// slow), a fixed clock, and ways to take a signature apart and put it together again.
enum Fixture {
    /// The moment the PKI is made for: 2026-05-28T20:26:40Z.
    static let issuedAt = Date(timeIntervalSince1970: 1_780_000_000)
    /// A minute later: when bodies are signed and verified unless a test says otherwise.
    static let signedAt = issuedAt.addingTimeInterval(60)
    /// A body shaped like a supplier response, with no personal data.
    static let body = Data(#"{"gegevens":{"leveringen":[]},"paginering":{"pageSize":1,"currentPage":1}}"#.utf8)

    private static let generated = Task { () async throws -> TestPKI in try await TestPKI.generate(now: issuedAt) }

    /// The PKI, made on first use and shared by every test.
    static func pki() async throws -> TestPKI {
        try await generated.value
    }

    /// A clock that always says `date`.
    static func clock(_ date: Date) -> @Sendable () -> Date {
        { date }
    }

    /// A signer for an identity, signing at `signedAt` in `profile`.
    static func signer(
        _ identity: TestPKI.Identity, keyID: String = "test-key-1", profile: SigningProfile = .standard
    ) throws -> PayloadSigner {
        try identity.signer(keyID: keyID, profile: profile, now: clock(signedAt))
    }

    /// A verifier that trusts the test root and judges validity at `time`.
    static func verifier(_ pki: TestPKI, at time: Date = signedAt) -> PayloadVerifier {
        PayloadVerifier(trustAnchors: [pki.root], now: clock(time))
    }

    /// The protected header of a compact JWS as a JSON object.
    static func header(of jws: String) throws -> [String: Any] {
        let encoded = try #require(jws.split(separator: ".", omittingEmptySubsequences: false).first)
        let json = try #require(Base64URL.decode(encoded))
        return try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    }

    /// The JWS with its protected header changed and its signature kept, as a forger would send it.
    static func rewritingHeader(of jws: String, _ change: (inout [String: Any]) -> Void) throws -> String {
        var header = try header(of: jws)
        change(&header)
        let json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes])
        let signature = try #require(jws.split(separator: ".", omittingEmptySubsequences: false).last)
        return Base64URL.encode(json) + ".." + signature
    }

    /// A compact detached JWS with exactly this protected header, signed here with `key` (PS256)
    /// over `payload`: base64url-encoded, or as it is when the header has `b64` false (RFC 7797).
    /// Written apart from `PayloadSigner`, so that a header the signer would never send can be tried.
    static func jws(header: [String: Any], payload: Data, key: _RSA.Signing.PrivateKey) throws -> String {
        let json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes])
        let encodedHeader = Base64URL.encode(json)
        var input = Data((encodedHeader + ".").utf8)
        input.append((header["b64"] as? Bool) == false ? payload : Data(Base64URL.encode(payload).utf8))
        let signature = try key.signature(for: input, padding: .PSS)
        return encodedHeader + ".." + Base64URL.encode(signature.rawRepresentation)
    }

    /// The signature of `headers` with its protected header changed and signed again with the
    /// identity's key, so that only the change decides: over the Digest line when the changed
    /// header has `sigD`, over the body otherwise.
    static func resigning(
        _ headers: SignedHeaders, body: Data = body, with identity: TestPKI.Identity, _ change: (inout [String: Any]) -> Void
    ) throws -> String {
        var header = try header(of: headers.signature)
        change(&header)
        let payload = header["sigD"] == nil ? body : Data("digest: \(headers.digest)".utf8)
        return try jws(header: header, payload: payload, key: identity.privateKey)
    }

    /// Standard base64 of a certificate's DER, as `x5c` holds it.
    static func x5cEntry(_ certificate: Certificate) throws -> String {
        Data(try derBytes(certificate)).base64EncodedString()
    }

    /// A certificate's DER.
    static func derBytes(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }
}
