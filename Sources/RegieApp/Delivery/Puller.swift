import Foundation
import Postgres
import RegieStore

/// Pulls one delivery from its supplier. The DDAS client implements it; tests script it.
public protocol Puller: Sendable {
    /// Pulls every page of `delivery`; throws `PullFailure` when it cannot.
    func pull(_ delivery: ClaimedLevering) async throws -> PullResult
}

/// What a successful pull brings: figures for the attempt row, and the hand-over to the CBS
/// sink, which the worker runs inside the transaction that re-checks consent.
public struct PullResult: Sendable {
    public let figures: DeliveryQueue.AttemptFigures
    public let handOver: @Sendable (PostgresConnection) async throws -> Void
    /// Runs once the delivery ended, handed over or not: removes what the pull staged.
    public let cleanUp: @Sendable () async -> Void

    public init(
        figures: DeliveryQueue.AttemptFigures, handOver: @escaping @Sendable (PostgresConnection) async throws -> Void,
        cleanUp: @escaping @Sendable () async -> Void = {}
    ) {
        self.figures = figures
        self.handOver = handOver
        self.cleanUp = cleanUp
    }
}

/// Why a pull failed, as far as retrying is concerned. No personal data in `message`.
public struct PullFailure: Error, Sendable, CustomStringConvertible {
    /// A stable class: `network`, `timeout`, `serverError`, `tooManyRequests`, `brokenPage`, `unauthorized`, ...
    public let errorClass: String
    /// Whether another attempt may succeed.
    public let isRetryable: Bool
    /// What a person reads on the report.
    public let message: String
    /// The supplier's `Retry-After`, in seconds.
    public let retryAfter: TimeInterval?
    public let httpStatus: Int?

    public init(errorClass: String, isRetryable: Bool, message: String, retryAfter: TimeInterval? = nil, httpStatus: Int? = nil) {
        self.errorClass = errorClass
        self.isRetryable = isRetryable
        self.message = message
        self.retryAfter = retryAfter
        self.httpStatus = httpStatus
    }

    public var description: String { "\(errorClass): \(message)" }
}
