import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

/// The audit trail off the commit path: writers queue their events, the sequencer links them.
@Suite("Audit trail: queue, then integrate")
struct AuditSequencerTests {
    let log = AuditLog()

    func event(_ number: Int, actor: String = "cli") -> AuditEvent {
        AuditEvent(
            occurredAt: Date(timeIntervalSince1970: 1_790_000_000 + Double(number)), actor: actor, actorRole: "admin",
            action: "test.event", objectType: "gemeente", objectID: "GM0363", before: nil, after: ["stap": "\(number)"], result: .ok,
            origin: "cli", requestID: nil)
    }

    func sequences(_ pool: PostgresPool) async throws -> [Int] {
        try await pool.query("SELECT seq FROM audit_events ORDER BY seq").map { try $0.decode("seq", as: Int.self) }
    }

    @Test("an audited write commits while another audited transaction is still open, and a reader sees it at once")
    func writersDoNotWait() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase(), size: 3)
        let trail = AuditTrail(pool: pool)
        try await pool.withConnection { open in
            try await open.execute("BEGIN")
            try await log.append(event(1, actor: "open"), on: open)
            // Before the queue this waited for the open transaction's commit (the chain's lock);
            // lock_timeout turns such a wait into a failure instead of a hang.
            try await pool.withTransaction { connection in
                try await connection.execute("SET LOCAL lock_timeout = '5s'")
                try await log.append(event(2, actor: "second"), on: connection)
            }
            let seen = try await trail.events(objectType: nil, objectID: nil, from: nil, until: nil, offset: 0, limit: 10)
            #expect(seen.events.map(\.event.actor) == ["second"], "the committed event, linked; not the open one")
            #expect(seen.events.map(\.sequence) == [1])
            try await open.execute("COMMIT")
        }
        #expect(try await trail.hasEvents(by: "open"))
        let (verification, head) = try await trail.verify(extending: nil)
        #expect(verification == .intact(events: 2))
        #expect(head?.sequence == 2)
        await pool.close()
    }

    @Test("the events of a rolled-back transaction never appear")
    func rolledBack() async throws {
        struct Abandoned: Error {}
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase())
        await #expect(throws: Abandoned.self) {
            try await pool.withTransaction { connection -> Void in
                try await log.append(event(1), on: connection)
                throw Abandoned()
            }
        }
        try await log.append(event(2), pool: pool)
        let trail = AuditTrail(pool: pool)
        let seen = try await trail.events(objectType: nil, objectID: nil, from: nil, until: nil, offset: 0, limit: 10)
        #expect(seen.events.map { $0.event.after?["stap"] } == ["2"])
        #expect(try await log.verify(pool: pool) == .intact(events: 1))
        #expect(try await pool.query("SELECT count(*) AS n FROM audit_wachtrij").first?.decode("n", as: Int.self) == 0)
        await pool.close()
    }

    @Test("200 appends from 8 tasks, with sequencers linking meanwhile, make one intact chain of 200 dense sequences")
    func concurrentAppends() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase(), size: 10, acquireTimeout: .seconds(60))
        let writingDone = Flag()
        let writing = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        for number in 0..<25 { try await log.append(event(task * 25 + number), pool: pool) }
                    }
                }
                try await group.waitForAll()
            }
        }
        // Two sequencers, as two processes would run them, while the writers write.
        let sequencing = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        while await !writingDone.value { try await log.integrate(pool: pool, wait: false, batchSize: 7) }
                    }
                }
                try await group.waitForAll()
            }
        }
        try await writing.value
        await writingDone.set()
        _ = try await sequencing.value
        #expect(try await log.verify(pool: pool, batchSize: 13) == .intact(events: 200))
        #expect(try await sequences(pool) == Array(1...200))
        let steps = try await pool.query("SELECT after->>'stap' AS stap FROM audit_events").map { try $0.decode("stap", as: String.self) }
        #expect(Set(steps) == Set((0..<200).map(String.init)), "every event once")
        await pool.close()
    }

    @Test("four sequencers at once over 300 pending events link each once: no fork, no gap")
    func sequencersAtOnce() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase(), size: 6)
        for number in 1...300 { try await log.append(event(number), pool: pool) }
        let linked = try await withThrowingTaskGroup(of: Int.self) { group in
            for round in 0..<4 {
                group.addTask { try await log.integrate(pool: pool, wait: round.isMultiple(of: 2), batchSize: 11) }
            }
            return try await group.reduce(0, +)
        }
        // The sequencers that did not wait may have left some to the others: the next reader links them.
        #expect(linked <= 300)
        #expect(try await log.verify(pool: pool, batchSize: 17) == .intact(events: 300))
        #expect(try await sequences(pool) == Array(1...300))
        #expect(try await pool.query("SELECT count(*) AS n FROM audit_wachtrij").first?.decode("n", as: Int.self) == 0)
        await pool.close()
    }

    @Test("a refusal counted before its event is linked keeps its count on the linked event")
    func refusalCounts() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase())
        let trail = AuditTrail(pool: pool)
        try await log.append(event(1), pool: pool)
        var refusal = event(2)
        refusal.result = .refused
        for _ in 0..<3 { try await trail.appendRefusal(refusal) }
        let page = try await trail.events(objectType: nil, objectID: nil, from: nil, until: nil, offset: 0, limit: 10)
        let refused = page.events.filter { $0.event.result == .refused }.map(\.sequence)
        #expect(refused == [2])
        #expect(try await trail.refusalCounts(of: refused) == [2: 3])
        await pool.close()
    }
}

/// Raised once, read by many.
actor Flag {
    private(set) var value = false

    func set() { value = true }
}
