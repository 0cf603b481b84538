import Crypto
import Foundation

/// The `Digest` header of RFC 3230 as DDAS uses it: `SHA-256=<standard base64 of SHA-256(body)>`,
/// over the exact bytes of the body.
public enum PayloadDigest {
    /// The HTTP header that carries the digest.
    public static let headerName = "Digest"

    /// The header value for a body: `SHA-256=` and the standard base64 of its SHA-256.
    public static func headerValue(for body: some DataProtocol) -> String {
        "SHA-256=" + Data(SHA256.hash(data: body)).base64EncodedString()
    }

    /// Checks a received `Digest` header against the bytes received.
    ///
    /// The algorithm name is matched without regard to case (RFC 3230 §4.1.1); the value must be
    /// base64 of exactly 32 bytes, padded or not. Only one digest may be given.
    /// - Throws: `digestMissing`, `digestMalformed`, `digestAlgorithm` or `digestMismatch`.
    public static func verify(_ headerValue: String?, body: some DataProtocol) throws(SignatureFailure) {
        let expected = try decode(headerValue)
        guard Data(SHA256.hash(data: body)) == expected else { throw .digestMismatch }
    }

    /// Checks a received `Digest` header against the SHA-256 of the body, computed as it
    /// arrived: the body need not be in memory.
    public static func verify(_ headerValue: String?, sha256: some DataProtocol) throws(SignatureFailure) {
        let expected = try decode(headerValue)
        guard Data(sha256) == expected else { throw .digestMismatch }
    }

    /// The 32 digest bytes a header value claims.
    static func decode(_ headerValue: String?) throws(SignatureFailure) -> Data {
        guard let headerValue, !headerValue.allSatisfy(\.isWhitespace) else { throw .digestMissing }
        let trimmed = headerValue.trimmingCharacters(in: .whitespaces)
        guard let separator = trimmed.firstIndex(of: "=") else { throw .digestMalformed }
        let algorithm = trimmed[..<separator]
        let value = trimmed[trimmed.index(after: separator)...]
        guard !algorithm.isEmpty, algorithm.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }),
            !value.isEmpty, !value.contains(",")
        else { throw .digestMalformed }
        guard algorithm.lowercased() == "sha-256" else { throw .digestAlgorithm }
        guard value.utf8.count == 43 || value.utf8.count == 44 else { throw .digestMalformed }
        let padded = value.utf8.count == 43 ? value + "=" : String(value)
        guard let bytes = Data(base64Encoded: padded), bytes.count == SHA256.byteCount else {
            throw .digestMalformed
        }
        return bytes
    }
}
