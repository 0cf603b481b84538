import DDASSignature
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension TestPKI {
    /// One PEM file of the test PKI.
    public struct File: Hashable, Sendable {
        /// The file name, e.g. `leverancier.key.pem`.
        public var name: String
        /// The PEM text.
        public var contents: String
        /// Whether it holds a private key (written with mode 0600; certificates get 0644).
        public var isPrivateKey: Bool
    }

    /// The files of the PKI, by name:
    ///
    /// | file | holds |
    /// |---|---|
    /// | `root.pem` | the trusted root (the verifier's trust anchor) |
    /// | `intermediate.pem` | the intermediate under it |
    /// | `leverancier.key.pem`, `leverancier.chain.pem` | supplier key (PKCS#8); signing certificate + intermediate |
    /// | `cbs.key.pem`, `cbs.chain.pem` | CBS key; signing certificate + intermediate |
    /// | `verlopen.key.pem`, `verlopen.chain.pem` | expired supplier key and chain |
    /// | `onbekend.key.pem`, `onbekend.chain.pem` | key and chain under the untrusted root |
    /// | `onbekend-root.pem` | the untrusted root |
    public func files() throws(KeyMaterialError) -> [File] {
        var files = [
            File(name: "root.pem", contents: try PEMBundle.pem(of: [root]), isPrivateKey: false),
            File(name: "intermediate.pem", contents: try PEMBundle.pem(of: [intermediate]), isPrivateKey: false),
        ]
        for (name, identity) in [("leverancier", leverancier), ("cbs", cbs), ("verlopen", verlopen), ("onbekend", onbekend)] {
            files.append(File(name: "\(name).key.pem", contents: identity.privateKeyPEM + "\n", isPrivateKey: true))
            files.append(File(name: "\(name).chain.pem", contents: try identity.certificateChainPEM(), isPrivateKey: false))
        }
        files.append(File(name: "onbekend-root.pem", contents: try PEMBundle.pem(of: [onbekendRoot]), isPrivateKey: false))
        return files
    }

    /// Writes the files into a directory, creating it if needed.
    ///
    /// Keys get mode 0600, certificates 0644, from the moment they are created. Existing files are
    /// refused unless `overwrite` is set.
    /// - Returns: The paths written, in the order of `files()`.
    /// - Throws: `unwritable` for the first file or directory that could not be written.
    @discardableResult
    public func write(to directory: String, overwrite: Bool = false) throws(KeyMaterialError) -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(path: directory)
        }
        var written = [String]()
        for file in try files() {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(file.name).path
            try Self.writeFile(path, contents: file.contents, mode: file.isPrivateKey ? 0o600 : 0o644, overwrite: overwrite)
            written.append(path)
        }
        return written
    }

    /// Creates (or truncates) a file with the given mode and writes it, so a key is never readable
    /// by others, not even for a moment.
    private static func writeFile(_ path: String, contents: String, mode: mode_t, overwrite: Bool) throws(KeyMaterialError) {
        let flags = O_WRONLY | O_CREAT | O_TRUNC | (overwrite ? 0 : O_EXCL)
        let descriptor = open(path, flags, mode)
        guard descriptor >= 0 else { throw .unwritable(path: path) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            guard fchmod(descriptor, mode) == 0 else { throw KeyMaterialError.unwritable(path: path) }
            try handle.write(contentsOf: Data(contents.utf8))
            try handle.close()
        } catch {
            throw .unwritable(path: path)
        }
    }
}
