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
    /// One configuration's result: the median and spread of its rounds.
    struct Figure: Codable {
        let workers: Int
        let batch: Int
        let deliveries: Int
        let medianPerSecond: Double
        let minPerSecond: Double
        let maxPerSecond: Double

        var line: String {
            String(
                format: "queue  workers %d  batch %2d  %6d deliveries  median %7.0f/s  (min %.0f, max %.0f)", workers, batch, deliveries,
                medianPerSecond, minPerSecond, maxPerSecond)
        }
    }

    /// A puller that pulls nothing: what is measured is the queue.
    struct NoOpPuller: Puller {
        func pull(_ delivery: ClaimedLevering) async throws -> PullResult {
            PullResult(figures: .init(httpStatus: 200), handOver: { _ in })
        }
    }

    let database: RegieDatabase
    let folder: String
    let logger: Logger

    static func start(logger: Logger) async throws -> QueueBenchmark {
        var template = Array("/tmp/ddas-bench-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        let folder = String(cString: made)
        chmod(folder, 0o755)
        let database = try await RegieDatabase.open(
            .embedded(dataDirectory: folder + "/pg"), mode: .exclusive, poolSize: 12, logger: logger)
        let resources = try Resources.locate()
        _ = try await RegieServer.prepare(
            database: database, resources: resources, workflows: try Workflows.load(from: resources.workflows),
            schedule: try DeliverySchedule.load(from: resources.workflows), logger: logger)
        try await database.pool.query(
            """
            INSERT INTO gemeente_leveranciers (id, gemeente_code, stroom, leverancier_id, organisatienaam, van, vastgelegd_door)
            SELECT gen_random_uuid(), code, 'VS', 'xxllnc', 'Gemeente ' || name, now(), 'benchmark' FROM gemeenten
            """)
        try await database.pool.query(
            """
            INSERT INTO toestemmingen (id, besluit_id, gemeente_code, leverancier_id, stroom, besluitdatum, besluitvormend_orgaan,
                                       documentreferentie, document_sha256, geldig_van, vastgelegd_door)
            SELECT gen_random_uuid(), gen_random_uuid(), code, 'xxllnc', 'VS', '2025-10-01', 'college', 'BENCHMARK', repeat('ab', 32),
                   '2025-11-01', 'benchmark'
            FROM gemeenten
            """)
        return QueueBenchmark(database: database, folder: folder, logger: logger)
    }

    func stop() async {
        try? await database.close()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Queues `deliveries` (342 gemeenten × consecutive months), then drains them with
    /// `workers` workers each claiming up to `batch` at a time; repeated `rounds` times.
    func measure(deliveries: Int, workers: Int, batch: Int, rounds: Int) async throws -> Figure {
        var rates: [Double] = []
        for _ in 0..<max(1, rounds) {
            try await database.pool.query("TRUNCATE levering_pogingen, levering_paginas, leveringen")
            try await enqueue(deliveries)
            let queue = DeliveryQueue(pool: database.pool)
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<workers {
                    group.addTask {
                        let worker = DeliveryWorker(
                            queue: queue, puller: NoOpPuller(),
                            configuration: .init(owner: "bench-\(index)", concurrency: batch, perSupplierLimit: 10_000),
                            retrySchedule: { _, _, _ in nil }, notifications: nil, logger: logger)
                        while try await worker.runOnce() > 0 {}
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = started.duration(to: .now)
            let done = try await database.pool.query("SELECT count(*) AS n FROM leveringen WHERE status = 'geslaagd'").first?.decode(
                "n", as: Int.self)
            guard done == deliveries else { throw BenchmarkError(message: "only \(done ?? 0) of \(deliveries) deliveries succeeded") }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            rates.append(Double(deliveries) / seconds)
        }
        let sorted = rates.sorted()
        return Figure(
            workers: workers, batch: batch, deliveries: deliveries, medianPerSecond: sorted[sorted.count / 2], minPerSecond: sorted[0],
            maxPerSecond: sorted[sorted.count - 1])
    }

    func enqueue(_ count: Int) async throws {
        let codes = try await database.pool.query("SELECT code FROM gemeenten ORDER BY code").compactMap {
            Gemeentecode(try $0.decode("code", as: String.self))
        }
        var requests: [LeveringRequest] = []
        var month = 0
        while requests.count < count {
            let year = 2000 + month / 12
            let number = month % 12 + 1
            for code in codes where requests.count < count {
                requests.append(
                    LeveringRequest(
                        gemeente: code, leverancierID: "xxllnc", stroom: .vs, periode: String(format: "%04d-%02d", year, number),
                        periodeStart: PostgresDate(year: year, month: number, day: 1),
                        periodeEind: PostgresDate(year: year, month: number, day: 28), doel: "regulier", maxPogingen: 1,
                        notBefore: Date().addingTimeInterval(-60)))
            }
            month += 1
        }
        let queue = DeliveryQueue(pool: database.pool)
        for start in stride(from: 0, to: requests.count, by: 2_000) {
            try await queue.enqueue(Array(requests[start..<min(start + 2_000, requests.count)]))
        }
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
