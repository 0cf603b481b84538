/// Why keys, certificates or trust anchors could not be loaded, or a signer could not be set up or
/// could not sign.
///
/// These are configuration faults of our own side, found at start-up; the `description` may name
/// a file path but never holds key material.
public enum KeyMaterialError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A file or directory could not be read.
    case unreadable(path: String)
    /// A file could not be written (it may already exist).
    case unwritable(path: String)
    /// The text is not PEM, or holds no block of the expected kind.
    case notPEM
    /// The private key is not an unencrypted PKCS#8 or PKCS#1 RSA key.
    case keyMalformed
    /// The private key is encrypted; DDAS expects the key unencrypted behind file permissions.
    case keyEncrypted
    /// The RSA key is shorter than 2048 bits.
    case keyTooSmall(bits: Int)
    /// A certificate block is not a DER X.509 certificate.
    case certificateMalformed
    /// No certificate was found where a chain or trust anchors were expected.
    case noCertificates
    /// The chain is not in order: a certificate's issuer is not the subject of the next one.
    case chainOutOfOrder
    /// The signing certificate does not hold the public key of the configured private key.
    case keyMismatch
    /// The cryptographic library refused to sign or to build a certificate.
    case signingFailed

    /// A stable code for logs and the command line: `key_mismatch`, `chain_out_of_order`, ….
    public var code: String {
        switch self {
        case .unreadable: "unreadable"
        case .unwritable: "unwritable"
        case .notPEM: "not_pem"
        case .keyMalformed: "key_malformed"
        case .keyEncrypted: "key_encrypted"
        case .keyTooSmall: "key_too_small"
        case .certificateMalformed: "certificate_malformed"
        case .noCertificates: "no_certificates"
        case .chainOutOfOrder: "chain_out_of_order"
        case .keyMismatch: "key_mismatch"
        case .signingFailed: "signing_failed"
        }
    }

    /// What went wrong, for the operator who configured the keys.
    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read \(path)"
        case .unwritable(let path): "cannot write \(path) (it may already exist)"
        case .notPEM: "the text is not PEM of the expected kind"
        case .keyMalformed: "the private key is not an unencrypted PKCS#8 or PKCS#1 RSA key"
        case .keyEncrypted: "the private key is encrypted; give it unencrypted and protect the file instead"
        case .keyTooSmall(let bits): "the RSA key has \(bits) bits; at least 2048 are required"
        case .certificateMalformed: "a certificate is not a DER X.509 certificate"
        case .noCertificates: "no certificate was found"
        case .chainOutOfOrder: "the certificate chain is not ordered from the signing certificate up"
        case .keyMismatch: "the signing certificate does not belong to the private key"
        case .signingFailed: "the cryptographic library could not sign"
        }
    }
}
