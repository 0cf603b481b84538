import Foundation
import MetricsTestKit
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Synchronization
import Testing

@testable import RegieApp

/// A puller that does what the test says, per gemeente, and counts hand-overs.
final class ScriptedPuller: Puller {
    enum Step: Sendable {
        case succeed
        case fail(LeveringFailure)
        /// Waits until cancelled (a hung supplier, or a worker about to die).
        case hang
    }

    let script: @Sendable (ClaimedLevering) -> Step
    let handedOver = Mutex<[UUID]>([])
    let started = Mutex<[UUID]>([])

    init(_ script: @escaping @Sendable (ClaimedLevering) -> Step) {
        self.script = script
    }

    func pull(_ delivery: ClaimedLevering) async throws -> PullResult {
        started.withLock { $0.append(delivery.id) }
        switch script(delivery) {
        case .succeed:
            return PullResult(figures: .init(httpStatus: 200, pages: 1, records: 3, bytes: 100)) { [self] _ in
                self.handedOver.withLock { $0.append(delivery.id) }
            }
        case .fail(let failure):
            throw failure
        case .hang:
            try await Task.sleep(for: .seconds(3600))
            throw CancellationError()
        }
    }
}

@Suite("Delivery worker and rescuer")
struct LeveringWorkerTests {
    let start = Date(timeIntervalSince1970: 1_790_000_000)

    func worker(_ pool: PostgresPool, _ puller: ScriptedPuller, owner: String, at time: Date, concurrency: Int = 8) -> LeveringWorker {
        LeveringWorker(
            queue: LeveringQueue(
                pool: pool, lifecycle: LeveringLifecycle(fallback: RetryPolicy(baseDelay: 60, maxDelay: 60)), jitter: { 1 }),
            puller: puller,
            configuration: .init(owner: owner, concurrency: concurrency, perSupplierLimit: 8, lease: .seconds(60), heartbeat: .seconds(20)),
            notifications: nil, logger: TestPostgres.logger, now: { time })
    }

    func status(_ pool: PostgresPool) async throws -> [String: Int] {
        try await pool.query("SELECT status, count(*) AS n FROM leveringen GROUP BY status").reduce(into: [:]) {
            $0[try $1.decode("status", as: String.self)] = try $1.decode("n", as: Int.self)
        }
    }

    @Test("successful pulls are handed over once each; retryable failures wait for their next attempt; final ones are given up")
    func outcomes() async throws {
        let pool = try await LeveringFixtures.database()
        let codes = try LeveringFixtures.gemeenten(6)
        try await LeveringFixtures.grantConsent(codes, pool: pool)
        try await LeveringQueue(pool: pool).enqueue(LeveringFixtures.requests(codes, notBefore: start))
        let puller = ScriptedPuller { delivery in
            switch delivery.gemeente {
            case codes[0], codes[1], codes[2]: .succeed
            case codes[3]:
                .fail(LeveringFailure(.tooManyRequests, "HTTP 429", retryAfter: 300, httpStatus: 429))
            default: .fail(LeveringFailure(.forbidden, "HTTP 403: no contract", httpStatus: 403))
            }
        }
        #expect(try await worker(pool, puller, owner: "w", at: start).runOnce() == 6)
        #expect(puller.handedOver.withLock { Set($0).count } == 3)
        #expect(puller.handedOver.withLock { $0.count } == 3)
        #expect(try await status(pool) == ["geslaagd": 3, "mislukt": 1, "opgegeven": 2])
        let retry = try await pool.query("SELECT volgende_poging_op FROM leveringen WHERE status = 'mislukt'").first?.decode(
            "volgende_poging_op", as: Date.self)
        #expect(retry == start.addingTimeInterval(300))
        // Nothing is due before Retry-After; afterwards the retry succeeds.
        #expect(try await worker(pool, ScriptedPuller { _ in .succeed }, owner: "w", at: start.addingTimeInterval(299)).runOnce() == 0)
        #expect(try await worker(pool, ScriptedPuller { _ in .succeed }, owner: "w", at: start.addingTimeInterval(300)).runOnce() == 1)
        #expect(try await status(pool) == ["geslaagd": 4, "opgegeven": 2])
        await pool.close()
    }

