import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

// Why the OCSP messages are written here, with SwiftASN1, rather than taken from swift-certificates:
// swift-certificates 1.21.1 has OCSP, but only `OCSPVerifierPolicy` and `OCSPRequester` are
// public; `OCSPRequest`, `OCSPResponse`, `BasicOCSPResponse`, `OCSPCertID` and `OCSPNonce` are
// internal. The policy fetches, checks the nonce (only when the response carries one), and
// answers `meetsPolicy`/`failsToMeetPolicy(reason:)` as text: it cannot tell revoked from unknown
// from unreachable but by parsing its reason strings, it allows 75 minutes of leeway on
// nextUpdate, it cannot cache (a cached answer fails its nonce check) and it does no CRLs. So the
// checker uses swift-certificates for certificates, names, the AIA extension, extended key
// usage, key identifiers and chain signatures, and keeps the few OCSP structures of RFC 6960
// that it needs (the request, the basic response) small and here. The same structures serve
// the test PKI's responder.

/// Object identifiers of RFC 6960 and RFC 5280 that swift-certificates does not name publicly.
package enum RevocationOID {
    static let sha1: ASN1ObjectIdentifier = [1, 3, 14, 3, 2, 26]
    static let ocspBasic: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 48, 1, 1]
    static let ocspNonce: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 48, 1, 2]
    package static let crlDistributionPoints: ASN1ObjectIdentifier = [2, 5, 29, 31]
    static let sha256WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 11]
    static let sha384WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 12]
    static let sha512WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 13]
    static let ecdsaSHA256: ASN1ObjectIdentifier = [1, 2, 840, 10_045, 4, 3, 2]
    static let ecdsaSHA384: ASN1ObjectIdentifier = [1, 2, 840, 10_045, 4, 3, 3]
    static let ecdsaSHA512: ASN1ObjectIdentifier = [1, 2, 840, 10_045, 4, 3, 4]
}

/// An OCSP `CertID` (RFC 6960 §4.1.1) with SHA-1, as RFC 5019 asks of clients and every
/// responder understands.
package struct OCSPCertificateID: Hashable, Sendable {
    package var issuerNameHash: [UInt8]
    package var issuerKeyHash: [UInt8]
    /// The serial number's magnitude, without leading zero bytes.
    package var serial: [UInt8]

    init(issuerNameHash: [UInt8], issuerKeyHash: [UInt8], serial: [UInt8]) {
        self.issuerNameHash = issuerNameHash
        self.issuerKeyHash = issuerKeyHash
        self.serial = RevocationDER.magnitude(serial)
    }

    /// The ID of `certificate` as issued by `issuer`.
    init(certificate: Certificate, issuer: Certificate) throws {
        self.init(
            issuerNameHash: try RevocationDER.nameHash(issuer.subject),
            issuerKeyHash: try RevocationDER.keyHash(issuer.publicKey),
            serial: Array(certificate.serialNumber.bytes))
    }

    init(derEncoded node: ASN1Node) throws {
        self = try DER.sequence(node, identifier: .sequence) { nodes in
            let algorithm = try RevocationDER.algorithm(nodes.next())
            guard algorithm == RevocationOID.sha1 else {
                throw ASN1Error.invalidASN1Object(reason: "CertID hash algorithm")
            }
            let nameHash = try ASN1OctetString(derEncoded: &nodes)
            let keyHash = try ASN1OctetString(derEncoded: &nodes)
            let serial = try ArraySlice<UInt8>(derEncoded: &nodes)
            return OCSPCertificateID(
                issuerNameHash: Array(nameHash.bytes), issuerKeyHash: Array(keyHash.bytes), serial: Array(serial))
        }
    }

    func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try RevocationDER.serializeAlgorithm(RevocationOID.sha1, into: &coder)
            try coder.serialize(ASN1OctetString(contentBytes: issuerNameHash[...]))
            try coder.serialize(ASN1OctetString(contentBytes: issuerKeyHash[...]))
            try coder.serialize(serial.isEmpty ? [0][...] : serial[...])
        }
    }
}

