import Foundation
import Logging
import Postgres
import RegieDomain
import RegieStore
import SupplierSimulator

/// The demonstration's delivery history, made at its first start by real pulls from the
/// simulator, in the steps the programme took (the seed made the onboarding before them):
///
/// 1. the scheduler queues the test pulls of every gemeente with consent; the first one that
///    succeeds for a supplier service is its conformance pull (the service passes its CBS test);
/// 2. the project team takes xxllnc's two services and BKR's VS service to production
///    (certificate, contract); BKR's SHV service stays at its passed test;
/// 3. the gemeenten that deliver regularly (``DemoRollen``) have their last three quarters
///    pulled; the first success moves a service to `actief`, and each gemeente to
///    `eerste_levering` and `actief`;
/// 4. BKR goes down while its quarters are pulled (its next requests answer 503) and comes
///    back: its deliveries fail and are retried;
/// 5. one gemeente's oldest quarter is refused for its data (a code-list violation in every
///    record), so it stays at `eerste_levering`; one gemeente backfills (`herlevering`) the
///    quarter before its first and its first again, in both streams.
///
/// Then it reports, once, how long after the command the demonstration was ready: every phase
/// of the funnel has a gemeente, and test, regular and backfill deliveries succeeded in both
/// streams. A later start finds the history made (its regular deliveries exist) and only
/// reports.
struct DemoGeschiedenis: Sendable {
    let stores: RegieStores
    let register: GemeentenRegister
    let faults: FaultPlan
    let schedule: LeveringSchedule
    /// When the command started (``RegieDemonstration``).
    let started: ContinuousClock.Instant
    let logger: Logger
    /// How long it waits for each step before it reports what is missing.
    var patience: Duration = .seconds(180)

    /// The supplier services that go to production in the history.
    static let productie: [(leverancier: String, stroom: RegieStore.Stroom)] = [("xxllnc", .vs), ("xxllnc", .shv), ("bkr", .vs)]
    /// How many requests BKR answers with a 503 while it is down.
    static let storing = 10

    /// Before the service starts, at the first start: the test pulls of the gemeenten that
    /// will deliver regularly, first in the queue, so that the history does not wait behind
    /// the test pulls of all the others (the scheduler queues those, and skips these).
    func prepare() async throws {
        let rollen = DemoRollen(register: register)
        let now = Date()
        guard try await made() else {
            try await stores.queue.enqueue(
                rollen.levend.flatMap { code in
                    DemoSeed.streams(code).map { stroom in
                        request(
                            code, stroom, Rapportageperiode.periodBefore(now, granularity: granularity(stroom)), doel: .test,
                            notBefore: Date(timeIntervalSince1970: 0))
                    }
                })
            return
        }
        // A start stopped before the refused quarter was pulled: the fault (kept in memory) again.
        guard let refused = rollen.geweigerd, let oldest = Self.quarters(before: now).first else { return }
        let asked = try await stores.queue.list(
            .init(gemeente: refused, periode: oldest.key, doel: LeveringDoel.regulier.rawValue), offset: 0, limit: 1)
        if let record = asked.records.first, !(LeveringStatus(rawValue: record.status)?.isFinal ?? true) {
            try await refuse(refused)
        }
    }

    /// Makes the history while the service runs, then reports. Every step is made once: a
    /// start stopped halfway goes on where it stopped the next time.
    func run() async {
        await step("the delivery history") {
            try await makeHistory(DemoRollen(register: register))
            try await reportReady()
        }
    }

    /// Whether the history's regular deliveries were queued.
    func made() async throws -> Bool {
        try await stores.queue.list(.init(doel: LeveringDoel.regulier.rawValue), offset: 0, limit: 1).total > 0
    }

    /// The phases a supplier service passes on its way to production, after its CBS test.
    static let naTest = ["cbs_test_geslaagd", "fsc_productie", "productie_contract", "actief"]

