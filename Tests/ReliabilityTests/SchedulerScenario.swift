import Foundation
import Postgres
import RegieApp
import RegieDomain
import RegieStore
import RegieTestSupport
import Synchronization
import Testing

/// Two schedulers on a monthly schedule, twice over:
/// - two `serve --role worker` processes started together on a database with a year of
///   monthly runs to catch up (`catch_up_days: 366`): the real processes, leadership and all;
/// - two schedulers in this process, each with its own connection pool, both always working
///   (no leadership, the worst case), while a shared clock moves across the first of each
///   month of 2026; at every step both run at once, twice.
enum SchedulerScenario {
    static let monthly = """
        catch_up_days: 7
        streams:
          VS:
            cron: "0 6 1 * *"
            period: maand
            max_attempts: 5
            backoff_base_seconds: 60
            backoff_max_seconds: 3600
            lease_seconds: 300
            per_supplier: 4
            max_error_share: 0.05
        """

    /// A clock the scenario moves by hand.
    final class Clock: Sendable {
        private let current = Mutex(Date())
        var now: Date { current.withLock { $0 } }
        func set(_ date: Date) { current.withLock { $0 = date } }
    }

    static func run() async throws {
        try await processes()
        try await movedClock()
    }

    /// The deliveries of a database: how many, for how many periods, and how many gemeente,
    /// stream and period keys have more than one.
    static func count(_ pool: PostgresPool) async throws -> (total: Int, periods: Int, doubles: Int) {
        let row = try await pool.query(
            """
            SELECT count(*) AS total, count(DISTINCT periode) AS periods,
                   (SELECT count(*) FROM (SELECT 1 FROM leveringen GROUP BY gemeente_code, stroom, periode HAVING count(*) > 1) AS d) AS doubles
            FROM leveringen
            """
        ).first
        return (
            try row?.decode("total", as: Int.self) ?? 0, try row?.decode("periods", as: Int.self) ?? 0,
            try row?.decode("doubles", as: Int.self) ?? 0
        )
    }

