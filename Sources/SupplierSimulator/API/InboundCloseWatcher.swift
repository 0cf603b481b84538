import NIOCore

/// Notices that the client closed its side of the connection.
///
/// Hummingbird allows remote half-closure, so a client that gives up and closes leaves the
/// channel active; a stalled body would then wait out its whole limit. This handler (in the
/// pipeline of every connection) records the `inputClosed` event, and a stalled body polls it.
final class InboundCloseWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private(set) var inputClosed = false

    init() {}

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .some(ChannelEvent.inputClosed) = event as? ChannelEvent { inputClosed = true }
        context.fireUserInboundEventTriggered(event)
    }

    /// How a wait on a connection ended.
    enum WaitEnd: String {
        case clientClosed
        case limitReached
    }

    /// Waits until the client hangs up or `limit` passes, whichever is first; throws when the
    /// task is cancelled (the server stops).
    static func waitWhileConnected(_ channel: any Channel, atMost limit: Duration) async throws -> WaitEnd {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        while clock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            guard channel.isActive else { return .clientClosed }
            let closed = try? await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.handler(type: InboundCloseWatcher.self).inputClosed
            }.get()
            if closed == true { return .clientClosed }
        }
        return .limitReached
    }
}
