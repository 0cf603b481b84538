import Foundation

/// Runs another program to its end for a test: the interop peers of `Tests/Interop` and
/// `Tests/Peers`, schemathesis, `openssl`. Its standard input is empty; its standard output
/// and error go to files that are read after it exits (a pipe could fill and stall it). It
/// waits without holding a thread of the concurrency pool, which in-process servers need.
public enum ChildProgram {
    /// What a finished program left.
    public struct Finished: Sendable {
        /// Its exit status.
        public var status: Int32
        /// Its standard output; with `mergingErrors`, its standard error too, interleaved.
        public var output: String
        /// Its standard error; empty with `mergingErrors`.
        public var errors: String
    }

    /// The checkout this package is built from (for scripts named by their path in it).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `program` with `arguments`; with `mergingErrors`, standard error goes to the
    /// same file as standard output.
    public static func run(_ program: String, _ arguments: [String], mergingErrors: Bool = false) async throws -> Finished {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ddas-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out")
        let errors = folder.appendingPathComponent("err")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        let outputHandle = try FileHandle(forWritingTo: output)
        let errorHandle = mergingErrors ? outputHandle : try FileHandle(forWritingTo: errors)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        process.standardInput = FileHandle.nullDevice
        let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try outputHandle.close()
        if !mergingErrors { try errorHandle.close() }
        return Finished(
            status: status,
            output: String(decoding: FileManager.default.contents(atPath: output.path) ?? Data(), as: UTF8.self),
            errors: String(decoding: FileManager.default.contents(atPath: errors.path) ?? Data(), as: UTF8.self))
    }

    /// Runs a bash script of the checkout, named by its path in it (`Tests/Interop/jose-peer`).
    public static func script(_ path: String, _ arguments: [String]) async throws -> Finished {
        try await run("/bin/bash", [repositoryRoot.appendingPathComponent(path).path] + arguments)
    }
}
