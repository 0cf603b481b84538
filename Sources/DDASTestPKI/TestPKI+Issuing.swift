import DDASSignature
import Foundation
import X509
import _CryptoExtras

extension TestPKI {
    /// Issues a CA certificate; self-signed when `issuer` is nil.
    static func issueAuthority(
        _ commonName: String, key: _RSA.Signing.PrivateKey, issuer: Certificate?, issuerKey: _RSA.Signing.PrivateKey,
        from start: Date, until end: Date, revocationBaseURL: String? = nil
    ) throws(KeyMaterialError) -> Certificate {
        try issue(
            commonName, publicKey: Certificate.PublicKey(key.publicKey), issuer: issuer, issuerKey: issuerKey,
            from: start, until: end,
            basicConstraints: .isCertificateAuthority(maxPathLength: issuer == nil ? nil : 0),
            keyUsage: KeyUsage(keyCertSign: true, cRLSign: true), revocationBaseURL: revocationBaseURL)
    }

    /// Issues a signing certificate: not a CA, key usage digitalSignature and nonRepudiation, and
    /// the OIN, when given, in the subject serialNumber.
    static func issueLeaf(
        _ commonName: String, key: _RSA.Signing.PrivateKey, issuer: Certificate, issuerKey: _RSA.Signing.PrivateKey,
        from start: Date, until end: Date, oin: String? = nil, revocationBaseURL: String? = nil
    ) throws(KeyMaterialError) -> Certificate {
        try issue(
            commonName, publicKey: Certificate.PublicKey(key.publicKey), issuer: issuer, issuerKey: issuerKey,
            from: start, until: end, basicConstraints: .notCertificateAuthority,
            keyUsage: KeyUsage(digitalSignature: true, nonRepudiation: true), serialNumber: oin,
            revocationBaseURL: revocationBaseURL)
    }

    /// Issues one certificate with sha256WithRSAEncryption, critical basic constraints and key usage,
    /// and key identifiers; the subject is `CN=<commonName>,O=DDAS Test,C=NL`, with
    /// `serialNumber=<serialNumber>` between O and CN when given (as PKIoverheid puts the OIN).
    static func issue(
        _ commonName: String, publicKey: Certificate.PublicKey, issuer: Certificate?,
        issuerKey: _RSA.Signing.PrivateKey, from start: Date, until end: Date,
        basicConstraints: BasicConstraints, keyUsage: KeyUsage, serialNumber: String? = nil, revocationBaseURL: String? = nil
    ) throws(KeyMaterialError) -> Certificate {
        do {
            var names = [try CountryName("NL").makeRDN(), try OrganizationName("DDAS Test").makeRDN()]
            if let serialNumber {
                names.append(RelativeDistinguishedName(try .init(type: SubjectOIN.serialNumber, printableString: serialNumber)))
            }
            names.append(try CommonName(commonName).makeRDN())
            let subject = DistinguishedName(names)
            let signingKey = Certificate.PrivateKey(issuerKey)
            let authorityKeyID = SubjectKeyIdentifier(hash: signingKey.publicKey).keyIdentifier
            var extensions = try Certificate.Extensions([
                Certificate.Extension(basicConstraints, critical: true),
                Certificate.Extension(keyUsage, critical: true),
                Certificate.Extension(SubjectKeyIdentifier(hash: publicKey), critical: false),
                Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: authorityKeyID), critical: false),
            ])
            if let revocationBaseURL, let issuer {
                for pointer in try revocationExtensions(base: revocationBaseURL, issuer: issuer) { try extensions.append(pointer) }
            }
            return try Certificate(
                version: .v3,
                serialNumber: Certificate.SerialNumber(),
                publicKey: publicKey,
                notValidBefore: start,
                notValidAfter: end,
                issuer: issuer?.subject ?? subject,
                subject: subject,
                signatureAlgorithm: .sha256WithRSAEncryption,
                extensions: extensions,
                issuerPrivateKey: signingKey)
        } catch {
            throw .signingFailed
        }
    }
}
