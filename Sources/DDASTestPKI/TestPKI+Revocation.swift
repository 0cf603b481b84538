import Crypto
import DDASSignature
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

extension TestPKI {
    /// Where the test PKI's revocation services live below `revocationBaseURL`: one OCSP
    /// responder for every CA (`{base}/ocsp`, POST, or GET with the request in the path), and a
    /// CRL per CA (`{base}/crl/{slug}.crl`, e.g. `ddas-test-intermediate-ca.crl`).
    public static func ocspURL(base: String) -> String { trimmed(base) + "/ocsp" }

    /// The CRL URL of the CA with this subject (see `ocspURL(base:)`).
    public static func crlURL(base: String, issuer: Certificate) -> String {
        trimmed(base) + "/crl/" + crlSlug(of: issuer) + ".crl"
    }

    /// The file-name part of a CA's CRL URL: its common name in lower case, runs of other
    /// characters as one hyphen.
    public static func crlSlug(of authority: Certificate) -> String {
        let name = authority.subject.description
        let commonName =
            name.split(separator: ",").first { $0.hasPrefix("CN=") }.map { String($0.dropFirst(3)) } ?? name
        var slug = ""
        for character in commonName.lowercased() {
            if character.isLetter || character.isNumber {
                slug.append(character)
            } else if !slug.hasSuffix("-") {
                slug.append("-")
            }
        }
        return slug.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }

    private static func trimmed(_ base: String) -> String {
        base.hasSuffix("/") ? String(base.dropLast()) : base
    }

    /// The AIA (OCSP) and CRL distribution point extensions of a certificate issued by `issuer`.
    static func revocationExtensions(base: String, issuer: Certificate) throws -> [Certificate.Extension] {
        let access = AuthorityInformationAccess([
            AuthorityInformationAccess.AccessDescription(method: .ocspServer, location: .uniformResourceIdentifier(ocspURL(base: base)))
        ])
        return [
            try Certificate.Extension(access, critical: false),
            Certificate.Extension(
                oid: RevocationOID.crlDistributionPoints, critical: false,
                value: try CRLDistributionPoints.value(url: crlURL(base: base, issuer: issuer))[...]),
        ]
    }

    /// The certificates a responder for the PKI knows (answers good for until revoked): the
    /// signing certificates and the intermediate.
    public var revocationCertificates: [Certificate] {
        [leverancier.certificate, cbs.certificate, verlopen.certificate, intermediate]
    }
}

