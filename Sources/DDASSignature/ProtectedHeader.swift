import Foundation

/// The JAdES-B protected header of a DDAS payload signature (RFC 7515 §4.1, ETSI TS 119 182-1).
///
/// Every field is optional when decoding, so that a missing one is reported as the specific
/// failure it causes rather than as an unreadable header.
struct ProtectedHeader: Codable, Equatable {
    /// The only algorithm DDAS accepts.
    static let algorithm = "PS256"
    /// The only media type DDAS accepts in `typ`.
    static let type = "JOSE"
    /// The critical header parameters this verifier understands.
    static let understoodCritical: Set<String> = ["sigT"]

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
    /// `crit`: header parameters the verifier must understand.
    var crit: [String]?
    /// `b64`: RFC 7797 unencoded payload; DDAS never sets it and refuses `false`.
    var b64: Bool?

    enum CodingKeys: String, CodingKey {
        case alg, typ, kid, x5c, sigT, crit, b64
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

    /// Whether the names in `crit` are all understood and present (RFC 7515 §4.1.11).
    var criticalParametersAreSupported: Bool {
        if b64 == false { return false }
        guard let crit else { return true }
        guard !crit.isEmpty, Set(crit).count == crit.count else { return false }
        return crit.allSatisfy { name in
            guard Self.understoodCritical.contains(name) else { return false }
            switch name {
            case "sigT": return sigT != nil
            default: return false
            }
        }
    }
}

/// A JWS in compact serialization with a detached payload: `header..signature`.
struct DetachedJWS {
    /// The base64url protected header exactly as received; it is part of the signing input.
    var encodedHeader: Substring
    /// The decoded protected header.
    var header: ProtectedHeader
    /// The signature bytes.
    var signature: Data

    /// Parses a header value; nil when it is not three base64url parts with an empty middle one and
    /// a protected header that is a JSON object.
    init?(compact: String) {
        let parts = compact.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].isEmpty, !parts[0].isEmpty, !parts[2].isEmpty,
            let headerJSON = Base64URL.decode(parts[0]),
            let header = ProtectedHeader.decode(headerJSON),
            let signature = Base64URL.decode(parts[2])
        else { return nil }
        self.encodedHeader = parts[0]
        self.header = header
        self.signature = signature
    }
}
