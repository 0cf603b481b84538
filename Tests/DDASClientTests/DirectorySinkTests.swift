import Crypto
import Foundation
import Testing

@testable import DDASClient

@Suite("CBS directory sink")
struct DirectorySinkTests {
    func sink() throws -> DirectorySink {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sink-\(UUID().uuidString)")
        return DirectorySink(root: root)
    }

    func stage(_ sink: DirectorySink, levering: UUID, bodies: [String]) throws -> [StagedPage] {
        let area = try sink.staging.area(levering: levering, attempt: 1)
        return try bodies.enumerated().map { index, body in
            try area.stage(
                number: index + 1, body: Array(body.utf8), records: 2, digestHeader: "SHA-256=digest\(index)",
                signatureHeader: "sig\(index)")
        }
    }

    func manifest(_ levering: UUID, _ pages: [StagedPage]) -> LeveringManifest {
        LeveringManifest(
            leveringID: levering, gemeentecode: "GM0363", leverancier: "xxllnc", stroom: "VS", periode: "2026-Q1",
            periodeStart: "2026-01-01",
            periodeEind: "2026-03-31", doel: "regulier", pages: pages, overgedragenOp: Date(timeIntervalSince1970: 1_775_000_000))
    }

    @Test("pages arrive byte for byte with their headers, and the manifest lists each with its SHA-256")
    func handOver() async throws {
        let sink = try sink()
        let levering = UUID()
        let pages = try stage(sink, levering: levering, bodies: ["{\"a\":1}", "{\"b\":2}"])
        try await sink.handOver(manifest(levering, pages), pages: pages)
        let folder = sink.root.appendingPathComponent(levering.uuidString.lowercased())
        #expect(try String(contentsOf: folder.appendingPathComponent("pagina-0002.json"), encoding: .utf8) == "{\"b\":2}")
        let headers = try JSONDecoder().decode(
            [String: String].self, from: Data(contentsOf: folder.appendingPathComponent("pagina-0001.headers.json")))
        #expect(headers == ["Digest": "SHA-256=digest0", "nlgov-adr-payload-sig": "sig0"])
        let written =
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("manifest.json"))) as? [String: Any]
        let listed = try #require(written?["paginas"] as? [[String: Any]])
        #expect(listed.count == 2)
        let expected = SHA256.hash(data: Data("{\"a\":1}".utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(listed.first?["sha256"] as? String == expected)
        #expect(written?["totaalRecords"] as? Int == 4)
        // Nothing but the delivery's folder (and the emptied staging) is left; no temporary files.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    /// What a reader of the sink finds of a delivery: nil when it is absent (no manifest), else
    /// whether every page the manifest lists is there with its checksum.
    func visible(_ sink: DirectorySink, _ levering: UUID) throws -> Bool? {
        let folder = sink.root.appendingPathComponent(levering.uuidString.lowercased())
        guard let manifest = FileManager.default.contents(atPath: folder.appendingPathComponent("manifest.json").path) else { return nil }
        let listed = try #require((try JSONSerialization.jsonObject(with: manifest) as? [String: Any])?["paginas"] as? [[String: Any]])
        return try listed.allSatisfy { page in
            let number = try #require(page["pagina"] as? Int)
            guard
                let body = FileManager.default.contents(
                    atPath: folder.appendingPathComponent(String(format: "pagina-%04d.json", number)).path)
            else { return false }
            return SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined() == page["sha256"] as? String
        }
    }

    @Test(
        "a hand-over that stops between any two files leaves the delivery absent, and the next hand-over leaves it complete"
    )
    func stopBetweenFiles() async throws {
        let bodies = ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"]
        for stop in 0...bodies.count {
            let sink = try sink()
            let levering = UUID()
            // The process dies after `stop` pages were moved into the sink: what it did is on disk, nothing more.
            let first = try stage(sink, levering: levering, bodies: bodies)
            try await sink.stage(manifest(levering, first), pages: Array(first.prefix(stop)))
            #expect(try visible(sink, levering) == nil, "stopped after \(stop) page(s)")
            // The next attempt pulls the delivery again into a fresh area and hands it over whole.
            let again = try stage(sink, levering: levering, bodies: bodies)
            try await sink.handOver(manifest(levering, again), pages: again)
            #expect(try visible(sink, levering) == true, "stopped after \(stop) page(s)")
            let folder = sink.root.appendingPathComponent(levering.uuidString.lowercased())
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(!files.contains { $0.hasSuffix(".tmp") })
            #expect(files.filter { $0.hasSuffix(".json") && !$0.contains("headers") && $0 != "manifest.json" }.count == bodies.count)
        }
    }

    @Test("the sink and its staging are open to their owner only: folders 0700, files 0600")
    func ownerOnly() async throws {
        let sink = try sink()
        let levering = UUID()
        let pages = try stage(sink, levering: levering, bodies: ["{\"a\":1}", "{\"b\":2}"])
        let staged = pages[0].file.deletingLastPathComponent()
        for folder in [sink.root, sink.staging.root, staged] { #expect(try mode(folder) == 0o700, "\(folder.path)") }
        for page in pages { #expect(try mode(page.file) == 0o600, "\(page.file.path)") }
        try await sink.handOver(manifest(levering, pages), pages: pages)
        let folder = sink.root.appendingPathComponent(levering.uuidString.lowercased())
        #expect(try mode(folder) == 0o700)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.count == 5, "two pages, their headers and the manifest: \(files)")
        for file in files { #expect(try mode(folder.appendingPathComponent(file)) == 0o600, "\(file)") }
    }

    func mode(_ url: URL) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) & 0o777
    }

    @Test("a repeated hand-over of the same delivery leaves the same files")
    func repeated() async throws {
        let sink = try sink()
        let levering = UUID()
        let first = try stage(sink, levering: levering, bodies: ["{\"a\":1}"])
        try await sink.handOver(manifest(levering, first), pages: first)
        let again = try stage(sink, levering: levering, bodies: ["{\"a\":1}"])
        try await sink.handOver(manifest(levering, again), pages: again)
        let folder = sink.root.appendingPathComponent(levering.uuidString.lowercased())
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [
                "manifest.json", "pagina-0001.headers.json", "pagina-0001.json",
            ])
        #expect(try String(contentsOf: folder.appendingPathComponent("pagina-0001.json"), encoding: .utf8) == "{\"a\":1}")
    }

    @Test("staged pages are not a delivery until the manifest is committed; a discard removes them, never a committed delivery")
    func stagedThenCommittedOrDiscarded() async throws {
        let sink = try sink()
        let kept = UUID()
        let keptPages = try stage(sink, levering: kept, bodies: ["{\"a\":1}"])
        try await sink.stage(manifest(kept, keptPages), pages: keptPages)
        let keptFolder = sink.root.appendingPathComponent(kept.uuidString.lowercased())
        #expect(!FileManager.default.fileExists(atPath: keptFolder.appendingPathComponent("manifest.json").path))
        #expect(FileManager.default.fileExists(atPath: keptFolder.appendingPathComponent("pagina-0001.json").path))
        try await sink.commit(levering: kept, manifest: try manifest(kept, keptPages).encoded())
        #expect(FileManager.default.fileExists(atPath: keptFolder.appendingPathComponent("manifest.json").path))
        await sink.discard(levering: kept)
        #expect(FileManager.default.fileExists(atPath: keptFolder.appendingPathComponent("pagina-0001.json").path))

        let dropped = UUID()
        let droppedPages = try stage(sink, levering: dropped, bodies: ["{\"b\":2}"])
        try await sink.stage(manifest(dropped, droppedPages), pages: droppedPages)
        await sink.discard(levering: dropped)
        #expect(!FileManager.default.fileExists(atPath: sink.root.appendingPathComponent(dropped.uuidString.lowercased()).path))
    }

    @Test("staging removes what a dead process left behind, and a discarded area is gone")
    func staging() throws {
        let sink = try sink()
        let area = try sink.staging.area(levering: UUID(), attempt: 1)
        _ = try area.stage(number: 1, body: [1, 2, 3], records: 0, digestHeader: "", signatureHeader: "")
        sink.staging.prune(olderThan: 3600, now: Date().addingTimeInterval(7200))
        #expect(!FileManager.default.fileExists(atPath: area.folder.path))
        let other = try sink.staging.area(levering: UUID(), attempt: 2)
        other.discard()
        #expect(!FileManager.default.fileExists(atPath: other.folder.path))
    }
}