/// An OCSP request for one certificate, optionally with a nonce (RFC 6960 §4.1, RFC 8954).
package struct OCSPRequestMessage: Sendable {
    package var certificateID: OCSPCertificateID
    package var nonce: [UInt8]?

    init(certificateID: OCSPCertificateID, nonce: [UInt8]?) {
        self.certificateID = certificateID
        self.nonce = nonce
    }

    /// Parses a request; only its first certificate is read.
    package init(derEncoded bytes: [UInt8]) throws {
        let root = try DER.parse(bytes)
        self = try DER.sequence(root, identifier: .sequence) { nodes in
            guard let tbs = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "OCSPRequest") }
            while nodes.next() != nil {}
            return try DER.sequence(tbs, identifier: .sequence) { nodes in
                _ = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { $0 }
                _ = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 1, tagClass: .contextSpecific) { $0 }
                guard let list = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "requestList") }
                let certificateID = try DER.sequence(list, identifier: .sequence) { requests in
                    guard let first = requests.next() else { throw ASN1Error.invalidASN1Object(reason: "empty requestList") }
                    while requests.next() != nil {}
                    return try DER.sequence(first, identifier: .sequence) { request in
                        guard let id = request.next() else { throw ASN1Error.invalidASN1Object(reason: "reqCert") }
                        while request.next() != nil {}
                        return try OCSPCertificateID(derEncoded: id)
                    }
                }
                let extensions = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 2, tagClass: .contextSpecific) {
                    try RevocationDER.extensions($0)
                }
                let nonce = try extensions?.first { $0.oid == RevocationOID.ocspNonce }.map { try RevocationDER.nonce(from: $0.value) }
                return OCSPRequestMessage(certificateID: certificateID, nonce: nonce)
            }
        }
    }

    func derEncoded() throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    try coder.appendConstructedNode(identifier: .sequence) { coder in
                        try certificateID.serialize(into: &coder)
                    }
                }
                if let nonce {
                    try coder.serialize(explicitlyTaggedWithTagNumber: 2, tagClass: .contextSpecific) { coder in
                        try coder.appendConstructedNode(identifier: .sequence) { coder in
                            try RevocationDER.serializeExtension(
                                oid: RevocationOID.ocspNonce, value: RevocationDER.nonceValue(nonce), into: &coder)
                        }
                    }
                }
            }
        }
        return coder.serializedBytes
    }
}

/// A certificate's status in one OCSP answer.
package enum OCSPStatus: Hashable, Sendable {
    case good
    case revoked(at: Date)
    case unknown
}

/// One `SingleResponse`.
package struct OCSPSingleAnswer: Sendable {
    var certificateID: OCSPCertificateID
    var status: OCSPStatus
    var thisUpdate: Date
    var nextUpdate: Date?

    package init(certificateID: OCSPCertificateID, status: OCSPStatus, thisUpdate: Date, nextUpdate: Date?) {
        self.certificateID = certificateID
        self.status = status
        self.thisUpdate = thisUpdate
        self.nextUpdate = nextUpdate
    }
}

