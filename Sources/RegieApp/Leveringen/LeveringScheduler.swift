import Foundation
import Logging
import Postgres
import RegieDomain
import RegieStore
import ServiceLifecycle

/// A maintenance loop that materialises due deliveries from `Workflows/leveringen.yaml`,
/// and the test delivery of every gemeente that has just given consent.
///
/// Each pass looks at every cron run of every stream within the catch-up window before
/// `now` (so runs missed during downtime are made up), takes the period each run covers,
/// and queues a regular delivery for every gemeente that may be pulled: insert with
/// `ON CONFLICT DO NOTHING`, so a second scheduler, a restart or the next pass never makes
/// a second one. No state of its own: the unique index is the memory.
public struct LeveringScheduler: Service {
    let schedule: LeveringSchedule
    let queue: LeveringQueue
    let interval: Duration
    let logger: Logger
    /// Who leads the task among the processes; nil: this process always works.
    let leadership: Leadership?
    let now: @Sendable () -> Date

    public init(
        schedule: LeveringSchedule, queue: LeveringQueue, interval: Duration = .seconds(60), logger: Logger,
        leadership: Leadership? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.schedule = schedule
        self.queue = queue
        self.interval = interval
        self.leadership = leadership
        self.logger = logger
        self.now = now
    }

    /// One pass; returns how many deliveries were new.
    @discardableResult
    public func runOnce() async throws -> Int {
        let time = now()
        let windowStart = time.addingTimeInterval(-Double(schedule.catchUpDays) * 86_400)
        var requests: [LeveringRequest] = []
        for stream in schedule.streams.values.sorted(by: { $0.stroom < $1.stroom }) {
            guard let stroom = Stroom(rawValue: stream.stroom) else { continue }
            let runs = stream.cron.runs(after: windowStart, until: time)
            guard !runs.isEmpty else { continue }
            let periods = Set(runs.map { Rapportageperiode.periodBefore($0, granularity: stream.granularity) }).sorted { $0.key < $1.key }
            let eligible = try await queue.eligibleForRegularPulls(stroom, on: amsterdamDay(time))
            for period in periods {
                requests += eligible.map { Self.request($0.gemeente, $0.leverancierID, stream, stroom, period, doel: "regulier", at: time) }
            }
        }
        requests += try await testPulls(at: time)
        let inserted = try await queue.enqueue(requests)
        if inserted > 0 { logger.info("deliveries scheduled", metadata: ["count": "\(inserted)"]) }
        return inserted
    }

    /// A test delivery of the last complete period for every gemeente that just gave consent
    /// to a supplier that passed CBS's test (DESIGN.md §5, "Test pulls").
    func testPulls(at time: Date) async throws -> [LeveringRequest] {
        var requests: [LeveringRequest] = []
        for stream in schedule.streams.values.sorted(by: { $0.stroom < $1.stroom }) {
            guard let stroom = Stroom(rawValue: stream.stroom) else { continue }
            let period = Rapportageperiode.periodBefore(time, granularity: stream.granularity)
            requests += try await queue.dueForTestPulls(stroom, on: amsterdamDay(time)).map {
                Self.request($0.gemeente, $0.leverancierID, stream, stroom, period, doel: "test", at: time)
            }
        }
        return requests
    }

    /// The delivery of `period` for a gemeente, with the stream's attempt limit, due at `time`.
    static func request(
        _ gemeente: Gemeentecode, _ supplier: String, _ stream: LeveringSchedule.StroomPlan, _ stroom: Stroom, _ period: Rapportageperiode,
        doel: String, at time: Date
    ) -> LeveringRequest {
        let first = period.firstDay
        let last = period.lastDay
        return LeveringRequest(
            gemeente: gemeente, leverancierID: supplier, stroom: stroom, periode: period.key,
            periodeStart: PostgresDate(year: first.year, month: first.month, day: first.day),
            periodeEind: PostgresDate(year: last.year, month: last.month, day: last.day), doel: doel, maxPogingen: stream.retry.maxAttempts,
            notBefore: time)
    }

    public func run() async throws {
        await runMaintenance("scheduler", every: interval, leadership: leadership, logger: logger) { try await runOnce() }
    }
}