/// The test PKI's revocation services: answers OCSP requests and makes CRLs for its CAs, from a
/// set of revoked certificates that grows on request (`revoke`). Never for production.
///
/// Answers are signed by the CA that issued the certificate asked about (no delegated
/// responder), echo the request's nonce, and are valid for `validity` (`nextUpdate`); a
/// certificate of a known CA that the responder was not told about is `unknown`; a request
/// about a CA it does not serve gets `unauthorized`.
public actor TestRevocationResponder {
    /// A CA it answers for.
    public struct Authority: Sendable {
        /// The CA certificate.
        public let certificate: Certificate
        /// Its key.
        public let key: Certificate.PrivateKey

        /// A CA with its key.
        public init(certificate: Certificate, key: Certificate.PrivateKey) {
            self.certificate = certificate
            self.key = key
        }
    }

    /// What an answer does with the request's nonce.
    public enum NonceMode: Sendable {
        /// Echoes it (the default).
        case echo
        /// Leaves it out.
        case omit
        /// Puts another one in (to test clients).
        case wrong
    }

    private var authorities: [Authority]
    private var issued: [Certificate]
    private var revoked: [[UInt8]: Date] = [:]
    private let now: @Sendable () -> Date
    private let stateFile: String?
    /// How long an answer or CRL is valid (`nextUpdate` − `thisUpdate`).
    public let validity: TimeInterval
    private var nonceMode = NonceMode.echo
    private var servesOCSP = true
    private var servesCRLs = true
    /// Counts of OCSP requests answered and CRLs served, for tests of caching.
    public private(set) var ocspRequestCount = 0
    /// See `ocspRequestCount`.
    public private(set) var crlRequestCount = 0

    /// A responder for `authorities` that knows the certificates `issued`.
    public init(
        authorities: [Authority], issued: [Certificate], validity: TimeInterval = 3_600, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.init(authorities: authorities, issued: issued, revoked: [:], stateFile: nil, validity: validity, now: now)
    }

    init(
        authorities: [Authority], issued: [Certificate], revoked: [[UInt8]: Date], stateFile: String?, validity: TimeInterval,
        now: @escaping @Sendable () -> Date
    ) {
        self.authorities = authorities
        self.issued = issued
        self.revoked = revoked
        self.stateFile = stateFile
        self.validity = validity
        self.now = now
    }

    /// A responder for the test PKI's root and intermediate, knowing the PKI's signing
    /// certificates and its intermediate.
    public init(pki: TestPKI, validity: TimeInterval = 3_600, now: @escaping @Sendable () -> Date = { Date() }) {
        let authorities = [
            Authority(certificate: pki.intermediate, key: Certificate.PrivateKey(pki.intermediateKey)),
            Authority(certificate: pki.root, key: Certificate.PrivateKey(pki.rootKey)),
        ]
        self.init(authorities: authorities, issued: pki.revocationCertificates, validity: validity, now: now)
    }

    /// Serial magnitudes from hex strings.
    static func serials(hex strings: [String]) -> [[UInt8]] {
        strings.map { serial in
            let hex = serial.lowercased().filter(\.isHexDigit)
            var digits = Array(hex.count.isMultiple(of: 2) ? hex : "0" + hex)
            var bytes = [UInt8]()
            while digits.count >= 2 {
                bytes.append(UInt8(String(digits[0..<2]), radix: 16) ?? 0)
                digits.removeFirst(2)
            }
            return RevocationDER.magnitude(bytes)
        }
    }

    /// A responder that answers for nothing yet (see `serve(pki:knowing:)`).
    public init(validity: TimeInterval = 3_600, now: @escaping @Sendable () -> Date = { Date() }) {
        self.init(authorities: [], issued: [], validity: validity, now: now)
    }

    /// Starts answering for the PKI's root and intermediate, knowing `knowing` (by default the
    /// PKI's signing certificates and intermediate); for a server that must run before the PKI
    /// that names it can be made.
    public func serve(pki: TestPKI, knowing: [Certificate]? = nil) {
        authorities += [
            Authority(certificate: pki.intermediate, key: Certificate.PrivateKey(pki.intermediateKey)),
            Authority(certificate: pki.root, key: Certificate.PrivateKey(pki.rootKey)),
        ]
        issued += knowing ?? pki.revocationCertificates
    }

    /// Makes the responder know another certificate (so it answers good rather than unknown).
    public func register(_ certificate: Certificate) {
        issued.append(certificate)
    }

    /// Revokes a certificate by its serial number (hex, any case, colons allowed) or its SHA-256
    /// fingerprint (hex of the DER). Returns the serial revoked, or nil when no known
    /// certificate matches.
    @discardableResult
    public func revoke(_ serialOrFingerprint: String) -> String? {
        let hex = serialOrFingerprint.lowercased().filter { $0.isHexDigit }
        for certificate in issued {
            let serial = Self.hex(Array(certificate.serialNumber.bytes))
            let fingerprint = (try? Self.fingerprint(certificate)) ?? ""
            if Self.strip(serial) == Self.strip(hex) || fingerprint == hex {
                revoked[RevocationDER.magnitude(Array(certificate.serialNumber.bytes))] = now()
                persist()
                return serial
            }
        }
        return nil
    }

    /// Revokes a certificate.
    public func revoke(_ certificate: Certificate) {
        if !issued.contains(certificate) { issued.append(certificate) }
        revoked[RevocationDER.magnitude(Array(certificate.serialNumber.bytes))] = now()
        persist()
    }

    /// Changes what answers do with nonces (to test clients).
    public func setNonceMode(_ mode: NonceMode) { nonceMode = mode }

    /// Switches the OCSP answers (off: `tryLater`) and the CRLs (off: none) on or off, to test
    /// clients' fallback.
    public func setServes(ocsp: Bool, crls: Bool) {
        servesOCSP = ocsp
        servesCRLs = crls
    }

    /// The hex serials revoked so far.
    public var revokedSerials: [String] { revoked.keys.map { Self.hex($0) }.sorted() }

    /// The DER answer to a DER OCSP request: `malformedRequest` for bytes that are not one,
    /// `unauthorized` for a CA it does not serve.
    public func answer(ocspRequest bytes: [UInt8]) -> [UInt8] {
        ocspRequestCount += 1
        guard servesOCSP else { return OCSPResponseMessage.unsuccessful(3) }
        guard let request = try? OCSPRequestMessage(derEncoded: bytes) else { return OCSPResponseMessage.unsuccessful(1) }
        let id = request.certificateID
        guard
            let authority = authorities.first(where: {
                (try? RevocationDER.nameHash($0.certificate.subject)) == id.issuerNameHash
                    && (try? RevocationDER.keyHash($0.certificate.publicKey)) == id.issuerKeyHash
            })
        else { return OCSPResponseMessage.unsuccessful(6) }
        let time = now()
        let status: OCSPStatus
        if let at = revoked[id.serial] {
            status = .revoked(at: at)
        } else if issued.contains(where: {
            $0.issuer == authority.certificate.subject && RevocationDER.magnitude(Array($0.serialNumber.bytes)) == id.serial
        }) {
            status = .good
        } else {
            status = .unknown
        }
        let answer = OCSPSingleAnswer(certificateID: id, status: status, thisUpdate: time, nextUpdate: time.addingTimeInterval(validity))
        return
            (try? OCSPResponseMessage.successful(
                answers: [answer], nonce: nonce(for: request.nonce), producedAt: time,
                responderName: authority.certificate.subject, signer: authority.key)) ?? OCSPResponseMessage.unsuccessful(2)
    }

    /// The current DER CRL of the CA whose `crlSlug` is `slug`; nil for none.
    public func crl(slug: String) -> [UInt8]? {
        crlRequestCount += 1
        guard servesCRLs, let authority = authorities.first(where: { TestPKI.crlSlug(of: $0.certificate) == slug }) else { return nil }
        let time = now()
        let entries = revoked.compactMap { serial, at -> (serial: [UInt8], at: Date)? in
            issued.contains {
                $0.issuer == authority.certificate.subject && RevocationDER.magnitude(Array($0.serialNumber.bytes)) == serial
            } ? (serial, at) : nil
        }
        return try? CertificateRevocationList.make(
            issuer: authority.certificate, key: authority.key, revoked: entries.sorted { $0.serial.lexicographicallyPrecedes($1.serial) },
            thisUpdate: time, nextUpdate: time.addingTimeInterval(validity))
    }

    /// Writes the revoked serials to the state file, if there is one (best effort: the answers
    /// in memory are what counts while the process runs).
    private func persist() {
        guard let stateFile, let data = try? JSONEncoder().encode(revokedSerials) else { return }
        try? data.write(to: URL(fileURLWithPath: stateFile), options: .atomic)
    }

    private func nonce(for asked: [UInt8]?) -> [UInt8]? {
        switch nonceMode {
        case .echo: asked
        case .omit: nil
        case .wrong: asked.map { $0.map { ~$0 } } ?? [1, 2, 3, 4]
        }
    }

    private static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
    private static func strip(_ hex: String) -> String {
        let stripped = hex.drop { $0 == "0" }
        return stripped.isEmpty ? "0" : String(stripped)
    }
    private static func fingerprint(_ certificate: Certificate) throws -> String {
        var coder = DER.Serializer()
        try coder.serialize(certificate)
        return hex(Array(SHA256.hash(data: coder.serializedBytes)))
    }
}
