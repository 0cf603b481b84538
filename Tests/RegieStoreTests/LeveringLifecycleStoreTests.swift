import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

/// The queue applies the lifecycle's decisions and decides nothing itself: each transition is
/// asked of the lifecycle on the state the database holds, then made through the store, and the
/// stored row must be what the lifecycle decided (or unchanged where it refused).
@Suite("Levering lifecycle through the store")
struct LeveringLifecycleStoreTests {
    let start = Date(timeIntervalSince1970: 1_790_000_000)
    let lifecycle = LeveringLifecycle(
        policies: [
            "VS": RetryPolicy(baseDelay: 60, maxDelay: 3600, maxAttempts: 3),
            "SHV": RetryPolicy(baseDelay: 900, maxDelay: 7200, maxAttempts: 3),
        ])
    let lease = Duration.seconds(30)

    /// The row of levering `id`, as a lifecycle state.
    func stored(_ id: UUID, _ pool: PostgresPool) async throws -> LeveringState {
        let row = try #require(
            try await pool.query(
                """
                SELECT stroom, status, pogingen, max_pogingen, lease_eigenaar, lease_tot, volgende_poging_op, gestart_op, afgerond_op,
                       laatste_fout_klasse, laatste_fout
                FROM leveringen WHERE id = $1
                """, [id]
            ).first)
        let klasse: String? = try row.decode("laatste_fout_klasse")
        return LeveringState(
            stroom: try row.decode("stroom"), status: try #require(LeveringStatus(rawValue: try row.decode("status"))),
            attempts: try row.decode("pogingen"), maxAttempts: try row.decode("max_pogingen"), leaseOwner: try row.decode("lease_eigenaar"),
            leaseUntil: try row.decode("lease_tot"), nextAttemptAt: try row.decode("volgende_poging_op"),
            startedAt: try row.decode("gestart_op"),
            endedAt: try row.decode("afgerond_op"), lastFailure: klasse.flatMap(LeveringFailure.Klasse.init(rawValue:)),
            lastMessage: try row.decode("laatste_fout"))
    }

    /// The same instant, to the database's microsecond.
    func same(_ a: Date?, _ b: Date?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case (let a?, let b?): abs(a.timeIntervalSince(b)) < 0.001
        default: false
        }
    }

    /// Asks the lifecycle what `event` does to the stored levering at `now`, makes the change
    /// through the store with `act` (which answers whether the store did what it was expected
    /// to), and compares; returns the stored state after.
    @discardableResult
    func step(
        _ id: UUID, _ event: LeveringEvent, at now: Date, _ pool: PostgresPool, _ act: () async throws -> Bool,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> LeveringState {
        let before = try await stored(id, pool)
        let expected: LeveringState
        switch lifecycle.decide(before, event, now: now) {
        case .success(let decision): expected = decision.state
        case .failure: expected = before
        }
        #expect(try await act(), "\(event.action): the store's answer", sourceLocation: sourceLocation)
        let after = try await stored(id, pool)
        let what = "\(event.action) from \(before.status.rawValue)"
        #expect(after.status == expected.status, "\(what): status", sourceLocation: sourceLocation)
        #expect(after.attempts == expected.attempts, "\(what): attempts", sourceLocation: sourceLocation)
        #expect(after.maxAttempts == expected.maxAttempts, "\(what): attempt allowance", sourceLocation: sourceLocation)
        #expect(same(after.nextAttemptAt, expected.nextAttemptAt), "\(what): next attempt", sourceLocation: sourceLocation)
        #expect(after.leaseOwner == expected.leaseOwner, "\(what): lease owner", sourceLocation: sourceLocation)
        #expect(same(after.leaseUntil, expected.leaseUntil), "\(what): lease", sourceLocation: sourceLocation)
        #expect(same(after.startedAt, expected.startedAt), "\(what): started", sourceLocation: sourceLocation)
        #expect(same(after.endedAt, expected.endedAt), "\(what): ended", sourceLocation: sourceLocation)
        #expect(after.lastFailure == expected.lastFailure, "\(what): failure class", sourceLocation: sourceLocation)
        #expect(after.lastMessage == expected.lastMessage, "\(what): failure message", sourceLocation: sourceLocation)
        return after
    }

    @Test("every transition, made through the store, leaves the row the lifecycle decided: status, attempts and next moment")
    func everyTransition() async throws {
        let pool = try await LeveringFixtures.database()
        let queue = LeveringQueue(pool: pool, lifecycle: lifecycle, jitter: { 0.5 })
        let codes = try LeveringFixtures.gemeenten(7)
        let (a, b, c, d, e, f, g) = (codes[0], codes[1], codes[2], codes[3], codes[4], codes[5], codes[6])
        try await LeveringFixtures.grantConsent([a, c, d, f, g], pool: pool)
        try await LeveringFixtures.grantConsent([b], stroom: "SHV", pool: pool)
        // Each levering due well after the one before it, so a claim takes only the one walked.
        let due = (0..<7).map { start.addingTimeInterval(Double($0) * 10_000) }
        for (index, code) in codes.enumerated() {
            try await queue.enqueue(
                LeveringFixtures.requests([code], stroom: code == b ? .shv : .vs, maxPogingen: 3, notBefore: due[index]))
        }
        func id(_ code: Gemeentecode) async throws -> UUID {
            try #require(try await pool.query("SELECT id FROM leveringen WHERE gemeente_code = $1", [code.rawValue]).first?.decode("id"))
        }
        func claim(_ levering: UUID, at now: Date, owner: String = "w") async throws {
            try await step(levering, .claimed(owner: owner, leaseUntil: now.addingTimeInterval(30)), at: now, pool) {
                return try await queue.claim(owner: owner, limit: 5, perSupplierLimit: 5, lease: lease, now: now).map(\.id) == [levering]
            }
        }
        func fail(_ levering: UUID, _ failure: LeveringFailure, at now: Date) async throws -> LeveringState {
            try await step(levering, .attemptFailed(owner: "w", failure, jitter: 0.5), at: now, pool) {
                return try await queue.fail(levering, owner: "w", failure: failure, figures: .init(), now: now) != nil
            }
        }
        let person = AuditActor.commandLine

        // A (VS): claimed, failed and retried after the backoff, rescued, given up at its last
        // attempt, retried by a person, then handed over.
        let first = try await id(a)
        var t = due[0]
        try await claim(first, at: t)
        let failed = try await fail(first, LeveringFailure(.serverError, "HTTP 503", httpStatus: 503), at: t + 1)
        #expect(failed.status == .mislukt && same(failed.nextAttemptAt, t + 31), "VS: half of the 60 s ceiling")
        t = failed.nextAttemptAt
        #expect(
            try await queue.claim(owner: "w", limit: 5, perSupplierLimit: 5, lease: lease, now: t - 1).isEmpty, "not before the backoff")
        try await claim(first, at: t)
        try await step(first, .leaseExpired, at: t + 29, pool) { try await queue.rescue(now: t + 29) == 0 }
        let rescued = try await step(first, .leaseExpired, at: t + 31, pool) { try await queue.rescue(now: t + 31) == 1 }
        #expect(rescued.status == .mislukt && rescued.lastFailure == .leaseVerlopen)
        t = t + 31
        try await claim(first, at: t)
        let spent = try await fail(first, LeveringFailure(.network, "unreachable"), at: t + 1)
        #expect(spent.status == .opgegeven && spent.attempts == 3)
        try await step(first, .retriedManually, at: t + 2, pool) { try await queue.retry(first, by: person, now: t + 2) }
        try await claim(first, at: t + 2)
        let done = try await step(first, .attemptSucceeded(owner: "w"), at: t + 3, pool) {
            let completed = try await pool.withTransaction { connection in
                try await queue.complete(first, owner: "w", figures: .init(), now: t + 3, on: connection)
            }
            return completed
        }
        #expect(done.status == .geslaagd && done.attempts == 4 && done.maxAttempts == 6)
        // Refused: a finished levering is neither retried nor cancelled, and the row stays.
        try await step(first, .retriedManually, at: t + 4, pool) { try await queue.retry(first, by: person, now: t + 4) == false }
        try await step(first, .cancelledManually(reason: "x"), at: t + 4, pool) {
            return try await queue.cancel(first, reason: "x", by: person, now: t + 4) == false
        }

        // B (SHV): its failure waits by SHV's own retry settings; then a person cancels it.
        let shv = try await id(b)
        try await claim(shv, at: due[1])
        let waiting = try await fail(shv, LeveringFailure(.timeout, "late"), at: due[1] + 1)
        #expect(same(waiting.nextAttemptAt, due[1] + 451), "SHV: half of its own 900 s ceiling, not VS's 60 s")
        try await step(shv, .cancelledManually(reason: "dubbel"), at: due[1] + 2, pool) {
            return try await queue.cancel(shv, reason: "dubbel", by: person, now: due[1] + 2)
        }
        try await step(shv, .cancelledManually(reason: "dubbel"), at: due[1] + 3, pool) {
            return try await queue.cancel(shv, reason: "dubbel", by: person, now: due[1] + 3) == false
        }

        // C: consent revoked while its pull runs; the worker then finds its lease gone.
        let running = try await id(c)
        try await claim(running, at: due[2])
        try await step(
            running, .consentEnded(reason: "consent was revoked during the pull; nothing was handed over", owner: "w"), at: due[2] + 1, pool
        ) {
            return try await queue.cancelRunning(running, owner: "w", now: due[2] + 1)
        }
        try await step(running, .attemptSucceeded(owner: "w"), at: due[2] + 2, pool) {
            let completed = try await pool.withTransaction { connection in
                try await queue.complete(running, owner: "w", figures: .init(), now: due[2] + 2, on: connection)
            }
            return completed == false
        }

        // D: consent revoked while it waits in the queue.
        let waitingForConsent = try await id(d)
        try await step(waitingForConsent, .consentEnded(reason: "toestemming ingetrokken", owner: nil), at: due[3], pool) {
            let cancelled = try await pool.withTransaction { connection in
                try await LeveringQueue.cancelQueued(
                    gemeente: d, leverancierID: "xxllnc", stroom: .vs, reason: "toestemming ingetrokken", now: due[3], on: connection)
            }
            return cancelled == 1
        }

        // E: no consent at all when it falls due: maintenance cancels it.
        let withoutConsent = try await id(e)
        try await step(
            withoutConsent, .consentEnded(reason: "no active consent for this gemeente, supplier and stream", owner: nil), at: due[4], pool
        ) {
            return try await queue.cancelWithoutConsent(now: due[4]) == 1
        }

        // F: a final class gives up at the first attempt.
        let refused = try await id(f)
        try await claim(refused, at: due[5])
        let forbidden = try await fail(refused, LeveringFailure(.forbidden, "HTTP 403", httpStatus: 403), at: due[5] + 1)
        #expect(forbidden.status == .opgegeven && forbidden.attempts == 1)

        // G: consent gone by the hand-over: cancelled, nothing handed over.
        let late = try await id(g)
        try await claim(late, at: due[6])
        try await pool.query(
            "UPDATE toestemmingen SET ingetrokken_op = now(), ingetrokken_door = 'test', intrekkingsreden = 'test' WHERE gemeente_code = $1",
            [g.rawValue])
        try await step(
            late, .consentEnded(reason: "consent was no longer active at hand-over; nothing was handed over", owner: "w"), at: due[6] + 1,
            pool
        ) {
            let outcome = try await queue.handOver(late, owner: "w", figures: .init(), now: due[6] + 1, record: { _ in nil })
            return outcome == .consentWithdrawn
        }

        // Every attempt that ended has its record closed with its class; the rescued one stays open.
        let records = try await pool.query(
            "SELECT poging, fout_klasse, afgerond_op IS NOT NULL AS dicht FROM levering_pogingen WHERE levering_id = $1 ORDER BY poging",
            [first])
        #expect(try records.map { try $0.decode("fout_klasse", as: String?.self) } == ["serverError", nil, "network", nil])
        #expect(try records.map { try $0.decode("dicht", as: Bool.self) } == [true, false, true, true])
        await pool.close()
    }
}
