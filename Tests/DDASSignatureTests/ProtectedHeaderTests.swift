import Foundation
import Testing

@testable import DDASSignature

@Suite("What the protected header and the compact form may hold")
struct ProtectedHeaderTests {
    /// Verifies the supplier's signature after `change` was applied to its protected header.
    private func verify(changingHeader change: @escaping (inout [String: Any]) -> Void) async throws {
        let pki = try await Fixture.pki()
        let headers = try Fixture.signer(pki.leverancier).sign(body: Fixture.body)
        let forged = try Fixture.rewritingHeader(of: headers.signature, change)
        _ = try await Fixture.verifier(pki).verify(body: Fixture.body, digestHeader: headers.digest, signatureHeader: forged)
    }

    /// Verifies the supplier's body with the signature header replaced by `make(original)`.
    private func verify(signatureHeader make: (String) -> String) async throws {
        let pki = try await Fixture.pki()
        let headers = try Fixture.signer(pki.leverancier).sign(body: Fixture.body)
        _ = try await Fixture.verifier(pki).verify(
            body: Fixture.body, digestHeader: headers.digest, signatureHeader: make(headers.signature))
    }

    @Test("any algorithm but PS256 is refused", arguments: ["none", "RS256", "HS256", "PS384", "ps256", ""])
    func otherAlgorithms(alg: String) async throws {
        await #expect(throws: SignatureFailure.signatureAlgorithm) {
            try await verify { $0["alg"] = alg }
        }
    }

    @Test("a header without alg is refused as a wrong algorithm")
    func missingAlgorithm() async throws {
        await #expect(throws: SignatureFailure.signatureAlgorithm) {
            try await verify { $0.removeValue(forKey: "alg") }
        }
    }

    @Test("crit naming sigT when the header has no sigT is refused")
    func criticalButAbsent() async throws {
        await #expect(throws: SignatureFailure.signatureCritical) {
            try await verify { header in
                header.removeValue(forKey: "sigT")
                header["crit"] = ["b64", "sigD", "sigT"]
            }
        }
    }

    @Test("a sigT that is not RFC 3339 UTC to the second is refused", arguments: ["yesterday", "2026-05-28T20:27:40.5Z", "2026-05-28"])
    func badSigningTime(sigT: String) async throws {
        await #expect(throws: SignatureFailure.signatureMalformed) {
            try await verify { $0["sigT"] = sigT }
        }
    }

    @Test("a header without x5c, or with an empty one, has no certificate")
    func missingChain() async throws {
        await #expect(throws: SignatureFailure.certificateMissing) {
            try await verify { $0.removeValue(forKey: "x5c") }
        }
        await #expect(throws: SignatureFailure.certificateMissing) {
            try await verify { $0["x5c"] = [String]() }
        }
    }

    @Test("x5c entries that are not base64 DER certificates are refused", arguments: ["AAAA", "not base64!", "", "MIIB-_8="])
    func malformedChain(entry: String) async throws {
        await #expect(throws: SignatureFailure.certificateMalformed) {
            try await verify { $0["x5c"] = [entry] }
        }
    }

    /// Ways to break the compact form of a JWS.
    enum Breakage: String, CaseIterable, Sendable {
        case payloadPartNotEmpty, twoParts, fourParts, headerNotBase64URL, signatureNotBase64URL, emptyHeader,
            emptySignature, headerNotJSON, headerJSONArray, x5cString

        func apply(to jws: String) -> String {
            switch self {
            case .payloadPartNotEmpty: jws.replacingOccurrences(of: "..", with: ".e30.")
            case .twoParts: jws.replacingOccurrences(of: "..", with: ".")
            case .fourParts: jws + ".AAAA"
            case .headerNotBase64URL: "eyJ*" + jws
            case .signatureNotBase64URL: jws + "+/=="
            case .emptyHeader: String(jws.drop(while: { $0 != "." }))
            case .emptySignature: String(jws.prefix(while: { $0 != "." })) + ".."
            case .headerNotJSON: Base64URL.encode(Data("alg=PS256".utf8)) + "..AAAA"
            case .headerJSONArray: Base64URL.encode(Data(#"["PS256"]"#.utf8)) + "..AAAA"
            case .x5cString: Base64URL.encode(Data(#"{"alg":"PS256","x5c":"MIIB"}"#.utf8)) + "..AAAA"
            }
        }
    }

    @Test("anything but header..signature in base64url with a JSON object header is malformed", arguments: Breakage.allCases)
    func malformed(breakage: Breakage) async throws {
        await #expect(throws: SignatureFailure.signatureMalformed) {
            try await verify(signatureHeader: breakage.apply(to:))
        }
    }
}
