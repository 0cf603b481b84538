import Foundation
import Postgres
import RegieStore

/// Pulls one delivery from its supplier. The DDAS client implements it; tests script it.
public protocol Puller: Sendable {
    /// Pulls every page of `delivery`; throws a `LeveringFailure` when it cannot.
    func pull(_ delivery: ClaimedLevering) async throws -> PullResult
    /// Sends the manifest of a delivery that was handed over again (the sink's commit step),
    /// for a manifest the sink did not confirm.
    func resendManifest(_ manifest: Data, of levering: UUID) async throws
}

extension Puller {
    /// A puller without a sink of its own has nothing to send.
    public func resendManifest(_ manifest: Data, of levering: UUID) async throws {}
}

/// What a successful pull brings: figures for the attempt row, and the three steps of the
/// hand-over to the CBS sink (see `CBSSink`): `stage` before the transaction that re-checks
/// consent, `record` inside it, `commit` or `discard` after it.
public struct PullResult: Sendable {
    public let figures: LeveringQueue.PogingFigures
    /// Sends the pages to the sink's staging area, outside any transaction.
    public let stage: @Sendable () async throws -> Void
    /// Records the hand-over on the transaction's connection (pages' counts and checksums,
    /// the op-orde-rapport); returns the manifest for the sink's commit step, if any.
    public let record: @Sendable (PostgresConnection) async throws -> Data?
    /// Sends the manifest recorded by `record`: the delivery is complete at CBS.
    public let commit: @Sendable () async throws -> Void
    /// Removes what `stage` sent, when the hand-over did not happen.
    public let discard: @Sendable () async -> Void
    /// Runs once the delivery ended, handed over or not: removes what the pull staged locally.
    public let cleanUp: @Sendable () async -> Void

    public init(
        figures: LeveringQueue.PogingFigures, stage: @escaping @Sendable () async throws -> Void = {},
        record: @escaping @Sendable (PostgresConnection) async throws -> Data?, commit: @escaping @Sendable () async throws -> Void = {},
        discard: @escaping @Sendable () async -> Void = {}, cleanUp: @escaping @Sendable () async -> Void = {}
    ) {
        self.figures = figures
        self.stage = stage
        self.record = record
        self.commit = commit
        self.discard = discard
        self.cleanUp = cleanUp
    }

    /// A result whose hand-over only records in the database (tests, benchmarks).
    public init(
        figures: LeveringQueue.PogingFigures, handOver: @escaping @Sendable (PostgresConnection) async throws -> Void,
        cleanUp: @escaping @Sendable () async -> Void = {}
    ) {
        self.init(
            figures: figures,
            record: { connection in
                try await handOver(connection)
                return nil
            }, cleanUp: cleanUp)
    }
}
