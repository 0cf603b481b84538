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
        if let cbsOIN, !SubjectOIN.isOIN(cbsOIN) {
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
            guard (signer.oin ?? signer.chain.first.flatMap(SubjectOIN.of)) == expectation.oin else {
                throw .signerMismatch
            }
            if !expectation.fingerprints.isEmpty, !expectation.fingerprints.contains(signer.certificateFingerprint) {
                throw .signerMismatch
            }
        }
        return signer.profile
    }
}
