import Foundation
import Postgres
import RegieDomain
import RegieTestSupport
import Testing

@testable import RegieStore

@Suite("Delivery queue: claims and supplier slots")
struct LeveringQueueClaimTests {
    let start = Date(timeIntervalSince1970: 1_790_000_000)

    /// A database with `count` gemeenten with consent to xxllnc and the next `count` to bkr,
    /// one due delivery each.
    func queue(_ count: Int, size: Int = 4) async throws -> (LeveringQueue, PostgresPool, xxllnc: [Gemeentecode], bkr: [Gemeentecode]) {
        let pool = try await LeveringFixtures.database(poolSize: size)
        let codes = try LeveringFixtures.gemeenten(count * 2)
        let (xxllnc, bkr) = (Array(codes.prefix(count)), Array(codes.suffix(count)))
        try await LeveringFixtures.grantConsent(xxllnc, supplier: "xxllnc", pool: pool)
        try await LeveringFixtures.grantConsent(bkr, supplier: "bkr", pool: pool)
        let queue = LeveringQueue(pool: pool, jitter: { 1 })
        try await queue.enqueue(
            LeveringFixtures.requests(xxllnc, supplier: "xxllnc", notBefore: start)
                + LeveringFixtures.requests(bkr, supplier: "bkr", notBefore: start))
        return (queue, pool, xxllnc, bkr)
    }

    /// The running count the supplier's slot row holds, and the running deliveries it counts.
    func slot(_ supplier: String, _ pool: PostgresPool) async throws -> (bezet: Int, running: Int) {
        let row = try await pool.query(
            """
            SELECT s.bezet, (SELECT count(*) FROM leveringen l WHERE l.leverancier_id = s.leverancier_id AND l.status = 'bezig') AS running
            FROM leverancier_slots s WHERE s.leverancier_id = $1
            """, [supplier]
        ).first
        return (try row?.decode("bezet", as: Int.self) ?? -1, try row?.decode("running", as: Int.self) ?? -1)
    }

    func states(_ pool: PostgresPool) async throws -> [UUID: LeveringState] {
        try await pool.query("SELECT \(LeveringQueue.stateColumns) FROM leveringen").reduce(into: [:]) {
            $0[try $1.decode("id", as: UUID.self)] = try LeveringQueue.levering($1)
        }
    }

    @Test("a claim writes for every delivery it takes exactly what the lifecycle decides for it, a first attempt or a retry")
    func claimAppliesTheLifecycle() async throws {
        let (queue, pool, _, _) = try await queue(3)
        // One of them failed once already: a retry keeps its start and counts on.
        let first = try await queue.claim(owner: "w0", limit: 1, perSupplierLimit: 10, lease: .seconds(60), now: start)
        try #require(first.count == 1)
        try await queue.fail(
            first[0].id, owner: "w0", failure: LeveringFailure(.network, "connection reset"), figures: .init(), now: start + 1)
        let later = start.addingTimeInterval(3_600)
        let before = try await states(pool)
        let claimed = try await queue.claim(owner: "w1", limit: 10, perSupplierLimit: 10, lease: .seconds(90), now: later)
        #expect(claimed.count == 6)
        let after = try await states(pool)
        for delivery in claimed {
            let decided = LeveringLifecycle().decide(
                try #require(before[delivery.id]), .claimed(owner: "w1", leaseUntil: later.addingTimeInterval(90)), now: later)
            guard case .success(let decision) = decided else {
                Issue.record("the lifecycle refused a claimed delivery")
                continue
            }
            #expect(after[delivery.id] == decision.state)
            #expect(delivery.poging == decision.state.attempts)
            #expect(delivery.leaseTot == decision.state.leaseUntil)
        }
        #expect(after[first[0].id]?.attempts == 2)
        #expect(after[first[0].id]?.startedAt == start)
        let attempts = try await pool.query("SELECT count(*) AS n FROM levering_pogingen WHERE gestart_op = $1", [later])
        #expect(try attempts.first?.decode("n", as: Int.self) == 6)
        await pool.close()
    }

    @Test(
        "while one claim holds a supplier's slot, a claim still takes another supplier's deliveries at once, and the first supplier's later"
    )
    func suppliersDoNotWaitForEachOther() async throws {
        let (queue, pool, xxllnc, bkr) = try await queue(3, size: 4)
        let holding = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await pool.withTransaction { connection in
                try await connection.query("SELECT bezet FROM leverancier_slots WHERE leverancier_id = 'xxllnc' FOR UPDATE")
                holding.continuation.yield()
                for await _ in release.stream { break }
            }
        }
        for await _ in holding.stream { break }
        let claimed = try await withThrowingTaskGroup(of: [ClaimedLevering]?.self) { group in
            group.addTask { try await queue.claim(owner: "w", limit: 10, perSupplierLimit: 10, lease: .seconds(60), now: start) }
            group.addTask {
                try await Task.sleep(for: .seconds(20))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        #expect(Set(try #require(claimed, "the claim waited for the other supplier's slot").map(\.gemeente)) == Set(bkr))
        release.continuation.yield()
        try await holder.value
        let rest = try await queue.claim(owner: "w", limit: 10, perSupplierLimit: 10, lease: .seconds(60), now: start)
        #expect(Set(rest.map(\.gemeente)) == Set(xxllnc))
        await pool.close()
    }

    @Test("with many claimers at once a supplier never runs more than its limit, and every end of an attempt frees its slot")
    func exactLimitAndSlotsFree() async throws {
        let (queue, pool, _, _) = try await queue(12, size: 8)
        let claims = try await withThrowingTaskGroup(of: [(owner: String, levering: ClaimedLevering)].self) { group in
            for worker in 0..<6 {
                group.addTask {
                    try await queue.claim(owner: "w\(worker)", limit: 3, perSupplierLimit: 4, lease: .seconds(30), now: start).map {
                        ("w\(worker)", $0)
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let claimed = claims.map(\.levering)
        #expect(claimed.filter { $0.leverancierID == "xxllnc" }.count == 4)
        #expect(claimed.filter { $0.leverancierID == "bkr" }.count == 4)
        #expect(try await slot("xxllnc", pool) == (4, 4))
        // The four of xxllnc end four ways: handed over, failed, cancelled, rescued.
        let mine = claims.filter { $0.levering.leverancierID == "xxllnc" }.map { (id: $0.levering.id, owner: $0.owner) }
        #expect(try await queue.handOver(mine[0].id, owner: mine[0].owner, figures: .init(), now: start + 1) { _ in nil } == .handedOver)
        try await queue.fail(mine[1].id, owner: mine[1].owner, failure: LeveringFailure(.timeout, "slow"), figures: .init(), now: start + 1)
        #expect(try await queue.cancelRunning(mine[2].id, owner: mine[2].owner, now: start + 1))
        #expect(try await slot("xxllnc", pool) == (1, 1))
        #expect(try await queue.rescue(now: start.addingTimeInterval(31)) == 5)
        #expect(try await slot("xxllnc", pool) == (0, 0))
        #expect(try await slot("bkr", pool) == (0, 0))
        let next = try await queue.claim(owner: "w", limit: 20, perSupplierLimit: 4, lease: .seconds(30), now: start.addingTimeInterval(32))
        #expect(next.filter { $0.leverancierID == "xxllnc" }.count == 4)
        #expect(try await slot("xxllnc", pool) == (4, 4))
        await pool.close()
    }
}
