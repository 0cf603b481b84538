import Foundation
import RegieDomain
import Testing

/// The shipped workflow files and helpers shared by the workflow suites.
enum WorkflowFixtures {
    /// The project's `Workflows/` folder.
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Workflows")

    /// A fixed time for decisions: 2026-03-15 12:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_773_576_000)

    static func shipped() throws -> Workflows {
        try Workflows.load(from: folder)
    }

    /// The problems of loading `yaml` as `wf.yaml`, one `file:line: reason` each; empty when it loads.
    static func problems(_ yaml: String) -> [String] {
        do {
            _ = try WorkflowDefinition(yaml: yaml, file: "wf.yaml")
            return []
        } catch {
            return error.description.split(separator: "\n").map(String.init)
        }
    }

    /// An instant from an ISO 8601 text such as `2026-04-30T22:00:00Z`.
    static func instant(_ text: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: text))
    }
}

extension WorkflowEngine {
    /// The declared transition from `from` to `to`, for comparing decisions.
    func transition(_ from: String, _ to: String) throws -> WorkflowDefinition.Transition {
        try #require(definition.transitions.first { $0.from == from && $0.to == to })
    }
}
