import Foundation

/// A small process that stops the cluster when the process that owns it dies, however it dies.
///
/// It is `/bin/sh` reading a pipe whose only writer is the owning process. The kernel closes
/// that end when the owner exits (cleanly, on a crash, on SIGKILL); the guardian then runs
/// `pg_ctl stop -m fast` on the folder (`-m immediate` if that fails) and exits. It ignores
/// SIGINT, SIGTERM and SIGHUP and runs in a process group of its own, so Ctrl-C in a
/// terminal reaches the service only, whose clean shutdown stops the server itself (the
/// guardian's stop then finds nothing to stop).
///
/// The guardian shares its owner's hold on `ddas-regie.guardian.lock` and keeps it until its
/// stop has finished. The next owner waits for that lock before it looks at the server, so it
/// never adopts a server that is being stopped under it. The guardian holds neither
/// `ddas-regie.lock` nor anything of the server's, so the next start goes ahead as soon as the
/// stop is done.
///
/// Not `prctl(PR_SET_PDEATHSIG)`: the postmaster's parent is `pg_ctl`, which exits at once;
/// the setting must be made between fork and exec, which `posix_spawn` does not allow; the
/// kernel clears it when `runuser` changes the user (the root case); and it is Linux only.
struct ShutdownGuardian {
    /// How long a new owner waits for an earlier guardian to finish its stop.
    static let stopAllowance: Duration = .seconds(90)

    private var pipeWriter: Int32
    private var lockDescriptor: Int32

    /// Waits until no earlier guardian is stopping the cluster in `dataDirectory`, then starts
    /// one for this process that stops it with `stopCommand` (a `pg_ctl` invocation without
    /// `-m` and `stop`).
    static func start(dataDirectory: String, stopCommand: (String, [String])) async throws -> ShutdownGuardian {
        let lockPath = dataDirectory + "/ddas-regie.guardian.lock"
        let lock = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw failure("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        let deadline = ContinuousClock.now + stopAllowance
        while flock(lock, LOCK_EX | LOCK_NB) != 0 {
            guard ContinuousClock.now < deadline else {
                close(lock)
                throw EmbeddedPostgresError.stillStopping(path: dataDirectory)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        var ends: [Int32] = [-1, -1]
        // Close-on-exec at once: no other child (the postmaster least of all) may hold the
        // write end, or the pipe would outlive the owner.
        guard pipe(&ends) == 0, fcntl(ends[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(ends[1], F_SETFD, FD_CLOEXEC) == 0 else {
            close(lock)
            throw failure("cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        defer { close(ends[0]) }
        do {
            try spawn(reading: ends[0], lock: lock, log: dataDirectory + "/ddas-regie-guardian.log", stopCommand: stopCommand)
        } catch {
            close(ends[1])
            close(lock)
            throw error
        }
        return ShutdownGuardian(pipeWriter: ends[1], lockDescriptor: lock)
    }

    /// Lets the guardian go: it stops the cluster (a no-op when the owner stopped it already)
    /// and exits. The owner's process exiting does the same.
    mutating func release() {
        if pipeWriter >= 0 { close(pipeWriter) }
        if lockDescriptor >= 0 { close(lockDescriptor) }
        pipeWriter = -1
        lockDescriptor = -1
    }

    private static let script = """
        trap '' INT TERM HUP
        while read -r _; do :; done
        "$@" -m fast stop || "$@" -m immediate stop
        """

    private static func spawn(reading: Int32, lock: Int32, log: String, stopCommand: (String, [String])) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, reading, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_adddup2(&actions, lock, 3)
        // Nothing else of the service: the guardian outlives it, and must not keep its sockets open.
        InheritedDescriptors.close(from: 4, in: &actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK))

        let arguments = ["/bin/sh", "-c", script, "ddas-regie-guardian", stopCommand.0] + stopCommand.1
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw failure("cannot start: \(String(cString: strerror(spawned)))") }
        // Reaped when it exits, so that it leaves no zombie behind in a long-lived process.
        let child = pid
        let reaper = Thread {
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        }
        reaper.name = "postgres-guardian-reaper"
        reaper.start()
    }

    private static func failure(_ reason: String) -> EmbeddedPostgresError {
        .commandFailed(command: "the shutdown guardian", status: -1, output: reason)
    }
}
