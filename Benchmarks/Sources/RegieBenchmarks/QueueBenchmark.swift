import Foundation
import Logging
import Postgres
import RegieApp
import RegieDomain
import RegieStore

/// Claims and completes no-op deliveries through the engine's real code path (claim with
/// its consent gate and per-supplier limit, hand-over with the consent re-check and the
/// attempt record), on a private PostgreSQL, and reports deliveries per second.
struct QueueBenchmark {
    /// A puller that pulls nothing: what is measured is the queue.
    struct NoOpPuller: Puller {
        func pull(_ delivery: ClaimedLevering) async throws -> PullResult {
            PullResult(figures: .init(httpStatus: 200), handOver: { _ in })
        }
    }

    let database: RegieDatabase
    let logger: Logger

    /// Opens the PostgreSQL at `url`, migrates it, loads the gemeenten, and gives each a
    /// supplier and consent for VS (once: a second start finds them).
    static func start(url: String, logger: Logger) async throws -> QueueBenchmark {
        let database = try await RegieDatabase.open(.external(connectionString: url), mode: .exclusive, poolSize: 12, logger: logger)
        let resources = try Resources.locate()
        _ = try await RegieServer.prepare(
            database: database, resources: resources, workflows: try Workflows.load(from: resources.workflows),
            schedule: try LeveringSchedule.load(from: resources.workflows), logger: logger)
        try await database.pool.query(
            """
            INSERT INTO gemeente_leveranciers (id, gemeente_code, stroom, leverancier_id, organisatienaam, van, vastgelegd_door)
            SELECT gen_random_uuid(), code, 'VS', 'xxllnc', 'Gemeente ' || name, now(), 'benchmark' FROM gemeenten g
            WHERE NOT EXISTS (SELECT 1 FROM gemeente_leveranciers a WHERE a.gemeente_code = g.code AND a.stroom = 'VS')
            """)
        try await grantConsent(database.pool)
        return QueueBenchmark(database: database, logger: logger)
    }

    /// Consent for VS to each gemeente's current supplier, where it has none.
    static func grantConsent(_ pool: PostgresPool) async throws {
        try await pool.query(
            """
            INSERT INTO toestemmingen (id, besluit_id, gemeente_code, leverancier_id, stroom, besluitdatum, besluitvormend_orgaan,
                                       documentreferentie, document_sha256, geldig_van, vastgelegd_door)
            SELECT gen_random_uuid(), gen_random_uuid(), a.gemeente_code, a.leverancier_id, 'VS', '2025-10-01', 'college', 'BENCHMARK',
                   repeat('ab', 32), '2025-11-01', 'benchmark'
            FROM gemeente_leveranciers a
            WHERE a.stroom = 'VS' AND a.tot IS NULL
              AND NOT EXISTS (SELECT 1 FROM toestemmingen t WHERE t.gemeente_code = a.gemeente_code AND t.leverancier_id = a.leverancier_id
                                                               AND t.stroom = 'VS' AND t.ingetrokken_op IS NULL)
            """)
    }

    func stop() async {
        try? await database.close()
    }

    /// Queues `deliveries` (each gemeente's current supplier × consecutive months, as
    /// re-deliveries so that they never collide with the history), then drains them with
    /// `workers` workers each running up to `batch` at a time (claiming again as slots free,
    /// as the service does); one round.
    func measure(deliveries: Int, workers: Int, batch: Int) async throws -> BenchmarkResult {
        try await clear()
        try await enqueue(deliveries)
        let queue = LeveringQueue(pool: database.pool)
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<workers {
                group.addTask {
                    let worker = LeveringWorker(
                        queue: queue, puller: NoOpPuller(),
                        configuration: .init(owner: "bench-\(index)", concurrency: batch, perSupplierLimit: 10_000),
                        notifications: nil, logger: logger)
                    await worker.drain()
                }
            }
            try await group.waitForAll()
        }
        let elapsed = seconds(started.duration(to: .now))
        let done = try await database.pool.query(
            "SELECT count(*) AS n FROM leveringen WHERE doel = 'herlevering' AND status = 'geslaagd'"
        ).first?.decode("n", as: Int.self)
        guard done == deliveries else { throw BenchmarkError(message: "only \(done ?? 0) of \(deliveries) deliveries succeeded") }
        let history = try await database.pool.query("SELECT count(*) AS n FROM leveringen WHERE doel = 'regulier'").first?.decode(
            "n", as: Int.self)
        try await clear()
        return BenchmarkResult(
            kind: "queue", subject: "ours",
            parameters: [
                "workers": Double(workers), "batch": Double(batch), "deliveries": Double(deliveries), "history": Double(history ?? 0),
            ],
            figures: ["seconds": elapsed, "perSecond": Double(deliveries) / elapsed])
    }

    /// Removes the benchmark's deliveries and their attempts, leaving the history.
    func clear() async throws {
        for table in ["levering_pogingen", "levering_paginas", "op_orde_rapporten"] {
            try await database.pool.query(
                "DELETE FROM \(table) p USING leveringen l WHERE l.id = p.levering_id AND l.doel = 'herlevering'")
        }
        try await database.pool.query("DELETE FROM leveringen WHERE doel = 'herlevering'")
        try await database.pool.query("VACUUM ANALYZE leveringen, levering_pogingen")
    }

    func enqueue(_ count: Int) async throws {
        let assignments = try await database.pool.query(
            "SELECT gemeente_code, leverancier_id FROM gemeente_leveranciers WHERE stroom = 'VS' AND tot IS NULL ORDER BY gemeente_code"
        ).compactMap { row -> (Gemeentecode, String)? in
            guard let code = Gemeentecode(try row.decode("gemeente_code", as: String.self)) else { return nil }
            return (code, try row.decode("leverancier_id", as: String.self))
        }
        var requests: [LeveringRequest] = []
        var month = 0
        while requests.count < count {
            let year = 2000 + month / 12
            let number = month % 12 + 1
            for (code, supplier) in assignments where requests.count < count {
                requests.append(
                    LeveringRequest(
                        gemeente: code, leverancierID: supplier, stroom: .vs, periode: String(format: "%04d-%02d", year, number),
                        periodeStart: PostgresDate(year: year, month: number, day: 1),
                        periodeEind: PostgresDate(year: year, month: number, day: 28), doel: "herlevering", maxPogingen: 1,
                        notBefore: Date().addingTimeInterval(-60)))
            }
            month += 1
        }
        let queue = LeveringQueue(pool: database.pool)
        for start in stride(from: 0, to: requests.count, by: 2_000) {
            try await queue.enqueue(Array(requests[start..<min(start + 2_000, requests.count)]))
        }
    }
}
