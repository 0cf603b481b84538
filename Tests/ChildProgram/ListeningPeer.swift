import Foundation

/// An interop peer that serves for a while (an OCSP responder, an SMTP server, a webhook
/// receiver): a script of `Tests/Interop` started as a child process, which prints `port N` on
/// its first line once it listens. Stopping kills it; peers keep nothing.
public final class ListeningPeer: @unchecked Sendable {
    private let process = Process()
    private let output = Pipe()
    private let name: String

    /// Starts the script at `path` (relative to the checkout) with `arguments`.
    public init(script path: String, arguments: [String]) throws {
        name = (path as NSString).lastPathComponent
        process.executableURL = ChildProgram.repositoryRoot.appendingPathComponent(path)
        process.arguments = arguments
        process.standardOutput = output
        try process.run()
    }

    /// Reads the port from the first line, on a thread of its own; fails when the peer ends
    /// before printing it.
    public func waitForPort() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try self.readPort() })
            }
        }
    }

    private func readPort() throws -> Int {
        var line = [UInt8]()
        let handle = output.fileHandleForReading
        while true {
            guard let byte = try handle.read(upToCount: 1), let first = byte.first else {
                throw PeerError.ended(name, String(decoding: line, as: UTF8.self))
            }
            if first == UInt8(ascii: "\n") { break }
            line.append(first)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("port "), let port = Int(text.dropFirst(5)) else { throw PeerError.ended(name, text) }
        return port
    }

    /// Kills the peer and waits for it.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// The peer ended before it listened.
    public enum PeerError: Error, CustomStringConvertible {
        /// The peer's name and the last thing it printed.
        case ended(String, String)

        public var description: String {
            switch self {
            case .ended(let name, let text): "the peer \(name) ended before listening: \(text)"
            }
        }
    }
}
