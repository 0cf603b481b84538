import Foundation
import SwiftASN1
import X509

/// A certificate revocation list (RFC 5280 §5), read minimally: swift-certificates has no CRL
/// type. Only what the checker needs is kept: the issuer, the update times, the revoked serials
/// and the signature over `tbsCertList`. Entry and CRL extensions are skipped, except that a
/// critical CRL extension this code does not know makes the list unusable (RFC 5280 §5.2).
package struct CertificateRevocationList: Sendable {
    var issuer: DistinguishedName
    var thisUpdate: Date
    var nextUpdate: Date?
    /// Serial magnitudes (no leading zero bytes) with their revocation dates.
    var revoked: [[UInt8]: Date]
    var signedBytes: [UInt8]
    var signatureAlgorithm: ASN1ObjectIdentifier
    var signature: [UInt8]

    /// Parses DER, or PEM (`-----BEGIN X509 CRL-----`).
    init(bytes: [UInt8]) throws {
        if let text = String(bytes: bytes, encoding: .utf8), text.contains("-----BEGIN X509 CRL-----") {
            let document = try PEMDocument(pemString: text)
            guard document.discriminator == "X509 CRL" else { throw ASN1Error.invalidASN1Object(reason: "PEM is not a CRL") }
            try self.init(der: document.derBytes)
        } else {
            try self.init(der: bytes)
        }
    }

    init(der: [UInt8]) throws {
        let root = try DER.parse(der)
        self = try DER.sequence(root, identifier: .sequence) { nodes in
            guard let tbs = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "tbsCertList") }
            let algorithm = try RevocationDER.algorithm(nodes.next())
            let signature = try ASN1BitString(derEncoded: &nodes)
            var issuer: DistinguishedName?
            var thisUpdate = Date(timeIntervalSince1970: 0)
            var nextUpdate: Date?
            var revoked = [[UInt8]: Date]()
            try DER.sequence(tbs, identifier: .sequence) { nodes in
                var node = nodes.next()
                if let version = node, version.identifier == .integer {
                    guard try Int(derEncoded: version) == 1 else { throw ASN1Error.invalidASN1Object(reason: "CRL version") }
                    node = nodes.next()
                }
                _ = try RevocationDER.algorithm(node)
                guard let issuerNode = nodes.next(), let thisNode = nodes.next() else {
                    throw ASN1Error.invalidASN1Object(reason: "TBSCertList")
                }
                issuer = try DistinguishedName(derEncoded: issuerNode)
                thisUpdate = try RevocationDER.time(thisNode)
                node = nodes.next()
                if let next = node, next.identifier == UTCTime.defaultIdentifier || next.identifier == GeneralizedTime.defaultIdentifier {
                    nextUpdate = try RevocationDER.time(next)
                    node = nodes.next()
                }
                if let list = node, list.identifier == .sequence {
                    try DER.sequence(list, identifier: .sequence) { entries in
                        while let entry = entries.next() {
                            try DER.sequence(entry, identifier: .sequence) { fields in
                                let serial = try ArraySlice<UInt8>(derEncoded: &fields)
                                guard let dateNode = fields.next() else { throw ASN1Error.invalidASN1Object(reason: "revocationDate") }
                                revoked[RevocationDER.magnitude(Array(serial))] = try RevocationDER.time(dateNode)
                                while fields.next() != nil {}
                            }
                        }
                    }
                    node = nodes.next()
                }
                if let extensionsNode = node {
                    let extensions = try DER.explicitlyTagged(extensionsNode, tagNumber: 0, tagClass: .contextSpecific) {
                        try RevocationDER.extensions($0)
                    }
                    // Known: authorityKeyIdentifier (2.5.29.35), cRLNumber (2.5.29.20).
                    let known: [ASN1ObjectIdentifier] = [[2, 5, 29, 35], [2, 5, 29, 20]]
                    if extensions.contains(where: { $0.critical && !known.contains($0.oid) }) {
                        throw ASN1Error.invalidASN1Object(reason: "unknown critical CRL extension")
                    }
                }
            }
            guard let issuer else { throw ASN1Error.invalidASN1Object(reason: "issuer") }
            return CertificateRevocationList(
                issuer: issuer, thisUpdate: thisUpdate, nextUpdate: nextUpdate, revoked: revoked,
                signedBytes: Array(tbs.encodedBytes), signatureAlgorithm: algorithm, signature: Array(signature.bytes))
        }
    }

    private init(
        issuer: DistinguishedName, thisUpdate: Date, nextUpdate: Date?, revoked: [[UInt8]: Date], signedBytes: [UInt8],
        signatureAlgorithm: ASN1ObjectIdentifier, signature: [UInt8]
    ) {
        self.issuer = issuer
        self.thisUpdate = thisUpdate
        self.nextUpdate = nextUpdate
        self.revoked = revoked
        self.signedBytes = signedBytes
        self.signatureAlgorithm = signatureAlgorithm
        self.signature = signature
    }

    /// Whether `issuer` signed it (by name and key).
    func isSigned(by issuer: Certificate) -> Bool {
        self.issuer == issuer.subject
            && RevocationDER.isValidSignature(signature, over: signedBytes, algorithm: signatureAlgorithm, key: issuer.publicKey)
    }

    /// A v2 CRL signed with sha256WithRSAEncryption, for the test PKI.
    package static func make(
        issuer: Certificate, key: Certificate.PrivateKey, revoked: [(serial: [UInt8], at: Date)], thisUpdate: Date, nextUpdate: Date
    ) throws -> [UInt8] {
        var tbs = DER.Serializer()
        try tbs.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)
            try RevocationDER.serializeAlgorithm(RevocationOID.sha256WithRSA, into: &coder)
            try coder.serialize(issuer.subject)
            try coder.serialize(try RevocationDER.utcTime(thisUpdate))
            try coder.serialize(try RevocationDER.utcTime(nextUpdate))
            if !revoked.isEmpty {
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    for entry in revoked {
                        try coder.appendConstructedNode(identifier: .sequence) { coder in
                            let serial = RevocationDER.magnitude(entry.serial)
                            try coder.serialize(serial.isEmpty ? [0][...] : serial[...])
                            try coder.serialize(try RevocationDER.utcTime(entry.at))
                        }
                    }
                }
            }
        }
        let tbsBytes = tbs.serializedBytes
        let signature = try key.sign(bytes: tbsBytes, signatureAlgorithm: .sha256WithRSAEncryption)
        var list = DER.Serializer()
        try list.appendConstructedNode(identifier: .sequence) { coder in
            coder.serializeRawBytes(tbsBytes)
            try RevocationDER.serializeAlgorithm(RevocationOID.sha256WithRSA, into: &coder)
            try coder.serialize(ASN1BitString(bytes: signature.rawRepresentation[...]))
        }
        return list.serializedBytes
    }
}
