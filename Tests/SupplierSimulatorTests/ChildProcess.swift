import EmbeddedPostgres
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A program started by a test with posix_spawn: standard input from /dev/null, standard output
/// and error into a pipe read as `output`, and none of the test process's other descriptors
/// (Foundation's `Process` hands a child every open socket and pipe of the tests running
/// beside it, which then never see their connections or pipes close).
final class ChildProcess: Sendable {
    /// The process id.
    let pid: pid_t
    /// What the program writes, in chunks, until it closes its output.
    let output: AsyncStream<String>
    private let status = Mutex<Int32?>(nil)
    private let waiters = Mutex<[CheckedContinuation<Int32, Never>]>([])

    private init(pid: pid_t, output: AsyncStream<String>) {
        self.pid = pid
        self.output = output
    }

    /// Starts `executable` with `arguments`.
    static func start(_ executable: String, _ arguments: [String]) throws -> ChildProcess {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 2)
        InheritedDescriptors.close(from: 3, in: &actions)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(ends[1])
        guard result == 0 else {
            close(ends[0])
            throw POSIXError(POSIXErrorCode(rawValue: result) ?? .ENOENT)
        }
        let (output, continuation) = AsyncStream<String>.makeStream()
        let readEnd = ends[0]
        // Blocking reads on a thread of its own, until the end of the output.
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 4_096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                continuation.yield(String(decoding: buffer.prefix(count), as: UTF8.self))
            }
            close(readEnd)
            continuation.finish()
        }
        let child = ChildProcess(pid: pid, output: output)
        Thread.detachNewThread {
            var raw: Int32 = 0
            while waitpid(child.pid, &raw, 0) == -1 && errno == EINTR {}
            let code = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
            child.status.withLock { $0 = code }
            for waiter in child.waiters.withLock({ waiters in
                defer { waiters = [] }; return waiters
            }) { waiter.resume(returning: code) }
        }
        return child
    }

    /// The exit status, once the program has ended (128 + signal when a signal ended it).
    func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            let known: Int32? = status.withLock { status in
                if status == nil { waiters.withLock { $0.append(continuation) } }
                return status
            }
            if let known { continuation.resume(returning: known) }
        }
    }

    /// Asks the program to stop (SIGTERM).
    func terminate() {
        kill(pid, SIGTERM)
    }

    /// Runs `executable` to its end: its status and everything it wrote.
    static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let child = try start(executable, arguments)
        var text = ""
        for await chunk in child.output { text += chunk }
        return (await child.exitStatus(), text)
    }
}
