import AsyncHTTPClient
import DDASClient
import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import SupplierSimulator
import Testing

@testable import RegieApp

@Suite("Worker processes")
struct WorkerProcessTests {
    /// A copy of the shipped resources with a short lease, so a killed worker's deliveries come back soon.
    static func resources(leaseSeconds: Int) throws -> URL {
        try TestPostgres.resourcesCopy(scheduleReplacing: [("lease_seconds: 300", "lease_seconds: \(leaseSeconds)")])
    }

    /// Polls the database with a deadline until `count` deliveries are geslaagd; returns how
    /// many are, and the most that were running at once for the supplier.
    static func waitForSuccesses(_ count: Int, pool: PostgresPool, within seconds: Int, while alive: () -> Bool) async throws -> (
        done: Int, mostRunning: Int
    ) {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var done = 0
        var mostRunning = 0
        while ContinuousClock.now < deadline && alive() {
            let row = try await pool.query(
                "SELECT count(*) FILTER (WHERE status = 'geslaagd') AS done, count(*) FILTER (WHERE status = 'bezig') AS running FROM leveringen"
            ).first
            done = try row?.decode("done", as: Int.self) ?? 0
            mostRunning = max(mostRunning, try row?.decode("running", as: Int.self) ?? 0)
            if done >= count { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return (done, mostRunning)
    }

    /// What a test of several service processes works with: a migrated database with 50
    /// consenting gemeenten and 200 queued deliveries (four quarters of 2025), the simulator
    /// answering each page after 100 ms (so pulls are in flight when a process is stopped),
    /// an exchange configuration, a state folder and resources with a 10-second lease.
    struct Rig {
        let connection: PostgresConfiguration
        let pool: PostgresPool
        let configuration: URL
        let state: URL
        let resources: URL

        /// Starts `serve` with `role` on a free port; returns the process and its port.
        func serve(role: String) throws -> (process: RegieProcess, port: Int) {
            let port = try RegieProcess.freePort()
            let process = try RegieProcess.start(
                [
                    "serve", "--role", role, "--database-url", connection.connectionString, "--port", String(port),
                    "--exchange-config", configuration.path,
                ], environment: ["DDAS_RESOURCES_DIR": resources.path, "DDAS_STATE_DIR": state.path])
            return (process, port)
        }

        /// Every delivery handed over exactly once, its pages in the sink as recorded: how many
        /// deliveries have two successful attempts, none, or a manifest that differs, and how
        /// many attempts were abandoned (left unfinished, then rescued).
        func handOvers() async throws -> (duplicates: Int, lost: Int, mismatches: Int, abandoned: Int) {
            let rows = try await pool.query(
                """
                SELECT l.id, count(p.*) FILTER (WHERE p.afgerond_op IS NOT NULL AND p.fout_klasse IS NULL) AS geslaagd, l.pogingen
                FROM leveringen l LEFT JOIN levering_pogingen p ON p.levering_id = l.id GROUP BY l.id
                """)
            let duplicates = try rows.filter { try $0.decode("geslaagd", as: Int.self) > 1 }.count
            let lost = try rows.filter { try $0.decode("geslaagd", as: Int.self) == 0 }.count
            let abandoned =
                try await pool.query(
                    "SELECT count(DISTINCT levering_id) AS n FROM levering_pogingen WHERE afgerond_op IS NULL AND poging < (SELECT pogingen FROM leveringen WHERE id = levering_id)"
                ).first?.decode("n", as: Int.self) ?? 0
            let sink = state.appendingPathComponent("cbs-sink")
            var mismatches = 0
            for row in rows {
                let id: UUID = try row.decode("id")
                let manifest = sink.appendingPathComponent(id.uuidString.lowercased()).appendingPathComponent("manifest.json")
                let pages = try await LeveringQueue(pool: pool).pages(id)
                guard let data = FileManager.default.contents(atPath: manifest.path),
                    let listed = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["paginas"] as? [[String: Any]]
                else {
                    mismatches += 1
                    continue
                }
                if listed.compactMap({ $0["sha256"] as? String }) != pages.map(\.sha256) { mismatches += 1 }
            }
            return (duplicates, lost, mismatches, abandoned)
        }
    }

    /// Runs `body` with a rig; closes the pool after.
    static func withRig(seed: UInt64, _ body: (Rig) async throws -> Void) async throws {
        let pki = try await SharedPKI.files.value
        let connection = try await TestPostgres.migratedDatabase()
        let pool = TestPostgres.makePool(connection)
        let register = try GemeentenRegister(csv: try String(contentsOf: TestPostgres.resources.gemeentenRegister, encoding: .utf8))
        try await PostgresGemeenteStore(pool: pool).load(register)
        let gemeenten = Array(register.gemeenten.prefix(50))
        try await LeveringFixtures.grantConsent(gemeenten.map(\.code), pool: pool)
        let resources = try Self.resources(leaseSeconds: 10)
        let state = URL(fileURLWithPath: try TestPostgres.temporaryFolder("ddas-wp"))
        let service = LeverancierDienst(
            name: "xxllnc", basePath: "/xxllnc/v1",
            gemeenten: gemeenten.compactMap { SimulatedGemeente(code: $0.code.rawValue, organisatie: "Gemeente \($0.name)") }, seed: seed,
            volume: SyntheticVolume(recordsPerMonth: 100), clients: [ClientCredential(id: "cbs", secret: "worker-secret")],
            signer: try JAdESResponseSigner.load(pki, "leverancier"))
        var quiet = TestPostgres.logger
        quiet.logLevel = .critical
        let simulator = try SupplierSimulator(
            configuration: SimulatorConfiguration(suppliers: [service], faults: [FaultRule(.slowResponse(delayMilliseconds: 100))]),
            logger: quiet)
        do {
            try await simulator.withRunningServer { running in
                try "worker-secret".write(to: state.appendingPathComponent("secret"), atomically: true, encoding: .utf8)
                let base = try #require(running.baseURL(supplier: "xxllnc"))
                let configuration = state.appendingPathComponent("exchange.yaml")
                try """
                signing:
                  key_id: cbs-test
                  key: file:\(pki)/cbs.key.pem
                  chain: \(pki)/cbs.chain.pem
                sink:
                  directory: \(state.path)/cbs-sink
                revocation:
                  policy: "off"
                services:
                  - leverancier: xxllnc
                    stroom: VS
                    base_url: \(base)
                    token_url: \(base)/oauth/token
                    client_id: cbs
                    client_secret: file:\(state.path)/secret
                    trust_anchors: \(pki)/root.pem
                    oin: "00000099000000000001"
                    page_size: 100
                """.write(to: configuration, atomically: true, encoding: .utf8)
                var requests: [LeveringRequest] = []
                for (quarter, months) in [(1, (1, 3)), (2, (4, 6)), (3, (7, 9)), (4, (10, 12))] {
                    for gemeente in gemeenten {
                        requests.append(
                            LeveringRequest(
                                gemeente: gemeente.code, leverancierID: "xxllnc", stroom: .vs, periode: "2025-Q\(quarter)",
                                periodeStart: PostgresDate(year: 2025, month: months.0, day: 1),
                                periodeEind: PostgresDate(year: 2025, month: months.1, day: months.1 == 6 || months.1 == 9 ? 30 : 31),
                                doel: "regulier", maxPogingen: 5, notBefore: Date().addingTimeInterval(-1)))
                    }
                }
                #expect(try await LeveringQueue(pool: pool).enqueue(requests) == 200)
                try await body(Rig(connection: connection, pool: pool, configuration: configuration, state: state, resources: resources))
            }
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
    }

    @Test(
        "two worker processes drain 200 deliveries within the per-supplier limit, one killed with SIGKILL mid-pull: every delivery is handed over exactly once"
    )
    func twoProcessesAndAKill() async throws {
        try await Self.withRig(seed: 11) { rig in
            let pool = rig.pool
            func worker() throws -> RegieProcess { try rig.serve(role: "worker").process }
            let first = try worker()
            let second = try worker()
            let before = try await Self.waitForSuccesses(40, pool: pool, within: 120) { !first.hasExited && !second.hasExited }
            #expect(before.done >= 40, "\(first.output().suffix(1_500))")
            // Two processes of 8 each, and never more than the schedule's 4 running for the supplier.
            #expect(before.mostRunning <= 4 && before.mostRunning >= 2, "\(before.mostRunning) running at once")
            kill(first.pid, SIGKILL)
            #expect(await first.exitStatus() == 128 + SIGKILL)
            let inFlight = try await pool.query("SELECT count(*) AS n FROM leveringen WHERE status = 'bezig'").first?.decode(
                "n", as: Int.self)
            let done = try await Self.waitForSuccesses(200, pool: pool, within: 180) { !second.hasExited }
            kill(second.pid, SIGTERM)
            #expect(await second.exitStatus() == 0)
            #expect(done.done == 200, "\(second.output().suffix(1_500))")

            // Exactly one successful hand-over per delivery, and its pages in the sink as recorded.
            let (duplicates, lost, mismatches, rescued) = try await rig.handOvers()
            #expect(duplicates == 0 && lost == 0)
            #expect(mismatches == 0)
            print(
                "worker processes: 200 deliveries, at most \(before.mostRunning) running at once (limit 4), 1 kill with \(inFlight ?? 0) in flight, \(rescued) rescued, \(duplicates) duplicates, \(lost) lost"
            )
        }
    }

    @Test(
        "two replicas (serve, API and worker) against one PostgreSQL: one stopped with SIGTERM mid-run drains its pulls and exits 0, the other serves on and finishes: nothing lost, nothing twice"
    )
    func twoReplicasAndASigterm() async throws {
        try await Self.withRig(seed: 13) { rig in
            let pool = rig.pool
            let first = try rig.serve(role: "all")
            let second = try rig.serve(role: "all")
            let token = try await TokenStore(pool: pool).issue(
                role: .projectteam, scope: nil, expiresAt: nil, description: "replica test", by: .commandLine)
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let before = try await Self.waitForSuccesses(40, pool: pool, within: 120) {
                    !first.process.hasExited && !second.process.hasExited
                }
                #expect(before.done >= 40, "\(first.process.output().suffix(1_500))")
                let running =
                    try await pool.query("SELECT count(*) AS n FROM leveringen WHERE status = 'bezig'").first?.decode(
                        "n", as: Int.self) ?? 0
                let stopping = ContinuousClock.now
                kill(first.process.pid, SIGTERM)
                #expect(await first.process.exitStatus() == 0, "\(first.process.output().suffix(1_500))")
                let drained = ContinuousClock.now - stopping
                #expect(drained < .seconds(45), "the drain is bounded by its grace period")

                // The other replica answers the API while it finishes the queue.
                let ready = try await client.execute(
                    HTTPClientRequest(url: "http://127.0.0.1:\(second.port)/health/ready"), timeout: .seconds(10))
                #expect(ready.status == .ok)
                let done = try await Self.waitForSuccesses(200, pool: pool, within: 180) { !second.process.hasExited }
                #expect(done.done == 200, "\(second.process.output().suffix(1_500))")
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(second.port)/v1/leveringen?status=geslaagd&paginaGrootte=1")
                request.headers.add(name: "Authorization", value: "Bearer \(token.secret)")
                let listed = try await client.execute(request, timeout: .seconds(10))
                #expect(listed.status == .ok)
                let body = String(buffer: try await listed.body.collect(upTo: 1 << 20))
                #expect(body.contains("\"totaal\":200"), "\(body.prefix(300))")
                kill(second.process.pid, SIGTERM)
                #expect(await second.process.exitStatus() == 0)

                let (duplicates, lost, mismatches, abandoned) = try await rig.handOvers()
                #expect(duplicates == 0 && lost == 0 && mismatches == 0)
                #expect(abandoned == 0, "a SIGTERM drains: no attempt is left for the rescuer")
                print(
                    "replicas: 200 deliveries, SIGTERM with \(running) in flight, drained and exited in \(String(format: "%.2f", Double(drained.components.seconds) + Double(drained.components.attoseconds) / 1e18)) s, \(abandoned) abandoned, \(duplicates) duplicates, \(lost) lost; the other replica served on"
                )
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }
}