    @Test("a worker that hangs loses its deliveries to the rescuer after the lease, and another worker completes them exactly once")
    func rescueAfterHang() async throws {
        let pool = try await LeveringFixtures.database()
        let codes = try LeveringFixtures.gemeenten(3)
        try await LeveringFixtures.grantConsent(codes, pool: pool)
        try await LeveringQueue(pool: pool).enqueue(LeveringFixtures.requests(codes, notBefore: start))
        let hanging = ScriptedPuller { _ in .hang }
        let stuck = Task { try await worker(pool, hanging, owner: "hung", at: start).runOnce() }
        let deadline = ContinuousClock.now + .seconds(15)
        while hanging.started.withLock({ $0.count }) < 3 {
            guard ContinuousClock.now < deadline else { Issue.record("the pulls did not start"); break }
            await Task.yield()
        }
        // Before the lease expires nothing is rescued; after it, all three are.
        let rescuer = { (time: Date) in LeaseRescuer(queue: LeveringQueue(pool: pool), logger: TestPostgres.logger, now: { time }) }
        #expect(try await rescuer(start.addingTimeInterval(30)).runOnce() == 0)
        #expect(try await rescuer(start.addingTimeInterval(61)).runOnce() == 3)
        let healthy = ScriptedPuller { _ in .succeed }
        #expect(try await worker(pool, healthy, owner: "healthy", at: start.addingTimeInterval(62)).runOnce() == 3)
        stuck.cancel()
        _ = try? await stuck.value
        #expect(healthy.handedOver.withLock { Set($0).count } == 3)
        #expect(hanging.handedOver.withLock { $0.isEmpty })
        #expect(try await status(pool) == ["geslaagd": 3])
        let attempts = try await pool.query("SELECT count(*) AS n FROM levering_pogingen").first?.decode("n", as: Int.self)
        #expect(attempts == 6)
        await pool.close()
    }

    @Test(
        "a successful test delivery moves the gemeente to api_getest and the supplier service to cbs_test_geslaagd; the first regular one the gemeente to eerste_levering and actief and the service to actief, in the hand-over's transaction"
    )
    func workflowEffects() async throws {
        let pool = try await LeveringFixtures.database()
        let onboarding = OnboardingStore(pool: pool, workflows: try TestPostgres.workflows)
        let code = try #require(Gemeentecode("GM0363"))
        let hash = String(repeating: "ab", count: 32)
        let now = Date()
        try await onboarding.assignSupplier(
            code, stroom: .vs, leverancierID: "xxllnc", organisatienaam: "Amsterdam", actor: .commandLine, expectedVersion: nil)
        _ = try await onboarding.recordDPIA(
            code, .init(besluitdatum: amsterdamDay(now), goedkeurendeRol: "FG", documentreferentie: "D", documentSHA256: hash),
            role: .gemeente,
            actor: .commandLine, expectedVersion: nil)
        _ = try await onboarding.giveConsent(
            code,
            .init(
                leverancierID: "xxllnc", stromen: [.vs], besluitdatum: amsterdamDay(now), besluitvormendOrgaan: "college",
                documentreferentie: "B",
                documentSHA256: hash, geldigVan: amsterdamDay(now.addingTimeInterval(-86_400)), geldigTot: nil), actor: .commandLine,
            expectedVersion: nil)
        #expect(try await onboarding.status(code)?.fase == "toestemming_gegeven")
        // The supplier published its acceptance service: the first successful test pull is its conformance pull.
        try await pool.query(
            """
            UPDATE leverancier_diensten SET fase = 'fsc_acceptatie', bewijs = '{"specificatieVersie": "1.2", "acceptatieDienst": "acc"}'
            WHERE leverancier_id = 'xxllnc'
            """)
        func supplierPhase() async throws -> String? {
            try await onboarding.suppliers().first { $0.id == "xxllnc" }?.diensten.first { $0.stroom == .vs }?.fase
        }

        func deliver(_ doel: String, _ periode: String) async throws {
            try await LeveringQueue(pool: pool).enqueue([
                LeveringRequest(
                    gemeente: code, leverancierID: "xxllnc", stroom: .vs, periode: periode,
                    periodeStart: PostgresDate(year: 2026, month: 1, day: 1),
                    periodeEind: PostgresDate(year: 2026, month: 3, day: 31), doel: doel, maxPogingen: 3,
                    notBefore: now.addingTimeInterval(-60))
            ])
            let worker = LeveringWorker(
                queue: LeveringQueue(pool: pool), puller: ScriptedPuller { _ in .succeed },
                configuration: .init(owner: "w", concurrency: 2, perSupplierLimit: 2, lease: .seconds(60), heartbeat: .seconds(20)),
                notifications: nil, onboarding: onboarding, logger: TestPostgres.logger)
            #expect(try await worker.runOnce() == 1)
        }
        try await deliver("test", "2026-Q1")
        #expect(try await onboarding.status(code)?.fase == "api_getest")
        #expect(try await supplierPhase() == "cbs_test_geslaagd")
        // The project team's production steps; then the first regular pull shows pulls run.
        try await pool.query(
            """
            UPDATE leverancier_diensten SET fase = 'productie_contract',
                   bewijs = bewijs || '{"productieCertificaat": "ab12", "contractreferentie": "C-1"}'
            WHERE leverancier_id = 'xxllnc'
            """)
        try await deliver("regulier", "2026-Q1")
        #expect(try await onboarding.status(code)?.fase == "actief")
        #expect(try await supplierPhase() == "actief")
        let serviceMoves = try await pool.queryTrail(
            "SELECT after->>'fase' AS fase FROM audit_events WHERE action = 'leverancier.fase' AND actor = 'system' ORDER BY seq"
        ).map { try $0.decode("fase", as: String.self) }
        #expect(serviceMoves == ["cbs_test_geslaagd", "actief"])
        let moves = try await pool.queryTrail(
            "SELECT after->>'fase' AS fase FROM audit_events WHERE action = 'gemeente.fase' AND actor = 'system' ORDER BY seq"
        ).map { try $0.decode("fase", as: String.self) }
        #expect(moves == ["toestemming_gegeven", "api_getest", "eerste_levering", "actief"])
        await pool.close()
    }

