import Crypto
import DDASSignature
import Foundation

/// Signs a response body: gives the `Digest` header and the `nlgov-adr-payload-sig` header
/// (a detached JAdES signature, JWS compact `header..signature`).
///
/// The real JAdES signer with the project's test PKI plugs in here; `PlaceholderSigner` is the
/// default when none is configured.
public protocol ResponseSigning: Sendable {
    /// The `Digest` and `nlgov-adr-payload-sig` values for `body`.
    func signatureHeaders(for body: [UInt8]) throws -> (digest: String, signature: String)
}

/// Checks the signature CBS puts on a request. Optional: without one, the simulator checks only
/// that a `Digest`, when present, matches the body, and accepts the JWS unread.
/// `JAdESRequestVerifier` is the real one.
public protocol RequestVerifying: Sendable {
    /// Checks that the request's `Digest` and `nlgov-adr-payload-sig` headers (every value
    /// received of each, so that duplicates are seen) sign `body`, by the expected party.
    /// - Returns: The signing profile the request used.
    /// - Throws: Why not; `signerMismatch` is answered with 403, anything else with 401.
    func verify(body: [UInt8], digestHeaders: [String], signatureHeaders: [String]) async throws(SignatureFailure) -> SigningProfile
}

/// The RFC 3230 digest of a body, as the `Digest` header carries it.
public enum PayloadDigest {
    /// `SHA-256=<base64 of the SHA-256 of body>`.
    public static func header(for body: [UInt8]) -> String {
        "SHA-256=" + Data(SHA256.hash(data: body)).base64EncodedString()
    }

    /// Whether `header` is the digest of `body`. Accepts the algorithm name in any case and
    /// several comma-separated digests, of which the SHA-256 one must match.
    public static func matches(_ header: String, body: [UInt8]) -> Bool {
        let expected = Self.header(for: body).dropFirst("SHA-256=".count)
        for part in header.split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            if trimmed[..<equals].uppercased() == "SHA-256" {
                return trimmed[trimmed.index(after: equals)...] == expected
            }
        }
        return false
    }
}

/// A stand-in signer: a correct `Digest`, and a JWS-shaped signature header that no verifier
/// accepts (`alg` is `none`, the signature part is empty). For running without a test PKI.
public struct PlaceholderSigner: ResponseSigning {
    /// The `kid` written in the protected header.
    public let keyID: String

    /// A placeholder signer that names `keyID`.
    public init(keyID: String = "ddas-supplier-sim-placeholder") {
        self.keyID = keyID
    }

    public func signatureHeaders(for body: [UInt8]) throws -> (digest: String, signature: String) {
        let digest = PayloadDigest.header(for: body)
        let header =
            #"{"alg":"none","typ":"JOSE","kid":"\#(keyID)","sigD":{"mId":"http://uri.etsi.org/19182/HttpHeaders","pars":["digest"]}}"#
        return (digest, base64URL(Array(header.utf8)) + "..")
    }

    private func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
