import DDASClient
import Foundation
import Postgres
import RegieApp
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieDemo

/// The demonstration's seed and suppliers with both streams: what `serve --demo` starts from,
/// tested through the seed function and the demo's own simulator, not a running demo.
@Suite("The demonstration seeds and pulls schuldhulpverlening too", .serialized)
struct DemoSeedTests {
    let register: GemeentenRegister

    init() throws {
        register = try GemeentenRegister(csv: try String(contentsOf: TestPostgres.resources.gemeentenRegister, encoding: .utf8))
    }

    /// A migrated database with the register, seeded as `serve --demo` does.
    func seeded() async throws -> PostgresPool {
        let pool = try await LeveringFixtures.database()
        let stores = RegieStores(pool: pool, workflows: try TestPostgres.workflows, lifecycle: LeveringLifecycle())
        #expect(try await DemoSeed(stores: stores, logger: TestPostgres.logger).seedIfNeeded(register: register))
        #expect(try await !DemoSeed(stores: stores, logger: TestPostgres.logger).seedIfNeeded(register: register), "once per database")
        return pool
    }

    /// The rows of `sql`, which selects the texts `a` and `b`, as pairs.
    func pairs(_ pool: PostgresPool, _ sql: String) async throws -> Set<[String]> {
        Set(try await pool.query(sql).map { [try $0.decode("a", as: String.self), try $0.decode("b", as: String.self)] })
    }

