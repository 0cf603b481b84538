import Crypto
import Foundation

/// The JWS signing input of a detached payload, hashed with SHA-256 as PS256 needs
/// (RFC 7515 §5.1 and Appendix F, RFC 7797 §3).
///
/// The input is hashed as it is produced, so a body of many megabytes is never held twice in
/// memory in encoded form.
enum SigningInput {
    /// The SHA-256 of `BASE64URL(protected header) || "." || BASE64URL(payload)`: the body
    /// reading, and the KP-APIs reading with `b64` absent or true.
    static func digest(encodedHeader: Substring, body: some DataProtocol) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(data: Data(encodedHeader.utf8))
        hasher.update(data: Data(".".utf8))
        Base64URL.hashEncoding(of: body, into: &hasher)
        return hasher.finalize()
    }

    /// The SHA-256 of `BASE64URL(protected header) || "." || payload` with the payload's bytes
    /// as they are: RFC 7797 with `b64` false, as the KP-APIs reading signs the Digest line.
    static func digest(encodedHeader: Substring, unencodedPayload: some DataProtocol) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(data: Data(encodedHeader.utf8))
        hasher.update(data: Data(".".utf8))
        hasher.update(data: unencodedPayload)
        return hasher.finalize()
    }

    /// The SHA-256 of the signing input for a header in `profile`; `digestHeader` is the
    /// received (or sent) `Digest` value, used by the KP-APIs reading.
    static func digest(
        profile: SigningProfile, encodedHeader: Substring, header: ProtectedHeader, body: some DataProtocol, digestHeader: String
    ) -> SHA256Digest {
        switch profile {
        case .body:
            return digest(encodedHeader: encodedHeader, body: body)
        case .kpAPIs:
            let payload = SignedDataReference.digestPayload(digestHeader: digestHeader)
            return header.b64 == false
                ? digest(encodedHeader: encodedHeader, unencodedPayload: payload) : digest(encodedHeader: encodedHeader, body: payload)
        }
    }
}
