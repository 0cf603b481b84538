import ChildProgram
import DDASExchange
import Foundation
import Testing

/// The schema part of `ddas-regie valideer` against an independent validator:
/// python-jsonschema (PyPI, pinned in `Tests/Interop/jsonschema-peer`, the Python in
/// `Tests/Interop/jsonschema_peer.py`) validates the same files against the same model file.
/// The peer must run: when it cannot, the test fails with what it printed.
@Suite("Schema findings against an independent validator (python-jsonschema)")
struct ValidatieInteropTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    struct Found: Decodable, Hashable {
        let pointer: String
        let keyword: String
    }

    /// Runs the peer on the shipped model of `stream` and a document file.
    static func peer(_ stream: ExchangeStroom, document: URL) async throws -> [Found] {
        let version = try #require(ExchangeModelVersion(stream == .vroegsignalering ? "1.2" : "1.0"))
        let schema = try schemaDirectory.appendingPathComponent(stream.schemaFileName(version: version))
        let run = try await ChildProgram.script("Tests/Interop/jsonschema-peer", [schema.path, document.path])
        try #require(run.status == 0, "the peer did not run: \(run.errors)")
        return try JSONDecoder().decode([Found].self, from: Data(run.output.utf8))
    }

    /// What our engine finds in the same file, in the peer's terms.
    static func ours(_ stream: ExchangeStroom, document: URL) throws -> [Found] {
        let result = try shippedModel(stream).schema.validate(JSONValue(parsing: Data(contentsOf: document)))
        return result.violations.map { Found(pointer: $0.instancePointer, keyword: $0.keyword.rawValue) }
    }

    @Test(
        "on each official example both find the same violations at the same pointers",
        arguments: ["enkelvoudigVoorbeeld.json", "meervoudigVoorbeeld.json", "uitgebreidVoorbeeld.json"])
    func officialExamples(name: String) async throws {
        let file = Voorbeelden.folder.appendingPathComponent(name)
        let theirs = try await Self.peer(.vroegsignalering, document: file)
        let ours = try Self.ours(.vroegsignalering, document: file)
        #expect(Set(ours) == Set(theirs))
        #expect(ours.count == theirs.count)
        #expect(!ours.isEmpty)
        #expect(ours.count == ["enkelvoudigVoorbeeld.json": 1, "meervoudigVoorbeeld.json": 2, "uitgebreidVoorbeeld.json": 17][name])
    }

    @Test("on the valid fixtures, neither finds anything; an SHV export breaks the VS model for both")
    func validFixtures() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ddas-jsonschema-doc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let vs = folder.appendingPathComponent("vs.json")
        let shv = folder.appendingPathComponent("shv.json")
        try Data(DDASFixtures.vroegsignalering.jsonBytes()).write(to: vs)
        try Data(DDASFixtures.schuldhulpverlening.jsonBytes()).write(to: shv)
        #expect(try await Self.peer(.vroegsignalering, document: vs).isEmpty)
        #expect(try Self.ours(.vroegsignalering, document: vs).isEmpty)
        #expect(try await Self.peer(.schuldhulpverlening, document: shv).isEmpty)
        #expect(try Self.ours(.schuldhulpverlening, document: shv).isEmpty)
        #expect(!(try await Self.peer(.vroegsignalering, document: shv)).isEmpty)
        #expect(!(try Self.ours(.vroegsignalering, document: shv)).isEmpty)
    }
}
