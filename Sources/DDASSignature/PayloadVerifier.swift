import Crypto
import Foundation
import X509
import _CryptoExtras

/// Checks a signed DDAS body: the `Digest` header, the detached JAdES-B JWS in
/// `nlgov-adr-payload-sig`, and the certificate chain in its `x5c` up to a configured trust anchor.
///
/// The checks run in a fixed order and the first that fails decides the `SignatureFailure`:
/// 1. `Digest` present, SHA-256, and equal to the SHA-256 of the exact bytes received;
/// 2. the JWS is `header..signature` (empty payload part) in base64url, the header a JSON object;
/// 3. `alg` is exactly PS256, `typ` (if sent) is JOSE, `crit` names only `sigT` (and it is present);
/// 4. `x5c` is present, non-empty, DER certificates; `x5t#S256` (if sent) matches the first;
/// 5. the first certificate holds an RSA key of ≥ 2048 bits and the PS256 signature (MGF1-SHA-256,
///    salt 32) verifies over `BASE64URL(header) "." BASE64URL(body)` with it;
/// 6. the chain through the `x5c` intermediates reaches a trust anchor under RFC 5280 at the
///    validation time from the clock (expired and not-yet-valid told apart from untrusted);
/// 7. the signing certificate's key usage, when present, allows digital signatures.
///
/// Revocation (OCSP, CRL) is not checked: the verifier has no network access. `sigT` is the
/// signer's claim and is reported, not trusted; validity is judged at the clock's time.
public struct PayloadVerifier: Sendable {
    /// The root certificates a chain must end in.
    public let trustAnchors: [Certificate]
    /// Checks the validated chain for revocation; nil: no check.
    public let revocation: (any RevocationChecking)?
    let now: @Sendable () -> Date

    /// A verifier that trusts the given roots and judges validity at the time `now` returns.
    public init(
        trustAnchors: [Certificate], revocation: (any RevocationChecking)? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.trustAnchors = trustAnchors
        self.revocation = revocation
        self.now = now
    }

    /// A verifier that trusts the root certificates in a PEM text.
    /// - Throws: `notPEM`, `certificateMalformed` or `noCertificates`.
    public init(
        trustAnchorsPEM: String, revocation: (any RevocationChecking)? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) throws(KeyMaterialError) {
        self.init(trustAnchors: try PEMBundle.certificates(fromPEM: trustAnchorsPEM), revocation: revocation, now: now)
    }

    /// Verifies a received body with its `Digest` and `nlgov-adr-payload-sig` header values.
    /// - Returns: Who signed it, with the validated chain.
    /// - Throws: The first check that failed, as described on the type.
    public func verify(
        body: some DataProtocol, digestHeader: String?, signatureHeader: String?, expecting signer: SignerExpectation? = nil
    ) async throws(SignatureFailure) -> VerifiedSigner {
        try await verify(
            body: body, digestHeaders: digestHeader.map { [$0] } ?? [], signatureHeaders: signatureHeader.map { [$0] } ?? [],
            expecting: signer)
    }

    /// Verifies a received body with every `Digest` and `nlgov-adr-payload-sig` header value
    /// it came with: more than one of either makes it invalid.
    /// - Returns: Who signed it, with the validated chain.
    /// - Throws: The first check that failed, as described on the type.
    public func verify(
        body: some DataProtocol, digestHeaders: [String], signatureHeaders: [String], expecting expected: SignerExpectation? = nil
    ) async throws(SignatureFailure) -> VerifiedSigner {
        guard digestHeaders.count <= 1 else { throw .digestDuplicate }
        guard signatureHeaders.count <= 1 else { throw .signatureDuplicate }
        let digestHeader = digestHeaders.first
        let signatureHeader = signatureHeaders.first
        try PayloadDigest.verify(digestHeader, body: body)
        guard let signatureHeader, !signatureHeader.allSatisfy(\.isWhitespace) else { throw .signatureMissing }
        guard let jws = DetachedJWS(compact: signatureHeader) else { throw .signatureMalformed }
        let header = jws.header
        guard header.alg == ProtectedHeader.algorithm else { throw .signatureAlgorithm }
        if let typ = header.typ, typ != ProtectedHeader.type { throw .signatureType }
        guard header.criticalParametersAreSupported else { throw .signatureCritical }
        var signingTime: Date?
        if let sigT = header.sigT {
            guard let parsed = SigningTime.parse(sigT) else { throw .signatureMalformed }
            signingTime = parsed
        }

        let (chain, leafDER) = try Self.certificates(in: header)
        let leaf = chain[0]
        let fingerprint = SHA256.hash(data: leafDER)
        if let thumbprint = header.x5tS256, thumbprint != Base64URL.encode(fingerprint) {
            throw .certificateThumbprint
        }
        guard let key = _RSA.Signing.PublicKey(leaf.publicKey), key.keySizeInBits >= 2048 else {
            throw .certificateKey
        }
        let digest = SigningInput.digest(encodedHeader: jws.encodedHeader, body: body)
        let signature = _RSA.Signing.RSASignature(rawRepresentation: jws.signature)
        guard key.isValidSignature(signature, for: digest, padding: .PSS) else { throw .signatureInvalid }

        let validationTime = now()
        let validated = try await validateChain(leaf: leaf, intermediates: Array(chain.dropFirst()), at: validationTime)
        try Self.checkKeyUsage(of: leaf)
        if let revocation { try await revocation.check(chain: validated, at: validationTime) }
        return VerifiedSigner(
            subject: leaf.subject.description,
            issuer: leaf.issuer.description,
            keyID: header.kid,
            certificateFingerprint: fingerprint.map { String(format: "%02x", $0) }.joined(),
            signingTime: signingTime,
            chain: validated,
            profile: .body,
            oin: nil)
    }

    /// The certificates of `x5c`, and the DER of the first.
    static func certificates(in header: ProtectedHeader) throws(SignatureFailure) -> ([Certificate], [UInt8]) {
        guard let x5c = header.x5c, !x5c.isEmpty else { throw .certificateMissing }
        var chain = [Certificate]()
        var leafDER = [UInt8]()
        for encoded in x5c {
            guard let der = Data(base64Encoded: encoded), !der.isEmpty else { throw .certificateMalformed }
            let bytes = [UInt8](der)
            do {
                chain.append(try Certificate(derEncoded: bytes))
            } catch {
                throw .certificateMalformed
            }
            if leafDER.isEmpty { leafDER = bytes }
        }
        return (chain, leafDER)
    }

    /// Refuses a signing certificate whose key usage extension leaves out digital signatures.
    static func checkKeyUsage(of leaf: Certificate) throws(SignatureFailure) {
        let usage: KeyUsage?
        do {
            usage = try leaf.extensions.keyUsage
        } catch {
            throw .certificateMalformed
        }
        if let usage, !usage.digitalSignature { throw .certificateUsage }
    }
}
