import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

/// The service's role `ddas_regie_app` (migration 0011) against the audit trail, on a real
/// PostgreSQL: it reads and appends, and PostgreSQL refuses it everything else.
@Suite("Database roles")
struct DatabaseRolesTests {
    @Test(
        "the service's role appends to and reads the trail, but cannot disable its triggers, alter, update, delete or truncate it",
        arguments: [
            "ALTER TABLE audit_events DISABLE TRIGGER ALL",
            "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete",
            "UPDATE audit_events SET object_id = 'GM9999' WHERE seq = 1",
            "DELETE FROM audit_events WHERE seq = 1",
            "TRUNCATE audit_events",
            "DROP TABLE audit_events",
            "SET session_replication_role = replica",
        ])
    func serviceRoleCannotRewrite(statement: String) async throws {
        let log = AuditLog()
        try await withServiceRole { service in
            try await log.append(
                AuditActor.commandLine.event("test", objectType: "gemeente", objectID: "GM0363", at: Date()), pool: service)
            let role = try await service.query("SELECT current_user AS role").first?.decode("role", as: String.self)
            #expect(role == "ddas_regie_app")
            let refusal = await #expect(throws: PostgresError.self) { try await service.query(statement) }
            #expect(refusal?.sqlState == "42501", "insufficient_privilege, not \(refusal?.sqlState ?? "none")")
            #expect(try await log.verify(pool: service) == .intact(events: 1))
            let objectID = try await service.query("SELECT object_id FROM audit_events WHERE seq = 1").first?.decode(
                "object_id", as: String.self)
            #expect(objectID == "GM0363")
        }
    }

    @Test("the service's role may change the working tables: a gemeente's row")
    func serviceRoleWorks() async throws {
        try await withServiceRole { service in
            let tables = try await service.query(
                """
                SELECT count(*) AS n FROM pg_class
                WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r'
                  AND relname NOT IN ('audit_events', 'audit_wachtrij', 'schema_migrations')
                  AND NOT (has_table_privilege(oid, 'SELECT') AND has_table_privilege(oid, 'INSERT')
                           AND has_table_privilege(oid, 'UPDATE') AND has_table_privilege(oid, 'DELETE'))
                """
            ).first?.decode("n", as: Int.self)
            #expect(tables == 0, "every working table is readable and changeable by the service")
            let migrations = try await service.query("SELECT count(*) AS n FROM schema_migrations").first?.decode("n", as: Int.self)
            #expect((migrations ?? 0) >= 10)
        }
    }

    @Test("the service's role queues audit events and links them, but cannot change a pending event")
    func serviceRoleQueues() async throws {
        try await withServiceRole { service in
            let log = AuditLog()
            try await service.withTransaction { connection in
                try await log.append(
                    AuditActor.commandLine.event("test", objectType: "gemeente", objectID: "GM0363", at: Date()), on: connection)
            }
            let refusal = await #expect(throws: PostgresError.self) {
                try await service.query("UPDATE audit_wachtrij SET object_id = 'GM9999'")
            }
            #expect(refusal?.sqlState == "42501", "insufficient_privilege, not \(refusal?.sqlState ?? "none")")
            #expect(try await log.integrate(pool: service) == 1)
            #expect(try await log.verify(pool: service) == .intact(events: 1))
        }
    }

    /// Runs `body` with a pool of one connection that works as the service's role, over a fresh database.
    func withServiceRole(_ body: (PostgresPool) async throws -> Void) async throws {
        var connection = try await TestPostgres.migratedDatabase()
        connection.sessionRole = "ddas_regie_app"
        let service = TestPostgres.makePool(connection, size: 1)
        do {
            try await body(service)
        } catch {
            await service.close()
            throw error
        }
        await service.close()
    }
}