    func makeHistory(_ rollen: DemoRollen) async throws {
        try await waitUntil("the supplier services passed their CBS test") {
            let phases = try await servicePhases()
            return Self.productie.allSatisfy { Self.naTest.contains(phases["\($0.leverancier)/\($0.stroom.rawValue)"] ?? "") }
        }
        let now = Date()
        let phases = try await servicePhases()
        for (leverancier, stroom) in Self.productie {
            let service = "\(leverancier)/\(stroom.rawValue)"
            if phases[service] == "cbs_test_geslaagd" {
                try await stores.onboarding.moveSupplierService(
                    leverancier, stroom: stroom, to: "fsc_productie",
                    evidence: ["productieCertificaat": "\(DemoSeed.marker)-PKIO-\(service)"],
                    reason: "PKIoverheid-certificaat voor productie geregistreerd", role: .projectteam, actor: DemoSeed.actor,
                    expectedVersion: nil, now: now)
            }
            if ["cbs_test_geslaagd", "fsc_productie"].contains(phases[service]) {
                try await stores.onboarding.moveSupplierService(
                    leverancier, stroom: stroom, to: "productie_contract",
                    evidence: ["contractreferentie": "\(DemoSeed.marker)-CONTRACT-\(service)"], reason: "productiecontract getekend",
                    role: .projectteam, actor: DemoSeed.actor, expectedVersion: nil, now: now)
            }
        }
        let quarters = Self.quarters(before: now)
        if try await !made() {
            try await faults.add(FaultRule(Fault(.serviceUnavailable), supplier: "bkr", limit: Self.storing))
            logger.notice(
                "demonstration: BKR is down for a while (its next \(Self.storing) requests answer 503) and comes back; its deliveries are retried",
                metadata: ["kwartalen": "\(quarters.map(\.key))"])
        }
        let refused = rollen.geweigerd
        try await stores.queue.enqueue(rollen.levend.filter { $0 != refused }.flatMap { regular($0, quarters) })
        // Each on its own: one that waits too long does not stop the other.
        await withTaskGroup(of: Void.self) { group in
            if let refused { group.addTask { await step("the refused quarter") { try await refuseOldest(refused, quarters) } } }
            if let herlevering = rollen.herlevering {
                group.addTask { await step("the backfill") { try await backfill(herlevering, quarters) } }
            }
        }
    }

    /// Runs a step of the history; a failure is logged, not thrown, and nothing is logged when
    /// the service stops under it.
    func step(_ what: String, _ body: () async throws -> Void) async {
        do {
            try await body()
        } catch is CancellationError {
            return
        } catch let error as PostgresError where error.kind == .poolClosed {
            return  // the service stops
        } catch {
            logger.warning("demonstration: \(what) stopped", metadata: ["error": "\(error)"])
        }
    }

    /// The regular deliveries of `code`'s streams in production for `quarters`.
    func regular(_ code: Gemeentecode, _ quarters: [Rapportageperiode]) -> [LeveringRequest] {
        let leverancier = DemoSeed.plan(code).leverancier
        return DemoSeed.streams(code).filter { stroom in Self.productie.contains { $0 == (leverancier, stroom) } }.flatMap { stroom in
            quarters.map { request(code, stroom, $0, doel: .regulier, notBefore: Date(timeIntervalSince1970: 0)) }
        }
    }

    /// Once `code`'s first quarter was delivered in both streams: the quarter before it (never
    /// delivered) and the first again, as a backfill that replaces it.
    func backfill(_ code: Gemeentecode, _ quarters: [Rapportageperiode]) async throws {
        guard let first = quarters.first else { return }
        try await waitUntil("the first regular quarter of \(code.rawValue) was delivered") {
            try await succeeded(.init(gemeente: code, periode: first.key, doel: LeveringDoel.regulier.rawValue))
                == DemoSeed.streams(code).count
        }
        try await stores.queue.enqueue(
            DemoSeed.streams(code).flatMap { stroom in
                [first.previous, first].map { request(code, stroom, $0, doel: .herlevering, notBefore: Date(timeIntervalSince1970: 0)) }
            })
    }

    /// `code`'s oldest quarter, refused for its data: a code-list violation in every record of
    /// its first page, made once. Once it was given up, its later quarters follow.
    func refuseOldest(_ code: Gemeentecode, _ quarters: [Rapportageperiode]) async throws {
        guard let oldest = quarters.first else { return }
        let asked = try await stores.queue.list(
            .init(gemeente: code, periode: oldest.key, doel: LeveringDoel.regulier.rawValue), offset: 0, limit: 1)
        if asked.total == 0 {
            try await waitUntil("the test pull of \(code.rawValue) succeeded") {
                try await succeeded(.init(gemeente: code, doel: LeveringDoel.test.rawValue)) > 0
            }
            try await faults.add(
                FaultRule(
                    .schemaViolation(.valueOutsideCodeListInEveryRecord),
                    supplier: DemoLeveranciers.serviceName("xxllnc", .vroegsignalering),
                    gemeentecode: code.rawValue, limit: 1))
            try await stores.queue.enqueue(regular(code, [oldest]))
        }
        try await waitUntil("the refused quarter of \(code.rawValue) ended") {
            try await stores.queue.list(
                .init(gemeente: code, periode: oldest.key, doel: LeveringDoel.regulier.rawValue), offset: 0, limit: 1
            )
            .records.first.map { LeveringStatus(rawValue: $0.status)?.isFinal ?? false } ?? false
        }
        try await stores.queue.enqueue(regular(code, Array(quarters.dropFirst())))
    }

