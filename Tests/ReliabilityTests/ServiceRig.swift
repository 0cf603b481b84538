import DDASSignature
import DDASTestPKI
import EmbeddedPostgres
import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import SupplierSimulator
import Testing

/// The PostgreSQL of the reliability run: a private cluster (the database-restart scenario
/// restarts it) that records commit timestamps (the consent-race scenario orders commits by
/// them). Each scenario gets a database of its own in it.
enum ReliabilityCluster {
    static let shared = Task<EmbeddedPostgres, any Error> {
        let folder = try TestPostgres.temporaryFolder("ddas-rel")
        return TestPostgres.track(
            try await EmbeddedPostgres.start(
                dataDirectory: folder + "/pg", mode: .exclusive,
                options: .init(durable: false, settings: ["max_connections": "300", "track_commit_timestamp": "on"]),
                logger: TestPostgres.logger))
    }

    /// The test PKI (CBS's key, the suppliers' signers), made once.
    static let pki = Task<String, any Error> {
        let folder = try TestPostgres.temporaryFolder("ddas-rel-pki")
        _ = try await TestPKI.generate().write(to: folder, overwrite: true)
        return folder
    }

    /// Every database a scenario made, for the privacy scan.
    static let databases = Evidence<String>()

    /// A new database, migrated, with the gemeenten register loaded.
    static func database(_ name: String) async throws -> PostgresConfiguration {
        let cluster = try await shared.value
        let admin = TestPostgres.makePool(.init(connectionString: cluster.connectionString(database: "postgres")), size: 1)
        do {
            try await EmbeddedPostgres.createDatabaseIfMissing(name, pool: admin)
            await admin.close()
        } catch {
            await admin.close()
            throw error
        }
        let connection = PostgresConfiguration(connectionString: cluster.connectionString(database: name))
        let pool = TestPostgres.makePool(connection, size: 2)
        do {
            try await Migrator(
                pool: pool, migrations: try MigrationSet(directory: TestPostgres.resources.migrations), logger: TestPostgres.logger
            )
            .migrate()
            try await LeveringFixtures.database(into: pool)
            await pool.close()
        } catch {
            await pool.close()
            throw error
        }
        await databases.add(name)
        return connection
    }
}

/// What the scenarios leave for the privacy scan: database names, service logs, `/metrics`
/// answers and API responses.
actor Evidence<Item: Sendable> {
    private(set) var items: [Item] = []

    func add(_ item: Item) { items.append(item) }
}

/// The API answers the scenarios received, for the privacy scan: all of them up to 256 MB.
actor ResponseLog {
    private(set) var texts: [String] = []
    private(set) var count = 0
    private var bytes = 0

    func add(_ text: String) {
        count += 1
        guard bytes < 256 << 20 else { return }
        bytes += text.utf8.count
        texts.append(text)
    }
}

/// The settings of one scenario's world.
struct RigSettings {
    /// How many gemeenten (from the top of the register) have consent, split over the suppliers.
    var gemeenten = 100
    /// The supplier services; gemeente i goes to `suppliers[i % count]`.
    var suppliers = ["xxllnc", "bkr"]
    var recordsPerMonth = 100
    var pageSize = 100
    var faults: [FaultRule] = []
    /// Each page answered after this many milliseconds (pulls are in flight when something happens).
    var pageDelayMilliseconds = 50
    var leaseSeconds = 10
    var maxAttempts = 5
    var readTimeoutSeconds = 20
    /// The CBS intake the sink PUTs to (`sink: url:`); nil: the directory sink in the state folder.
    var sinkURL: String? = nil
    /// A supplier served elsewhere than by the simulator (its base URL, with `/oauth/token` beside it).
    var baseURLs: [String: String] = [:]
}

/// One scenario's world: a database of its own with consenting gemeenten, the supplier
/// simulator (JAdES-signed with the test PKI) serving them, an exchange configuration, a
/// state folder with the CBS sink, and resources whose schedule has a short lease and
/// backoff (so rescues and retries come within seconds).
struct ServiceRig {
    let name: String
    let connection: PostgresConfiguration
    let pool: PostgresPool
    let codes: [Gemeentecode]
    let supplierOf: [Gemeentecode: String]
    let configuration: URL
    let state: URL
    let resources: URL
    let simulator: SupplierSimulator

    var sink: URL { state.appendingPathComponent("cbs-sink") }

    static let logs = Evidence<String>()
    static let metrics = Evidence<String>()
    static let responses = ResponseLog()
    static let sinks = Evidence<URL>()
    /// The mails and webhook bodies the service sent (scenario 13), for the privacy scan.
    static let meldingen = Evidence<String>()

