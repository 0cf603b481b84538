import DDASSignature
import Foundation
import X509

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension TestPKI {
    /// The extra files a revocation responder needs besides `files()`: the keys of the root and
    /// the intermediate (`root.key.pem`, `intermediate.key.pem`, mode 0600). Written by
    /// `ddas-supplier-sim pki --revocation-base-url`, read by `TestRevocationResponder.load(pkiDirectory:)`.
    public func revocationFiles() -> [File] {
        [
            File(name: "root.key.pem", contents: rootKey.pkcs8PEMRepresentation + "\n", isPrivateKey: true),
            File(name: "intermediate.key.pem", contents: intermediateKey.pkcs8PEMRepresentation + "\n", isPrivateKey: true),
        ]
    }

    /// Writes `revocationFiles()` into `directory` (which `write(to:)` made).
    /// - Throws: `unwritable` for a file that could not be written.
    @discardableResult
    public func writeRevocationFiles(to directory: String, overwrite: Bool = false) throws(KeyMaterialError) -> [String] {
        var written = [String]()
        for file in revocationFiles() {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(file.name).path
            let flags = O_WRONLY | O_CREAT | O_TRUNC | (overwrite ? 0 : O_EXCL)
            let descriptor = open(path, flags, 0o600)
            guard descriptor >= 0 else { throw .unwritable(path: path) }
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            do {
                guard fchmod(descriptor, 0o600) == 0 else { throw KeyMaterialError.unwritable(path: path) }
                try handle.write(contentsOf: Data(file.contents.utf8))
                try handle.close()
            } catch {
                throw .unwritable(path: path)
            }
            written.append(path)
        }
        return written
    }
}

extension TestRevocationResponder {
    /// A responder from a test PKI folder (`ddas-supplier-sim pki --revocation-base-url`): the
    /// root and intermediate with their keys, knowing the intermediate and the signing
    /// certificates of `leverancier`, `cbs` and `verlopen`. The revoked set is kept in
    /// `revoked.json` in the folder (hex serials), read now and written at every revocation, so
    /// it outlives the process.
    /// - Throws: `unreadable(path:)` and the like when a file is missing or not what it should be.
    public static func load(pkiDirectory directory: String, validity: TimeInterval = 3_600) throws(KeyMaterialError)
        -> TestRevocationResponder
    {
        func path(_ name: String) -> String { URL(fileURLWithPath: directory).appendingPathComponent(name).path }
        let root = try PEMBundle.loadTrustAnchors(from: path("root.pem"))[0]
        let intermediate = try PEMBundle.loadTrustAnchors(from: path("intermediate.pem"))[0]
        let rootKey = try PEMBundle.loadPrivateKey(from: path("root.key.pem"))
        let intermediateKey = try PEMBundle.loadPrivateKey(from: path("intermediate.key.pem"))
        var issued = [intermediate]
        for name in ["leverancier", "cbs", "verlopen"] {
            issued.append(try PEMBundle.loadCertificateChain(from: path("\(name).chain.pem"))[0])
        }
        let stateFile = path("revoked.json")
        var revoked = [String]()
        if FileManager.default.fileExists(atPath: stateFile) {
            guard let data = FileManager.default.contents(atPath: stateFile),
                let serials = try? JSONDecoder().decode([String].self, from: data)
            else { throw .unreadable(path: stateFile) }
            revoked = serials
        }
        return TestRevocationResponder(
            authorities: [
                Authority(certificate: intermediate, key: Certificate.PrivateKey(intermediateKey)),
                Authority(certificate: root, key: Certificate.PrivateKey(rootKey)),
            ],
            issued: issued,
            revoked: Dictionary(
                TestRevocationResponder.serials(hex: revoked).map { ($0, Date()) }, uniquingKeysWith: { first, _ in first }),
            stateFile: stateFile, validity: validity, now: { Date() })
    }
}
