import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Sends mail to one server over SMTP (RFC 5321): `EHLO`, `STARTTLS` (RFC 3207), `AUTH PLAIN` or
/// `LOGIN` (RFC 4954), `MAIL FROM`, `RCPT TO`, `DATA`, `QUIT`; one connection per message.
///
/// A message is either accepted by the server (`250` after its data) or the call throws an
/// ``SMTPFailure`` that says whether sending it again later may help. The client never logs; its
/// failures name the step and the server's code, never the message.
public struct SMTPClient: Sendable {
    /// Where and how to send.
    public let configuration: SMTPConfiguration
    private let group: any EventLoopGroup

    /// A client for `configuration`, on `group`'s event loops.
    public init(configuration: SMTPConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.group = group
    }

    /// Sends `message`; returns once the server accepted it.
    /// - Throws: ``SMTPFailure``.
    public func send(_ message: MailMessage) async throws(SMTPFailure) {
        let (channel, handshake) = try await connect()
        let deadline = configuration.timeout
        // Closing the channel at the deadline makes the conversation fail with a broken
        // connection; this says that it was the deadline.
        let timedOut = DeadlineFlag()
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await channel.executeThenClose { inbound, outbound in
                        var conversation = SMTPConversation(
                            channel: channel.channel, reader: SMTPReplyReader(inbound), outbound: outbound,
                            configuration: configuration, implicitHandshake: handshake)
                        try await conversation.deliver(message)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .nanoseconds(deadline.nanoseconds))
                    timedOut.fire()
                    try? await channel.channel.close()
                }
                try await group.next()
                group.cancelAll()
                if timedOut.hasFired { throw SMTPFailure(.timeout, "the deadline passed") }
            }
        } catch let failure as SMTPFailure where !timedOut.hasFired {
            try? await channel.channel.close()
            throw failure
        } catch  where timedOut.hasFired {
            throw SMTPFailure(.timeout, "the server did not finish within \(deadline.nanoseconds / 1_000_000) ms")
        } catch {
            try? await channel.channel.close()
            throw SMTPFailure(.connection, "the connection failed: \(type(of: error))")
        }
    }

    private func connect() async throws(SMTPFailure) -> (NIOAsyncChannel<ByteBuffer, ByteBuffer>, EventLoopFuture<Void>?) {
        let configuration = configuration
        do {
            return try await ClientBootstrap(group: group)
                .connectTimeout(.nanoseconds(min(configuration.timeout.nanoseconds, 30_000_000_000)))
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handshake = configuration.security == .implicitTLS ? try TLSHandshakeWaiter.secure(channel, configuration) : nil
                        return (try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel), handshake)
                    }
                }
        } catch {
            throw SMTPFailure(.connection, "\(configuration.host):\(configuration.port) could not be reached: \(type(of: error))")
        }
    }
}

/// Set once when a conversation's deadline passed.
final class DeadlineFlag: Sendable {
    private let fired = Mutex(false)

    func fire() { fired.withLock { $0 = true } }

    var hasFired: Bool { fired.withLock { $0 } }
}
