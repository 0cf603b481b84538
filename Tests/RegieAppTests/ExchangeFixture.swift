import DDASClient
import DDASSignature
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
        _ = try await TestPKI.generate().write(to: folder, overwrite: true)
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
    let pool: PostgresPool
    let codes: [Gemeentecode]
    let simulator: SupplierSimulator
    let running: RunningSimulator
    let sink: URL
    let exchange: Exchange
    let clock: TestClock
    let worker: DeliveryWorker

    /// Runs `body` with a fixture over `count` gemeenten, each with `recordsPerMonth` records
    /// a month at the simulator and `pageSize` records a page asked; `faults` per gemeente; a
    /// delivery with more than `maxErrorShare` of its records in error fails validation; a
    /// schema violation does what `schemaViolations` says.
    static func with<Result: Sendable>(
        gemeenten count: Int, recordsPerMonth: Int = 90, pageSize: Int = 100, maxResponseMB: Int = 64, readTimeout: Duration = .seconds(20),
        maxErrorShare: Double = DeliverySchedule.defaultMaxErrorShare,
        schemaViolations: DeliverySchedule.SchemaViolationPolicy = .reject,
        faults: @Sendable ([Gemeentecode]) -> [FaultRule] = { _ in [] },
        _ body: (ExchangeFixture) async throws -> Result
    ) async throws -> Result {
        let pki = try await SharedPKI.files.value
        let pool = try await DeliveryFixtures.database()
        let register = try GemeentenRegister(csv: try String(contentsOf: TestPostgres.resources.gemeentenRegister, encoding: .utf8))
        let gemeenten = Array(register.gemeenten.prefix(count))
        let codes = gemeenten.map(\.code)
        try await DeliveryFixtures.grantConsent(codes, pool: pool)
        let service = SupplierService(
            name: "xxllnc", basePath: "/xxllnc/v1", apiVersion: .v1_0,
            gemeenten: gemeenten.compactMap { SimulatedGemeente(code: $0.code.rawValue, organisatie: "Gemeente \($0.name)") }, seed: 7,
            volume: SyntheticVolume(recordsPerMonth: recordsPerMonth), clients: [ClientCredential(id: "cbs", secret: "test-secret")],
            signer: try JAdESResponseSigner.load(pki, "leverancier"), untrustedSigner: try JAdESResponseSigner.load(pki, "onbekend"),
            expiredSigner: try JAdESResponseSigner.load(pki, "verlopen"))
        var quiet = TestPostgres.logger
        quiet.logLevel = .critical
        let simulator = try SupplierSimulator(
            configuration: SimulatorConfiguration(suppliers: [service], faults: faults(codes)), logger: quiet)
        let sink = URL(fileURLWithPath: try TestPostgres.temporaryFolder("ddas-sink"))
        defer { try? FileManager.default.removeItem(at: sink) }
        do {
            let result = try await simulator.withRunningServer { running in
                let secretFile = sink.deletingLastPathComponent().appendingPathComponent("secret-\(UUID().uuidString)")
                try "test-secret".write(to: secretFile, atomically: true, encoding: .utf8)
                defer { try? FileManager.default.removeItem(at: secretFile) }
                let address = try #require(running.baseURL(supplier: "xxllnc"))
                let base = try #require(URL(string: address))
                let configuration = try ExchangeConfiguration(
                    signing: .init(keyID: "cbs-test", key: try SecretReference("file:\(pki)/cbs.key.pem"), chain: "\(pki)/cbs.chain.pem"),
                    sink: .directory(sink.path),
                    connections: [
                        SupplierConnection(
                            leverancierID: "xxllnc", stroom: "VS", baseURL: base,
                            oauth: .init(
                                tokenURL: try #require(URL(string: base.absoluteString + "/oauth/token")), clientID: "cbs",
                                clientSecret: try SecretReference("file:\(secretFile.path)")),
                            trustAnchors: "\(pki)/root.pem", supplierIdentity: SignerExpectation(oin: TestPKI.leverancierOIN),
                            schemaVersion: "1.2", pageSize: pageSize,
                            timeouts: .init(connect: .seconds(5), read: readTimeout, total: .seconds(120)),
                            maxResponseBytes: maxResponseMB << 20)
                    ])
                let exchange = try Exchange.make(
                    configuration, schemas: TestPostgres.resources.exchangeModels, defaultStaging: sink.appendingPathComponent(".staging"))
                let clock = TestClock()
                let worker = DeliveryWorker(
                    queue: DeliveryQueue(pool: pool),
                    puller: DDASPuller(
                        exchange: exchange, pool: pool,
                        standardisation: try StandardisationService(
                            store: StandardisationStore(pool: pool), referenceDirectory: TestPostgres.resources.standaardisatie),
                        maxErrorShare: ["VS": maxErrorShare], schemaViolations: ["VS": schemaViolations], logger: TestPostgres.logger,
                        now: { clock.now }),
                    configuration: .init(owner: "test-worker", concurrency: 8, perSupplierLimit: 8),
                    retrySchedule: { _, failure, now in now.addingTimeInterval(max(failure.retryAfter ?? 0, 60)) }, notifications: nil,
                    onboarding: OnboardingStore(pool: pool, workflows: try TestPostgres.workflows), logger: TestPostgres.logger,
                    now: { clock.now })
                let fixture = ExchangeFixture(
                    pool: pool, codes: codes, simulator: simulator, running: running, sink: sink, exchange: exchange, clock: clock,
                    worker: worker)
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
        try await DeliveryQueue(pool: pool).enqueue(
            DeliveryFixtures.requests(codes, maxPogingen: maxPogingen, notBefore: clock.now.addingTimeInterval(-1)))
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
