import Crypto
import DDASSignature
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// A complete test PKI for DDAS payload signatures, made on the spot: never for production.
///
/// - "DDAS Test Root CA" (10 years) issues "DDAS Test Intermediate CA" (10 years, path length 0),
///   which issues the signing certificates (2 years, key usage digitalSignature + nonRepudiation):
///   `leverancier` ("DDAS Test Leverancier", for the supplier simulator's responses) and `cbs`
///   ("DDAS Test CBS", for requests).
/// - For fault tests: `verlopen`, a supplier signing certificate from the same intermediate whose
///   validity lies wholly in the past, and `onbekend`, a signing certificate under a second,
///   independent root and intermediate ("DDAS Onbekende Root CA") that no verifier trusts.
/// - Every signing certificate carries an OIN in its subject serialNumber, as PKIoverheid
///   organisation certificates do: `leverancierOIN` (also in `verlopen` and `onbekend`, a
///   supplier's old certificate and an impostor's), `cbsOIN`. The OINs are made up, all starting
///   with `00000099`, and belong to no organisation. `makeIdentity` issues more, e.g. for
///   further suppliers or a "wrong OIN" from the trusted intermediate.
///
/// Every certificate starts an hour before `issuedAt`, to allow for clocks that run behind. Keys
/// are RSA 2048, one per certificate, generated in parallel.
public struct TestPKI: Sendable {
    /// A signing key with its certificate chain (signing certificate, then intermediate).
    public struct Identity: Sendable {
        /// The RSA signing key.
        public let privateKey: _RSA.Signing.PrivateKey
        /// The signing certificate and the intermediate that issued it.
        public let certificateChain: [Certificate]

        /// The signing certificate.
        public var certificate: Certificate { certificateChain[0] }

        /// The key as PKCS#8 PEM.
        public var privateKeyPEM: String { privateKey.pkcs8PEMRepresentation }

        /// The chain as a PEM bundle, signing certificate first.
        public func certificateChainPEM() throws(KeyMaterialError) -> String {
            try PEMBundle.pem(of: certificateChain)
        }

        /// The OIN in the signing certificate's subject serialNumber, when it carries one.
        public var oin: String? { SubjectOIN.of(certificate) }

        /// Lower-case hex SHA-256 of the signing certificate's DER, as `SignerExpectation` lists it.
        public func fingerprint() throws(KeyMaterialError) -> String {
            let der: [UInt8]
            do {
                var serializer = DER.Serializer()
                try serializer.serialize(certificate)
                der = serializer.serializedBytes
            } catch {
                throw .certificateMalformed
            }
            return SHA256.hash(data: der).map { String(format: "%02x", $0) }.joined()
        }

        /// A signer with this key and chain, signing in `profile`.
        public func signer(
            keyID: String, profile: SigningProfile = .standard, now: @escaping @Sendable () -> Date = { Date() }
        ) throws(KeyMaterialError) -> PayloadSigner {
            try PayloadSigner(privateKey: privateKey, certificateChain: certificateChain, keyID: keyID, profile: profile, now: now)
        }
    }

    /// The moment the PKI was made for; validity periods count from here.
    public let issuedAt: Date
    /// The trusted root.
    public let root: Certificate
    /// The intermediate under the trusted root.
    public let intermediate: Certificate
    /// The intermediate's key, to issue further test certificates with `issueSigningCertificate`.
    public let intermediateKey: _RSA.Signing.PrivateKey
    /// The root's key, for the revocation responder's answers about the intermediate.
    public let rootKey: _RSA.Signing.PrivateKey
    /// The supplier's signing identity ("DDAS Test Leverancier").
    public let leverancier: Identity
    /// CBS's signing identity ("DDAS Test CBS").
    public let cbs: Identity
    /// A supplier signing identity whose certificate has expired.
    public let verlopen: Identity
    /// A signing identity under a root no one trusts.
    public let onbekend: Identity
    /// The root of `onbekend`.
    public let onbekendRoot: Certificate

    /// The test OIN of the supplier ("DDAS Test Leverancier", and `verlopen` and `onbekend`).
    public static let leverancierOIN = "00000099000000000001"
    /// The test OIN of CBS ("DDAS Test CBS").
    public static let cbsOIN = "00000099000000000002"

    /// A made-up OIN for test number `number` (0 to 999 999 999 999): `00000099` and the number
    /// in 12 digits. 1 and 2 are the supplier's and CBS's; take others for further parties.
    public static func testOIN(_ number: Int) -> String {
        let digits = String(max(0, min(number, 999_999_999_999)))
        return "00000099" + String(repeating: "0", count: 12 - digits.count) + digits
    }

    /// Lifetime of the roots and intermediates.
    public static let authorityLifetime: TimeInterval = 10 * 365 * 86_400
    /// Lifetime of the signing certificates.
    public static let signingLifetime: TimeInterval = 2 * 365 * 86_400
    /// How far before `issuedAt` every certificate starts.
    public static let backdating: TimeInterval = 3_600

