import Crypto
import Foundation
import Testing

@testable import DDASSignature

@Suite("Digest header (RFC 3230, SHA-256)")
struct PayloadDigestTests {
    @Test("header values match the published SHA-256 vectors")
    func knownVectors() {
        #expect(PayloadDigest.headerValue(for: Data()) == "SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
        #expect(PayloadDigest.headerValue(for: Data("abc".utf8)) == "SHA-256=ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
    }

    @Test("a header value made for a body verifies against it")
    func ownValueVerifies() throws {
        let value = PayloadDigest.headerValue(for: Fixture.body)
        #expect(value.wholeMatch(of: /SHA-256=[A-Za-z0-9+\/=]{43,44}/) != nil)
        try PayloadDigest.verify(value, body: Fixture.body)
    }

    @Test(
        "the algorithm name may be in any case, the padding may be left out, whitespace around is ignored",
        arguments: [
            "sha-256=ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=",
            "SHA-256=ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0",
            "  SHA-256=ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0= ",
        ])
    func lenientForms(value: String) throws {
        try PayloadDigest.verify(value, body: Data("abc".utf8))
    }

    @Test(
        "bad Digest headers are refused with their own code",
        arguments: [
            (nil, SignatureFailure.digestMissing),
            ("", .digestMissing),
            ("   ", .digestMissing),
            ("SHA-512=ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=", .digestAlgorithm),
            ("MD5=kAFQmDzST7DWlj99KOF/cg==", .digestAlgorithm),
            ("SHA-256=ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAF!0=", .digestMalformed),
            ("SHA-256=ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0=", .digestMalformed),
            ("SHA-256=YWJj", .digestMalformed),
            ("SHA-256=", .digestMalformed),
            ("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=", .digestMalformed),
            ("SHA-256", .digestMalformed),
            ("SHA-256=ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=,MD5=kAFQmDzST7DWlj99KOF/cg==", .digestMalformed),
        ] as [(String?, SignatureFailure)])
    func refusals(value: String?, failure: SignatureFailure) {
        #expect(throws: failure) { try PayloadDigest.verify(value, body: Data("abc".utf8)) }
    }

    @Test("a body that differs in one byte does not match")
    func oneByteDiffers() {
        var tampered = Fixture.body
        tampered[tampered.startIndex + 5] ^= 0x01
        let value = PayloadDigest.headerValue(for: Fixture.body)
        #expect(throws: SignatureFailure.digestMismatch) { try PayloadDigest.verify(value, body: tampered) }
    }

    @Test("failure codes are stable and messages are plain")
    func codes() {
        #expect(SignatureFailure.digestMismatch.code == "digest_mismatch")
        #expect(SignatureFailure.certificateUntrusted.code == "certificate_untrusted")
        #expect(Set(SignatureFailure.allCases.map(\.code)).count == SignatureFailure.allCases.count)
        for failure in SignatureFailure.allCases {
            #expect(failure.code.wholeMatch(of: /[a-z]+(_[a-z0-9]+)+/) != nil)
            #expect(!failure.description.isEmpty)
        }
    }
}
