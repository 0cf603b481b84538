import Foundation
import Postgres
import RegieApp
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

/// The melding detector on the supplier services: `leverancier.storing` after N failed
/// attempts in a row, `leverancier.stil` after D days without a success; each once per series
/// or silence, whichever detector or pass finds it, to the supplier and the project team only.
@Suite("Melding detector: supplier services")
struct MeldingDetectorTests {
    let start = Date(timeIntervalSince1970: 1_790_000_000)
    let day: TimeInterval = 86_400

    /// The stores over a database with the register, consent of `codes` to xxllnc, one queued
    /// levering each (due at `start`, ten attempts), and subscriptions of the project team, both
    /// suppliers and the first gemeente.
    func database(_ count: Int) async throws -> (PostgresPool, RegieStores, [Gemeentecode]) {
        let pool = try await LeveringFixtures.database()
        let codes = try LeveringFixtures.gemeenten(count)
        try await LeveringFixtures.grantConsent(codes, pool: pool)
        try await MeldingTestAbonnementen.subscribe(
            ["projectteam", "leverancier:xxllnc", "leverancier:bkr", codes[0].rawValue], pool: pool)
        let stores = RegieStores(
            pool: pool, workflows: try TestPostgres.workflows,
            lifecycle: LeveringLifecycle(policies: ["VS": RetryPolicy(baseDelay: 1, maxDelay: 1, maxAttempts: 10)]))
        try await stores.queue.enqueue(LeveringFixtures.requests(codes, maxPogingen: 10, notBefore: start))
        return (pool, stores, codes)
    }

    func detector(_ stores: RegieStores, storingNa: Int = 3, stilNa: Int = 14) -> MeldingDetector {
        MeldingDetector(
            stores: stores, configuration: .init(drempels: MeldingDrempels(storingNaPogingen: storingNa, stilNaDagen: stilNa)),
            logger: TestPostgres.logger)
    }

