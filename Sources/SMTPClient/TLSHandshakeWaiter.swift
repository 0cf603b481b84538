import NIOCore
import NIOSSL
import NIOTLS

/// Sits right above the TLS handler and tells when its handshake completed or failed, so that
/// nothing is written before the connection is secure and a failed handshake reads as a TLS
/// failure rather than as a broken write.
final class TLSHandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    /// Succeeds with the handshake, fails with the first error or the connection's end before it.
    let done: EventLoopPromise<Void>

    init(done: EventLoopPromise<Void>) {
        self.done = done
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event { done.succeed() }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.fail(ChannelError.eof)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        done.fail(ChannelError.ioOnClosedChannel)
    }

    /// Adds a TLS client handler for `configuration` at the front of `channel`'s pipeline with a
    /// waiter above it; returns the waiter's future. Call on the channel's event loop.
    static func secure(_ channel: any Channel, _ configuration: SMTPConfiguration) throws -> EventLoopFuture<Void> {
        let tls = try NIOSSLClientHandler(context: try configuration.tlsContext(), serverHostname: configuration.serverHostname)
        let waiter = TLSHandshakeWaiter(done: channel.eventLoop.makePromise())
        try channel.pipeline.syncOperations.addHandler(tls, position: .first)
        try channel.pipeline.syncOperations.addHandler(waiter, position: .after(tls))
        return waiter.done.futureResult
    }
}

extension EventLoopFuture where Value == Void {
    /// Waits for a handshake future, its failure as a ``SMTPFailure`` `tls`.
    func handshake() async throws(SMTPFailure) {
        do {
            try await get()
        } catch {
            throw SMTPFailure(.tls, "the TLS handshake failed: \(error)")
        }
    }
}
