import Foundation

/// The JAdES-B protected header of a DDAS payload signature (RFC 7515 §4.1, RFC 7797,
/// ETSI TS 119 182-1).
///
/// Every field is optional when decoding, so that a missing one is reported as the specific
/// failure it causes rather than as an unreadable header.
struct ProtectedHeader: Codable, Equatable {
    /// The only algorithm DDAS accepts.
    static let algorithm = "PS256"
    /// The media type sent in `typ`.
    static let type = "JOSE"

    /// `alg`: the signature algorithm.
    var alg: String?
    /// `typ`: the media type of the whole JWS.
    var typ: String?
    /// `kid`: the configured key id of the signer.
    var kid: String?
    /// `x5c`: standard base64 DER certificates, signing certificate first.
    var x5c: [String]?
    /// `x5t#S256`: base64url SHA-256 of the signing certificate's DER.
    var x5tS256: String?
    /// `sigT`: the claimed signing time, `YYYY-MM-DDTHH:MM:SSZ`.
    var sigT: String?
    /// `sigD`: the JAdES detached-content reference; in DDAS only the HTTP headers mechanism
    /// over the `Digest` header (the KP-APIs reading).
    var sigD: SignedDataReference?
    /// `b64`: RFC 7797; `false` signs the detached payload bytes as they are.
    var b64: Bool?
    /// `crit`: header parameters the verifier must understand.
    var crit: [String]?

    enum CodingKeys: String, CodingKey {
        case alg, typ, kid, x5c, sigT, sigD, b64, crit
        case x5tS256 = "x5t#S256"
    }

    /// The header as compact JSON with sorted keys and unescaped slashes.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a protected header from its JSON; nil when it is not a JSON object of this shape.
    static func decode(_ json: Data) -> ProtectedHeader? {
        try? JSONDecoder().decode(ProtectedHeader.self, from: json)
    }

    /// Whether `typ` names the JOSE compact serialization: media types compare without regard
    /// to case, and `jose` stands for `application/jose` (RFC 7515 §4.1.9). Absent is allowed.
    var typeIsJOSE: Bool {
        guard let typ else { return true }
        let lowered = typ.lowercased()
        return lowered == "jose" || lowered == "application/jose"
    }
}

/// The `sigD` header parameter (ETSI TS 119 182-1 clause 5.2.8) as the KP-APIs signing-jades
/// module uses it: the HTTP headers mechanism, `pars` naming the headers whose values are signed.
struct SignedDataReference: Codable, Equatable {
    /// The URI of the HTTP headers mechanism (clause 5.2.8.2).
    static let httpHeaders = "http://uri.etsi.org/19182/HttpHeaders"
    /// The headers KP-APIs payload signing covers: only `Digest`.
    static let digestOnly = SignedDataReference(mId: httpHeaders, pars: ["digest"])

    /// `mId`: the mechanism.
    var mId: String
    /// `pars`: the names of the signed HTTP headers, in signing order.
    var pars: [String]

    /// Whether this is the one form DDAS accepts: the HTTP headers mechanism over exactly the
    /// `Digest` header, its name compared without regard to case as HTTP header names are.
    var isDigestOnly: Bool {
        mId == Self.httpHeaders && pars.count == 1 && pars[0].lowercased() == "digest"
    }

    /// The detached payload of the HTTP headers mechanism for `pars` = `["digest"]`, as ETSI TS
    /// 119 182-1 clause 5.2.8.2 and EU DSS build it: each header as its lower-case name, `": "`
    /// and its trimmed value, lines joined by `"\n"` with none after the last. Here that is the
    /// one line `digest: SHA-256=<base64>`.
    static func digestPayload(digestHeader: String) -> Data {
        Data(("digest: " + digestHeader.trimmingCharacters(in: .whitespaces)).utf8)
    }
}
