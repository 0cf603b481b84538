import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// The two headers that travel with every signed DDAS body.
public struct SignedHeaders: Hashable, Sendable {
    /// The name of the header that carries the detached JWS.
    public static let signatureHeaderName = "nlgov-adr-payload-sig"

    /// The `Digest` header value: `SHA-256=<base64>`.
    public var digest: String
    /// The `nlgov-adr-payload-sig` header value: `BASE64URL(protected header)..BASE64URL(signature)`.
    public var signature: String

    /// Headers as they were received or made.
    public init(digest: String, signature: String) {
        self.digest = digest
        self.signature = signature
    }
}

/// Signs HTTP bodies the DDAS way: a `Digest` header and a detached JAdES-B JWS (PS256) whose
/// protected header carries the certificate chain, in one of the two readings (`SigningProfile`).
///
/// CBS signs its requests with its key; a supplier (and the simulator) signs its responses with
/// its own. Both readings send `alg` PS256, `typ` JOSE, `kid`, `x5c` (signing certificate and
/// intermediates, never a self-signed root), `x5t#S256` and `sigT` (the signing time from the
/// clock); the body is left out of the compact form (`header..signature`).
/// - `kpAPIs` (the default, as the API files prescribe) adds `sigD` {`mId`
///   `http://uri.etsi.org/19182/HttpHeaders`, `pars` `["digest"]`}, `b64` false and
///   `crit` `["b64", "sigD"]` — what RFC 7797 §6 and ETSI TS 119 182-1 clause 5.1.9 require to be
///   critical; `sigT` is left out of `crit`, as EU DSS does, so that a verifier need not know it.
///   The JWS signs `BASE64URL(header) "." digest: SHA-256=<base64>`, the Digest line.
/// - `body` sends no `crit` at all, so that a plain JOSE library accepts it, and signs
///   `BASE64URL(header) "." BASE64URL(body)` (RFC 7515 Appendix F).
public struct PayloadSigner: Sendable {
    private let privateKey: _RSA.Signing.PrivateKey
    private let x5c: [String]
    private let thumbprint: String
    private let now: @Sendable () -> Date
    /// The configured key id, sent as `kid`.
    public let keyID: String
    /// The signing certificate and intermediates sent in `x5c`.
    public let certificateChain: [Certificate]
    /// Which reading of DDAS signing the signatures follow.
    public let profile: SigningProfile

    /// A signer from a private key and its certificate chain (signing certificate first).
    ///
    /// Self-signed certificates after the signing certificate are left out of `x5c`: the verifier
    /// has the root already.
    /// - Throws: `keyTooSmall`, `noCertificates`, `chainOutOfOrder` or `keyMismatch`.
    public init(
        privateKey: _RSA.Signing.PrivateKey, certificateChain: [Certificate], keyID: String, profile: SigningProfile = .standard,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(KeyMaterialError) {
        guard privateKey.keySizeInBits >= 2048 else { throw .keyTooSmall(bits: privateKey.keySizeInBits) }
        guard let leaf = certificateChain.first else { throw .noCertificates }
        guard leaf.publicKey == Certificate.PublicKey(privateKey.publicKey) else { throw .keyMismatch }
        for (certificate, issuer) in zip(certificateChain, certificateChain.dropFirst())
        where certificate.issuer != issuer.subject {
            throw .chainOutOfOrder
        }
        let sent = [leaf] + certificateChain.dropFirst().filter { $0.issuer != $0.subject }
        var encoded = [[UInt8]]()
        for certificate in sent {
            do {
                var serializer = DER.Serializer()
                try serializer.serialize(certificate)
                encoded.append(serializer.serializedBytes)
            } catch {
                throw .certificateMalformed
            }
        }
        self.privateKey = privateKey
        self.certificateChain = sent
        self.x5c = encoded.map { Data($0).base64EncodedString() }
        self.thumbprint = Base64URL.encode(SHA256.hash(data: encoded[0]))
        self.keyID = keyID
        self.profile = profile
        self.now = now
    }

    /// A signer from PEM text: an RSA key (PKCS#8 or PKCS#1) and a chain bundle, signing certificate first.
    public init(
        privateKeyPEM: String, certificateChainPEM: String, keyID: String, profile: SigningProfile = .standard,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(KeyMaterialError) {
        try self.init(
            privateKey: try PEMBundle.privateKey(fromPEM: privateKeyPEM),
            certificateChain: try PEMBundle.certificates(fromPEM: certificateChainPEM),
            keyID: keyID, profile: profile, now: now)
    }

    /// The `Digest` and `nlgov-adr-payload-sig` header values for a body, in `profile`.
    /// - Throws: `signingFailed` when the cryptographic library refuses.
    public func sign(body: some DataProtocol) throws(KeyMaterialError) -> SignedHeaders {
        let digestHeader = PayloadDigest.headerValue(for: body)
        var header = ProtectedHeader(
            alg: ProtectedHeader.algorithm, typ: ProtectedHeader.type, kid: keyID, x5c: x5c, x5tS256: thumbprint,
            sigT: SigningTime.format(now()))
        if profile == .kpAPIs {
            header.sigD = .digestOnly
            header.b64 = false
            header.crit = ["b64", "sigD"]
        }
        let encodedHeader: String
        let signature: _RSA.Signing.RSASignature
        do {
            encodedHeader = Base64URL.encode(try header.encoded())
            let digest = SigningInput.digest(
                profile: profile, encodedHeader: encodedHeader[...], header: header, body: body, digestHeader: digestHeader)
            signature = try privateKey.signature(for: digest, padding: .PSS)
        } catch {
            throw .signingFailed
        }
        return SignedHeaders(digest: digestHeader, signature: encodedHeader + ".." + Base64URL.encode(signature.rawRepresentation))
    }
}

/// The JAdES `sigT` format: RFC 3339 in UTC to the second, `YYYY-MM-DDTHH:MM:SSZ`.
enum SigningTime {
    /// The `sigT` text for a moment, with fractions of a second dropped.
    static func format(_ date: Date) -> String {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)).formatted(.iso8601)
    }

    /// The moment a `sigT` text names; nil when it is not of the form above.
    static func parse(_ text: String) -> Date? {
        guard text.utf8.count == 20, text.hasSuffix("Z") else { return nil }
        return try? Date(text, strategy: .iso8601)
    }
}
