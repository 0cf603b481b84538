import Foundation
import X509

/// Who signed a body that passed verification: organisational certificate data, kept with the
/// delivery so that CBS can show where the data came from.
public struct VerifiedSigner: Hashable, Sendable {
    /// The signing certificate's subject, as an RFC 4514 string (`CN=...,O=...,C=NL`).
    public var subject: String
    /// The signing certificate's issuer, as an RFC 4514 string.
    public var issuer: String
    /// The `kid` of the protected header, when the signer sent one.
    public var keyID: String?
    /// Lower-case hex SHA-256 of the signing certificate's DER.
    public var certificateFingerprint: String
    /// The `sigT` the signer claimed, when sent. It is the signer's own statement, not a timestamp.
    public var signingTime: Date?
    /// The validated chain: signing certificate first, trust anchor last.
    public var chain: [Certificate]
    /// Which reading of DDAS signing the signature used.
    public var profile: SigningProfile
    /// The OIN in the signing certificate's subject serialNumber, when it carries one.
    public var oin: String?
}
