import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Synchronization
import Testing

@Suite("Delivery queue")
struct LeveringQueueTests {
    let start = Date(timeIntervalSince1970: 1_790_000_000)

    func queue(size: Int = 4) async throws -> (LeveringQueue, PostgresPool) {
        let pool = try await LeveringFixtures.database(poolSize: size)
        return (LeveringQueue(pool: pool), pool)
    }

    func consent(_ count: Int, pool: PostgresPool) async throws {
        try await LeveringFixtures.grantConsent(try LeveringFixtures.gemeenten(count), pool: pool)
    }

    func requests(_ count: Int, supplier: String = "xxllnc", maxPogingen: Int = 3) async throws -> [LeveringRequest] {
        LeveringFixtures.requests(try LeveringFixtures.gemeenten(count), supplier: supplier, maxPogingen: maxPogingen, notBefore: start)
    }

    @Test("the queue's partial indexes name the statuses the lifecycle claims from and leases, so the queue's SQL can use them")
    func partialIndexesMatchTheLifecycle() async throws {
        let (_, pool) = try await queue(size: 1)
        let rows = try await pool.query(
            """
            SELECT c.relname AS name, pg_get_expr(i.indpred, i.indrelid) AS predicate
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = 'leveringen'::regclass AND i.indpred IS NOT NULL AND pg_get_expr(i.indpred, i.indrelid) LIKE '%status%'
            """)
        var statuses: [String: Set<String>] = [:]
        for row in rows {
            let predicate = try row.decode("predicate", as: String.self)
            let named = predicate.matches(of: /'([a-z_]+)'::text/).map { String($0.output.1) }
            statuses[try row.decode("name", as: String.self)] = Set(named)
        }
        let waiting = Set(LeveringStatus.waiting.map(\.rawValue))
        #expect(statuses["leveringen_wachtrij_idx"] == waiting)
        #expect(statuses["leveringen_wachtrij_leverancier_idx"] == waiting)
        #expect(statuses["leveringen_volgende_idx"] == waiting)
        #expect(statuses["leveringen_lease_idx"] == [LeveringStatus.bezig.rawValue])
        #expect(statuses["leveringen_bezig_leverancier_idx"] == [LeveringStatus.bezig.rawValue])
        await pool.close()
    }

