import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// Reads the PEM files DDAS is configured with: a signing key, a certificate chain (signing
/// certificate first, then intermediates) and trust anchors (root certificates).
public enum PEMBundle {
    /// The certificates in a PEM text, in order. Blocks of other kinds (keys) are skipped.
    /// - Throws: `notPEM`, `certificateMalformed` or `noCertificates`.
    public static func certificates(fromPEM text: String) throws(KeyMaterialError) -> [Certificate] {
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: text)
        } catch {
            throw .notPEM
        }
        var certificates = [Certificate]()
        for document in documents where document.discriminator == Certificate.defaultPEMDiscriminator {
            do {
                certificates.append(try Certificate(derEncoded: document.derBytes))
            } catch {
                throw .certificateMalformed
            }
        }
        guard !certificates.isEmpty else { throw .noCertificates }
        return certificates
    }

    /// An RSA private key from PEM: `PRIVATE KEY` (PKCS#8) or `RSA PRIVATE KEY` (PKCS#1).
    /// - Throws: `notPEM`, `keyEncrypted`, `keyMalformed` or `keyTooSmall`.
    public static func privateKey(fromPEM text: String) throws(KeyMaterialError) -> _RSA.Signing.PrivateKey {
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: text)
        } catch {
            throw .notPEM
        }
        if documents.contains(where: { $0.discriminator == "ENCRYPTED PRIVATE KEY" }) { throw .keyEncrypted }
        guard let document = documents.first(where: { ["PRIVATE KEY", "RSA PRIVATE KEY"].contains($0.discriminator) })
        else { throw .notPEM }
        let key: _RSA.Signing.PrivateKey
        do {
            key = try _RSA.Signing.PrivateKey(unsafeDERRepresentation: document.derBytes)
        } catch {
            throw .keyMalformed
        }
        guard key.keySizeInBits >= 2048 else { throw .keyTooSmall(bits: key.keySizeInBits) }
        return key
    }

    /// The certificate chain in a PEM file, in file order.
    public static func loadCertificateChain(from path: String) throws(KeyMaterialError) -> [Certificate] {
        try certificates(fromPEM: try readText(path))
    }

    /// The RSA private key in a PEM file.
    public static func loadPrivateKey(from path: String) throws(KeyMaterialError) -> _RSA.Signing.PrivateKey {
        try privateKey(fromPEM: try readText(path))
    }

    /// Trust anchors from a PEM file, or from every `.pem` file in a directory (not its
    /// subdirectories), in file-name order.
    /// - Throws: `unreadable`, `notPEM`, `certificateMalformed`, or `noCertificates` when nothing was found.
    public static func loadTrustAnchors(from path: String) throws(KeyMaterialError) -> [Certificate] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .unreadable(path: path) }
        guard isDirectory.boolValue else { return try loadCertificateChain(from: path) }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw .unreadable(path: path)
        }
        var anchors = [Certificate]()
        for name in names.sorted() where name.hasSuffix(".pem") {
            let file = URL(fileURLWithPath: path).appendingPathComponent(name).path
            do {
                anchors.append(contentsOf: try loadCertificateChain(from: file))
            } catch .noCertificates {
                continue
            }
        }
        guard !anchors.isEmpty else { throw .noCertificates }
        return anchors
    }

    /// Certificates as PEM, one block after the other.
    public static func pem(of certificates: [Certificate]) throws(KeyMaterialError) -> String {
        var text = ""
        for certificate in certificates {
            do {
                text += try certificate.serializeAsPEM().pemString + "\n"
            } catch {
                throw .certificateMalformed
            }
        }
        return text
    }

    private static func readText(_ path: String) throws(KeyMaterialError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        return String(decoding: data, as: UTF8.self)
    }
}