    @Test("the pruner removes the attempts of deliveries that ended before the retention, and keeps the deliveries and the rest")
    func pruner() async throws {
        let pool = try await LeveringFixtures.database()
        let codes = try LeveringFixtures.gemeenten(3)
        try await LeveringFixtures.grantConsent(codes, pool: pool)
        let queue = LeveringQueue(pool: pool)
        try await queue.enqueue(LeveringFixtures.requests(codes, notBefore: Date().addingTimeInterval(-60)))
        let worker = LeveringWorker(
            queue: queue, puller: ScriptedPuller { _ in .succeed }, configuration: .init(owner: "w", concurrency: 3, perSupplierLimit: 3),
            notifications: nil, logger: TestPostgres.logger)
        #expect(try await worker.runOnce() == 3)
        // One ended 500 days ago, one 10 days ago; the third just now.
        try await pool.query(
            "UPDATE leveringen SET afgerond_op = now() - interval '500 days' WHERE gemeente_code = $1", [codes[0].rawValue])
        try await pool.query("UPDATE leveringen SET afgerond_op = now() - interval '10 days' WHERE gemeente_code = $1", [codes[1].rawValue])
        let pruner = PogingPruner(queue: queue, logger: TestPostgres.logger)
        #expect(try await pruner.runOnce() == 1)
        #expect(try await pruner.runOnce() == 0)
        let left = try await pool.query(
            "SELECT l.gemeente_code, count(p.*) AS n FROM leveringen l LEFT JOIN levering_pogingen p ON p.levering_id = l.id GROUP BY 1 ORDER BY 1"
        ).map { "\(try $0.decode("gemeente_code", as: String.self)):\(try $0.decode("n", as: Int.self))" }
        #expect(left == ["\(codes[0].rawValue):0", "\(codes[1].rawValue):1", "\(codes[2].rawValue):1"])
        await pool.close()
    }

    @Test("the engine's metrics: attempts by outcome and error class, pull durations, the queue per state and its oldest waiting delivery")
    func metrics() async throws {
        let pool = try await LeveringFixtures.database()
        let codes = try LeveringFixtures.gemeenten(3)
        try await LeveringFixtures.grantConsent(codes, pool: pool)
        // A failed attempt waits exactly 600 s.
        let queue = LeveringQueue(
            pool: pool, lifecycle: LeveringLifecycle(fallback: RetryPolicy(baseDelay: 600, maxDelay: 600)), jitter: { 1 })
        let start = Date()
        try await queue.enqueue(LeveringFixtures.requests(codes, notBefore: start.addingTimeInterval(-60)))
        let recorded = TestMetrics()
        let metrics = LeveringMetrics(factory: recorded)
        let worker = LeveringWorker(
            queue: queue,
            puller: ScriptedPuller { delivery in
                delivery.gemeente == codes[0]
                    ? .succeed
                    : .fail(LeveringFailure(delivery.gemeente == codes[1] ? .schema : .serverError, "x"))
            },
            configuration: .init(owner: "w", concurrency: 3, perSupplierLimit: 3),
            notifications: nil, logger: TestPostgres.logger, now: { start }, metrics: metrics)
        #expect(try await worker.runOnce() == 3)
        #expect(try recorded.expectCounter("ddas_leveringen_afgerond_total", [("uitkomst", "geslaagd")]).totalValue == 1)
        #expect(try recorded.expectCounter("ddas_leveringen_afgerond_total", [("uitkomst", "opgegeven")]).totalValue == 1)
        #expect(try recorded.expectCounter("ddas_leveringen_afgerond_total", [("uitkomst", "mislukt")]).totalValue == 1)
        #expect(try recorded.expectCounter("ddas_levering_pogingen_total", [("fout", "schema")]).totalValue == 1)
        #expect(try recorded.expectTimer("ddas_levering_pull_duur").values.count == 1)
        let rescuer = LeaseRescuer(queue: queue, logger: TestPostgres.logger, now: { start.addingTimeInterval(900) }, metrics: metrics)
        try await rescuer.runOnce()
        #expect(try recorded.expectGauge("ddas_leveringen", [("status", "geslaagd")]).lastValue == 1)
        #expect(try recorded.expectGauge("ddas_wachtrij_diepte").lastValue == 1)
        // The failed one was due 600 s after the start (microseconds in the database): at 900 s it has waited 300.
        #expect(abs((try recorded.expectGauge("ddas_wachtrij_oudste_seconden").lastValue ?? 0) - 300) < 0.001)
        await pool.close()
    }

