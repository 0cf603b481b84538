/// What the `crit` header parameter of a DDAS signature may and must hold.
///
/// - RFC 7515 §4.1.11: when present, `crit` is a non-empty list without duplicates; every name
///   in it is present in the header; none is a parameter RFC 7515 or RFC 7518 define (those are
///   understood by every implementation); and the verifier understands every one.
/// - RFC 7797 §6: `b64` set to false is listed in `crit`.
/// - ETSI TS 119 182-1 clause 5.1.9 (`crit`): "If the JAdES signature includes the sigD header
///   parameter, the crit header parameter shall also be present and "sigD" shall be one of its
///   JSON array elements" (as EU DSS cites it in `JAdESLevelBaselineB.incorporateCritical` and
///   enforces it for JAdES-BASELINE-B). The KP-APIs signing-jades module itself says nothing
///   about `crit`, so JAdES decides: a KP-APIs signature without `sigD` in `crit` is refused.
///   `sigT` may be listed (older JAdES producers do) but need not be: DSS does not require it.
///
/// Understood are `b64`, `sigD` and `sigT`, and the JAdES baseline (B-B) parameters that do not
/// change what is verified: `x5t#o`, `sigX5ts`, `srCms`, `sigPl` and `sigPId` are carried in the
/// signed header but checked no further. Anything else — a timestamp such as `adoTst`, a name
/// of some other profile — is refused, as RFC 7515 requires of a name not understood.
enum CriticalParameters {
    /// The names this verifier accepts in `crit`.
    static let understood: Set<String> = ["b64", "sigD", "sigT", "x5t#o", "sigX5ts", "srCms", "sigPl", "sigPId"]

    /// Header parameters defined by RFC 7515 and RFC 7518, which `crit` must not name.
    static let registered: Set<String> = [
        "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
        "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
    ]

    /// Checks `crit` of a header whose JSON object has the member names `members`.
    /// - Throws: `signatureCritical` when a rule above is broken.
    static func check(_ header: ProtectedHeader, members: Set<String>) throws(SignatureFailure) {
        if let crit = header.crit {
            guard !crit.isEmpty, Set(crit).count == crit.count else { throw .signatureCritical }
            for name in crit {
                guard !registered.contains(name), understood.contains(name), members.contains(name) else {
                    throw .signatureCritical
                }
            }
        }
        let listed = Set(header.crit ?? [])
        if header.b64 == false, !listed.contains("b64") { throw .signatureCritical }
        if header.sigD != nil, !listed.contains("sigD") { throw .signatureCritical }
    }
}
