import Foundation
import Logging
import RegieStore
import ServiceLifecycle

/// A maintenance loop: returns deliveries whose lease expired (their worker died or hung)
/// to the queue, or gives them up at their last attempt, and cancels queued deliveries whose
/// consent ended, and reports the queue's metrics; `LeveringLifecycle` decides each change.
/// Safe on every replica: the rescue skips rows a worker holds locked and the lifecycle
/// re-checks state and expiry, so it never undoes a worker that just finished.
public struct LeaseRescuer: Service {
    /// How often it looks.
    public struct Configuration: Sendable {
        public var interval: Duration

        public init(interval: Duration = .seconds(30)) {
            precondition(interval >= .milliseconds(10), "the rescuer interval is at least 10 ms")
            self.interval = interval
        }
    }

    let queue: LeveringQueue
    let configuration: Configuration
    let logger: Logger
    /// Who leads the task among the processes; nil: this process always works.
    let leadership: Leadership?
    let now: @Sendable () -> Date
    let metrics: LeveringMetrics

    public init(
        queue: LeveringQueue, configuration: Configuration = Configuration(), logger: Logger,
        leadership: Leadership? = nil, now: @escaping @Sendable () -> Date = { Date() },
        metrics: LeveringMetrics = LeveringMetrics()
    ) {
        self.metrics = metrics
        self.queue = queue
        self.configuration = configuration
        self.leadership = leadership
        self.logger = logger
        self.now = now
    }

    /// One pass; returns how many deliveries it rescued. It also takes deliveries whose
    /// consent ended out of the queue (cancelled, with the reason).
    @discardableResult
    public func runOnce() async throws -> Int {
        let time = now()
        let rescued = try await queue.rescue(now: time)
        if rescued > 0 { logger.notice("deliveries rescued from expired leases", metadata: ["count": "\(rescued)"]) }
        let cancelled = try await queue.cancelWithoutConsent(now: time)
        if cancelled > 0 { logger.notice("queued deliveries without active consent cancelled", metadata: ["count": "\(cancelled)"]) }
        metrics.rescued(rescued)
        let statistics = try await queue.statistics(now: time)
        metrics.queue(byState: statistics.byState, waiting: statistics.waiting, oldestWaitingSeconds: statistics.oldestWaitingSeconds)
        return rescued
    }

    public func run() async throws {
        await runMaintenance("rescuer", every: configuration.interval, leadership: leadership, logger: logger) { try await runOnce() }
    }
}
