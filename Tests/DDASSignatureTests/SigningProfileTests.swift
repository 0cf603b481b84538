import Crypto
import Foundation
import Testing
import _CryptoExtras

@testable import DDASSignature
@testable import DDASTestPKI

@Suite("The two signing readings: KP-APIs over the Digest line, and the body")
struct SigningProfileTests {
    /// The supplier's headers for the fixture body in `profile`.
    private func signed(_ profile: SigningProfile) async throws -> (TestPKI, SignedHeaders) {
        let pki = try await Fixture.pki()
        return (pki, try Fixture.signer(pki.leverancier, profile: profile).sign(body: Fixture.body))
    }

    /// Verifies the fixture body with the supplier's headers in `profile`, the protected header
    /// changed by `change` and signed again, so that only the change decides.
    @discardableResult
    private func verifyResigned(
        _ profile: SigningProfile, _ change: @escaping (inout [String: Any]) -> Void
    ) async throws -> VerifiedSigner {
        let (pki, headers) = try await signed(profile)
        let signature = try Fixture.resigning(headers, with: pki.leverancier, change)
        return try await Fixture.verifier(pki).verify(body: Fixture.body, digestHeader: headers.digest, signatureHeader: signature)
    }

    @Test("a signature in either reading verifies and the verifier says which reading it saw", arguments: SigningProfile.allCases)
    func roundTrip(profile: SigningProfile) async throws {
        let (pki, headers) = try await signed(profile)
        let signer = try await Fixture.verifier(pki).verify(
            body: Fixture.body, digestHeader: headers.digest, signatureHeader: headers.signature)
        #expect(signer.profile == profile)
        #expect(signer.oin == TestPKI.leverancierOIN)
        #expect(signer.signingTime == Fixture.signedAt)
    }

    @Test("the default reading is KP-APIs, as the API files prescribe")
    func defaultIsKPAPIs() async throws {
        let pki = try await Fixture.pki()
        let signer = try pki.leverancier.signer(keyID: "k")
        #expect(signer.profile == .kpAPIs)
        let header = try Fixture.header(of: try signer.sign(body: Fixture.body).signature)
        #expect(header["sigD"] != nil)
    }

    @Test("the KP-APIs header holds sigD over the Digest, b64 false and crit naming both")
    func kpAPIsHeader() async throws {
        let (pki, headers) = try await signed(.kpAPIs)
        let header = try Fixture.header(of: headers.signature)
        #expect(Set(header.keys) == ["alg", "typ", "kid", "x5c", "x5t#S256", "sigT", "sigD", "b64", "crit"])
        #expect(header["alg"] as? String == "PS256")
        #expect(header["typ"] as? String == "JOSE")
        #expect(header["kid"] as? String == "test-key-1")
        #expect(header["sigT"] as? String == "2026-05-28T20:27:40Z")
        let sigD = try #require(header["sigD"] as? [String: Any])
        #expect(sigD["mId"] as? String == "http://uri.etsi.org/19182/HttpHeaders")
        #expect(sigD["pars"] as? [String] == ["digest"])
        #expect(Set(sigD.keys) == ["mId", "pars"])
        #expect(header["b64"] as? Bool == false)
        #expect(header["crit"] as? [String] == ["b64", "sigD"])
        let leafDER = try Fixture.derBytes(pki.leverancier.certificate)
        #expect(header["x5t#S256"] as? String == Base64URL.encode(SHA256.hash(data: leafDER)))
    }

    @Test("the body header has no crit, no sigD and no b64, so a plain JOSE library takes it")
    func bodyHeader() async throws {
        let (_, headers) = try await signed(.body)
        let header = try Fixture.header(of: headers.signature)
        #expect(Set(header.keys) == ["alg", "typ", "kid", "x5c", "x5t#S256", "sigT"])
    }

    @Test("the KP-APIs signature is PS256 over BASE64URL(header) '.' 'digest: SHA-256=...' unencoded (RFC 7797)")
    func kpAPIsSigningInput() async throws {
        let (pki, headers) = try await signed(.kpAPIs)
        #expect(headers.digest == PayloadDigest.headerValue(for: Fixture.body))
        let parts = headers.signature.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 3 && parts[1].isEmpty)
        let signature = _RSA.Signing.RSASignature(rawRepresentation: try #require(Base64URL.decode(parts[2])))
        let key = pki.leverancier.privateKey.publicKey
        let line = "digest: " + headers.digest
        #expect(key.isValidSignature(signature, for: Data((parts[0] + "." + line).utf8), padding: .PSS))
        #expect(!key.isValidSignature(signature, for: Data((parts[0] + "." + Base64URL.encode(Fixture.body)).utf8), padding: .PSS))
        #expect(!key.isValidSignature(signature, for: Data((parts[0] + "." + Base64URL.encode(Data(line.utf8))).utf8), padding: .PSS))
    }