/// A parsed OCSP response: its status and, when successful, the basic response's parts.
package struct OCSPResponseMessage: Sendable {
    /// `OCSPResponseStatus` (0 successful, 1 malformedRequest, 2 internalError, 3 tryLater, 5 sigRequired, 6 unauthorized).
    var responseStatus: Int
    var basic: Basic?

    struct Basic: Sendable {
        /// The DER of `tbsResponseData`, as signed.
        var signedBytes: [UInt8]
        var signatureAlgorithm: ASN1ObjectIdentifier
        var signature: [UInt8]
        var certificates: [Certificate]
        var responderName: DistinguishedName?
        var responderKeyHash: [UInt8]?
        var producedAt: Date
        var answers: [OCSPSingleAnswer]
        var nonce: [UInt8]?
    }

    package init(derEncoded bytes: [UInt8]) throws {
        let root = try DER.parse(bytes)
        self = try DER.sequence(root, identifier: .sequence) { nodes in
            guard let statusNode = nodes.next(), statusNode.identifier == .enumerated,
                case .primitive(let statusBytes) = statusNode.content, statusBytes.count == 1
            else { throw ASN1Error.invalidASN1Object(reason: "responseStatus") }
            let basic = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { node in
                try DER.sequence(node, identifier: .sequence) { inner in
                    let type = try ASN1ObjectIdentifier(derEncoded: &inner)
                    guard type == RevocationOID.ocspBasic else { throw ASN1Error.invalidASN1Object(reason: "responseType") }
                    let octets = try ASN1OctetString(derEncoded: &inner)
                    return try Self.parseBasic(Array(octets.bytes))
                }
            }
            return OCSPResponseMessage(responseStatus: Int(statusBytes.first!), basic: basic)
        }
    }

    private init(responseStatus: Int, basic: Basic?) {
        self.responseStatus = responseStatus
        self.basic = basic
    }

    private static func parseBasic(_ bytes: [UInt8]) throws -> Basic {
        let root = try DER.parse(bytes)
        return try DER.sequence(root, identifier: .sequence) { nodes in
            guard let tbs = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "tbsResponseData") }
            let algorithm = try RevocationDER.algorithm(nodes.next())
            let signature = try ASN1BitString(derEncoded: &nodes)
            let certificates =
                try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { node in
                    try DER.sequence(of: Certificate.self, identifier: .sequence, rootNode: node)
                } ?? []
            var basic = Basic(
                signedBytes: Array(tbs.encodedBytes), signatureAlgorithm: algorithm, signature: Array(signature.bytes),
                certificates: certificates, producedAt: Date(timeIntervalSince1970: 0), answers: [])
            try DER.sequence(tbs, identifier: .sequence) { nodes in
                if let version = try DER.optionalExplicitlyTagged(
                    &nodes, tagNumber: 0, tagClass: .contextSpecific, { try Int(derEncoded: $0) }),
                    version != 0
                {
                    throw ASN1Error.invalidASN1Object(reason: "ResponseData version")
                }
                guard let responder = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "responderID") }
                if responder.identifier == ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific) {
                    basic.responderName = try DER.explicitlyTagged(responder, tagNumber: 1, tagClass: .contextSpecific) {
                        try DistinguishedName(derEncoded: $0)
                    }
                } else if responder.identifier == ASN1Identifier(tagWithNumber: 2, tagClass: .contextSpecific) {
                    basic.responderKeyHash = try DER.explicitlyTagged(responder, tagNumber: 2, tagClass: .contextSpecific) {
                        Array(try ASN1OctetString(derEncoded: $0).bytes)
                    }
                } else {
                    throw ASN1Error.invalidASN1Object(reason: "responderID")
                }
                basic.producedAt = RevocationDER.date(try GeneralizedTime(derEncoded: &nodes))
                guard let list = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "responses") }
                basic.answers = try DER.sequence(list, identifier: .sequence) { items in
                    var answers = [OCSPSingleAnswer]()
                    while let item = items.next() { answers.append(try Self.parseSingle(item)) }
                    return answers
                }
                let extensions = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 1, tagClass: .contextSpecific) {
                    try RevocationDER.extensions($0)
                }
                basic.nonce = try extensions?.first { $0.oid == RevocationOID.ocspNonce }.map { try RevocationDER.nonce(from: $0.value) }
            }
            return basic
        }
    }

    private static func parseSingle(_ node: ASN1Node) throws -> OCSPSingleAnswer {
        try DER.sequence(node, identifier: .sequence) { nodes in
            guard let idNode = nodes.next(), let statusNode = nodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "SingleResponse")
            }
            let id = try OCSPCertificateID(derEncoded: idNode)
            let status: OCSPStatus
            switch (statusNode.identifier.tagClass, statusNode.identifier.tagNumber) {
            case (.contextSpecific, 0): status = .good
            case (.contextSpecific, 1):
                status = try DER.sequence(statusNode, identifier: statusNode.identifier) { info in
                    let time = try GeneralizedTime(derEncoded: &info)
                    while info.next() != nil {}
                    return .revoked(at: RevocationDER.date(time))
                }
            case (.contextSpecific, 2): status = .unknown
            default: throw ASN1Error.invalidASN1Object(reason: "certStatus")
            }
            let thisUpdate = try GeneralizedTime(derEncoded: &nodes)
            let nextUpdate = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) {
                try GeneralizedTime(derEncoded: $0)
            }
            while nodes.next() != nil {}
            return OCSPSingleAnswer(
                certificateID: id, status: status, thisUpdate: RevocationDER.date(thisUpdate),
                nextUpdate: nextUpdate.map(RevocationDER.date))
        }
    }

    /// An unsuccessful response: only its status (e.g. 1 malformedRequest, 6 unauthorized).
    package static func unsuccessful(_ status: UInt8) -> [UInt8] {
        // SEQUENCE { ENUMERATED status }
        [0x30, 0x03, 0x0A, 0x01, status]
    }

    /// A successful response signed by `signer` (the issuer or a delegated responder), naming
    /// the responder by its subject; `certificates` go along (a delegated responder's certificate).
    package static func successful(
        answers: [OCSPSingleAnswer], nonce: [UInt8]?, producedAt: Date, responderName: DistinguishedName,
        signer: Certificate.PrivateKey, certificates: [Certificate] = []
    ) throws -> [UInt8] {
        var tbs = DER.Serializer()
        try tbs.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(explicitlyTaggedWithTagNumber: 1, tagClass: .contextSpecific) { coder in
                try coder.serialize(responderName)
            }
            try coder.serialize(try RevocationDER.generalizedTime(producedAt))
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                for answer in answers {
                    try coder.appendConstructedNode(identifier: .sequence) { coder in
                        try answer.certificateID.serialize(into: &coder)
                        switch answer.status {
                        case .good:
                            coder.appendPrimitiveNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { _ in }
                        case .revoked(let at):
                            try coder.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific)) {
                                coder in
                                try coder.serialize(try RevocationDER.generalizedTime(at))
                            }
                        case .unknown:
                            coder.appendPrimitiveNode(identifier: ASN1Identifier(tagWithNumber: 2, tagClass: .contextSpecific)) { _ in }
                        }
                        try coder.serialize(try RevocationDER.generalizedTime(answer.thisUpdate))
                        if let next = answer.nextUpdate {
                            try coder.serialize(
                                try RevocationDER.generalizedTime(next), explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific)
                        }
                    }
                }
            }
            if let nonce {
                try coder.serialize(explicitlyTaggedWithTagNumber: 1, tagClass: .contextSpecific) { coder in
                    try coder.appendConstructedNode(identifier: .sequence) { coder in
                        try RevocationDER.serializeExtension(
                            oid: RevocationOID.ocspNonce, value: RevocationDER.nonceValue(nonce), into: &coder)
                    }
                }
            }
        }
        let tbsBytes = tbs.serializedBytes
        let signature = try signer.sign(bytes: tbsBytes, signatureAlgorithm: .sha256WithRSAEncryption)
        var basic = DER.Serializer()
        try basic.appendConstructedNode(identifier: .sequence) { coder in
            coder.serializeRawBytes(tbsBytes)
            try RevocationDER.serializeAlgorithm(RevocationOID.sha256WithRSA, into: &coder)
            try coder.serialize(ASN1BitString(bytes: signature.rawRepresentation[...]))
            if !certificates.isEmpty {
                try coder.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { coder in
                    try coder.serializeSequenceOf(certificates)
                }
            }
        }
        var response = DER.Serializer()
        try response.appendConstructedNode(identifier: .sequence) { coder in
            coder.appendPrimitiveNode(identifier: .enumerated) { $0.append(0) }
            try coder.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { coder in
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    try coder.serialize(RevocationOID.ocspBasic)
                    try coder.serialize(ASN1OctetString(contentBytes: basic.serializedBytes[...]))
                }
            }
        }
        return response.serializedBytes
    }
}

