import Foundation
import Synchronization
import Testing

/// The figures of the reliability run, printed together as one block when the suite ends.
enum Figures {
    private static let lines = Mutex<[(scenario: String, line: String)]>([])

    /// Records `line` under `scenario` (its number and name in the summary) and prints it now too.
    static func record(_ scenario: String, _ line: String) {
        lines.withLock { $0.append((scenario, line)) }
        print("\(scenario): \(line)")
        fflush(nil)
    }

    /// The block: every scenario that was expected, with its figures or "no figures" when it
    /// stopped before it recorded any.
    static func summary(expected: [String]) -> String {
        let recorded = lines.withLock { $0 }
        var text = "==== Reliability summary ====\n"
        for scenario in expected {
            let mine = recorded.filter { $0.scenario == scenario }.map(\.line)
            if mine.isEmpty {
                text += "\(scenario): no figures (not run, or it failed before it recorded any)\n"
            }
            for line in mine { text += "\(scenario): \(line)\n" }
        }
        return text + "============================="
    }
}

/// Prints the figures of every scenario as one block once the suite has run, whatever its outcome.
struct ReliabilitySummary: SuiteTrait, TestScoping {
    /// The scenarios, in the order the summary lists them.
    let scenarios: [String]

    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        do {
            try await function()
        } catch {
            print(Figures.summary(expected: scenarios))
            fflush(nil)
            throw error
        }
        print(Figures.summary(expected: scenarios))
        fflush(nil)
    }
}
