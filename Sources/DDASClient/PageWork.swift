import NIOCore
import NIOPosix

/// The CPU-heavy reading of a page (parsing, the schema, the semantic checks) runs on threads
/// of its own, not on Swift's cooperative threads: those also answer the API, which must stay
/// responsive while pulls run. The operating system then shares the cores between the two.
enum PageWork {
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount))
        pool.start()
        return pool
    }()

    /// Runs `work` on the page threads (inline should the pool have stopped) and returns its result.
    static func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        do {
            return try await pool.runIfActive(work)
        } catch {
            return work()
        }
    }
}

/// A value that one task hands to the page threads and back while it waits: never touched
/// by two threads at once, and mutated in place (no copy of what it holds).
final class PageWorkBox<Value>: @unchecked Sendable {
    var value: Value

    init(_ value: Value) {
        self.value = value
    }
}
