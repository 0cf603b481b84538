import Crypto
import Foundation

/// The JWS signing input for a detached payload (RFC 7515 §5.1 and Appendix F):
/// `BASE64URL(protected header) || "." || BASE64URL(body)`, hashed with SHA-256 as PS256 needs.
///
/// The input is hashed as it is produced, so a body of many megabytes is never held twice in
/// memory in encoded form.
enum SigningInput {
    /// The SHA-256 of the signing input for an encoded protected header and a body.
    static func digest(encodedHeader: Substring, body: some DataProtocol) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(data: Data(encodedHeader.utf8))
        hasher.update(data: Data(".".utf8))
        Base64URL.hashEncoding(of: body, into: &hasher)
        return hasher.finalize()
    }
}