    static func processes() async throws {
        let connection = try await ReliabilityCluster.database("rel_schedulers_processes")
        let codes = try LeveringFixtures.gemeenten(100)
        let pool = TestPostgres.makePool(connection, size: 2)
        do {
            try await LeveringFixtures.grantConsent(codes.enumerated().filter { $0.offset % 2 == 0 }.map(\.element), pool: pool)
            try await LeveringFixtures.grantConsent(
                codes.enumerated().filter { $0.offset % 2 == 1 }.map(\.element), supplier: "bkr", pool: pool)
            try await pool.query("UPDATE leverancier_diensten SET fase = 'actief' WHERE stroom = 'VS'")
            let resources = try TestPostgres.resourcesCopy(scheduleReplacing: [
                ("catch_up_days: 7", "catch_up_days: 366"), (#"cron: "0 6 1 1,4,7,10 *""#, #"cron: "0 6 1 * *""#),
                ("period: kwartaal", "period: maand"),
            ])
            let state = try TestPostgres.temporaryFolder("ddas-rsch")
            var services: [ServiceRig.Service] = []
            for _ in 0..<2 {
                let port = try RegieProcess.freePort()
                let process = try RegieProcess.start(
                    ["serve", "--role", "worker", "--database-url", connection.connectionString, "--port", String(port)],
                    environment: ["DDAS_RESOURCES_DIR": resources.path, "DDAS_STATE_DIR": state])
                services.append(ServiceRig.Service(process: process, port: port))
            }
            // The catch-up pass runs at start: a year of monthly runs is 12 periods for every gemeente.
            let deadline = ContinuousClock.now + .seconds(120)
            var counted = try await count(pool)
            while ContinuousClock.now < deadline && services.allSatisfy({ !$0.process.hasExited })
                && (counted.periods < 12 || counted.total < counted.periods * codes.count)
            {
                try await Task.sleep(for: .milliseconds(200))
                counted = try await count(pool)
            }
            for service in services {
                kill(service.process.pid, SIGTERM)
                #expect(await service.process.exitStatus() == 0, "\(service.process.output().suffix(1_000))")
                await ServiceRig.logs.add(service.process.output())
            }
            counted = try await count(pool)
            #expect(counted.periods >= 12 && counted.total == counted.periods * codes.count && counted.doubles == 0, "\(counted)")
            Figures.record(
                Scenario.schedulers,
                "2 serve processes with the scheduler on, started together with \(counted.periods) monthly runs to catch up, \(codes.count) gemeenten: \(counted.total) deliveries, \(counted.doubles) gemeente+stream+period with more than one"
            )
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
    }

    static func movedClock() async throws {
        let connection = try await ReliabilityCluster.database("rel_schedulers")
        let codes = try LeveringFixtures.gemeenten(100)
        let setup = TestPostgres.makePool(connection, size: 2)
        try await LeveringFixtures.grantConsent(codes.enumerated().filter { $0.offset % 2 == 0 }.map(\.element), pool: setup)
        try await LeveringFixtures.grantConsent(
            codes.enumerated().filter { $0.offset % 2 == 1 }.map(\.element), supplier: "bkr", pool: setup)
        try await setup.query("UPDATE leverancier_diensten SET fase = 'actief' WHERE stroom = 'VS'")
        let schedule = try LeveringSchedule(yaml: monthly, file: "monthly.yaml")
        let clock = Clock()
        let pools = [TestPostgres.makePool(connection, size: 3), TestPostgres.makePool(connection, size: 3)]
        let schedulers = pools.map {
            LeveringScheduler(schedule: schedule, queue: LeveringQueue(pool: $0), logger: TestPostgres.logger, now: { clock.now })
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        var passes = 0
        var inserted = 0
        do {
            for month in 1...12 {
                // 07:00 UTC on the first: after the 06:00 Amsterdam run, winter and summer.
                let first = try #require(calendar.date(from: DateComponents(year: 2026, month: month, day: 1, hour: 7)))
                for offset in [0.0, 3_600] {
                    clock.set(first.addingTimeInterval(offset))
                    inserted += try await withThrowingTaskGroup(of: Int.self) { group in
                        for scheduler in schedulers { group.addTask { try await scheduler.runOnce() } }
                        return try await group.reduce(0, +)
                    }
                    passes += 2
                }
            }
            let rows = try await setup.query(
                """
                SELECT count(*) AS total, count(DISTINCT (gemeente_code, stroom, periode)) AS distinct_keys,
                       count(DISTINCT periode) AS periods FROM leveringen
                """
            ).first
            let total = try rows?.decode("total", as: Int.self) ?? 0
            let distinct = try rows?.decode("distinct_keys", as: Int.self) ?? 0
            let periods = try rows?.decode("periods", as: Int.self) ?? 0
            let perKey =
                try await setup.query(
                    "SELECT count(*) AS n FROM (SELECT 1 FROM leveringen GROUP BY gemeente_code, stroom, periode HAVING count(*) > 1) AS doubles"
                ).first?.decode("n", as: Int.self) ?? 0
            #expect(
                total == 12 * codes.count && distinct == total && periods == 12, "\(total) deliveries, \(distinct) keys, \(periods) periods"
            )
            #expect(inserted == total, "the schedulers report what they added")
            #expect(perKey == 0)
            Figures.record(
                Scenario.schedulers,
                "2 schedulers with their own pools, 12 monthly runs, \(passes) passes (both at once, twice a run), \(codes.count) gemeenten: \(total) deliveries for \(periods) periods, \(perKey) gemeente+stream+period with more than one"
            )
        } catch {
            for pool in pools { await pool.close() }
            await setup.close()
            throw error
        }
        for pool in pools { await pool.close() }
        await setup.close()
    }
}
