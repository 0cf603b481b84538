/// Why a signed body was refused: the `Digest` header, the `nlgov-adr-payload-sig` JWS or the
/// certificate chain that came with it did not check out.
///
/// Every case has a stable `code` for reports, metrics and problem responses, and a
/// `description` in plain language. Neither ever carries a value from the body or the headers.
public enum SignatureFailure: Error, Hashable, Sendable, CustomStringConvertible, CaseIterable {
    /// No `Digest` header, or an empty one.
    case digestMissing
    /// The `Digest` header is not `SHA-256=<base64 of 32 bytes>`.
    case digestMalformed
    /// The `Digest` header names an algorithm other than SHA-256.
    case digestAlgorithm
    /// The `Digest` header does not match the SHA-256 of the bytes received.
    case digestMismatch
    /// No `nlgov-adr-payload-sig` header, or an empty one.
    case signatureMissing
    /// The JWS is not `header..signature` in base64url, or its protected header is not a JSON object
    /// of the expected shape.
    case signatureMalformed
    /// The protected header asks for an algorithm other than PS256.
    case signatureAlgorithm
    /// The protected header has a `typ` other than the media type `JOSE` (`jose` and
    /// `application/jose`, in any case, are the same).
    case signatureType
    /// The protected header marks a parameter as critical (`crit`) that this verifier does not
    /// understand, lists one that is absent, or leaves out `b64` false or `sigD`; or its `sigD`
    /// is not the HTTP headers mechanism over the `Digest` header alone; or it has `b64` false
    /// without `sigD`.
    case signatureCritical
    /// The PS256 signature does not verify over the protected header and the body with the key of
    /// the signing certificate.
    case signatureInvalid
    /// The protected header carries no `x5c` certificate chain.
    case certificateMissing
    /// A certificate in `x5c` is not standard base64 of a DER X.509 certificate.
    case certificateMalformed
    /// The signing certificate's key is not an RSA key of at least 2048 bits.
    case certificateKey
    /// The `x5t#S256` thumbprint does not match the signing certificate.
    case certificateThumbprint
    /// A certificate in the chain has expired at the validation time.
    case certificateExpired
    /// A certificate in the chain is not yet valid at the validation time.
    case certificateNotYetValid
    /// The chain does not lead to one of the configured trust anchors.
    case certificateUntrusted
    /// The signing certificate's key usage does not allow digital signatures.
    case certificateUsage
    /// The message carries more than one `Digest` header.
    case digestDuplicate
    /// The message carries more than one `nlgov-adr-payload-sig` header (KP-APIs: invalid).
    case signatureDuplicate
    /// The signing certificate is not the expected party's: its subject serialNumber does not
    /// carry the configured OIN, or it is not one of the configured certificates.
    case signerMismatch
    /// A certificate in the chain is revoked (OCSP or CRL).
    case certificateRevoked
    /// The revocation responder does not know a certificate of the chain.
    case revocationUnknown
    /// No revocation answer could be had for a certificate of the chain (responder or CRL
    /// unreachable, or its answer unusable) while the policy requires one.
    case revocationUnavailable

    /// A stable code for reports, metrics and problem responses: `digest_mismatch`, `signature_invalid`, ….
    public var code: String {
        switch self {
        case .digestMissing: "digest_missing"
        case .digestMalformed: "digest_malformed"
        case .digestAlgorithm: "digest_algorithm"
        case .digestMismatch: "digest_mismatch"
        case .signatureMissing: "signature_missing"
        case .signatureMalformed: "signature_malformed"
        case .signatureAlgorithm: "signature_algorithm"
        case .signatureType: "signature_type"
        case .signatureCritical: "signature_critical"
        case .signatureInvalid: "signature_invalid"
        case .certificateMissing: "certificate_missing"
        case .certificateMalformed: "certificate_malformed"
        case .certificateKey: "certificate_key"
        case .certificateThumbprint: "certificate_thumbprint"
        case .certificateExpired: "certificate_expired"
        case .certificateNotYetValid: "certificate_not_yet_valid"
        case .certificateUntrusted: "certificate_untrusted"
        case .certificateUsage: "certificate_usage"
        case .digestDuplicate: "digest_duplicate"
        case .signatureDuplicate: "signature_duplicate"
        case .signerMismatch: "signer_mismatch"
        case .certificateRevoked: "certificate_revoked"
        case .revocationUnknown: "revocation_unknown"
        case .revocationUnavailable: "revocation_unavailable"
        }
    }

    /// What went wrong, for a person reading a delivery report.
    public var description: String {
        switch self {
        case .digestMissing: "the message has no Digest header"
        case .digestMalformed: "the Digest header is not of the form SHA-256=<base64 of 32 bytes>"
        case .digestAlgorithm: "the Digest header uses an algorithm other than SHA-256"
        case .digestMismatch: "the Digest header does not match the body received"
        case .signatureMissing: "the message has no nlgov-adr-payload-sig header"
        case .signatureMalformed: "the nlgov-adr-payload-sig header is not a detached JWS with a JSON protected header"
        case .signatureAlgorithm: "the signature does not use PS256"
        case .signatureType: "the signature's typ is not JOSE"
        case .signatureCritical: "the signature marks a header parameter as critical that is not supported or not present"
        case .signatureInvalid: "the signature does not verify over the body with the signing certificate"
        case .certificateMissing: "the signature carries no x5c certificate chain"
        case .certificateMalformed: "a certificate in the signature's x5c chain cannot be read"
        case .certificateKey: "the signing certificate does not hold an RSA key of at least 2048 bits"
        case .certificateThumbprint: "the x5t#S256 thumbprint does not match the signing certificate"
        case .certificateExpired: "a certificate in the signing chain has expired"
        case .certificateNotYetValid: "a certificate in the signing chain is not yet valid"
        case .certificateUntrusted: "the signing chain does not lead to a trusted root"
        case .certificateUsage: "the signing certificate is not meant for digital signatures"
        case .digestDuplicate: "the message carries more than one Digest header"
        case .signatureDuplicate: "the message carries more than one nlgov-adr-payload-sig header"
        case .signerMismatch: "the signing certificate is not the expected party's (OIN or certificate)"
        case .certificateRevoked: "a certificate in the signing chain is revoked"
        case .revocationUnknown: "the revocation responder does not know a certificate in the signing chain"
        case .revocationUnavailable: "no revocation status could be had for a certificate in the signing chain"
        }
    }

    /// Whether a later try may pass: only a revocation status that could not be had.
    public var isRetryable: Bool { self == .revocationUnavailable }
}