    @Test("revoking consent stops the gemeente's running pull at once: cancelled, nothing handed over; other pulls go on")
    func revocationStopsRunningPulls() async throws {
        let pool = try await LeveringFixtures.database()
        let onboarding = OnboardingStore(pool: pool, workflows: try TestPostgres.workflows)
        let codes = try LeveringFixtures.gemeenten(2)
        try await LeveringFixtures.grantConsent(codes, pool: pool)
        let queue = LeveringQueue(pool: pool)
        try await queue.enqueue(LeveringFixtures.requests(codes, notBefore: Date().addingTimeInterval(-60)))
        let worker = LeveringWorker(
            queue: queue, puller: ScriptedPuller { _ in .hang },
            configuration: .init(owner: "w", concurrency: 2, perSupplierLimit: 2, pollInterval: .seconds(60)),
            notifications: pool.configuration.connection, onboarding: onboarding,
            logger: TestPostgres.logger)
        let running = Task { try await worker.run() }
        func status(_ code: Gemeentecode) async throws -> String? {
            try await pool.query("SELECT status FROM leveringen WHERE gemeente_code = $1", [code.rawValue]).first?.decode(
                "status", as: String.self)
        }
        // Polls with a deadline until both pulls run, then revokes the first gemeente's consent.
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let first = try await status(codes[0])
            let second = try await status(codes[1])
            if first == "bezig" && second == "bezig" { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let consent = try #require(try await onboarding.status(codes[0])?.toestemmingen.first)
        _ = try await onboarding.revokeConsent(
            codes[0], consent: consent.id, reason: "raadsbesluit", actor: .commandLine, expectedVersion: nil)
        while try await status(codes[0]) == "bezig", ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await status(codes[0]) == "geannuleerd")
        #expect(try await status(codes[1]) == "bezig", "the other gemeente's pull goes on")
        let reason = try await pool.query("SELECT laatste_fout_klasse FROM leveringen WHERE gemeente_code = $1", [codes[0].rawValue]).first?
            .decode("laatste_fout_klasse", as: String.self)
        #expect(reason == "consentWithdrawn")
        running.cancel()
        _ = await running.result
        await pool.close()
    }

    @Test("a worker claims again as soon as a pull ends: one hung pull does not hold up the rest of the queue behind it")
    func refillsAsSlotsFree() async throws {
        let pool = try await LeveringFixtures.database()
        let codes = try LeveringFixtures.gemeenten(6)
        try await LeveringFixtures.grantConsent(codes, pool: pool)
        try await LeveringQueue(pool: pool).enqueue(LeveringFixtures.requests(codes, notBefore: start))
        let puller = ScriptedPuller { $0.gemeente == codes[0] ? .hang : .succeed }
        let service = worker(pool, puller, owner: "w", at: start, concurrency: 2)
        let draining = Task { await service.drain() }
        // Two slots, one of them hung for good: the other five go through the other slot.
        let deadline = ContinuousClock.now + .seconds(60)
        while try await status(pool)["geslaagd"] != 5 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try await status(pool) == ["geslaagd": 5, "bezig": 1])
        #expect(puller.handedOver.withLock { Set($0) }.count == 5)
        draining.cancel()
        #expect(await draining.value == 6)
        #expect(try await status(pool) == ["geslaagd": 5, "bezig": 1], "the hung pull is left to the rescuer")
        await pool.close()
    }
}
