import Foundation

#if canImport(Glibc)
    import Glibc
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    import Darwin
    private let systemWrite = Darwin.write
#endif

/// Folders that hold personal data (the sink, staged pages) or key material: open to their
/// owner only.
public enum PrivateFolder {
    /// Creates `url`, and any missing parent, with mode 0700; an existing folder keeps its mode.
    public static func create(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
}

/// Writes files so that a crash never leaves a half file under the final name: a temporary
/// file beside it, `fsync`, `rename`, then `fsync` of the folder. Files are readable by their
/// owner only (0600), folders it creates open to their owner only (0700): they hold personal data.
enum DurableFile {
    /// Writes `bytes` to `url` durably, creating the folder when needed; with `syncingFolder`
    /// false the rename is durable only once the caller syncs the folder (``syncFolder(_:required:)``).
    static func write(_ bytes: some Collection<UInt8>, to url: URL, syncingFolder: Bool = true) throws {
        let folder = url.deletingLastPathComponent()
        try PrivateFolder.create(folder)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SinkError.io("create", errno) }
        var closed = false
        defer {
            if !closed { close(descriptor) }
        }
        let contiguous = Array(bytes)
        var written = 0
        while written < contiguous.count {
            let result = contiguous.withUnsafeBytes { buffer in
                systemWrite(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                unlink(temporary.path)
                throw SinkError.io("write", errno)
            }
            written += result
        }
        guard fsync(descriptor) == 0 else {
            unlink(temporary.path)
            throw SinkError.io("fsync", errno)
        }
        close(descriptor)
        closed = true
        try move(temporary, to: url, syncingFolder: syncingFolder)
    }

    /// Renames `source` to `destination` (same file system) and makes the rename durable, or
    /// leaves that to the caller's one ``syncFolder(_:required:)`` for several renames.
    static func move(_ source: URL, to destination: URL, syncingFolder: Bool = true) throws {
        try PrivateFolder.create(destination.deletingLastPathComponent())
        guard rename(source.path, destination.path) == 0 else { throw SinkError.io("rename", errno) }
        if syncingFolder { try syncFolder(destination.deletingLastPathComponent()) }
    }

    /// Flushes a folder's entries (the renames in it) to disk; with `required`, a folder that
    /// cannot be opened or synced is an error.
    static func syncFolder(_ folder: URL, required: Bool = false) throws {
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if required { throw SinkError.io("open a folder", errno) }
            return
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 || !required else { throw SinkError.io("fsync a folder", errno) }
    }
}

/// A hand-over to the CBS sink failed; the message names the operation, never the data.
public enum SinkError: Error, Sendable, CustomStringConvertible {
    case io(String, Int32)
    case intake(status: Int)
    case unreachable(String)

    public var description: String {
        switch self {
        case .io(let operation, let code): "the sink could not \(operation) a file (errno \(code))"
        case .intake(let status): "the CBS intake answered \(status)"
        case .unreachable(let reason): "the CBS intake could not be reached: \(reason)"
        }
    }
}
