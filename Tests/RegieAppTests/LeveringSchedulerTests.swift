import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

@Suite("Delivery scheduler")
struct LeveringSchedulerTests {
    /// 2026-04-01 07:00 in Amsterdam (05:00 UTC): an hour after the VS run for 2026-Q1.
    let afterRun = Date(timeIntervalSince1970: 1_775_019_600)

    func setUp() async throws -> (PostgresPool, [Gemeentecode]) {
        let pool = try await LeveringFixtures.database()
        let codes = try LeveringFixtures.gemeenten(4)
        try await LeveringFixtures.grantConsent(Array(codes.prefix(3)), pool: pool)
        try await LeveringFixtures.grantConsent([codes[3]], supplier: "bkr", pool: pool)
        // Regular pulls need the supplier service actief: xxllnc is, bkr is not yet.
        try await pool.query("UPDATE leverancier_diensten SET fase = 'actief' WHERE leverancier_id = 'xxllnc'")
        return (pool, codes)
    }

    func scheduler(_ pool: PostgresPool, at time: Date) throws -> LeveringScheduler {
        LeveringScheduler(
            schedule: try LeveringSchedule.load(from: TestPostgres.resources.workflows), queue: LeveringQueue(pool: pool),
            logger: TestPostgres.logger,
            now: { time })
    }

    @Test("a run queues the quarter that ended, for every gemeente that may be pulled; again, or twice at once, adds nothing")
    func materialises() async throws {
        let (pool, codes) = try await setUp()
        let inserted = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<2 { group.addTask { try await scheduler(pool, at: afterRun).runOnce() } }
            return try await group.reduce(0, +)
        }
        #expect(inserted == 3)
        #expect(try await scheduler(pool, at: afterRun.addingTimeInterval(600)).runOnce() == 0)
        let rows = try await pool.query(
            "SELECT gemeente_code, periode, periode_start, periode_eind, doel FROM leveringen ORDER BY gemeente_code")
        #expect(try rows.map { try $0.decode("gemeente_code", as: String.self) } == codes.prefix(3).map(\.rawValue))
        #expect(try rows.allSatisfy { try $0.decode("periode", as: String.self) == "2026-Q1" })
        #expect(try rows.first?.decode("periode_start", as: PostgresDate.self).description == "2026-01-01")
        #expect(try rows.first?.decode("periode_eind", as: PostgresDate.self).description == "2026-03-31")
        await pool.close()
    }

    @Test("a gemeente that gave consent gets one test pull of the last period, once its supplier passed CBS's test")
    func testPulls() async throws {
        let (pool, codes) = try await setUp()
        try await pool.query("UPDATE gemeenten SET fase = 'toestemming_gegeven' WHERE code = ANY($1)", [codes.map(\.rawValue)])
        let between = afterRun.addingTimeInterval(30 * 86_400)  // no cron run in the window: only test pulls
        // xxllnc is actief (passed long ago), bkr is still aangemeld: no test for codes[3] yet.
        #expect(try await scheduler(pool, at: between).runOnce() == 3)
        try await pool.query("UPDATE leverancier_diensten SET fase = 'cbs_test_geslaagd' WHERE leverancier_id = 'bkr'")
        #expect(try await scheduler(pool, at: between).runOnce() == 1)
        // A test that failed is not queued again by itself; one that passed is not repeated
        // further along; a gemeente in a side state gets none.
        try await pool.query("UPDATE leveringen SET status = 'opgegeven' WHERE gemeente_code = $1", [codes[0].rawValue])
        try await pool.query("UPDATE leveringen SET status = 'geslaagd' WHERE gemeente_code = $1", [codes[1].rawValue])
        try await pool.query("UPDATE gemeenten SET fase = 'actief' WHERE code = $1", [codes[1].rawValue])
        try await pool.query("UPDATE gemeenten SET fase = 'opgeschort' WHERE code = $1", [codes[2].rawValue])
        try await pool.query("DELETE FROM leveringen WHERE gemeente_code = $1", [codes[2].rawValue])
        #expect(try await scheduler(pool, at: between.addingTimeInterval(86_400)).runOnce() == 0)
        let rows = try await pool.query("SELECT DISTINCT doel, periode FROM leveringen")
        #expect(
            try rows.map { "\(try $0.decode("doel", as: String.self)) \(try $0.decode("periode", as: String.self))" } == ["test 2026-Q1"])
        await pool.close()
    }

    @Test("a gemeente live with VS that then consents to SHV gets its SHV test pull, once; its VS test is not repeated")
    func testPullOfALaterStream() async throws {
        let (pool, codes) = try await setUp()
        let between = afterRun.addingTimeInterval(30 * 86_400)
        try await pool.query("UPDATE gemeenten SET fase = 'actief' WHERE code = $1", [codes[0].rawValue])
        try await LeveringQueue(pool: pool).enqueue(LeveringFixtures.requests([codes[0]], notBefore: between))
        try await pool.query("UPDATE leveringen SET doel = 'test', status = 'geslaagd' WHERE gemeente_code = $1", [codes[0].rawValue])
        #expect(try await scheduler(pool, at: between).runOnce() == 0, "no SHV consent yet; VS tested")
        try await LeveringFixtures.grantConsent([codes[0]], stroom: "SHV", pool: pool)
        try await pool.query("UPDATE leverancier_diensten SET fase = 'fsc_acceptatie' WHERE leverancier_id = 'xxllnc' AND stroom = 'SHV'")
        #expect(try await scheduler(pool, at: between).runOnce() == 1)
        #expect(try await scheduler(pool, at: between.addingTimeInterval(600)).runOnce() == 0)
        let rows = try await pool.query("SELECT stroom, doel FROM leveringen WHERE gemeente_code = $1 ORDER BY stroom", [codes[0].rawValue])
        #expect(
            try rows.map { "\(try $0.decode("stroom", as: String.self)) \(try $0.decode("doel", as: String.self))" } == [
                "SHV test", "VS test",
            ])
        await pool.close()
    }

    @Test("after downtime, a run missed within the catch-up window is made up; one outside it is not")
    func catchUp() async throws {
        let (pool, _) = try await setUp()
        #expect(try await scheduler(pool, at: afterRun.addingTimeInterval(-7200)).runOnce() == 0)  // before the run
        #expect(try await scheduler(pool, at: afterRun.addingTimeInterval(6 * 86_400)).runOnce() == 3)
        let (late, _) = try await setUp()
        #expect(try await scheduler(late, at: afterRun.addingTimeInterval(9 * 86_400)).runOnce() == 0)
        await pool.close()
        await late.close()
    }
}
