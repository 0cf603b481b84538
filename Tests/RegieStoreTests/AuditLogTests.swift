import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

@Suite("Audit trail")
struct AuditLogTests {
    let log = AuditLog()

    func event(_ number: Int) -> AuditEvent {
        AuditActor.commandLine.event(
            "test.event", objectType: "gemeente", objectID: "GM0363", before: ["fase": "aangemeld"], after: ["fase": "stap \(number)"],
            at: Date(timeIntervalSince1970: 1_790_000_000 + Double(number) * 0.000_001))
    }

    func filledPool(events: Int) async throws -> PostgresPool {
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase())
        for number in 1...events {
            try await log.append(event(number), pool: pool)
        }
        try await log.integrate(pool: pool)
        return pool
    }

    @Test("concurrent appends make one linear, intact chain")
    func linearChain() async throws {
        // 40 appends queue for 4 connections and take turns on the chain's head: on a loaded
        // machine the last waits long, which is not what this test is about.
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase(), size: 4, acquireTimeout: .seconds(120))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 1...40 {
                group.addTask { try await log.append(event(number), pool: pool) }
            }
            try await group.waitForAll()
        }
        #expect(try await log.verify(pool: pool, batchSize: 7) == .intact(events: 40))
        let sequences = try await pool.query("SELECT seq FROM audit_events ORDER BY seq").map { try $0.decode("seq", as: Int.self) }
        #expect(sequences == Array(1...40))
        await pool.close()
    }

    @Test("UPDATE, DELETE and TRUNCATE are refused, even for the table's owner")
    func appendOnly() async throws {
        let pool = try await filledPool(events: 2)
        for statement in ["UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events WHERE seq = 1", "TRUNCATE audit_events"] {
            let error = await #expect(throws: PostgresError.self, "\(statement)") { try await pool.query(statement) }
            #expect(error?.sqlState == "42501", "\(statement)")
        }
        #expect(try await log.verify(pool: pool) == .intact(events: 2))
        await pool.close()
    }

    @Test("an event altered behind the trigger's back breaks the chain there", arguments: ["action", "after", "occurred_at"])
    func alteredEvent(column: String) async throws {
        let pool = try await filledPool(events: 5)
        let change =
            switch column {
            case "action": "UPDATE audit_events SET action = 'other' WHERE seq = 3"
            case "after": #"UPDATE audit_events SET after = '{"fase": "actief"}' WHERE seq = 3"#
            default: "UPDATE audit_events SET occurred_at = occurred_at + interval '1 second' WHERE seq = 3"
            }
        // A superuser can disable the trigger; the chain still tells.
        try await pool.withTransaction { connection in
            try await connection.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete")
            try await connection.execute(change)
            try await connection.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_or_delete")
        }
        #expect(try await log.verify(pool: pool, batchSize: 2) == .broken(sequence: 3, reason: "its content does not match its hash"))
        await pool.close()
    }

    @Test("a removed event breaks the chain where it was")
    func removedEvent() async throws {
        let pool = try await filledPool(events: 4)
        try await pool.withTransaction { connection in
            try await connection.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete")
            try await connection.execute("DELETE FROM audit_events WHERE seq = 2")
            try await connection.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_or_delete")
        }
        #expect(try await log.verify(pool: pool) == .broken(sequence: 2, reason: "event 2 is missing"))
        await pool.close()
    }

    @Test("an empty trail is intact")
    func empty() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase())
        #expect(try await log.verify(pool: pool) == .intact(events: 0))
        await pool.close()
    }
}
