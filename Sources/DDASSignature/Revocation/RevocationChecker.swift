import Crypto
import Foundation
import SwiftASN1
import X509

/// Fetches revocation information over the network: DDASSignature has no HTTP client, so the
/// deployment hands one in (DDASClient's `HTTPRevocationFetcher`).
public protocol RevocationFetching: Sendable {
    /// POSTs a DER OCSP request (`application/ocsp-request`) to a responder and returns the DER
    /// of its answer (`application/ocsp-response`); throws when none came (unreachable, timeout,
    /// an HTTP status other than 200, a wrong content type, too large).
    func postOCSPRequest(_ request: [UInt8], to url: String) async throws -> [UInt8]
    /// GETs a CRL (`application/pkix-crl`, DER or PEM) and returns its bytes; throws as above.
    func fetchCRL(from url: String) async throws -> [UInt8]
}

/// Checks the certificates of a validated chain for revocation, with OCSP and CRLs.
///
/// For every certificate below the trust anchor (the signing certificate and the intermediates),
/// against the certificate that issued it:
/// 1. OCSP, when the certificate names a responder in its Authority Information Access: a request
///    with a fresh nonce; the answer must be signed by the issuer or by a responder certificate
///    the issuer made for it (extended key usage OCSPSigning), name the certificate, echo the
///    nonce when it carries one, and be current (`thisUpdate` not in the future, `nextUpdate` not
///    past, five minutes' leeway for clocks). A good or revoked answer is kept until its
///    `nextUpdate` (a kept answer is not checked for the nonce again: it was when it came).
/// 2. Otherwise, or when OCSP gave no usable answer: the CRLs from the certificate's CRL
///    distribution points (kept until their `nextUpdate`) and the deployment's CRL files whose
///    issuer is the certificate's issuer, each signed by the issuer and current.
///
/// Outcomes: a revoked certificate fails with `certificateRevoked` under `require` and `prefer`.
/// A responder that answers "unknown" fails with `revocationUnknown` under `require` and
/// `prefer` alike: it is an answer from the issuer's own responder that the certificate is not
/// one it knows, which is not the same as not reaching it, and a CRL is not asked to overrule it.
/// When no answer could be had (no responder or CRL reachable, or none usable: unsigned, stale,
/// a wrong nonce), `require` fails with `revocationUnavailable` (retryable) and `prefer` lets the
/// chain pass and reports it through `report`. A certificate with neither an OCSP responder nor
/// a CRL (its own or a configured one) has no answer to be had. `off` checks nothing and
/// fetches nothing.
public struct RevocationChecker: RevocationChecking {
    /// How strictly it checks.
    public let policy: RevocationPolicy
    private let fetcher: (any RevocationFetching)?
    private let configuredCRLs: [CertificateRevocationList]
    private let report: @Sendable (String) -> Void
    private let cache = RevocationCache()

    /// Leeway for the clocks of responders and CRL issuers.
    public static let clockLeeway: TimeInterval = 300

