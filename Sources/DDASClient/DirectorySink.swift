import Foundation

/// The embedded default sink: `<root>/<levering-id>/pagina-NNNN.json` (the body as received),
/// `pagina-NNNN.headers.json` (its `Digest` and signature) and `manifest.json`, written last.
/// Every file is written whole or not at all (temporary file, fsync, rename); a delivery is
/// complete when its manifest is there. A repeated hand-over of the same delivery writes the
/// same files again under the same names: a no-op for whoever reads them.
public struct DirectorySink: CBSSink {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// The staging a directory sink wants: on its own file system, so hand-over is a rename.
    public var staging: PageStaging { PageStaging(root: root.appendingPathComponent(".staging")) }

    /// Moves the staged pages into the delivery's folder, with their headers; no manifest yet.
    /// Each headers file is synced once, the folder once for all the renames (before the
    /// manifest can follow), on the file threads.
    public func stage(_ manifest: LeveringManifest, pages: [StagedPage]) async throws {
        let folder = folder(of: manifest.leveringID)
        try await FileWork.run {
            try PrivateFolder.create(folder)
            for page in pages {
                let name = String(format: "pagina-%04d", page.number)
                let target = folder.appendingPathComponent("\(name).json")
                let headers = try JSONEncoder().encode(["Digest": page.digestHeader, "nlgov-adr-payload-sig": page.signatureHeader])
                try DurableFile.write(Array(headers), to: folder.appendingPathComponent("\(name).headers.json"), syncingFolder: false)
                if FileManager.default.fileExists(atPath: page.file.path) {
                    try DurableFile.move(page.file, to: target, syncingFolder: false)
                } else if !FileManager.default.fileExists(atPath: target.path) {
                    throw SinkError.io("find a staged page", ENOENT)
                }
            }
            try DurableFile.syncFolder(folder, required: true)
        }
    }

    /// Writes `manifest.json`: the delivery is complete.
    public func commit(levering: UUID, manifest: Data) async throws {
        let folder = folder(of: levering)
        try await FileWork.run {
            try PrivateFolder.create(folder)
            try DurableFile.write(Array(manifest), to: folder.appendingPathComponent("manifest.json"))
        }
    }

    /// Removes a staged delivery's folder, unless its manifest is there.
    public func discard(levering: UUID) async {
        let folder = folder(of: levering)
        await FileWork.run { () -> Void in
            guard !FileManager.default.fileExists(atPath: folder.appendingPathComponent("manifest.json").path) else { return }
            try? FileManager.default.removeItem(at: folder)
        }
    }

    func folder(of levering: UUID) -> URL {
        root.appendingPathComponent(levering.uuidString.lowercased())
    }
}
