import DDASSignature
import Foundation
import SwiftASN1
import X509

/// Checks CBS's request signatures the way a supplier does: `DDASSignature.PayloadVerifier`
/// with the roots CBS's chain ends in, either signing profile, duplicate `Digest` and
/// `nlgov-adr-payload-sig` headers refused, and, when an expectation is given, the signing
/// certificate must carry CBS's OIN (subject serialNumber) and be one of the expected
/// certificates when fingerprints are named.
public struct JAdESRequestVerifier: RequestVerifying {
    /// The verifier of the signature and chain.
    public let verifier: PayloadVerifier
    /// Who must have signed; nil: any signer whose chain is trusted.
    public let expectation: SignerExpectation?

    /// A verifier as given.
    public init(verifier: PayloadVerifier, expecting expectation: SignerExpectation?) {
        self.verifier = verifier
        self.expectation = expectation
    }

    /// A verifier trusting the roots in the PEM file at `trustAnchorsPath` and, when `cbsOIN`
    /// is given, only signatures by a certificate carrying that OIN.
    /// Throws `SimulatorConfigurationError` (`request-trust-anchors-unreadable`, `invalid-oin`).
    public init(trustAnchorsPath: String, cbsOIN: String?) throws(SimulatorConfigurationError) {
        if let cbsOIN, !SignerOIN.isOIN(cbsOIN) {
            throw SimulatorConfigurationError(code: "invalid-oin", message: "the OIN of CBS must be 20 digits")
        }
        let anchors: [Certificate]
        do {
            anchors = try PEMBundle.loadTrustAnchors(from: trustAnchorsPath)
        } catch {
            throw SimulatorConfigurationError(
                code: "request-trust-anchors-unreadable", message: "\(trustAnchorsPath) holds no readable root certificates (\(error.code))"
            )
        }
        self.init(verifier: PayloadVerifier(trustAnchors: anchors), expecting: cbsOIN.map { SignerExpectation(oin: $0) })
    }

    public func verify(body: [UInt8], digestHeaders: [String], signatureHeaders: [String]) async throws(SignatureFailure)
        -> SigningProfile
    {
        let signer = try await verifier.verify(
            body: body, digestHeaders: digestHeaders, signatureHeaders: signatureHeaders, expecting: expectation)
        if let expectation {
            guard (signer.oin ?? signer.chain.first.flatMap(SignerOIN.init(certificate:))?.value) == expectation.oin else {
                throw .signerMismatch
            }
            if !expectation.fingerprints.isEmpty, !expectation.fingerprints.contains(signer.certificateFingerprint) {
                throw .signerMismatch
            }
        }
        return signer.profile
    }
}

/// The OIN (Organisatie-identificatienummer, 20 digits) in a certificate's subject
/// serialNumber, as PKIoverheid organisation certificates carry it.
public struct SignerOIN: Hashable, Sendable {
    /// The 20 digits.
    public let value: String

    /// The OIN of `certificate`; nil when its subject has no serialNumber of 20 digits.
    public init?(certificate: Certificate) {
        for relative in certificate.subject {
            for attribute in relative where attribute.type == Self.serialNumberType {
                if let text = String(attribute.value), Self.isOIN(text) {
                    value = text
                    return
                }
            }
        }
        return nil
    }

    /// The attribute type of the subject serialNumber (2.5.4.5).
    public static let serialNumberType: ASN1ObjectIdentifier = [2, 5, 4, 5]

    /// Whether `text` is 20 ASCII digits.
    public static func isOIN(_ text: String) -> Bool {
        text.utf8.count == 20 && text.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }
}