    /// Makes the whole PKI, valid around `now`. With `revocationBaseURL`, every certificate
    /// below a root names the test responder (`TestRevocationResponder`) there: an OCSP URL in its
    /// Authority Information Access and a CRL distribution point (see `ocspURL(base:)`).
    /// - Throws: `signingFailed` when a key or certificate cannot be made.
    public static func generate(now: Date = Date(), revocationBaseURL: String? = nil) async throws(KeyMaterialError) -> TestPKI {
        let keys = try await generateKeys(count: 8)
        let start = now.addingTimeInterval(-backdating)
        let authorityEnd = now.addingTimeInterval(authorityLifetime)
        let signingEnd = now.addingTimeInterval(signingLifetime)

        let root = try issueAuthority(
            "DDAS Test Root CA", key: keys[0], issuer: nil, issuerKey: keys[0], from: start, until: authorityEnd)
        let intermediate = try issueAuthority(
            "DDAS Test Intermediate CA", key: keys[1], issuer: root, issuerKey: keys[0], from: start, until: authorityEnd,
            revocationBaseURL: revocationBaseURL)
        func identity(_ name: String, _ key: _RSA.Signing.PrivateKey, oin: String, from: Date, until: Date) throws(KeyMaterialError)
            -> Identity
        {
            let leaf = try issueLeaf(
                name, key: key, issuer: intermediate, issuerKey: keys[1], from: from, until: until, oin: oin,
                revocationBaseURL: revocationBaseURL)
            return Identity(privateKey: key, certificateChain: [leaf, intermediate])
        }

        let onbekendRoot = try issueAuthority(
            "DDAS Onbekende Root CA", key: keys[5], issuer: nil, issuerKey: keys[5], from: start, until: authorityEnd)
        let onbekendIntermediate = try issueAuthority(
            "DDAS Onbekende Intermediate CA", key: keys[6], issuer: onbekendRoot, issuerKey: keys[5], from: start,
            until: authorityEnd)
        let onbekendLeaf = try issueLeaf(
            "DDAS Onbekende Leverancier", key: keys[7], issuer: onbekendIntermediate, issuerKey: keys[6], from: start,
            until: signingEnd, oin: leverancierOIN)

        return TestPKI(
            issuedAt: now,
            root: root,
            intermediate: intermediate,
            intermediateKey: keys[1],
            rootKey: keys[0],
            leverancier: try identity("DDAS Test Leverancier", keys[2], oin: leverancierOIN, from: start, until: signingEnd),
            cbs: try identity("DDAS Test CBS", keys[3], oin: cbsOIN, from: start, until: signingEnd),
            verlopen: try identity(
                "DDAS Test Leverancier (verlopen)", keys[4], oin: leverancierOIN, from: now.addingTimeInterval(-signingLifetime),
                until: now.addingTimeInterval(-86_400)),
            onbekend: Identity(privateKey: keys[7], certificateChain: [onbekendLeaf, onbekendIntermediate]),
            onbekendRoot: onbekendRoot)
    }

    /// Issues another signing certificate from the test intermediate, for tests that need an odd one
    /// (another key usage, other dates, another OIN or none).
    public func issueSigningCertificate(
        commonName: String, publicKey: _RSA.Signing.PublicKey, notValidBefore: Date, notValidAfter: Date,
        keyUsage: KeyUsage = KeyUsage(digitalSignature: true, nonRepudiation: true), oin: String? = nil
    ) throws(KeyMaterialError) -> Certificate {
        try Self.issue(
            commonName, publicKey: Certificate.PublicKey(publicKey), issuer: intermediate, issuerKey: intermediateKey,
            from: notValidBefore, until: notValidAfter, basicConstraints: .notCertificateAuthority, keyUsage: keyUsage,
            serialNumber: oin)
    }

    /// A further signing identity from the trusted intermediate: a new RSA 2048 key and a
    /// certificate `CN=<commonName>` carrying `oin`, valid as long as the others.
    /// - Throws: `signingFailed` when the key or certificate cannot be made.
    public func makeIdentity(commonName: String, oin: String) async throws(KeyMaterialError) -> Identity {
        let key = try await Self.generateKeys(count: 1)[0]
        let certificate = try issueSigningCertificate(
            commonName: commonName, publicKey: key.publicKey, notValidBefore: issuedAt.addingTimeInterval(-Self.backdating),
            notValidAfter: issuedAt.addingTimeInterval(Self.signingLifetime), oin: oin)
        return Identity(privateKey: key, certificateChain: [certificate, intermediate])
    }

    /// Makes `count` RSA 2048 keys at once, each on a thread of its own: key generation is long
    /// CPU work that would otherwise hold a thread of Swift's cooperative pool for its whole
    /// length, and a process that generates several PKIs at once (a test run) would starve the
    /// servers and clients that need that pool.
    private static func generateKeys(count: Int) async throws(KeyMaterialError) -> [_RSA.Signing.PrivateKey] {
        let keys = await withTaskGroup(of: (Int, _RSA.Signing.PrivateKey?).self) { group in
            for index in 0..<count {
                group.addTask {
                    let key = await withCheckedContinuation { (continuation: CheckedContinuation<_RSA.Signing.PrivateKey?, Never>) in
                        let thread = Thread { continuation.resume(returning: try? _RSA.Signing.PrivateKey(keySize: .bits2048)) }
                        thread.name = "test-pki-key"
                        thread.start()
                    }
                    return (index, key)
                }
            }
            var keys = [_RSA.Signing.PrivateKey?](repeating: nil, count: count)
            for await (index, key) in group { keys[index] = key }
            return keys
        }
        let made = keys.compactMap { $0 }
        guard made.count == count else { throw .signingFailed }
        return made
    }
}