    @Test("both suppliers have an SHV service at acceptance; about half the gemeenten have SHV with their VS supplier and consent to it")
    func seedHasSHV() async throws {
        let pool = try await seeded()
        let services = try await pairs(pool, "SELECT leverancier_id || '/' || stroom AS a, fase AS b FROM leverancier_diensten")
        #expect(
            services == [
                ["xxllnc/VS", "fsc_acceptatie"], ["xxllnc/SHV", "fsc_acceptatie"], ["bkr/VS", "fsc_acceptatie"],
                ["bkr/SHV", "fsc_acceptatie"],
            ])
        let shv = register.gemeenten.filter { DemoSeed.offersSHV($0.code) }
        #expect(shv.count > register.gemeenten.count / 4 && shv.count < register.gemeenten.count * 3 / 4, "\(shv.count)")
        let assigned = try await pairs(
            pool, "SELECT gemeente_code AS a, leverancier_id AS b FROM gemeente_leveranciers WHERE stroom = 'SHV' AND tot IS NULL")
        #expect(assigned == Set(shv.map { [$0.code.rawValue, DemoSeed.plan($0.code).leverancier] }), "the same supplier as for VS")
        let consenting = shv.filter { DemoSeed.plan($0.code).stage == .consent }
        #expect(!consenting.isEmpty)
        let consent = try await pairs(
            pool, "SELECT gemeente_code AS a, leverancier_id AS b FROM toestemmingen WHERE stroom = 'SHV' AND ingetrokken_op IS NULL")
        #expect(consent == Set(consenting.map { [$0.code.rawValue, DemoSeed.plan($0.code).leverancier] }))
        let due = try await LeveringQueue(pool: pool).dueForTestPulls(.shv, on: amsterdamDay(Date()))
        #expect(Set(due.map(\.gemeente)) == Set(consenting.map(\.code)), "each gets its SHV test pull")
        await pool.close()
    }

    @Test("a demo start queues SHV test pulls; pulled from the demo's simulator they pass the SHV model and are handed over with a report")
    func demoPullsSHV() async throws {
        let pool = try await seeded()
        let state = URL(fileURLWithPath: try TestPostgres.temporaryFolder("ddas-demo-state"))
        defer { try? FileManager.default.removeItem(at: state) }
        let suppliers = try await DemoLeveranciers.prepare(state: state, register: register, logger: TestPostgres.logger)
        #expect(Set(suppliers.simulator.configuration.suppliers.map(\.name)) == ["xxllnc", "xxllnc-shv", "bkr", "bkr-shv"])
        try await suppliers.simulator.withRunningServer { running in
            let configuration = try suppliers.exchange(at: running, state: state)
            let shv = configuration.connections.filter { $0.stroom == "SHV" }
            #expect(Set(shv.map(\.leverancierID)) == ["xxllnc", "bkr"] && shv.allSatisfy { $0.schemaVersion == "1.0" })
            let schedule = try TestPostgres.schedule
            let scheduler = LeveringScheduler(schedule: schedule, queue: LeveringQueue(pool: pool), logger: TestPostgres.logger)
            #expect(try await scheduler.runOnce() > 0)
            // Two SHV test pulls are pulled now; the rest wait, so the test stays short.
            let chosen = try await pool.query(
                "SELECT id FROM leveringen WHERE stroom = 'SHV' AND doel = 'test' ORDER BY gemeente_code LIMIT 2"
            ).map { try $0.decode("id", as: UUID.self) }
            #expect(chosen.count == 2)
            try await pool.query(
                "UPDATE leveringen SET volgende_poging_op = now() + interval '1 year' WHERE NOT id = ANY($1::uuid[])",
                [chosen.map { $0.uuidString.lowercased() }])
            let exchange = try Exchange.make(
                configuration, schemas: TestPostgres.resources.exchangeModels, defaultStaging: state.appendingPathComponent(".staging"))
            let worker = LeveringWorker(
                queue: LeveringQueue(pool: pool),
                puller: DDASPuller(
                    exchange: exchange, reports: OpOrdeRapportStore(pool: pool), auditTrail: AuditTrail(pool: pool),
                    standardisation: try StandardisationService(
                        store: StandardisationStore(pool: pool), referenceDirectory: TestPostgres.resources.standaardisatie),
                    maxErrorShare: schedule.maxErrorShares, schemaViolations: schedule.schemaViolationPolicies, logger: TestPostgres.logger),
                configuration: .init(owner: "demo-test"), notifications: nil, logger: TestPostgres.logger)
            #expect(try await worker.runOnce() == 2)
            await exchange.shutdown()
            for id in chosen {
                let status = try await pool.query("SELECT status FROM leveringen WHERE id = $1", [id]).first?.decode(
                    "status", as: String.self)
                #expect(status == "geslaagd")
                let report = try #require(try await OpOrdeRapportStore(pool: pool).report(levering: id))
                #expect(report.eenheden > 0 && report.eenhedenMetFouten == 0)
                let manifest = state.appendingPathComponent("cbs-sink/\(id.uuidString.lowercased())/manifest.json")
                let text = try String(contentsOf: manifest, encoding: .utf8)
                #expect(text.contains("\"stroom\":\"SHV\"") || text.contains("\"stroom\" : \"SHV\""), "\(text.prefix(200))")
            }
        }
        await pool.close()
    }

    @Test(
        "the seed is a history along the plan: DPIAs from september to november 2025, consent from december; one consent revoked and given again"
    )
    func seedIsAHistory() async throws {
        let pool = try await seeded()
        let dpia = try await pool.query("SELECT min(besluitdatum)::text AS a, max(besluitdatum)::text AS b FROM dpia_akkoorden").first
        #expect(try dpia?.decode("a", as: String.self) ?? "" >= "2025-09-01" && dpia?.decode("b", as: String.self) ?? "" <= "2025-11-30")
        let consent = try await pool.query("SELECT min(geldig_van)::text AS a, max(geldig_van)::text AS b FROM toestemmingen").first
        #expect(try consent?.decode("a", as: String.self) == "2025-12-01" && consent?.decode("b", as: String.self) == "2026-03-02")
        let rollen = DemoRollen(register: register)
        let revoked = try #require(rollen.ingetrokken)
        let records = Set(
            try await pool.query(
                """
                SELECT geldig_van::text AS a, coalesce((ingetrokken_op AT TIME ZONE 'Europe/Amsterdam')::date::text, '-') AS b
                FROM toestemmingen WHERE gemeente_code = $1 AND stroom = 'VS'
                """, [revoked.rawValue]
            ).map { [try $0.decode("a", as: String.self), try $0.decode("b", as: String.self)] })
        #expect(records == [["2025-12-01", "2026-02-10"], ["2026-03-02", "-"]])
        let phase = try await pool.query("SELECT fase FROM gemeenten WHERE code = $1", [revoked.rawValue]).first?.decode(
            "fase", as: String.self)
        #expect(phase == "toestemming_gegeven", "consent given again")
        // The gemeenten that deliver regularly consent, and none of them has one of the demonstration's faults.
        let faulted = Set(DemoLeveranciers.faults(for: register).compactMap(\.gemeentecode))
        #expect(rollen.levend.count >= 15 && rollen.levend.allSatisfy { DemoSeed.plan($0).stage == .consent })
        #expect(rollen.levend.allSatisfy { !faulted.contains($0.rawValue) })
        #expect(rollen.herlevering.map { DemoSeed.offersSHV($0) && DemoSeed.plan($0).leverancier == "xxllnc" } == true)
        #expect(rollen.geweigerd.map { !DemoSeed.offersSHV($0) && DemoSeed.plan($0).leverancier == "xxllnc" } == true)
        #expect(Set([rollen.herlevering, rollen.ingetrokken, rollen.geweigerd].compactMap { $0 }).count == 3, "three gemeenten")
        await pool.close()
    }
}
