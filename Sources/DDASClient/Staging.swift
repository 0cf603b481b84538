import Crypto
import Foundation

/// A page that passed every check, kept on disk between its pull and its hand-over: the body
/// exactly as received, with the supplier's `Digest` and signature.
public struct StagedPage: Sendable, Equatable {
    /// 1-based page number.
    public let number: Int
    public let records: Int
    public let bytes: Int
    /// SHA-256 of the body, hex.
    public let sha256: String
    public let digestHeader: String
    public let signatureHeader: String
    /// Where the body is.
    public let file: URL
}

/// Where pages wait for their hand-over: one folder per delivery attempt, removed afterwards.
/// Lives on the sink's file system for the directory sink, so the hand-over is a rename.
public struct PageStaging: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// A fresh area for one attempt of one delivery (an older one of the same delivery is removed).
    public func area(levering: UUID, attempt: Int) throws -> StagingArea {
        let folder = root.appendingPathComponent("\(levering.uuidString.lowercased())-\(attempt)")
        try? FileManager.default.removeItem(at: folder)
        try PrivateFolder.create(folder)
        return StagingArea(folder: folder)
    }

    /// Removes areas older than `age` (left by a process that died mid-pull).
    public func prune(olderThan age: TimeInterval, now: Date = Date()) {
        let items =
            (try? FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: [.contentModificationDateKey])) ?? []
        for item in items {
            let modified = (try? item.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? now
            if now.timeIntervalSince(modified) > age { try? FileManager.default.removeItem(at: item) }
        }
    }
}

/// One delivery attempt's staged pages.
public struct StagingArea: Sendable {
    public let folder: URL

    /// Where a page's body is streamed as it arrives.
    public func incoming(number: Int) -> URL {
        folder.appendingPathComponent(String(format: "pagina-%04d.ontvangen", number))
    }

    /// Keeps a page received into `received` (already on disk and synced) under its page name
    /// and returns what the manifest records of it. The rename is made durable by ``sync()``,
    /// once for all pages.
    public func stage(
        number: Int, received: URL, bytes: Int, sha256: [UInt8], records: Int, digestHeader: String, signatureHeader: String
    ) throws -> StagedPage {
        let file = folder.appendingPathComponent(String(format: "pagina-%04d.json", number))
        try DurableFile.move(received, to: file, syncingFolder: false)
        return StagedPage(
            number: number, records: records, bytes: bytes, sha256: sha256.map { String(format: "%02x", $0) }.joined(),
            digestHeader: digestHeader, signatureHeader: signatureHeader, file: file)
    }

    /// Keeps a page's body durably and returns what the manifest records of it.
    public func stage(number: Int, body: [UInt8], records: Int, digestHeader: String, signatureHeader: String) throws -> StagedPage {
        let file = folder.appendingPathComponent(String(format: "pagina-%04d.json", number))
        try DurableFile.write(body, to: file)
        let sha = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        return StagedPage(
            number: number, records: records, bytes: body.count, sha256: sha, digestHeader: digestHeader, signatureHeader: signatureHeader,
            file: file)
    }

    /// Makes the renames of ``stage(number:received:bytes:sha256:records:digestHeader:signatureHeader:)``
    /// durable: one `fsync` of the folder for all its pages.
    public func sync() throws {
        try DurableFile.syncFolder(folder, required: true)
    }

    /// Removes the area and what is left in it.
    public func discard() {
        try? FileManager.default.removeItem(at: folder)
    }
}
