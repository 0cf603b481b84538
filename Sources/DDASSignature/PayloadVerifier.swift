import Crypto
import Foundation
import X509
import _CryptoExtras

/// Checks a signed DDAS body: the `Digest` header, the detached JAdES-B JWS in
/// `nlgov-adr-payload-sig`, the certificate chain in its `x5c` up to a configured trust anchor
/// and, when asked, that the signer is the expected party.
///
/// Both readings of DDAS signing (`SigningProfile`) are verified; the protected header decides
/// which one a signature follows: with `sigD` it is `kpAPIs`, without it `body`.
///
/// The checks run in a fixed order and the first that fails decides the `SignatureFailure`:
/// 1. at most one `Digest` and one `nlgov-adr-payload-sig` header (`digestDuplicate`,
///    `signatureDuplicate`, as KP-APIs requires);
/// 2. `Digest` present, SHA-256, and equal to the SHA-256 of the exact bytes received;
/// 3. the JWS is `header..signature` (empty payload part) in base64url, the header a JSON object;
/// 4. `alg` is exactly PS256; `typ`, when sent, is the media type `JOSE` (`jose` and
///    `application/jose` in any case, RFC 7515 §4.1.9);
/// 5. `crit` follows RFC 7515 §4.1.11, RFC 7797 §6 and JAdES (`CriticalParameters`): `b64`
///    false and `sigD` are listed in it, and it names nothing this verifier does not understand;
/// 6. the reading: `sigD` must be the HTTP headers mechanism (mId
///    `http://uri.etsi.org/19182/HttpHeaders`) over `pars` `["digest"]` alone, header names in
///    any case — any other mechanism or list is refused as `signatureCritical`, a critical
///    parameter in a form not supported; without `sigD`, `b64` must not be false (there is then
///    no unencoded payload DDAS would sign), again `signatureCritical`;
/// 7. `sigT`, when sent, is RFC 3339 UTC to the second;
/// 8. `x5c` is present, non-empty, DER certificates; `x5t#S256` (if sent) matches the first;
/// 9. the first certificate holds an RSA key of ≥ 2048 bits and the PS256 signature (MGF1-SHA-256,
///    salt 32) verifies with it over the signing input of the reading: for `body`
///    `BASE64URL(header) "." BASE64URL(body)` (RFC 7515 Appendix F); for `kpAPIs` the detached
///    payload `digest: <the received Digest value, trimmed>` (ETSI TS 119 182-1 clause 5.2.8.2),
///    as `BASE64URL(header) "." payload` with `b64` false (RFC 7797) or
///    `BASE64URL(header) "." BASE64URL(payload)` otherwise — the Digest of step 2 binds it to the body;
/// 10. the chain through the `x5c` intermediates reaches a trust anchor under RFC 5280 at the
///    validation time from the clock (expired and not-yet-valid told apart from untrusted);
/// 11. the signing certificate's key usage, when present, allows digital signatures;
/// 12. with a `SignerExpectation`: the OIN in the signing certificate's subject serialNumber is
///    the expected one and, when fingerprints are given, the certificate is one of them
///    (`signerMismatch`); checked after the chain, so that an untrusted certificate is reported
///    as untrusted, and before revocation, which may need the network;
/// 13. the revocation checker, when configured, on the validated chain.
///
/// `sigT` is the signer's claim and is reported, not trusted; validity is judged at the clock's time.
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
        try await verify(
            digestHeaders: digestHeaders, signatureHeaders: signatureHeaders, expecting: expected,
            checkDigest: { header throws(SignatureFailure) in try PayloadDigest.verify(header, body: body) },
            bodySigningInput: { encodedHeader in SigningInput.digest(encodedHeader: encodedHeader, body: body) })
    }

    /// Verifies a body from the hashes taken while it arrived (``ReceivedPayloadHasher``), with
    /// every `Digest` header value it came with: the same checks, in the same order and with
    /// the same verdicts as ``verify(body:digestHeaders:signatureHeaders:expecting:)``, without
    /// the body's bytes.
    /// - Returns: Who signed it, with the validated chain.
    /// - Throws: The first check that failed, as described on the type.
    public func verify(
        received: ReceivedPayload, digestHeaders: [String], expecting expected: SignerExpectation? = nil
    ) async throws(SignatureFailure) -> VerifiedSigner {
        try await verify(
            digestHeaders: digestHeaders, signatureHeaders: received.signatureHeaders, expecting: expected,
            checkDigest: { header throws(SignatureFailure) in try PayloadDigest.verify(header, sha256: received.sha256) },
            bodySigningInput: { encodedHeader in
                // The hasher took the body reading's input from the same single header, so it is there
                // and made over this encoded header whenever this is asked.
                guard let input = received.bodySigningInput, input.encodedHeader == encodedHeader else {
                    preconditionFailure("a body-reading signature without the hash of its signing input")
                }
                return input.digest
            })
    }

    /// The checks of the type's description; `checkDigest` checks the `Digest` value against
    /// the body, `bodySigningInput` gives the SHA-256 of the body reading's signing input.
    private func verify(
        digestHeaders: [String], signatureHeaders: [String], expecting expected: SignerExpectation?,
        checkDigest: (String?) throws(SignatureFailure) -> Void, bodySigningInput: (Substring) -> SHA256Digest
    ) async throws(SignatureFailure) -> VerifiedSigner {
        guard digestHeaders.count <= 1 else { throw .digestDuplicate }
        guard signatureHeaders.count <= 1 else { throw .signatureDuplicate }
        let digestHeader = digestHeaders.first
        let signatureHeader = signatureHeaders.first
        try checkDigest(digestHeader)
        guard let signatureHeader, !signatureHeader.allSatisfy(\.isWhitespace) else { throw .signatureMissing }
        guard let jws = DetachedJWS(compact: signatureHeader) else { throw .signatureMalformed }
        let header = jws.header
        guard header.alg == ProtectedHeader.algorithm else { throw .signatureAlgorithm }
        guard header.typeIsJOSE else { throw .signatureType }
        try CriticalParameters.check(header, members: jws.members)
        let profile = try Self.profile(of: header)
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
        let digest =
            profile == .body
            ? bodySigningInput(jws.encodedHeader)
            : SigningInput.digest(
                profile: profile, encodedHeader: jws.encodedHeader, header: header, body: [UInt8](), digestHeader: digestHeader ?? "")
        let signature = _RSA.Signing.RSASignature(rawRepresentation: jws.signature)
        guard key.isValidSignature(signature, for: digest, padding: .PSS) else { throw .signatureInvalid }

        let validationTime = now()
        let validated = try await validateChain(leaf: leaf, intermediates: Array(chain.dropFirst()), at: validationTime)
        try Self.checkKeyUsage(of: leaf)
        let oin = SubjectOIN.of(leaf)
        let fingerprintHex = fingerprint.map { String(format: "%02x", $0) }.joined()
        if let expected {
            guard oin == expected.oin else { throw .signerMismatch }
            if !expected.fingerprints.isEmpty, !expected.fingerprints.contains(where: { $0.lowercased() == fingerprintHex }) {
                throw .signerMismatch
            }
        }
        if let revocation { try await revocation.check(chain: validated, at: validationTime) }
        return VerifiedSigner(
            subject: leaf.subject.description,
            issuer: leaf.issuer.description,
            keyID: header.kid,
            certificateFingerprint: fingerprintHex,
            signingTime: signingTime,
            chain: validated,
            profile: profile,
            oin: oin)
    }

    /// The reading a protected header follows: `kpAPIs` with the one `sigD` DDAS accepts,
    /// `body` without `sigD` and with `b64` absent or true.
    /// - Throws: `signatureCritical` for another `sigD`, or `b64` false without `sigD`.
    static func profile(of header: ProtectedHeader) throws(SignatureFailure) -> SigningProfile {
        if let sigD = header.sigD {
            guard sigD.isDigestOnly else { throw .signatureCritical }
            return .kpAPIs
        }
        guard header.b64 != false else { throw .signatureCritical }
        return .body
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
