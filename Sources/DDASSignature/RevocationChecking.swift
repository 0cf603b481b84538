import Foundation
import X509

/// Checks the certificates of a validated chain for revocation (OCSP, CRL).
///
/// `PayloadVerifier` calls it after the chain validated, with the chain signing certificate
/// first and trust anchor last. It throws `certificateRevoked` for a revoked certificate,
/// `revocationUnknown` when a responder does not know one, and `revocationUnavailable` when
/// no answer could be had (the only retryable one); what the deployment's
/// `RevocationPolicy` tolerates is the implementation's decision.
public protocol RevocationChecking: Sendable {
    func check(chain: [Certificate], at time: Date) async throws(SignatureFailure)
}

/// How strictly a deployment checks revocation.
public enum RevocationPolicy: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Every certificate below the anchor needs a good answer (OCSP or CRL); none reachable
    /// fails the page, retryably.
    case require
    /// A revoked certificate fails; no answer is logged and tolerated.
    case prefer
    /// No check (the demo on loopback, or a deployment that checks elsewhere).
    case off

    public var description: String { rawValue }
}
