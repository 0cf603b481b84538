import Logging
import RegieStore
import ServiceLifecycle

/// Links the audit trail's pending events to the chain every ``Configuration/interval``, in
/// every process that serves (``AuditLog/integrate(pool:wait:batchSize:)``).
///
/// Writers only queue their events, so that audited transactions never wait for each other;
/// this round gives them their sequence and hash link soon after they commit. It is not what
/// keeps reads exact: every reader of the trail links first. Several processes may run it at
/// once: a round that finds another at work leaves it to that one (`pg_try_advisory_xact_lock`).
/// No writer sends a NOTIFY to wake it: a NOTIFY takes a lock at commit that would serialise
/// the commits again, so it looks on a short interval instead, at the cost of one indexed read
/// of an empty queue.
struct AuditSequencer: Service {
    /// How often it looks.
    struct Configuration: Sendable {
        /// Between two rounds: short, so that the chain trails the commits by little.
        var interval: Duration

        init(interval: Duration = .milliseconds(200)) {
            precondition(interval > .zero, "the sequencer needs a pause between rounds")
            self.interval = interval
        }
    }

    let trail: AuditTrail
    var configuration = Configuration()
    let logger: Logger

    /// One round: links what is pending, unless another process is linking.
    @discardableResult
    func runOnce() async throws -> Int {
        try await trail.integrate(wait: false)
    }

    func run() async throws {
        await runMaintenance("audit-sequencer", every: configuration.interval, leadership: nil, logger: logger) {
            try await runOnce()
        }
    }
}
