import Foundation
import Testing

@testable import DDASSignature
@testable import DDASTestPKI

/// The signature verified from hashes taken while the body arrived, piece by piece, against
/// the verification over the whole body in memory.
@Suite("Signatures verified as the body arrives")
struct IncrementalVerificationTests {
    /// A signature fault as the supplier simulator injects it.
    enum Fault: String, CaseIterable, Sendable {
        case none, badSignature, wrongDigest, untrustedChain, expiredCertificate, wrongOINSigner, duplicateSignatureHeader
    }

    /// A trusted signer with another OIN than the supplier's, made once (key generation is slow).
    static let otherOIN = Task { () async throws -> TestPKI.Identity in
        try await Fixture.pki().makeIdentity(commonName: "DDAS Test Andere Leverancier", oin: TestPKI.testOIN(3))
    }

    /// A body of `length` bytes shaped like JSON, no personal data.
    static func body(length: Int) -> [UInt8] {
        let unit = Array(#"{"vroegsignalen":[{"code":"ABC-123","bedrag":4711.05}]},"#.utf8)
        return (0..<length).map { unit[$0 % unit.count] ^ UInt8(($0 / unit.count) % 2) }
    }

    /// The headers a supplier sends with `body` under `fault`, signed in `profile`.
    static func headers(for body: [UInt8], fault: Fault, profile: SigningProfile, pki: TestPKI, otherOIN: TestPKI.Identity) throws
        -> (digests: [String], signatures: [String])
    {
        let identity: TestPKI.Identity
        switch fault {
        case .untrustedChain: identity = pki.onbekend
        case .expiredCertificate: identity = pki.verlopen
        case .wrongOINSigner: identity = otherOIN
        default: identity = pki.leverancier
        }
        let signer = try Fixture.signer(identity, profile: profile)
        var signed = try signer.sign(body: body)
        // As the simulator does it: a Digest or a signature over other bytes than the body.
        if fault == .wrongDigest { signed.digest = try signer.sign(body: body + [0x20]).digest }
        if fault == .badSignature { signed.signature = try signer.sign(body: body + [0x20]).signature }
        let signatures = fault == .duplicateSignatureHeader ? [signed.signature, signed.signature] : [signed.signature]
        return ([signed.digest], signatures)
    }

    /// The verdict as a comparable text: who signed and in which reading, or the failure's code.
    static func verdict(_ verify: () async throws(SignatureFailure) -> VerifiedSigner) async -> String {
        do {
            let signer = try await verify()
            return "\(signer.profile) \(signer.certificateFingerprint) \(signer.oin ?? "")"
        } catch {
            return error.code
        }
    }

    @Test(
        "every signature fault the simulator injects, in both readings, gets the same verdict whether the body is hashed as it arrives or read whole",
        arguments: SigningProfile.allCases)
    func sameVerdicts(profile: SigningProfile) async throws {
        let pki = try await Fixture.pki()
        let verifier = Fixture.verifier(pki)
        let expecting = SignerExpectation(oin: TestPKI.leverancierOIN)
        let otherOIN = try await Self.otherOIN.value
        // Lengths around the groups of three that base64 encodes, and pieces that split them anywhere.
        for length in [0, 1, 2, 3, 4, 70_001] {
            let body = Self.body(length: length)
            for fault in Fault.allCases {
                let (digests, signatures) = try Self.headers(for: body, fault: fault, profile: profile, pki: pki, otherOIN: otherOIN)
                let whole = await Self.verdict { () async throws(SignatureFailure) in
                    try await verifier.verify(body: body, digestHeaders: digests, signatureHeaders: signatures, expecting: expecting)
                }
                for pieces in [[1], [2, 5], [7, 4096, 1], [65_536]] {
                    var hasher = ReceivedPayloadHasher(signatureHeaders: signatures)
                    var offset = 0
                    var turn = 0
                    while offset < body.count {
                        let take = min(pieces[turn % pieces.count], body.count - offset)
                        body[offset..<offset + take].withUnsafeBytes { hasher.update($0) }
                        offset += take
                        turn += 1
                    }
                    let received = hasher.finish()
                    #expect(received.count == body.count)
                    let incremental = await Self.verdict { () async throws(SignatureFailure) in
                        try await verifier.verify(received: received, digestHeaders: digests, expecting: expecting)
                    }
                    #expect(incremental == whole, "\(fault) over \(length) bytes in pieces of \(pieces)")
                }
                let expected: String
                switch fault {
                case .none: expected = "\(profile)"
                case .badSignature: expected = "signature_invalid"
                case .wrongDigest: expected = "digest_mismatch"
                case .untrustedChain: expected = "certificate_untrusted"
                case .expiredCertificate: expected = "certificate_expired"
                case .wrongOINSigner: expected = "signer_mismatch"
                case .duplicateSignatureHeader: expected = "signature_duplicate"
                }
                #expect(whole.hasPrefix(expected), "\(fault) in \(profile): \(whole)")
            }
        }
    }
}
