import CLibPQ
import Foundation
import Logging
import NIOConcurrencyHelpers

/// LISTEN/NOTIFY on a dedicated connection with a dedicated thread.
///
/// The stream yields `.listening` once every channel is listened to (so a caller can
/// send a NOTIFY and know it will be seen), then each notification. When the connection
/// breaks it yields `.interrupted`, reconnects with a growing pause, listens again and
/// yields `.listening` once more: notifications sent in between are lost, so a consumer
/// treats `.listening` as "look for work you may have missed". Ending the iteration (or
/// dropping the stream) stops the thread and closes the connection.
public enum PostgresListener {
    /// What the stream yields.
    public enum Event: Sendable, Equatable {
        /// Every channel is listened to.
        case listening
        /// A notification arrived.
        case notification(channel: String, payload: String)
        /// The connection broke; a reconnect follows.
        case interrupted
    }

    /// Starts listening on `channels` (names of lower-case letters, digits and `_`).
    public static func events(
        configuration: PostgresConfiguration, channels: [String], logger: Logger
    ) throws -> AsyncStream<Event> {
        for channel in channels where !isValidChannel(channel) {
            throw PostgresError(.invalidValue, context: "a channel name must be lower-case letters, digits and _")
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(10_000))
        let stopped = NIOLockedValueBox(false)
        continuation.onTermination = { _ in stopped.withLockedValue { $0 = true } }
        let thread = Thread {
            run(configuration: configuration, channels: channels, continuation: continuation, stopped: stopped, logger: logger)
        }
        thread.name = "postgres-listener"
        thread.start()
        return stream
    }

    static func isValidChannel(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.count <= 63, ("a"..."z").contains(first) || first == "_" else {
            return false
        }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    private static func run(
        configuration: PostgresConfiguration, channels: [String],
        continuation: AsyncStream<Event>.Continuation, stopped: NIOLockedValueBox<Bool>, logger: Logger
    ) {
        var pause = 0.1
        while !stopped.withLockedValue({ $0 }) {
            do {
                let handle = try PostgresConnection.openHandle(configuration: configuration)
                defer { PQfinish(handle) }
                for channel in channels {
                    // Channel names are identifiers, not values: checked above and quoted here.
                    let result = PQexec(handle, "LISTEN \"\(channel)\"")
                    defer { PQclear(result) }
                    _ = try PostgresConnection.rows(from: result, connection: handle)
                }
                pause = 0.1
                continuation.yield(.listening)
                try pump(handle, continuation: continuation, stopped: stopped)
            } catch {
                if stopped.withLockedValue({ $0 }) { break }
                logger.warning("PostgreSQL listener interrupted", metadata: ["error": "\(error)"])
                continuation.yield(.interrupted)
                Thread.sleep(forTimeInterval: pause)
                pause = min(pause * 2, 5)
            }
        }
        continuation.finish()
    }

    /// Waits for input (at most 200 ms at a time, to notice a stop) and yields notifications.
    private static func pump(
        _ handle: OpaquePointer, continuation: AsyncStream<Event>.Continuation, stopped: NIOLockedValueBox<Bool>
    ) throws {
        while !stopped.withLockedValue({ $0 }) {
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 200)
            if ready < 0 && errno != EINTR {
                throw PostgresError(.connectionLost, context: "waiting for notifications failed")
            }
            guard ready > 0 else { continue }
            guard PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK else {
                throw PostgresError(.connectionLost, context: "the listening connection was lost")
            }
            while let notification = PQnotifies(handle) {
                let channel = String(cString: notification.pointee.relname)
                let payload = String(cString: notification.pointee.extra)
                PQfreemem(notification)
                continuation.yield(.notification(channel: channel, payload: payload))
            }
        }
    }
}
