import Foundation
import Logging
import RegieStore
import ServiceLifecycle

/// A maintenance loop that removes the attempt rows of deliveries that ended long ago,
/// after `retention`. The deliveries themselves (state, period, counts, pages and their
/// checksums) stay: reports need them. Safe on every replica: a delete by age.
public struct PogingPruner: Service {
    /// How long attempt rows are kept after their delivery ended, and how often it looks.
    public struct Configuration: Sendable {
        public var retention: Duration
        public var interval: Duration

        public init(retention: Duration = .seconds(400 * 86_400), interval: Duration = .seconds(3_600)) {
            precondition(retention >= .seconds(86_400), "attempts are kept at least a day")
            self.retention = retention
            self.interval = interval
        }
    }

    let queue: LeveringQueue
    let configuration: Configuration
    let logger: Logger
    /// Who leads the task among the processes; nil: this process always works.
    let leadership: Leadership?
    let now: @Sendable () -> Date

    public init(
        queue: LeveringQueue, configuration: Configuration = Configuration(), logger: Logger,
        leadership: Leadership? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.queue = queue
        self.configuration = configuration
        self.leadership = leadership
        self.logger = logger
        self.now = now
    }

    /// One pass; returns how many attempt rows it removed.
    @discardableResult
    public func runOnce() async throws -> Int {
        let cutoff = now().addingTimeInterval(-Double(configuration.retention.components.seconds))
        let removed = try await queue.pruneAttempts(endedBefore: cutoff)
        if removed > 0 { logger.info("old delivery attempts removed", metadata: ["count": "\(removed)"]) }
        return removed
    }

    public func run() async throws {
        await runMaintenance("pruner", every: configuration.interval, leadership: leadership, logger: logger) { try await runOnce() }
    }
}
