/// The two readings of DDAS payload signing in use; both are verified, and a signer uses one.
///
/// - `kpAPIs`: the Geonovum KP-APIs signing-jades module, as the API files say ("alleen digest
///   getekend"): a detached JWS whose protected header holds `sigD` (mId
///   `http://uri.etsi.org/19182/HttpHeaders`, pars `["digest"]`) and `b64: false`, with `crit`
///   naming both. The signed bytes are the `Digest` header line (`digest: SHA-256=<base64>`);
///   the `Digest` header in turn is checked against the body.
/// - `body`: the detached JWS of RFC 7515 Appendix F over the exact body bytes, as the prose of
///   `signing-encryptie.md` reads: `BASE64URL(header) "." BASE64URL(body)`.
public enum SigningProfile: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case kpAPIs = "kp-apis"
    case body = "body"

    /// What the API files prescribe.
    public static let standard = SigningProfile.kpAPIs

    public var description: String { rawValue }
}

/// Who a signature must come from: the party's OIN (20 digits) in the signing certificate's
/// subject serialNumber and, when given, one of the certificates expected (their SHA-256
/// fingerprints, lower-case hex), for a rollover from one certificate to the next.
public struct SignerExpectation: Hashable, Sendable {
    /// The 20-digit OIN of the party.
    public var oin: String
    /// Lower-case hex SHA-256 of the allowed signing certificates' DER; empty allows any
    /// certificate that carries the OIN.
    public var fingerprints: Set<String>

    public init(oin: String, fingerprints: Set<String> = []) {
        self.oin = oin
        self.fingerprints = fingerprints
    }
}
