import Foundation
import RegieDomain
import Testing

@Suite("The shipped Workflows folder")
struct ShippedWorkflowsTests {
    @Test("both files load cleanly, each for its own subject")
    func load() throws {
        let workflows = try WorkflowFixtures.shipped()
        #expect(workflows.gemeente.subject == .gemeente && workflows[.gemeente] == workflows.gemeente)
        #expect(workflows.leverancier.subject == .leverancier && workflows[.leverancier] == workflows.leverancier)
        #expect(workflows.gemeente.file.hasSuffix("Workflows/gemeente.yaml"))
    }

    @Test("every phase has a due month and every transition a guard", arguments: WorkflowSubject.allCases)
    func complete(subject: WorkflowSubject) throws {
        let definition = try WorkflowFixtures.shipped()[subject]
        #expect(definition.phases.allSatisfy { $0.due != nil && $0.summary != nil })
        // Leaving a side state relies on guards: an unguarded step would be passed without evidence.
        #expect(definition.transitions.allSatisfy { !$0.guards.isEmpty })
    }

    @Test("a folder with a file missing, a broken file, or the subjects swapped is refused with every problem")
    func refused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("workflows-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let gemeente = try String(contentsOf: WorkflowFixtures.folder.appendingPathComponent("gemeente.yaml"), encoding: .utf8)
        let leverancier = try String(contentsOf: WorkflowFixtures.folder.appendingPathComponent("leverancier.yaml"), encoding: .utf8)

        let missing = #expect(throws: WorkflowDefinition.Invalid.self) { try Workflows.load(from: folder) }
        #expect(missing?.problems.count == 2)
        #expect(missing?.problems.allSatisfy { $0.line == nil && $0.reason.hasPrefix("cannot be read") } == true)

        try leverancier.write(to: folder.appendingPathComponent("gemeente.yaml"), atomically: true, encoding: .utf8)
        try (gemeente + "  - from: actief\n    to: nergens\n    roles: [system]\n")
            .write(to: folder.appendingPathComponent("leverancier.yaml"), atomically: true, encoding: .utf8)
        let swapped = #expect(throws: WorkflowDefinition.Invalid.self) { try Workflows.load(from: folder) }
        let transitionLine = gemeente.split(separator: "\n", omittingEmptySubsequences: false).count + 1
        #expect(
            swapped?.description == """
                \(folder.path)/gemeente.yaml:1: declares subject leverancier, but gemeente.yaml must define the gemeente workflow
                \(folder.path)/leverancier.yaml:\(transitionLine): transition to unknown phase 'nergens'
                """)
    }
}
