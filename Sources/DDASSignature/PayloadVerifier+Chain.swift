import Foundation
@_spi(FixedExpiryValidationTime) @_spi(DisableValidityCheck) import X509

extension PayloadVerifier {
    /// Builds and validates the chain from the signing certificate through the sent intermediates to
    /// a trust anchor, under RFC 5280 at `validationTime`.
    ///
    /// That one validation decides. Only when it fails is the chain built a second time with the
    /// validity dates ignored, to tell the reader why: a chain that is sound apart from its dates is
    /// reported as expired or not yet valid; anything else as untrusted.
    /// (`RFC5280Policy(fixedExpiryValidationTime:)` is swift-certificates' current name for the
    /// deprecated `RFC5280Policy(validationTime:)`.)
    func validateChain(
        leaf: Certificate, intermediates: [Certificate], at validationTime: Date
    ) async throws(SignatureFailure) -> [Certificate] {
        let roots = CertificateStore(trustAnchors)
        let sent = CertificateStore(intermediates)
        var verifier = Verifier(rootCertificates: roots) {
            RFC5280Policy(fixedExpiryValidationTime: validationTime)
        }
        if case .validCertificate(let chain) = await verifier.validate(leaf: leaf, intermediates: sent) {
            return Array(chain)
        }

        var undated = Verifier(rootCertificates: roots) {
            RFC5280Policy.withValidityCheckDisabled()
        }
        guard case .validCertificate(let chain) = await undated.validate(leaf: leaf, intermediates: sent) else {
            throw .certificateUntrusted
        }
        if chain.contains(where: { validationTime > $0.notValidAfter }) { throw .certificateExpired }
        if chain.contains(where: { validationTime < $0.notValidBefore }) { throw .certificateNotYetValid }
        throw .certificateUntrusted
    }
}