    @Test("the body signature is PS256 over BASE64URL(header) '.' BASE64URL(body), as RFC 7515 Appendix F")
    func bodySigningInput() async throws {
        let (pki, headers) = try await signed(.body)
        let parts = headers.signature.split(separator: ".", omittingEmptySubsequences: false)
        let signature = _RSA.Signing.RSASignature(rawRepresentation: try #require(Base64URL.decode(parts[2])))
        let key = pki.leverancier.privateKey.publicKey
        #expect(key.isValidSignature(signature, for: Data((parts[0] + "." + Base64URL.encode(Fixture.body)).utf8), padding: .PSS))
    }

    @Test("a KP-APIs signature with b64 absent or true signs BASE64URL of the Digest line", arguments: [nil, true] as [Bool?])
    func kpAPIsEncodedPayload(b64: Bool?) async throws {
        let signer = try await verifyResigned(.kpAPIs) { header in
            header["b64"] = b64
            header["crit"] = ["sigD"]
        }
        #expect(signer.profile == .kpAPIs)
    }

    @Test(
        "typ is a media type: JOSE in any case, with or without application/, or none, is taken",
        arguments: ["JOSE", "jose", "application/jose", "Application/JOSE", nil] as [String?])
    func acceptedTypes(typ: String?) async throws {
        for profile in SigningProfile.allCases {
            try await verifyResigned(profile) { $0["typ"] = typ }
        }
    }

    @Test("any other typ is refused", arguments: ["JWT", "", "JOSE+JSON", "application/jwt", "text/jose"])
    func refusedTypes(typ: String) async throws {
        for profile in SigningProfile.allCases {
            await #expect(throws: SignatureFailure.signatureType) {
                try await verifyResigned(profile) { $0["typ"] = typ }
            }
        }
    }

    /// A placeholder value for a JAdES parameter: the verifier carries these, it does not read them.
    private static var placeholder: [String: Any] { ["id": "urn:oid:1.2.3"] }

    @Test(
        "crit may name sigT and the JAdES baseline parameters that do not change what is verified",
        arguments: ["sigT", "x5t#o", "sigX5ts", "srCms", "sigPl", "sigPId"])
    func understoodCritical(name: String) async throws {
        for profile in SigningProfile.allCases {
            let signer = try await verifyResigned(profile) { header in
                if header[name] == nil { header[name] = Self.placeholder }
                header["crit"] = (header["crit"] as? [String] ?? []) + [name]
            }
            #expect(signer.profile == profile)
        }
    }

    /// Ways to break the crit rules, with the header change that does it.
    enum CriticalBreakage: String, CaseIterable, Sendable {
        case unknownName, timestampName, registeredName, listedButAbsent, duplicate, empty, b64NotListed, sigDNotListed,
            notListedAtAll

        func apply(to header: inout [String: Any]) {
            switch self {
            case .unknownName:
                header["exp"] = 1
                header["crit"] = ["b64", "sigD", "exp"]
            case .timestampName:
                header["adoTst"] = ["tstTokens": [] as [Any]]
                header["crit"] = ["b64", "sigD", "adoTst"]
            case .registeredName: header["crit"] = ["b64", "sigD", "kid"]
            case .listedButAbsent: header["crit"] = ["b64", "sigD", "srCms"]
            case .duplicate: header["crit"] = ["b64", "sigD", "b64"]
            case .empty: header["crit"] = [String]()
            case .b64NotListed: header["crit"] = ["sigD"]
            case .sigDNotListed: header["crit"] = ["b64"]
            case .notListedAtAll: header.removeValue(forKey: "crit")
            }
        }
    }

    @Test("a KP-APIs crit that breaks RFC 7515, RFC 7797 or JAdES is refused", arguments: CriticalBreakage.allCases)
    func refusedCritical(breakage: CriticalBreakage) async throws {
        await #expect(throws: SignatureFailure.signatureCritical) {
            try await verifyResigned(.kpAPIs, breakage.apply(to:))
        }
    }

    @Test("a body crit naming what is not understood, registered, absent or twice, or nothing, is refused")
    func refusedBodyCritical() async throws {
        let crits: [[String]] = [["exp"], ["kid"], ["srCms"], ["sigT", "sigT"], [], ["sigD"], ["b64"]]
        for crit in crits {
            await #expect(throws: SignatureFailure.signatureCritical) {
                try await verifyResigned(.body) { $0["crit"] = crit }
            }
        }
    }

    @Test("b64 false without sigD is refused: there is no unencoded payload the body reading signs")
    func unencodedWithoutSigD() async throws {
        await #expect(throws: SignatureFailure.signatureCritical) {
            try await verifyResigned(.body) { header in
                header["b64"] = false
                header["crit"] = ["b64"]
            }
        }
    }

    /// A JSON value as `JSONSerialization` reads it, for header values given as text.
    private static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
    }

    @Test(
        "sigD over other headers or by another mechanism is refused as a critical parameter not supported",
        arguments: [
            #"{"mId":"http://uri.etsi.org/19182/HttpHeaders","pars":["digest","content-type"]}"#,
            #"{"mId":"http://uri.etsi.org/19182/HttpHeaders","pars":["content-type"]}"#,
            #"{"mId":"http://uri.etsi.org/19182/HttpHeaders","pars":[]}"#,
            #"{"mId":"http://uri.etsi.org/19182/ObjectIdByURI","pars":["digest"]}"#,
            #"{"mId":"http://uri.etsi.org/19182/HttpHeaders/","pars":["digest"]}"#,
        ])
    func refusedSigD(sigD: String) async throws {
        let value = try Self.json(sigD)
        await #expect(throws: SignatureFailure.signatureCritical) {
            try await verifyResigned(.kpAPIs) { $0["sigD"] = value }
        }
    }

    @Test("sigD names the Digest header in any case, as HTTP header names are", arguments: ["Digest", "DIGEST"])
    func sigDHeaderNameCase(name: String) async throws {
        let signer = try await verifyResigned(.kpAPIs) { header in
            header["sigD"] = ["mId": "http://uri.etsi.org/19182/HttpHeaders", "pars": [name]]
        }
        #expect(signer.profile == .kpAPIs)
    }

    @Test("a sigD that is not an object with mId and pars is malformed", arguments: [#""digest""#, #"{"pars":["digest"]}"#])
    func malformedSigD(sigD: String) async throws {
        let value = try Self.json(sigD)
        await #expect(throws: SignatureFailure.signatureMalformed) {
            try await verifyResigned(.kpAPIs) { $0["sigD"] = value }
        }
    }
}