    /// Runs `body` with a rig; closes the pool after.
    static func with(_ name: String, _ settings: RigSettings, _ body: (ServiceRig) async throws -> Void) async throws {
        let pki = try await ReliabilityCluster.pki.value
        let connection = try await ReliabilityCluster.database("rel_\(name)")
        let pool = TestPostgres.makePool(connection, size: 6)
        let register = try GemeentenRegister(csv: try String(contentsOf: TestPostgres.resources.gemeentenRegister, encoding: .utf8))
        let gemeenten = Array(register.gemeenten.prefix(settings.gemeenten))
        var supplierOf: [Gemeentecode: String] = [:]
        for (index, gemeente) in gemeenten.enumerated() { supplierOf[gemeente.code] = settings.suppliers[index % settings.suppliers.count] }
        for supplier in settings.suppliers {
            try await LeveringFixtures.grantConsent(
                gemeenten.map(\.code).filter { supplierOf[$0] == supplier }, supplier: supplier, pool: pool)
        }
        let resources = try Self.resources(settings)
        let state = URL(fileURLWithPath: try TestPostgres.temporaryFolder("ddas-rs"))
        await sinks.add(state.appendingPathComponent("cbs-sink"))
        let services = try settings.suppliers.enumerated().map { index, supplier in
            LeverancierDienst(
                name: supplier, basePath: "/\(supplier)/v1",
                gemeenten: gemeenten.filter { supplierOf[$0.code] == supplier }.compactMap {
                    SimulatedGemeente(code: $0.code.rawValue, organisatie: "Gemeente \($0.name)")
                }, seed: UInt64(31 + index), volume: SyntheticVolume(recordsPerMonth: settings.recordsPerMonth),
                clients: [ClientCredential(id: "cbs", secret: "reliability-secret")],
                signer: try JAdESResponseSigner.load(pki, "leverancier"))
        }
        var quiet = TestPostgres.logger
        quiet.logLevel = .critical
        // The first rule that fires wins: the scenario's faults, else the delay.
        let faults = settings.faults + [FaultRule(.slowResponse(delayMilliseconds: settings.pageDelayMilliseconds))]
        let simulator = try SupplierSimulator(
            configuration: SimulatorConfiguration(suppliers: services, faults: faults, faultSeed: 2026), logger: quiet)
        do {
            try await simulator.withRunningServer { running in
                try "reliability-secret".write(to: state.appendingPathComponent("secret"), atomically: true, encoding: .utf8)
                var yaml = """
                    signing:
                      key_id: cbs-test
                      key: file:\(pki)/cbs.key.pem
                      chain: \(pki)/cbs.chain.pem
                    sink:
                      \(settings.sinkURL.map { "url: \($0)" } ?? "directory: \(state.path)/cbs-sink")
                    revocation:
                      policy: "off"
                    services:

                    """
                for supplier in settings.suppliers {
                    let base = try #require(settings.baseURLs[supplier] ?? running.baseURL(supplier: supplier))
                    yaml += """
                          - leverancier: \(supplier)
                            stroom: VS
                            base_url: \(base)
                            token_url: \(base)/oauth/token
                            client_id: cbs
                            client_secret: file:\(state.path)/secret
                            trust_anchors: \(pki)/root.pem
                            oin: "00000099000000000001"
                            page_size: \(settings.pageSize)
                            read_timeout_seconds: \(settings.readTimeoutSeconds)

                        """
                }
                let configuration = state.appendingPathComponent("exchange.yaml")
                try yaml.write(to: configuration, atomically: true, encoding: .utf8)
                try await body(
                    ServiceRig(
                        name: name, connection: connection, pool: pool, codes: gemeenten.map(\.code), supplierOf: supplierOf,
                        configuration: configuration, state: state, resources: resources, simulator: simulator))
            }
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
    }

    /// A copy of the shipped resources whose schedule has the scenario's lease and attempts and
    /// a backoff of 1–2 seconds.
    static func resources(_ settings: RigSettings) throws -> URL {
        try TestPostgres.resourcesCopy(scheduleReplacing: [
            ("lease_seconds: 300", "lease_seconds: \(settings.leaseSeconds)"), ("max_attempts: 5", "max_attempts: \(settings.maxAttempts)"),
            ("backoff_base_seconds: 60", "backoff_base_seconds: 1"), ("backoff_max_seconds: 3600", "backoff_max_seconds: 2"),
        ])
    }

    /// Queues one regular delivery per gemeente (of `codes`, default all) and quarter of 2025.
    @discardableResult
    func enqueue(quarters: [Int], codes chosen: [Gemeentecode]? = nil, maxAttempts: Int) async throws -> Int {
        var requests: [LeveringRequest] = []
        for quarter in quarters {
            let first = (quarter - 1) * 3 + 1
            let last = first + 2
            for code in chosen ?? codes {
                requests.append(
                    LeveringRequest(
                        gemeente: code, leverancierID: supplierOf[code] ?? "xxllnc", stroom: .vs, periode: "2025-Q\(quarter)",
                        periodeStart: PostgresDate(year: 2025, month: first, day: 1),
                        periodeEind: PostgresDate(year: 2025, month: last, day: last == 6 || last == 9 ? 30 : 31), doel: "regulier",
                        maxPogingen: maxAttempts, notBefore: Date().addingTimeInterval(-1)))
            }
        }
        return try await LeveringQueue(pool: pool).enqueue(requests)
    }

    /// A running `serve` process of this rig.
    struct Service {
        let process: RegieProcess
        let port: Int
        var base: String { "http://127.0.0.1:\(port)" }
    }

    /// Starts `serve` with `role` on a free port.
    func serve(role: String, arguments extra: [String] = []) throws -> Service {
        let port = try RegieProcess.freePort()
        let process = try RegieProcess.start(
            [
                "serve", "--role", role, "--database-url", connection.connectionString, "--port", String(port), "--exchange-config",
                configuration.path, "--log-level", "debug",
            ] + extra, environment: ["DDAS_RESOURCES_DIR": resources.path, "DDAS_STATE_DIR": state.path])
        return Service(process: process, port: port)
    }

    /// Stops `service` with SIGTERM and keeps its log for the privacy scan; returns its exit status.
    @discardableResult
    func stop(_ service: Service) async -> Int32 {
        if !service.process.hasExited {
            if let scrape = try? await HTTP.get("\(service.base)/metrics"), scrape.status == 200 { await Self.metrics.add(scrape.text) }
            kill(service.process.pid, SIGTERM)
        }
        let status = await service.process.exitStatus()
        await Self.logs.add(service.process.output())
        return status
    }

    /// The deliveries per status. A query that meets a connection lost to a PostgreSQL restart
    /// is asked again, for at most 30 seconds (the pool reconnects on the next one).
    func statuses() async throws -> [String: Int] {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            do {
                var counts: [String: Int] = [:]
                for row in try await pool.query("SELECT status, count(*) AS n FROM leveringen GROUP BY status") {
                    counts[try row.decode("status", as: String.self)] = try row.decode("n", as: Int.self)
                }
                return counts
            } catch {
                guard ContinuousClock.now < deadline else { throw error }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// Polls the database until no delivery is queued, running or waiting for a retry, or the
    /// deadline passes, or `alive` turns false; returns the statuses then.
    func waitUntilSettled(within seconds: Int, while alive: () -> Bool = { true }) async throws -> [String: Int] {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var counts = try await statuses()
        while ContinuousClock.now < deadline && alive() {
            counts = try await statuses()
            if (counts["gepland"] ?? 0) + (counts["bezig"] ?? 0) + (counts["mislukt"] ?? 0) == 0 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        return counts
    }

    /// Polls until the sink confirmed every recorded manifest (or the deadline passes, or
    /// `alive` turns false); returns how many are still unconfirmed. A process killed between
    /// a hand-over's commit and its manifest leaves one for the workers to send again after
    /// their grace period.
    func waitUntilManifestsConfirmed(within seconds: Int, while alive: () -> Bool = { true }) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var unconfirmed = 0
        while ContinuousClock.now < deadline && alive() {
            unconfirmed =
                try await pool.query("SELECT count(*) AS n FROM levering_manifesten WHERE bevestigd_op IS NULL").first?.decode(
                    "n", as: Int.self) ?? 0
            if unconfirmed == 0 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        return unconfirmed
    }

    /// Polls until at least `count` deliveries are geslaagd (or the deadline passes).
    func waitForSuccesses(_ count: Int, within seconds: Int, while alive: () -> Bool = { true }) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var done = 0
        while ContinuousClock.now < deadline && alive() {
            done = try await statuses()["geslaagd"] ?? 0
            if done >= count { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return done
    }

    /// `ddas-regie audit verify` against the rig's database.
    func auditVerify() async throws -> (status: Int32, output: String) {
        try await RegieProcess.run(["audit", "verify", "--database-url", connection.connectionString, "--state-dir", state.path])
    }

    /// A token of `role` for `scope`, issued straight into the database.
    func token(_ role: Role, scope: String? = nil) async throws -> String {
        try await TokenStore(pool: pool).issue(role: role, scope: scope, expiresAt: nil, description: "reliability", by: .commandLine)
            .secret
    }
}

extension ServiceRig {
    /// How many running pulls the worker of process `pid` holds a lease on.
    func leases(heldBy pid: pid_t) async throws -> Int {
        try await pool.query(
            "SELECT count(*) AS n FROM leveringen WHERE status = 'bezig' AND lease_eigenaar LIKE $1", ["worker-\(pid)-%"]
        ).first?.decode("n", as: Int.self) ?? 0
    }
}