    /// Claims the next due levering at `now` and ends its attempt: failed with `klasse`, or
    /// handed over when nil. Returns the levering.
    @discardableResult
    func attempt(_ stores: RegieStores, _ pool: PostgresPool, at now: Date, failing klasse: LeveringFailure.Klasse?) async throws -> UUID {
        let claimed = try #require(
            try await stores.queue.claim(owner: "w", limit: 1, perSupplierLimit: 10, lease: .seconds(60), now: now).first)
        if let klasse {
            #expect(try await stores.queue.fail(claimed.id, owner: "w", failure: .init(klasse, "test"), figures: .init(), now: now) != nil)
        } else {
            let done = try await pool.withTransaction { connection in
                try await stores.queue.complete(claimed.id, owner: "w", figures: .init(httpStatus: 200), now: now, on: connection)
            }
            #expect(done)
        }
        return claimed.id
    }

    @Test(
        "N failed attempts in a row are announced once per series to the supplier and the project team; N-1 are not; our own failures neither count nor break it; a success starts a new series"
    )
    func storing() async throws {
        let (pool, stores, _) = try await database(4)
        let detector = detector(stores)
        var clock = start
        func next(_ klasse: LeveringFailure.Klasse?) async throws {
            clock = clock.addingTimeInterval(120)
            try await attempt(stores, pool, at: clock, failing: klasse)
        }
        try await next(.serverError)
        let first = clock
        try await next(.timeout)
        try await next(.database)
        try await detector.runOnce(now: clock)
        #expect(try await MeldingTestAbonnementen.count(.leverancierStoring, pool: pool) == 0)

        try await next(.network)
        #expect(try await detector.runOnce(now: clock) == 1)
        #expect(try await detector.runOnce(now: clock) == 0)
        try await next(.serverError)
        #expect(try await detector.runOnce(now: clock) == 0)
        let series = "leverancier.storing:xxllnc:VS:\(Int(first.timeIntervalSince1970))"
        #expect(
            try await MeldingTestAbonnementen.messages(.leverancierStoring, pool: pool) == [
                "projectteam": [series], "leverancier:xxllnc": [series],
            ])
        let melding = try #require(try await MeldingTestAbonnementen.meldingen(.leverancierStoring, pool: pool).first)
        #expect(melding.feiten.pogingen == 3)
        #expect(melding.feiten.foutcode == "network")

        try await next(nil)
        try await next(.serverError)
        let second = clock
        try await next(.unauthorized)
        #expect(try await detector.runOnce(now: clock) == 0)
        try await next(.notFound)
        // A second detector, as after a restart or on another replica, finds the new series once.
        let others = (self.detector(stores), self.detector(stores))
        let moment = clock
        async let one = others.0.runOnce(now: moment)
        async let two = others.1.runOnce(now: moment)
        #expect(try await one + two == 1)
        #expect(try await detector.runOnce(now: clock) == 0)
        let keys = try await MeldingTestAbonnementen.messages(.leverancierStoring, pool: pool)
        #expect(keys["leverancier:xxllnc"] == [series, "leverancier.storing:xxllnc:VS:\(Int(second.timeIntervalSince1970))"].sorted())
        #expect(keys["leverancier:bkr"] == nil)
        await pool.close()
    }

    @Test(
        "a service tried and without a success for D days is announced once per silence; D-1 days, an untried service and a success in between are not"
    )
    func stil() async throws {
        let (pool, stores, codes) = try await database(2)
        // bkr has a consenting gemeente but was never tried: a new installation's supplier stays quiet.
        let bkrGemeente = try LeveringFixtures.gemeenten(3)[2]
        try await LeveringFixtures.grantConsent([bkrGemeente], supplier: "bkr", pool: pool)
        let detector = detector(stores)
        let refused = try await attempt(stores, pool, at: start, failing: .unauthorized)
        #expect(try await stores.queue.state(refused)?.status == "opgegeven")

        #expect(try await detector.runOnce(now: start.addingTimeInterval(13 * day)) == 0)
        #expect(try await detector.runOnce(now: start.addingTimeInterval(15 * day)) == 1)
        #expect(try await self.detector(stores).runOnce(now: start.addingTimeInterval(16 * day)) == 0)
        let never = "leverancier.stil:xxllnc:VS:nooit"
        #expect(
            try await MeldingTestAbonnementen.messages(.leverancierStil, pool: pool) == [
                "projectteam": [never], "leverancier:xxllnc": [never],
            ])
        #expect(try await MeldingTestAbonnementen.meldingen(.leverancierStil, pool: pool).first?.feiten.dagen == 15)

        // A success, then nothing tried: not silent. Tried again and failing for D days: a new silence.
        let succeeded = start.addingTimeInterval(17 * day)
        try await attempt(stores, pool, at: succeeded, failing: nil)
        #expect(try await detector.runOnce(now: succeeded.addingTimeInterval(40 * day)) == 0)
        try await stores.queue.enqueue(
            LeveringFixtures.requests([codes[0]], periode: "2026-Q2", notBefore: succeeded.addingTimeInterval(41 * day)))
        try await attempt(stores, pool, at: succeeded.addingTimeInterval(41 * day), failing: .forbidden)
        #expect(try await detector.runOnce(now: succeeded.addingTimeInterval(54 * day)) == 0)
        #expect(try await detector.runOnce(now: succeeded.addingTimeInterval(56 * day)) == 1)
        let keys = try await MeldingTestAbonnementen.messages(.leverancierStil, pool: pool)
        #expect(keys["leverancier:xxllnc"]?.count == 2)
        #expect(keys["leverancier:bkr"] == nil)
        #expect(try await MeldingTestAbonnementen.count(.leverancierStoring, pool: pool) == 0)
        await pool.close()
    }

    @Test("the detector's configuration keeps its thresholds in range")
    func configuration() {
        #expect(MeldingDrempels(storingNaPogingen: 0, stilNaDagen: 0) == MeldingDrempels(storingNaPogingen: 1, stilNaDagen: 1))
        #expect(
            MeldingDrempels(storingNaPogingen: .max, stilNaDagen: .min) == MeldingDrempels(storingNaPogingen: 100, stilNaDagen: 1))
        #expect(MeldingDetector.Configuration().interval == .seconds(300))
        #expect(MeldingDetector.Configuration().drempels == .standaard)
    }
}
