import DDASClient
import DDASExchange
import DDASSignature
import DDASTestPKI
import Foundation
import Logging
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import SupplierSimulator
import Synchronization
import Testing

@testable import RegieApp

/// The test PKI, made once per test run (RSA key generation takes seconds).
enum SharedPKI {
    static let files = Task<String, any Error> {
        let folder = try TestPostgres.temporaryFolder("ddas-pki")
        let pki = try await TestPKI.generate()
        _ = try pki.write(to: folder, overwrite: true)
        // A certificate from the trusted intermediate with another organisation's OIN: the
        // simulator's wrongOINSigner signs with it.
        let other = try await pki.makeIdentity(commonName: "DDAS Test Andere Leverancier", oin: TestPKI.testOIN(3))
        let name = JAdESResponseSigner.wrongOINName
        try other.privateKeyPEM.write(toFile: "\(folder)/\(name).key.pem", atomically: true, encoding: .utf8)
        try other.certificateChainPEM().write(toFile: "\(folder)/\(name).chain.pem", atomically: true, encoding: .utf8)
        return folder
    }
}

/// A clock a test moves by hand: retries become due without waiting.
final class TestClock: Sendable {
    private let current = Mutex(Date())

    var now: Date { current.withLock { $0 } }

    func advance(_ seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// The real exchange end to end: the supplier simulator (JAdES-signed with the test PKI)
/// serving the first gemeenten of the register for xxllnc, a database where they gave
/// consent, and a delivery worker with the DDAS puller handing over to a directory sink.
struct ExchangeFixture {
    /// A supplier service of the fixture and how it speaks the exchange.
    struct Leverancier: Sendable {
        var name: String
        var apiVersion: ExchangeAPIVersion = .standard
        /// How the simulator signs its responses.
        var responseSigning: SigningProfile = .standard
        /// How CBS signs its requests to it.
        var requestSigning: SigningProfile = .standard
        /// The API version the client is configured with, when it differs from the supplier's.
        var clientAPIVersion: ExchangeAPIVersion?
        /// The stream of the service (and of its gemeenten' consent and deliveries).
        var stroom: ExchangeStroom = .vroegsignalering

        static let xxllnc = Leverancier(name: "xxllnc")

        /// The exchange model version of its stream: VS 1.2, SHV 1.0.
        var schemaVersion: String { stroom == .vroegsignalering ? "1.2" : "1.0" }
    }

    let pool: PostgresPool
    let codes: [Gemeentecode]
    /// The supplier of each gemeente (the gemeenten are dealt round the suppliers in turn).
    let supplierOf: [Gemeentecode: String]
    /// The stream of each gemeente's supplier service.
    let stroomOf: [Gemeentecode: RegieStore.Stroom]
    let simulator: SupplierSimulator
    let running: RunningSimulator
    let sink: URL
    let exchange: Exchange
    let clock: TestClock
    let worker: LeveringWorker
    /// The PKI's OCSP responder and CRLs, when the fixture was made with a revocation policy.
    let revocation: (responder: TestRevocationResponder, pki: TestPKI)?

    /// Runs `body` with a fixture over `count` gemeenten, each with `recordsPerMonth` records
    /// a month at the simulator and `pageSize` records a page asked; `faults` per gemeente; a
    /// delivery with more than `maxErrorShare` of its records in error fails validation; a
    /// schema violation does what `schemaViolations` says. The simulator verifies CBS's
    /// requests. Without `revocation` the shared test PKI (no responder) is used and revocation
    /// is off; with it, a PKI of its own whose certificates name a running responder.
    static func with<Result: Sendable>(
        gemeenten count: Int, suppliers: [Leverancier] = [.xxllnc], recordsPerMonth: Int = 90, pageSize: Int = 100, maxResponseMB: Int = 64,
        readTimeout: Duration = .seconds(20), maxErrorShare: Double = LeveringSchedule.defaultMaxErrorShare,
        schemaViolations: LeveringSchedule.SchemaViolationPolicy = .reject, revocation: RevocationPolicy? = nil,
        faults: @Sendable ([Gemeentecode]) -> [FaultRule] = { _ in [] },
        _ body: (ExchangeFixture) async throws -> Result
    ) async throws -> Result {
        guard let revocation else {
            return try await with(
                gemeenten: count, suppliers: suppliers, pki: try await SharedPKI.files.value, revocation: nil,
                recordsPerMonth: recordsPerMonth,
                pageSize: pageSize, maxResponseMB: maxResponseMB, readTimeout: readTimeout, maxErrorShare: maxErrorShare,
                schemaViolations: schemaViolations, faults: faults, body)
        }
        // The responder runs first, so that the PKI made next can name it in its certificates.
        let responder = TestRevocationResponder()
        let host = LeverancierDienst(
            name: "pki", basePath: "/pki-host/v1", gemeenten: [SimulatedGemeente(code: "GM0363", organisatie: "Gemeente Amsterdam")!],
            clients: [ClientCredential(id: "none", secret: "no-secret-for-tests")])
        var configuration = SimulatorConfiguration(suppliers: [host])
        configuration.revocation = SimulatedRevocation(responder: responder)
        return try await SupplierSimulator(configuration: configuration).withRunningServer { running in
            let pki = try await TestPKI.generate(revocationBaseURL: running.origin + "/pki")
            await responder.serve(pki: pki)
            let folder = try TestPostgres.temporaryFolder("ddas-pki-revocation")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try pki.write(to: folder, overwrite: true)
            return try await with(
                gemeenten: count, suppliers: suppliers, pki: folder, revocation: (revocation, responder, pki),
                recordsPerMonth: recordsPerMonth, pageSize: pageSize, maxResponseMB: maxResponseMB, readTimeout: readTimeout,
                maxErrorShare: maxErrorShare, schemaViolations: schemaViolations, faults: faults, body)
        }
    }

    private static func with<Result: Sendable>(
        gemeenten count: Int, suppliers: [Leverancier], pki: String,
        revocation: (policy: RevocationPolicy, responder: TestRevocationResponder, pki: TestPKI)?, recordsPerMonth: Int, pageSize: Int,
        maxResponseMB: Int, readTimeout: Duration, maxErrorShare: Double, schemaViolations: LeveringSchedule.SchemaViolationPolicy,
        faults: @Sendable ([Gemeentecode]) -> [FaultRule], _ body: (ExchangeFixture) async throws -> Result
    ) async throws -> Result {
        let pool = try await LeveringFixtures.database()
        let register = try GemeentenRegister(csv: try String(contentsOf: TestPostgres.resources.gemeentenRegister, encoding: .utf8))
        let gemeenten = Array(register.gemeenten.prefix(count))
        let codes = gemeenten.map(\.code)
        var supplierOf: [Gemeentecode: String] = [:]
        var stroomOf: [Gemeentecode: RegieStore.Stroom] = [:]
        for (index, code) in codes.enumerated() {
            supplierOf[code] = suppliers[index % suppliers.count].name
            stroomOf[code] = RegieStore.Stroom(rawValue: suppliers[index % suppliers.count].stroom.rawValue)
        }
        let requestVerifier = try JAdESRequestVerifier(trustAnchorsPath: "\(pki)/root.pem", cbsOIN: TestPKI.cbsOIN)
        for supplier in suppliers {
            let own = codes.filter { supplierOf[$0] == supplier.name }
            try await LeveringFixtures.grantConsent(own, supplier: supplier.name, stroom: supplier.stroom.rawValue, pool: pool)
        }
        let services = try suppliers.map { supplier in
            var service = LeverancierDienst(
                name: supplier.name, basePath: "/\(supplier.name)/v1",
                stroom: supplier.stroom == .vroegsignalering ? .vroegsignalering : .schuldhulpverlening, apiVersion: supplier.apiVersion,
                gemeenten: gemeenten.filter { supplierOf[$0.code] == supplier.name }.compactMap {
                    SimulatedGemeente(code: $0.code.rawValue, organisatie: "Gemeente \($0.name)")
                }, seed: 7, volume: SyntheticVolume(recordsPerMonth: recordsPerMonth),
                clients: [ClientCredential(id: "cbs", secret: "test-secret")], responseSigning: supplier.responseSigning,
                requestVerifier: requestVerifier)
            try service.loadSigners(fromTestPKI: pki)
            return service
        }
        var quiet = TestPostgres.logger
        quiet.logLevel = .critical
        let simulator = try SupplierSimulator(
            configuration: SimulatorConfiguration(suppliers: services, faults: faults(codes)), logger: quiet)
        let sink = URL(fileURLWithPath: try TestPostgres.temporaryFolder("ddas-sink"))
        defer { try? FileManager.default.removeItem(at: sink) }
        do {
            let result = try await simulator.withRunningServer { running in
                let secretFile = sink.deletingLastPathComponent().appendingPathComponent("secret-\(UUID().uuidString)")
                try "test-secret".write(to: secretFile, atomically: true, encoding: .utf8)
                defer { try? FileManager.default.removeItem(at: secretFile) }
                var connections: [LeverancierConnection] = []
                for supplier in suppliers {
                    let address = try #require(running.baseURL(supplier: supplier.name))
                    let base = try #require(URL(string: address))
                    connections.append(
                        LeverancierConnection(
                            leverancierID: supplier.name, stroom: supplier.stroom.rawValue, baseURL: base,
                            oauth: .init(
                                tokenURL: try #require(URL(string: base.absoluteString + "/oauth/token")), clientID: "cbs",
                                clientSecret: try SecretReference("file:\(secretFile.path)")),
                            trustAnchors: "\(pki)/root.pem", supplierIdentity: SignerExpectation(oin: TestPKI.leverancierOIN),
                            apiVersion: supplier.clientAPIVersion ?? supplier.apiVersion, requestSigning: supplier.requestSigning,
                            schemaVersion: supplier.schemaVersion, pageSize: pageSize,
                            timeouts: .init(connect: .seconds(5), read: readTimeout, total: .seconds(120)),
                            maxResponseBytes: maxResponseMB << 20))
                }
                let configuration = try ExchangeConfiguration(
                    signing: .init(keyID: "cbs-test", key: try SecretReference("file:\(pki)/cbs.key.pem"), chain: "\(pki)/cbs.chain.pem"),
                    sink: .directory(sink.path), revocation: .init(policy: revocation?.policy ?? .off), connections: connections)
                let exchange = try Exchange.make(
                    configuration, schemas: TestPostgres.resources.exchangeModels, defaultStaging: sink.appendingPathComponent(".staging"))
                let clock = TestClock()
                let worker = LeveringWorker(
                    // A failed attempt waits 60 s, or the supplier's Retry-After when that is longer.
                    queue: LeveringQueue(
                        pool: pool, lifecycle: LeveringLifecycle(fallback: RetryPolicy(baseDelay: 60, maxDelay: 60)), jitter: { 1 }),
                    puller: DDASPuller(
                        exchange: exchange, reports: OpOrdeRapportStore(pool: pool), auditTrail: AuditTrail(pool: pool),
                        standardisation: try StandardisationService(
                            store: StandardisationStore(pool: pool), referenceDirectory: TestPostgres.resources.standaardisatie),
                        maxErrorShare: ["VS": maxErrorShare, "SHV": maxErrorShare],
                        schemaViolations: ["VS": schemaViolations, "SHV": schemaViolations], logger: TestPostgres.logger,
                        now: { clock.now }),
                    configuration: .init(owner: "test-worker", concurrency: 8, perSupplierLimit: 8),
                    notifications: nil,
                    onboarding: OnboardingStore(pool: pool, workflows: try TestPostgres.workflows), logger: TestPostgres.logger,
                    now: { clock.now })
                let fixture = ExchangeFixture(
                    pool: pool, codes: codes, supplierOf: supplierOf, stroomOf: stroomOf, simulator: simulator, running: running,
                    sink: sink,
                    exchange: exchange,
                    clock: clock, worker: worker, revocation: revocation.map { ($0.responder, $0.pki) })
                do {
                    let result = try await body(fixture)
                    await exchange.shutdown()
                    return result
                } catch {
                    await exchange.shutdown()
                    throw error
                }
            }
            await pool.close()
            return result
        } catch {
            await pool.close()
            throw error
        }
    }

    /// Queues a regular 2026-Q1 delivery for each of `codes`.
    func enqueue(_ codes: [Gemeentecode], maxPogingen: Int = 5) async throws {
        for code in codes {
            try await LeveringQueue(pool: pool).enqueue(
                LeveringFixtures.requests(
                    [code], supplier: supplierOf[code] ?? "xxllnc", stroom: stroomOf[code] ?? .vs, maxPogingen: maxPogingen,
                    notBefore: clock.now.addingTimeInterval(-1)))
        }
    }

    /// Runs worker passes, moving the clock past every retry, until nothing is left to claim.
    func drain(maxPasses: Int = 30) async throws {
        for _ in 0..<maxPasses {
            if try await worker.runOnce() == 0 {
                let waiting = try await pool.query("SELECT count(*) AS n FROM leveringen WHERE status IN ('gepland', 'mislukt')").first?
                    .decode(
                        "n", as: Int.self)
                if waiting == 0 { return }
                clock.advance(3_600)
            }
        }
    }

    /// The delivery of `code`: its status, attempts and last error class and message.
    func delivery(_ code: Gemeentecode) async throws -> (id: UUID, status: String, pogingen: Int, klasse: String?, fout: String?) {
        let row = try await pool.query(
            "SELECT id, status, pogingen, laatste_fout_klasse, laatste_fout FROM leveringen WHERE gemeente_code = $1", [code.rawValue]
        ).first
        guard let row else { throw POSIXError(.ENOENT) }
        return (
            try row.decode("id"), try row.decode("status"), try row.decode("pogingen"), try row.decode("laatste_fout_klasse"),
            try row.decode("laatste_fout")
        )
    }

    /// The files the sink holds for a delivery (none when nothing was handed over).
    func sinkFiles(_ id: UUID) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: sink.appendingPathComponent(id.uuidString.lowercased()).path)) ?? [])
            .sorted()
    }

    /// What is left in the staging folder (nothing, once every delivery ended).
    func staged() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: sink.appendingPathComponent(".staging").path)) ?? []
    }
}
