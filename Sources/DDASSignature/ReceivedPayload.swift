import Crypto
import Foundation

/// Hashes a response body as it arrives, for ``PayloadVerifier/verify(received:digestHeaders:expecting:)``:
/// the SHA-256 of the body (for the `Digest` check, the staged file's checksum and the
/// manifest) and, when the signature follows the `body` reading, the SHA-256 of its signing
/// input `BASE64URL(header) "." BASE64URL(body)`, the body encoded piece by piece straight into
/// the hash. The signature header is known once the response's headers are, so the body is
/// read once, and never held or encoded whole, whatever its size.
public struct ReceivedPayloadHasher {
    private var body = SHA256()
    private var signingInput: SHA256?
    private var encoder = Base64URL.HashingEncoder()
    private var count = 0
    private let signatureHeaders: [String]
    private let encodedHeader: Substring?

    /// A hasher for a body that came with these `nlgov-adr-payload-sig` header values.
    public init(signatureHeaders: [String]) {
        self.signatureHeaders = signatureHeaders
        // Only a single signature in the body reading signs the body itself; anything else
        // is refused (or signs the Digest line) before the body's encoding would be needed.
        if signatureHeaders.count == 1, let jws = DetachedJWS(compact: signatureHeaders[0]),
            (try? PayloadVerifier.profile(of: jws.header)) == .body
        {
            var input = SHA256()
            input.update(data: Data(jws.encodedHeader.utf8))
            input.update(data: Data(".".utf8))
            signingInput = input
            encodedHeader = jws.encodedHeader
        } else {
            encodedHeader = nil
        }
    }

    /// Adds the next piece of the body.
    public mutating func update(_ piece: UnsafeRawBufferPointer) {
        body.update(bufferPointer: piece)
        count += piece.count
        if signingInput != nil { encoder.update(piece, into: &signingInput!) }
    }

    /// The hashes of the whole body.
    public mutating func finish() -> ReceivedPayload {
        var signing: SHA256Digest?
        if var input = signingInput {
            encoder.finish(into: &input)
            signing = input.finalize()
        }
        return ReceivedPayload(
            sha256: Array(body.finalize()), count: count, signatureHeaders: signatureHeaders,
            bodySigningInput: signing.map { (encodedHeader ?? "", $0) })
    }
}

/// What ``ReceivedPayloadHasher`` learnt of a body: enough to verify its `Digest` and
/// signature without its bytes. (`@unchecked`: `SHA256Digest` is plain bytes held by value,
/// only not marked `Sendable` by its module.)
public struct ReceivedPayload: @unchecked Sendable {
    /// SHA-256 of the body.
    public let sha256: [UInt8]
    /// Length of the body in bytes.
    public let count: Int
    /// The `nlgov-adr-payload-sig` header values the body came with.
    public let signatureHeaders: [String]
    /// For a signature in the `body` reading: its encoded protected header and the SHA-256 of
    /// its signing input.
    let bodySigningInput: (encodedHeader: Substring, digest: SHA256Digest)?
}
