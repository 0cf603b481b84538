import Foundation

/// A JWS in compact serialization with a detached payload: `header..signature`.
struct DetachedJWS {
    /// The base64url protected header exactly as received; it is part of the signing input.
    var encodedHeader: Substring
    /// The decoded protected header.
    var header: ProtectedHeader
    /// The names of every member of the protected header's JSON object, known or not, for the
    /// `crit` rules.
    var members: Set<String>
    /// The signature bytes.
    var signature: Data

    /// Parses a header value; nil when it is not three base64url parts with an empty middle one and
    /// a protected header that is a JSON object.
    init?(compact: String) {
        let parts = compact.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].isEmpty, !parts[0].isEmpty, !parts[2].isEmpty,
            let headerJSON = Base64URL.decode(parts[0]),
            let header = ProtectedHeader.decode(headerJSON),
            let object = try? JSONSerialization.jsonObject(with: headerJSON) as? [String: Any],
            let signature = Base64URL.decode(parts[2])
        else { return nil }
        self.encodedHeader = parts[0]
        self.header = header
        self.members = Set(object.keys)
        self.signature = signature
    }
}