    @Test("enqueueing twice, or from two schedulers at once, makes each delivery once")
    func noDuplicates() async throws {
        let (queue, pool) = try await queue()
        let batch = try await requests(50)
        let inserted = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<2 { group.addTask { try await queue.enqueue(batch) } }
            return try await group.reduce(0, +)
        }
        #expect(inserted == 50)
        #expect(try await queue.enqueue(batch) == 0)
        #expect(try await pool.query("SELECT count(*) AS n FROM leveringen").first?.decode("n", as: Int.self) == 50)
        await pool.close()
    }

    @Test("concurrent claimers take every due delivery exactly once; nothing before its time")
    func claimsOnce() async throws {
        let (queue, pool) = try await queue(size: 6)
        try await consent(200, pool: pool)
        try await queue.enqueue(try await requests(200))
        #expect(
            try await queue.claim(owner: "early", limit: 10, perSupplierLimit: 1000, lease: .seconds(60), now: start.addingTimeInterval(-1))
                .isEmpty)
        let claimed = try await withThrowingTaskGroup(of: [UUID].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var mine: [UUID] = []
                    while true {
                        let batch = try await queue.claim(
                            owner: "w\(worker)", limit: 7, perSupplierLimit: 1000, lease: .seconds(60), now: start)
                        if batch.isEmpty { return mine }
                        mine += batch.map(\.id)
                    }
                }
            }
            return try await group.reduce(into: [UUID]()) { $0 += $1 }
        }
        #expect(claimed.count == 200)
        #expect(Set(claimed).count == 200)
        await pool.close()
    }

    @Test("the per-supplier limit holds across claimers")
    func perSupplierLimit() async throws {
        let (queue, pool) = try await queue()
        try await consent(20, pool: pool)
        try await queue.enqueue(try await requests(20, supplier: "xxllnc"))
        let first = try await queue.claim(owner: "a", limit: 10, perSupplierLimit: 3, lease: .seconds(60), now: start)
        let second = try await queue.claim(owner: "b", limit: 10, perSupplierLimit: 3, lease: .seconds(60), now: start)
        #expect(first.count == 3)
        #expect(second.isEmpty)
        await pool.close()
    }

    @Test("only the lease holder finishes; a rescued delivery's late worker is refused; the rescuer leaves finished work alone")
    func leases() async throws {
        let (queue, pool) = try await queue()
        try await consent(2, pool: pool)
        try await queue.enqueue(try await requests(2, maxPogingen: 2))
        let claimed = try await queue.claim(owner: "w1", limit: 2, perSupplierLimit: 10, lease: .seconds(30), now: start)
        #expect(claimed.count == 2)
        let (done, stuck) = (claimed[0], claimed[1])
        #expect(try await queue.heartbeat(done.id, owner: "other", leaseUntil: start.addingTimeInterval(60)) == false)
        #expect(try await queue.heartbeat(done.id, owner: "w1", leaseUntil: start.addingTimeInterval(60)))
        let finished = try await pool.withTransaction { connection in
            try await queue.complete(
                done.id, owner: "w1", figures: .init(httpStatus: 200, pages: 1, records: 10, bytes: 512), now: start, on: connection)
        }
        #expect(finished)
        // 45 s later the stuck one's lease (30 s) has expired; the finished one is left alone.
        #expect(try await queue.rescue(now: start.addingTimeInterval(45)) == 1)
        #expect(try await queue.state(done.id)?.status == "geslaagd")
        #expect(try await queue.state(stuck.id)?.status == "mislukt")
        let late = try await pool.withTransaction { connection in
            try await queue.complete(stuck.id, owner: "w1", figures: .init(), now: start.addingTimeInterval(46), on: connection)
        }
        #expect(late == false)
        // Claimed again and lost again at its last attempt: given up.
        let again = try await queue.claim(
            owner: "w2", limit: 1, perSupplierLimit: 10, lease: .seconds(30), now: start.addingTimeInterval(50))
        #expect(again.map(\.poging) == [2])
        #expect(try await queue.rescue(now: start.addingTimeInterval(100)) == 1)
        #expect(try await queue.state(stuck.id)?.status == "opgegeven")
        let attempts = try await pool.query("SELECT count(*) AS n FROM levering_pogingen WHERE levering_id = $1", [stuck.id])
        #expect(try attempts.first?.decode("n", as: Int.self) == 2)
        await pool.close()
    }

    @Test("a failure goes back to the queue at its next attempt time, or is given up when final")
    func failures() async throws {
        let pool = try await LeveringFixtures.database()
        // A failed attempt waits exactly 120 s.
        let queue = LeveringQueue(
            pool: pool, lifecycle: LeveringLifecycle(fallback: RetryPolicy(baseDelay: 120, maxDelay: 120)), jitter: { 1 })
        try await consent(2, pool: pool)
        try await queue.enqueue(try await requests(2))
        let claimed = try await queue.claim(owner: "w", limit: 2, perSupplierLimit: 10, lease: .seconds(30), now: start)
        let retry = start.addingTimeInterval(120)
        #expect(
            try await queue.fail(
                claimed[0].id, owner: "w", failure: LeveringFailure(.serverError, "HTTP 503", httpStatus: 503),
                figures: .init(httpStatus: 503),
                now: start) != nil)
        #expect(
            try await queue.fail(
                claimed[1].id, owner: "w", failure: LeveringFailure(.forbidden, "HTTP 403", httpStatus: 403),
                figures: .init(httpStatus: 403),
                now: start) != nil)
        #expect(try await queue.state(claimed[0].id)?.status == "mislukt")
        #expect(try await queue.state(claimed[1].id)?.status == "opgegeven")
        #expect(
            try await queue.claim(owner: "w", limit: 5, perSupplierLimit: 10, lease: .seconds(30), now: start.addingTimeInterval(60))
                .isEmpty)
        #expect(
            try await queue.claim(owner: "w", limit: 5, perSupplierLimit: 10, lease: .seconds(30), now: retry).map(\.id) == [claimed[0].id])
        await pool.close()
    }

    @Test("no consent, no pull: a due delivery without active consent is never claimed, and maintenance cancels it with the reason")
    func noConsentNoPull() async throws {
        let (queue, pool) = try await queue()
        try await consent(1, pool: pool)
        let batch = try await requests(3)
        try await queue.enqueue(batch)
        let claimed = try await queue.claim(owner: "w", limit: 10, perSupplierLimit: 10, lease: .seconds(30), now: start)
        #expect(claimed.map(\.gemeente) == [batch[0].gemeente])
        #expect(try await queue.claim(owner: "w", limit: 10, perSupplierLimit: 10, lease: .seconds(30), now: start).isEmpty)
        #expect(try await queue.cancelWithoutConsent(now: start) == 2)
        let cancelled = try await pool.query(
            "SELECT count(*) AS n FROM leveringen WHERE status = 'geannuleerd' AND laatste_fout_klasse = 'consentWithdrawn'")
        #expect(try cancelled.first?.decode("n", as: Int.self) == 2)
        await pool.close()
    }

    @Test("hand-over re-checks consent in its transaction: revoked before, nothing is handed over and the delivery is cancelled")
    func handOverChecksConsent() async throws {
        let (queue, pool) = try await queue()
        try await consent(2, pool: pool)
        try await queue.enqueue(try await requests(2))
        let claimed = try await queue.claim(owner: "w", limit: 2, perSupplierLimit: 10, lease: .seconds(30), now: start)
        #expect(claimed.count == 2)
        let handedOver = Mutex<[UUID]>([])
        #expect(
            try await queue.handOver(claimed[0].id, owner: "w", figures: .init(records: 5), now: start) { _ in
                handedOver.withLock { $0.append(claimed[0].id) }
                return Data(#"{"manifest":1}"#.utf8)
            } == .handedOver)
        try await pool.query(
            "UPDATE toestemmingen SET ingetrokken_op = now(), ingetrokken_door = 'test', intrekkingsreden = 'test' WHERE gemeente_code = $1",
            [claimed[1].gemeente.rawValue])
        #expect(
            try await queue.handOver(claimed[1].id, owner: "w", figures: .init(records: 5), now: start) { _ in
                handedOver.withLock { $0.append(claimed[1].id) }
                return Data(#"{"manifest":2}"#.utf8)
            } == .consentWithdrawn)
        #expect(handedOver.withLock { $0 } == [claimed[0].id])
        #expect(try await queue.state(claimed[0].id)?.status == "geslaagd")
        #expect(try await queue.state(claimed[1].id)?.status == "geannuleerd")
        #expect(try await queue.handOver(claimed[0].id, owner: "w", figures: .init(), now: start) { _ in nil } == .leaseLost)
        // The manifest of the delivery handed over waits for the sink's confirmation; the cancelled one has none.
        let pending = try await queue.unconfirmedManifests(recordedBefore: start.addingTimeInterval(1), limit: 10)
        #expect(pending.map(\.levering) == [claimed[0].id])
        #expect(pending.first?.manifest == Data(#"{"manifest":1}"#.utf8))
        #expect(try await queue.unconfirmedManifests(recordedBefore: start, limit: 10).isEmpty)
        try await queue.confirmManifest(claimed[0].id, now: start)
        #expect(try await queue.unconfirmedManifests(recordedBefore: start.addingTimeInterval(1), limit: 10).isEmpty)
        await pool.close()
    }

    @Test("revoking consent and switching supplier cancel the gemeente's queued deliveries")
    func revocationCancelsQueued() async throws {
        let (queue, pool) = try await queue()
        let store = OnboardingStore(pool: pool, workflows: try TestPostgres.workflows)
        let code = try #require(Gemeentecode("GM0363"))
        let hash = String(repeating: "ef", count: 32)
        try await store.assignSupplier(
            code, stroom: .vs, leverancierID: "xxllnc", organisatienaam: "Amsterdam", actor: .commandLine, expectedVersion: nil)
        let records = try await store.giveConsent(
            code,
            .init(
                leverancierID: "xxllnc", stromen: [.vs], besluitdatum: PostgresDate(year: 2025, month: 10, day: 1),
                besluitvormendOrgaan: "college",
                documentreferentie: "B-2", documentSHA256: hash, geldigVan: PostgresDate(year: 2025, month: 11, day: 1), geldigTot: nil),
            actor: .commandLine, expectedVersion: nil)
        func request(_ periode: String, supplier: String) -> LeveringRequest {
            LeveringRequest(
                gemeente: code, leverancierID: supplier, stroom: .vs, periode: periode,
                periodeStart: PostgresDate(year: 2026, month: 1, day: 1),
                periodeEind: PostgresDate(year: 2026, month: 3, day: 31), doel: "herlevering", maxPogingen: 3, notBefore: start)
        }
        try await queue.enqueue([request("2026-Q1", supplier: "xxllnc"), request("2025-Q4", supplier: "xxllnc")])
        _ = try await store.revokeConsent(
            code, consent: try #require(records.first?.id), reason: "besluit", actor: .commandLine, expectedVersion: nil)
        let statuses = try await pool.query("SELECT DISTINCT status FROM leveringen").map { try $0.decode("status", as: String.self) }
        #expect(statuses == ["geannuleerd"])

        try await queue.enqueue([request("2025-Q3", supplier: "xxllnc")])
        try await store.assignSupplier(
            code, stroom: .vs, leverancierID: "bkr", organisatienaam: "Amsterdam", actor: .commandLine, expectedVersion: nil)
        let open = try await pool.query("SELECT count(*) AS n FROM leveringen WHERE status IN ('gepland', 'mislukt')")
        #expect(try open.first?.decode("n", as: Int.self) == 0)
        await pool.close()
    }
}