/// DER helpers shared by the OCSP and CRL code.
package enum RevocationDER {
    /// SHA-1 of the DER of a name (`issuerNameHash`).
    package static func nameHash(_ name: DistinguishedName) throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.serialize(name)
        return Array(Insecure.SHA1.hash(data: coder.serializedBytes))
    }

    /// SHA-1 of the subjectPublicKey BIT STRING's value (`issuerKeyHash`, and `byKey` responder IDs).
    package static func keyHash(_ key: Certificate.PublicKey) throws -> [UInt8] {
        Array(Insecure.SHA1.hash(data: key.subjectPublicKeyInfoBytes))
    }

    /// The bytes of an INTEGER's magnitude without leading zeros.
    package static func magnitude(_ bytes: [UInt8]) -> [UInt8] {
        Array(bytes.drop { $0 == 0 })
    }

    static func serializeAlgorithm(_ oid: ASN1ObjectIdentifier, into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(oid)
            try coder.serialize(ASN1Null())
        }
    }

    static func algorithm(_ node: ASN1Node?) throws -> ASN1ObjectIdentifier {
        guard let node else { throw ASN1Error.invalidASN1Object(reason: "AlgorithmIdentifier") }
        return try DER.sequence(node, identifier: .sequence) { nodes in
            let oid = try ASN1ObjectIdentifier(derEncoded: &nodes)
            while nodes.next() != nil {}
            return oid
        }
    }

    static func serializeExtension(oid: ASN1ObjectIdentifier, value: [UInt8], into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(oid)
            try coder.serialize(ASN1OctetString(contentBytes: value[...]))
        }
    }

    /// `Extensions ::= SEQUENCE OF Extension`, as (oid, critical, value).
    static func extensions(_ node: ASN1Node) throws -> [(oid: ASN1ObjectIdentifier, critical: Bool, value: [UInt8])] {
        try DER.sequence(node, identifier: .sequence) { nodes in
            var result = [(oid: ASN1ObjectIdentifier, critical: Bool, value: [UInt8])]()
            while let item = nodes.next() {
                result.append(
                    try DER.sequence(item, identifier: .sequence) { inner in
                        let oid = try ASN1ObjectIdentifier(derEncoded: &inner)
                        var critical = false
                        var next = inner.next()
                        if let node = next, node.identifier == .boolean {
                            critical = try Bool(derEncoded: node)
                            next = inner.next()
                        }
                        guard let valueNode = next else { throw ASN1Error.invalidASN1Object(reason: "extnValue") }
                        return (oid, critical, Array(try ASN1OctetString(derEncoded: valueNode).bytes))
                    })
            }
            return result
        }
    }

    /// The nonce extension's value: the DER of an OCTET STRING holding the nonce (RFC 8954).
    static func nonceValue(_ nonce: [UInt8]) throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.serialize(ASN1OctetString(contentBytes: nonce[...]))
        return coder.serializedBytes
    }

    /// The nonce in an extension value; a responder that put the bare bytes there (as older
    /// ones do) is read as such.
    static func nonce(from value: [UInt8]) throws -> [UInt8] {
        if let node = try? DER.parse(value), let octets = try? ASN1OctetString(derEncoded: node) {
            return Array(octets.bytes)
        }
        return value
    }

    static func date(_ time: GeneralizedTime) -> Date {
        var components = DateComponents()
        components.year = time.year
        components.month = time.month
        components.day = time.day
        components.hour = time.hours
        components.minute = time.minutes
        components.second = time.seconds
        return utc.date(from: components)!.addingTimeInterval(time.fractionalSeconds)
    }

    static func date(_ time: UTCTime) -> Date {
        var components = DateComponents()
        components.year = time.year
        components.month = time.month
        components.day = time.day
        components.hour = time.hours
        components.minute = time.minutes
        components.second = time.seconds
        return utc.date(from: components)!
    }

    static func generalizedTime(_ date: Date) throws -> GeneralizedTime {
        let c = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return try GeneralizedTime(
            year: c.year!, month: c.month!, day: c.day!, hours: c.hour!, minutes: c.minute!, seconds: c.second!, fractionalSeconds: 0)
    }

    static func utcTime(_ date: Date) throws -> UTCTime {
        let c = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return try UTCTime(year: c.year!, month: c.month!, day: c.day!, hours: c.hour!, minutes: c.minute!, seconds: c.second!)
    }

    /// A `Time` (UTCTime or GeneralizedTime) from the iterator.
    static func time(_ node: ASN1Node) throws -> Date {
        if node.identifier == UTCTime.defaultIdentifier { return date(try UTCTime(derEncoded: node)) }
        return date(try GeneralizedTime(derEncoded: node))
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// Whether `signature` over `bytes` is valid under `key` with the given algorithm: RSA
    /// PKCS#1 v1.5 or ECDSA with SHA-256/384/512, the algorithms of PKIoverheid.
    static func isValidSignature(_ signature: [UInt8], over bytes: [UInt8], algorithm: ASN1ObjectIdentifier, key: Certificate.PublicKey)
        -> Bool
    {
        switch algorithm {
        case RevocationOID.sha256WithRSA, RevocationOID.sha384WithRSA, RevocationOID.sha512WithRSA:
            guard let rsa = _RSA.Signing.PublicKey(key) else { return false }
            let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
            switch algorithm {
            case RevocationOID.sha256WithRSA:
                return rsa.isValidSignature(rsaSignature, for: SHA256.hash(data: bytes), padding: .insecurePKCS1v1_5)
            case RevocationOID.sha384WithRSA:
                return rsa.isValidSignature(rsaSignature, for: SHA384.hash(data: bytes), padding: .insecurePKCS1v1_5)
            default:
                return rsa.isValidSignature(rsaSignature, for: SHA512.hash(data: bytes), padding: .insecurePKCS1v1_5)
            }
        case RevocationOID.ecdsaSHA256:
            return isValidECDSA(signature, key: key, digest: SHA256.hash(data: bytes))
        case RevocationOID.ecdsaSHA384:
            return isValidECDSA(signature, key: key, digest: SHA384.hash(data: bytes))
        case RevocationOID.ecdsaSHA512:
            return isValidECDSA(signature, key: key, digest: SHA512.hash(data: bytes))
        default:
            return false
        }
    }

    private static func isValidECDSA(_ signature: [UInt8], key: Certificate.PublicKey, digest: some Digest) -> Bool {
        if let p256 = P256.Signing.PublicKey(key), let s = try? P256.Signing.ECDSASignature(derRepresentation: signature) {
            return p256.isValidSignature(s, for: digest)
        }
        if let p384 = P384.Signing.PublicKey(key), let s = try? P384.Signing.ECDSASignature(derRepresentation: signature) {
            return p384.isValidSignature(s, for: digest)
        }
        if let p521 = P521.Signing.PublicKey(key), let s = try? P521.Signing.ECDSASignature(derRepresentation: signature) {
            return p521.isValidSignature(s, for: digest)
        }
        return false
    }
}
