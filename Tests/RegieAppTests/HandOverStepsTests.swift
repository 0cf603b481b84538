import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Synchronization
import Testing

@testable import RegieApp

/// A puller whose hand-over steps are recorded, and whose staging can act in between.
final class SteppedPuller: Puller {
    let steps = Mutex<[String]>([])
    let resent = Mutex<[UUID]>([])
    /// Runs while the pages are staged (a revocation that commits meanwhile, a slow sink).
    let whileStaging: @Sendable (ClaimedLevering) async throws -> Void
    let commitFails: Bool

    init(commitFails: Bool = false, whileStaging: @escaping @Sendable (ClaimedLevering) async throws -> Void = { _ in }) {
        self.commitFails = commitFails
        self.whileStaging = whileStaging
    }

    func pull(_ delivery: ClaimedLevering) async throws -> PullResult {
        PullResult(
            figures: .init(httpStatus: 200, pages: 1, records: 3, bytes: 100),
            stage: { [self] in
                steps.withLock { $0.append("stage") }
                try await whileStaging(delivery)
            },
            record: { [self] _ in
                steps.withLock { $0.append("record") }
                return Data(#"{"levering":"\#(delivery.id)"}"#.utf8)
            },
            commit: { [self] in
                steps.withLock { $0.append("commit") }
                if commitFails { throw LeveringFailure(.sink, "intake down") }
            },
            discard: { [self] in steps.withLock { $0.append("discard") } })
    }

    func resendManifest(_ manifest: Data, of levering: UUID) async throws {
        resent.withLock { $0.append(levering) }
    }
}

@Suite("Hand-over in three steps")
struct HandOverStepsTests {
    let start = Date(timeIntervalSince1970: 1_790_000_000)

    /// A database with one gemeente with consent and one delivery due at `start`.
    func oneQueuedDelivery() async throws -> PostgresPool {
        let pool = try await LeveringFixtures.database()
        let codes = try LeveringFixtures.gemeenten(1)
        try await LeveringFixtures.grantConsent(codes, pool: pool)
        try await LeveringQueue(pool: pool).enqueue(LeveringFixtures.requests(codes, notBefore: start))
        return pool
    }

    func worker(_ pool: PostgresPool, _ puller: some Puller, at time: Date) -> LeveringWorker {
        LeveringWorker(
            queue: LeveringQueue(
                pool: pool, lifecycle: LeveringLifecycle(fallback: RetryPolicy(baseDelay: 60, maxDelay: 60)), jitter: { 1 }),
            puller: puller,
            configuration: .init(owner: "w", concurrency: 4, perSupplierLimit: 4, lease: .seconds(60), heartbeat: .seconds(20)),
            notifications: nil, logger: TestPostgres.logger, now: { time })
    }

    @Test("staged, recorded in one short transaction, then committed; no connection is held while the sink stages")
    func stagedRecordedCommitted() async throws {
        let pool = try await oneQueuedDelivery()
        let held = Mutex<[Int]>([])
        // While the sink is busy, no transaction of the hand-over is open on the database.
        let puller = SteppedPuller { _ in
            let open = try await pool.query(
                "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'"
            ).first?.decode("n", as: Int.self)
            held.withLock { $0.append(open ?? -1) }
        }
        #expect(try await worker(pool, puller, at: start).runOnce() == 1)
        #expect(puller.steps.withLock { $0 } == ["stage", "record", "commit"])
        #expect(held.withLock { $0 } == [0])
        #expect(try await LeveringQueue(pool: pool).unconfirmedManifests(recordedBefore: start.addingTimeInterval(3600), limit: 10).isEmpty)
        await pool.close()
    }

    @Test("consent revoked while the sink stages: nothing is recorded or committed, the staged pages are discarded")
    func revokedWhileStaging() async throws {
        let pool = try await oneQueuedDelivery()
        let puller = SteppedPuller { delivery in
            try await pool.query(
                "UPDATE toestemmingen SET ingetrokken_op = now(), ingetrokken_door = 'test', intrekkingsreden = 'test' WHERE gemeente_code = $1",
                [delivery.gemeente.rawValue])
        }
        #expect(try await worker(pool, puller, at: start).runOnce() == 1)
        #expect(puller.steps.withLock { $0 } == ["stage", "discard"])
        let status = try await pool.query("SELECT status FROM leveringen").first?.decode("status", as: String.self)
        #expect(status == "geannuleerd")
        let pages = try await pool.query("SELECT count(*) AS n FROM levering_paginas").first?.decode("n", as: Int.self)
        #expect(pages == 0)
        await pool.close()
    }

    @Test("a manifest the sink did not take stays handed over and is sent again by a later pass until confirmed")
    func manifestSentAgain() async throws {
        let pool = try await oneQueuedDelivery()
        let failing = SteppedPuller(commitFails: true)
        #expect(try await worker(pool, failing, at: start).runOnce() == 1)
        let status = try await pool.query("SELECT id, status FROM leveringen").first
        #expect(try status?.decode("status", as: String.self) == "geslaagd")
        // Within the grace the worker that recorded it is left to it; after, the next pass sends it.
        let later = SteppedPuller()
        #expect(await worker(pool, later, at: start.addingTimeInterval(10)).resendManifests() == 0)
        #expect(await worker(pool, later, at: start.addingTimeInterval(LeveringWorker.manifestGrace + 1)).resendManifests() == 1)
        #expect(later.resent.withLock { $0 } == [try #require(try status?.decode("id", as: UUID.self))])
        #expect(await worker(pool, later, at: start.addingTimeInterval(LeveringWorker.manifestGrace + 2)).resendManifests() == 0)
        await pool.close()
    }
}