    /// A checker.
    /// - Parameters:
    ///   - policy: `require`, `prefer` or `off`.
    ///   - fetcher: fetches OCSP answers and CRLs; nil: only the configured CRLs are used.
    ///   - crls: CRLs configured for the deployment (DER or PEM bytes), used for certificates
    ///     whose issuer signed them, besides or instead of the distribution points.
    ///   - report: hears what `prefer` tolerated and why a source was not usable (no personal data:
    ///     certificate subjects and serials, URLs, reasons).
    /// - Throws: `certificateMalformed` when a configured CRL cannot be read.
    public init(
        policy: RevocationPolicy, fetcher: (any RevocationFetching)?, crls: [[UInt8]] = [],
        report: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(KeyMaterialError) {
        self.policy = policy
        self.fetcher = fetcher
        var parsed = [CertificateRevocationList]()
        for bytes in crls {
            guard let crl = try? CertificateRevocationList(bytes: bytes) else { throw .certificateMalformed }
            parsed.append(crl)
        }
        configuredCRLs = parsed
        self.report = report
    }

    /// A checker with CRL files (DER or PEM) read from disk.
    /// - Throws: `unreadable(path:)` for a file that cannot be read, `certificateMalformed` for one
    ///   that is not a CRL.
    public init(
        policy: RevocationPolicy, fetcher: (any RevocationFetching)?, crlFiles: [String],
        report: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(KeyMaterialError) {
        var crls = [[UInt8]]()
        for path in crlFiles {
            guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
            crls.append(Array(data))
        }
        try self.init(policy: policy, fetcher: fetcher, crls: crls, report: report)
    }

    public func check(chain: [Certificate], at time: Date) async throws(SignatureFailure) {
        guard policy != .off, chain.count > 1 else { return }
        for index in chain.indices.dropLast() {
            let certificate = chain[index]
            let issuer = chain[index + 1]
            let outcome = await status(of: certificate, issuer: issuer, at: time)
            switch outcome {
            case .good:
                continue
            case .revoked:
                throw .certificateRevoked
            case .unknown:
                throw .revocationUnknown
            case .unavailable(let reasons):
                let what = "revocation status of \(Self.describe(certificate)) unavailable: \(reasons.joined(separator: "; "))"
                if policy == .prefer {
                    report(what + " (tolerated: revocation policy prefer)")
                    continue
                }
                report(what)
                throw .revocationUnavailable
            }
        }
    }

    enum Outcome: Equatable {
        case good
        case revoked
        case unknown
        case unavailable([String])
    }

    func status(of certificate: Certificate, issuer: Certificate, at time: Date) async -> Outcome {
        var reasons = [String]()
        if let url = Self.ocspURL(of: certificate) {
            switch await ocspStatus(of: certificate, issuer: issuer, url: url, at: time) {
            case .success(.good): return .good
            case .success(.revoked): return .revoked
            case .success(.unknown): return .unknown
            case .failure(let reason): reasons.append("OCSP \(url): \(reason)")
            }
        }
        var crls = [(source: String, crl: CertificateRevocationList)]()
        for url in Self.crlURLs(of: certificate) {
            switch await crl(from: url, at: time) {
            case .success(let crl): crls.append((url, crl))
            case .failure(let reason): reasons.append("CRL \(url): \(reason)")
            }
        }
        for crl in configuredCRLs where crl.issuer == issuer.subject {
            crls.append(("a configured CRL file", crl))
        }
        for (source, crl) in crls {
            guard crl.isSigned(by: issuer) else {
                reasons.append("CRL \(source): not signed by the issuer")
                continue
            }
            guard crl.thisUpdate <= time.addingTimeInterval(Self.clockLeeway) else {
                reasons.append("CRL \(source): thisUpdate in the future")
                continue
            }
            if let next = crl.nextUpdate, next < time.addingTimeInterval(-Self.clockLeeway) {
                reasons.append("CRL \(source): past its nextUpdate")
                continue
            }
            return crl.revoked[RevocationDER.magnitude(Array(certificate.serialNumber.bytes))] != nil ? .revoked : .good
        }
        if reasons.isEmpty { reasons.append("the certificate names no OCSP responder or CRL, and no CRL file of its issuer is configured") }
        return .unavailable(reasons)
    }

    private func ocspStatus(of certificate: Certificate, issuer: Certificate, url: String, at time: Date) async -> Result<
        OCSPStatus, RevocationSourceError
    > {
        let id: OCSPCertificateID
        do {
            id = try OCSPCertificateID(certificate: certificate, issuer: issuer)
        } catch {
            return .failure("cannot make the certificate ID")
        }
        if let kept = await cache.ocsp(id, at: time) { return .success(kept) }
        guard let fetcher else { return .failure("no fetcher configured") }
        var nonce = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in nonce.indices { nonce[index] = generator.next() }
        let responseBytes: [UInt8]
        do {
            let request = try OCSPRequestMessage(certificateID: id, nonce: nonce).derEncoded()
            responseBytes = try await fetcher.postOCSPRequest(request, to: url)
        } catch {
            return .failure(RevocationSourceError("no answer (\(error))"))
        }
        let response: OCSPResponseMessage
        do {
            response = try OCSPResponseMessage(derEncoded: responseBytes)
        } catch {
            return .failure("the answer is not an OCSP response")
        }
        guard response.responseStatus == 0, let basic = response.basic else {
            return .failure(RevocationSourceError("responder status \(response.responseStatus)"))
        }
        guard let signer = Self.responderCertificate(of: basic, issuer: issuer, at: time) else {
            return .failure("not signed by the issuer or a responder it authorised")
        }
        guard
            RevocationDER.isValidSignature(
                basic.signature, over: basic.signedBytes, algorithm: basic.signatureAlgorithm, key: signer.publicKey)
        else {
            return .failure("the signature does not verify")
        }
        if let echoed = basic.nonce, echoed != nonce { return .failure("the nonce is not the request's") }
        guard let answer = basic.answers.first(where: { $0.certificateID == id }) else {
            return .failure("no answer for the certificate asked about")
        }
        guard answer.thisUpdate <= time.addingTimeInterval(Self.clockLeeway) else { return .failure("thisUpdate in the future") }
        if let next = answer.nextUpdate {
            guard next >= time.addingTimeInterval(-Self.clockLeeway) else { return .failure("past its nextUpdate") }
            if answer.status != .unknown { await cache.keep(answer.status, for: id, from: answer.thisUpdate, until: next) }
        }
        return .success(answer.status)
    }

    private func crl(from url: String, at time: Date) async -> Result<CertificateRevocationList, RevocationSourceError> {
        if let kept = await cache.crl(url, at: time) { return .success(kept) }
        guard let fetcher else { return .failure("no fetcher configured") }
        let bytes: [UInt8]
        do {
            bytes = try await fetcher.fetchCRL(from: url)
        } catch {
            return .failure(RevocationSourceError("no answer (\(error))"))
        }
        guard let crl = try? CertificateRevocationList(bytes: bytes) else { return .failure("not a CRL") }
        if let next = crl.nextUpdate { await cache.keep(crl, for: url, until: next) }
        return .success(crl)
    }

    /// The issuer when it names itself as responder, else a delegated responder certificate in
    /// the answer: issued and signed by the issuer, OCSPSigning in its extended key usage, valid now.
    private static func responderCertificate(of basic: OCSPResponseMessage.Basic, issuer: Certificate, at time: Date) -> Certificate? {
        func named(_ certificate: Certificate) -> Bool {
            if let name = basic.responderName { return certificate.subject == name }
            if let hash = basic.responderKeyHash { return (try? RevocationDER.keyHash(certificate.publicKey)) == hash }
            return false
        }
        if named(issuer) { return issuer }
        return basic.certificates.first { candidate in
            guard named(candidate), candidate.issuer == issuer.subject,
                issuer.publicKey.isValidSignature(candidate.signature, for: candidate),
                candidate.notValidBefore <= time, time <= candidate.notValidAfter,
                let usage = try? candidate.extensions.extendedKeyUsage, usage.contains(.ocspSigning)
            else { return false }
            return true
        }
    }

    /// The first OCSP responder URL in the certificate's Authority Information Access.
    static func ocspURL(of certificate: Certificate) -> String? {
        guard let access = try? certificate.extensions.authorityInformationAccess else { return nil }
        for description in access where description.method == .ocspServer {
            if case .uniformResourceIdentifier(let url) = description.location { return url }
        }
        return nil
    }

    /// The URLs (http or https) of the certificate's CRL distribution points.
    static func crlURLs(of certificate: Certificate) -> [String] {
        guard let ext = certificate.extensions[oid: RevocationOID.crlDistributionPoints] else { return [] }
        return (try? CRLDistributionPoints.urls(in: Array(ext.value))) ?? []
    }

    static func describe(_ certificate: Certificate) -> String {
        "\(certificate.subject) serial \(certificate.serialNumber)"
    }
}

/// Why one source of revocation status gave no usable answer.
struct RevocationSourceError: Error, ExpressibleByStringLiteral, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
    init(stringLiteral value: String) { description = value }
}

/// OCSP answers per certificate and CRLs per URL, each until its `nextUpdate`.
actor RevocationCache {
    private var answers: [OCSPCertificateID: (status: OCSPStatus, from: Date, until: Date)] = [:]
    private var lists: [String: (crl: CertificateRevocationList, until: Date)] = [:]

    func ocsp(_ id: OCSPCertificateID, at time: Date) -> OCSPStatus? {
        guard let kept = answers[id] else { return nil }
        guard kept.until >= time, kept.from <= time.addingTimeInterval(RevocationChecker.clockLeeway) else {
            answers[id] = nil
            return nil
        }
        return kept.status
    }

    func keep(_ status: OCSPStatus, for id: OCSPCertificateID, from: Date, until: Date) {
        answers[id] = (status, from, until)
    }

    func crl(_ url: String, at time: Date) -> CertificateRevocationList? {
        guard let kept = lists[url] else { return nil }
        guard kept.until >= time else {
            lists[url] = nil
            return nil
        }
        return kept.crl
    }

    func keep(_ crl: CertificateRevocationList, for url: String, until: Date) {
        lists[url] = (crl, until)
    }
}

/// The CRL distribution points extension (RFC 5280 §4.2.1.13), only its full-name URIs.
package enum CRLDistributionPoints {
    /// `SEQUENCE OF DistributionPoint`, each `[0] { [0] GeneralNames }` with URIs as `[6] IA5String`.
    static func urls(in value: [UInt8]) throws -> [String] {
        let root = try DER.parse(value)
        return try DER.sequence(root, identifier: .sequence) { points in
            var urls = [String]()
            while let point = points.next() {
                try DER.sequence(point, identifier: .sequence) { fields in
                    guard let name = fields.next(), name.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific),
                        case .constructed(let choices) = name.content
                    else { return }
                    for choice in choices where choice.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
                        guard case .constructed(let generalNames) = choice.content else { continue }
                        for generalName in generalNames
                        where generalName.identifier == ASN1Identifier(tagWithNumber: 6, tagClass: .contextSpecific) {
                            if case .primitive(let bytes) = generalName.content, let url = String(bytes: bytes, encoding: .utf8) {
                                urls.append(url)
                            }
                        }
                    }
                    while fields.next() != nil {}
                }
            }
            return urls
        }
    }

    /// The extension's value for one URL.
    package static func value(url: String) throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { coder in
                    try coder.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { coder in
                        coder.appendPrimitiveNode(identifier: ASN1Identifier(tagWithNumber: 6, tagClass: .contextSpecific)) {
                            $0.append(contentsOf: Array(url.utf8))
                        }
                    }
                }
            }
        }
        return coder.serializedBytes
    }
}
