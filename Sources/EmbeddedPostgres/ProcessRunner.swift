import Foundation

/// Runs a program to completion and returns its exit status and output.
///
/// Foundation's `Process` is not used: on Linux it learns of a child's exit through a
/// descriptor that grandchildren inherit, so a program that leaves a daemon behind
/// (`pg_ctl start` leaves the postmaster) never "exits". Here the child is started with
/// `posix_spawn` and reaped with `waitpid` on a thread of its own, so the wait blocks
/// neither Swift's cooperative pool nor an event loop.
enum ProcessRunner {
    struct Outcome: Sendable {
        let status: Int32
        let output: String
    }

    static func run(_ executable: String, _ arguments: [String]) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try runBlocking(executable, arguments) })
            }
            thread.name = "process-runner"
            thread.start()
        }
    }

    /// Runs the program on the calling thread, which it blocks until the program exits.
    static func runBlocking(_ executable: String, _ arguments: [String]) throws -> Outcome {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("ddas-regie-\(UUID().uuidString).out").path
        defer { unlink(outputPath) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of this process: a child that kept its sockets open (the postmaster lives on)
        // would keep connections alive that this process closed.
        InheritedDescriptors.close(from: 3, in: &actions)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw EmbeddedPostgresError.commandFailed(
                command: URL(fileURLWithPath: executable).lastPathComponent, status: -1,
                output: "cannot start: \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { break }
        }
        let exitStatus: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Outcome(status: exitStatus, output: output)
    }
}