    /// The fault that refuses `code`'s next pull at xxllnc: free text in a code list in every
    /// record of its first page (above the error threshold), once.
    func refuse(_ code: Gemeentecode) async throws {
        try await faults.add(
            FaultRule(
                .schemaViolation(.valueOutsideCodeListInEveryRecord), supplier: DemoLeveranciers.serviceName("xxllnc", .vroegsignalering),
                gemeentecode: code.rawValue, limit: 1))
    }

    /// The delivery of `code`'s `stroom` for `period`, with the stream's attempt limit.
    func request(_ code: Gemeentecode, _ stroom: RegieStore.Stroom, _ period: Rapportageperiode, doel: LeveringDoel, notBefore: Date)
        -> LeveringRequest
    {
        LeveringRequest(
            gemeente: code, leverancierID: DemoSeed.plan(code).leverancier, stroom: stroom, periode: period.key,
            periodeStart: PostgresDate(year: period.firstDay.year, month: period.firstDay.month, day: period.firstDay.day),
            periodeEind: PostgresDate(year: period.lastDay.year, month: period.lastDay.month, day: period.lastDay.day),
            doel: doel.rawValue, maxPogingen: schedule.streams[stroom.rawValue]?.retry.maxAttempts ?? 5, notBefore: notBefore)
    }

    /// The stream's reporting period (a quarter for both, `Workflows/leveringen.yaml`).
    func granularity(_ stroom: RegieStore.Stroom) -> Rapportageperiode.Granulariteit {
        schedule.streams[stroom.rawValue]?.granularity ?? .kwartaal
    }

    /// The three quarters that ended before `now`, oldest first.
    static func quarters(before now: Date) -> [Rapportageperiode] {
        let last = Rapportageperiode.periodBefore(now, granularity: .kwartaal)
        return [last.previous.previous, last.previous, last]
    }

    /// Reports how long after the command the demonstration was ready, or what it still lacks.
    func reportReady() async throws {
        var missing: [String] = []
        do {
            try await waitUntil("every phase of the funnel and every kind of delivery") {
                missing = try await self.missing()
                return missing.isEmpty
            }
        } catch is DemoWaitTimeout {
            logger.warning("demonstration: not ready", metadata: ["ontbreekt": "\(missing)"])
            return
        }
        let seconds = (ContinuousClock.now - started).components.seconds
        logger.notice(
            "demonstration ready \(seconds) s after the start: every phase of the funnel has gemeenten; test, regular and backfill deliveries succeeded in VS and SHV"
        )
    }

    /// What the demonstration does not show yet: a phase of the funnel without a gemeente, a
    /// kind of delivery of a stream without a success, a backfill still to run.
    func missing() async throws -> [String] {
        let phases = Set(try await stores.status.activePhases().map(\.fase))
        var missing = stores.onboarding.workflows.gemeente.phases.map(\.name).filter { !phases.contains($0) }
        for stroom in [RegieStore.Stroom.vs, .shv] {
            for doel in [LeveringDoel.test, .regulier, .herlevering]
            where try await succeeded(.init(stroom: stroom, doel: doel.rawValue)) == 0 {
                missing.append("\(doel.rawValue) \(stroom.rawValue)")
            }
        }
        // The backfill whole: both its quarters in both streams ended.
        for status in [LeveringStatus.gepland, .bezig, .mislukt]
        where try await stores.queue.list(.init(status: status.rawValue, doel: LeveringDoel.herlevering.rawValue), offset: 0, limit: 1)
            .total > 0
        {
            missing.append("herlevering \(status.rawValue)")
        }
        return missing
    }

    /// How many deliveries that `filter` selects succeeded.
    func succeeded(_ filter: LeveringQueue.Filter) async throws -> Int {
        var filter = filter
        filter.status = LeveringStatus.geslaagd.rawValue
        return try await stores.queue.list(filter, offset: 0, limit: 1).total
    }

    /// The phase of every supplier service, by `leverancier/STROOM`.
    func servicePhases() async throws -> [String: String] {
        var phases: [String: String] = [:]
        for leverancier in try await stores.onboarding.suppliers() {
            for dienst in leverancier.diensten { phases["\(leverancier.id)/\(dienst.stroom.rawValue)"] = dienst.fase }
        }
        return phases
    }

    /// Polls `condition` every quarter second until it holds; throws ``DemoWaitTimeout`` after
    /// ``patience``.
    func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + patience
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw DemoWaitTimeout(what: what) }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}

/// A step of the demonstration's history that did not come within its patience.
struct DemoWaitTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "waited too long for: \(what)" }
}
