import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
    private let systemRead = Glibc.read
#elseif canImport(Darwin)
    import Darwin
    private let systemRead = Darwin.read
#endif

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

/// File I/O, `fsync` and the hashing of bodies as they arrive run on threads of their own
/// too: they block, and the cooperative threads also answer the API. Apart from the page
/// threads, so that a page being written while another is checked does not wait for it.
enum FileWork {
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(2, System.coreCount))
        pool.start()
        return pool
    }()

    /// Runs `work` on the file threads (inline should the pool have stopped) and returns its result.
    static func run<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        do {
            return try await pool.runIfActive(work)
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            return try work()
        }
    }

    /// Runs `work`, which cannot fail, on the file threads.
    static func run(_ work: @escaping @Sendable () -> Void) async {
        _ = try? await pool.runIfActive(work)
    }

    /// Reads the `count` bytes of `file` into one array of exactly that length (no copy in
    /// between); a file of another length is an error.
    static func read(_ file: URL, count: Int) throws -> [UInt8] {
        let descriptor = open(file.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SinkError.io("open", errno) }
        defer { close(descriptor) }
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Safe: each read writes at most `count - initialized` bytes after the `initialized` ones, inside the buffer.
            while initialized < count {
                let result = systemRead(descriptor, buffer.baseAddress! + initialized, count - initialized)
                if result < 0 && errno == EINTR { continue }
                guard result > 0 else {
                    failure = result < 0 ? errno : EIO
                    return
                }
                initialized += result
            }
        }
        guard failure == 0, bytes.count == count else { throw SinkError.io("read", failure == 0 ? EIO : failure) }
        return bytes
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
