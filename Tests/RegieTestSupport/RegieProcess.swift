import EmbeddedPostgres
import Foundation
import Synchronization

/// A `ddas-regie` process started by a test: posix_spawn, output to a file, reaped on a
/// thread of its own (Foundation's `Process` would also wait for the PostgreSQL the
/// service leaves running, since it inherits the descriptor `Process` watches).
public final class RegieProcess: Sendable {
    /// The process id.
    public let pid: pid_t
    private let outputPath: String
    private let status = Mutex<Int32?>(nil)
    private let waiters = Mutex<[CheckedContinuation<Int32, Never>]>([])

    /// The built executable, beside the test bundle.
    public static var executable: String {
        let bundleFolder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        return bundleFolder.appendingPathComponent("ddas-regie").path
    }

    private init(pid: pid_t, outputPath: String) {
        self.pid = pid
        self.outputPath = outputPath
    }

    /// Starts the executable with `arguments` and the checkout's resources; standard input
    /// from the file `input` (default none).
    public static func start(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> RegieProcess {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw POSIXError(.ENOENT)
        }
        let outputPath = NSTemporaryDirectory() + "ddas-regie-test-\(UUID().uuidString).log"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // None of the test process's own sockets: a service that kept them would keep the tests' connections alive.
        InheritedDescriptors.close(from: 3, in: &actions)
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DDAS_") }
        variables["DDAS_RESOURCES_DIR"] = TestPostgres.repositoryRoot.path
        variables.merge(environment) { _, new in new }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        let process = RegieProcess(pid: pid, outputPath: outputPath)
        let thread = Thread { process.reap() }
        thread.start()
        return process
    }

    /// Runs the executable to completion.
    public static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) async throws -> (
        status: Int32, output: String
    ) {
        let process = try start(arguments, environment: environment, input: input)
        let status = await process.exitStatus()
        return (status, process.output())
    }

    private func reap() {
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        let code: Int32 = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        let pending = waiters.withLock { waiting -> [CheckedContinuation<Int32, Never>] in
            status.withLock { $0 = code }
            defer { waiting = [] }
            return waiting
        }
        pending.forEach { $0.resume(returning: code) }
    }

    public var hasExited: Bool { status.withLock { $0 } != nil }

    /// Waits for the process to exit and returns its status (128 + signal when killed).
    public func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            let known: Int32? = waiters.withLock { waiting in
                if let code = status.withLock({ $0 }) { return code }
                waiting.append(continuation)
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }

    /// Everything the process wrote to standard output and error so far.
    public func output() -> String {
        // Decoded as bytes: reading the file as a String would drop a leading byte order mark.
        String(decoding: FileManager.default.contents(atPath: outputPath) ?? Data(), as: UTF8.self)
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago, chosen below the kernel's ephemeral
    /// range: a port the kernel hands out for `bind(0)` (a test server) or for an outgoing
    /// connection can then never take it between this check and the child's own bind.
    public static func freePort() throws -> Int {
        let ephemeralStart = ephemeralPortRangeStart()
        let lowest = 10_000
        guard ephemeralStart > lowest + 1_000 else { return try kernelChosenPort() }
        for _ in 0..<500 {
            let candidate = Int.random(in: lowest..<ephemeralStart)
            if canBind(candidate) { return candidate }
        }
        return try kernelChosenPort()
    }

    /// The first port of `net.ipv4.ip_local_port_range` (32768 unless changed).
    static func ephemeralPortRangeStart() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8),
            let first = text.split(whereSeparator: \.isWhitespace).first.flatMap({ Int($0) })
        else { return 32_768 }
        return first
    }

    /// Whether a listening socket could bind `port` on 127.0.0.1 now.
    static func canBind(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        return withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        } == 0
    }

    /// A port the kernel chose for `bind(0)`, for a machine whose ephemeral range leaves no room below it.
    static func kernelChosenPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
