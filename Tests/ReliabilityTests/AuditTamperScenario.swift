import EmbeddedPostgres
import Foundation
import Postgres
import RegieTestSupport
import Testing

/// The audit trail of the busiest scenario's database, copied four times. Each copy is
/// verified once (`audit verify` remembers its head outside the database); then a superuser,
/// with the triggers disabled (the service's own role `ddas_regie_app` cannot: migration
/// 0011, `DatabaseRolesTests`), alters, deletes or reorders events at a random place, or cuts
/// the trail short there, leaving a valid but shorter chain. `ddas-regie audit verify` must
/// exit 1 naming that place as the first broken link.
enum AuditTamperScenario {
    static func run() async throws {
        let cluster = try await ReliabilityCluster.shared.value
        let admin = TestPostgres.makePool(.init(connectionString: cluster.connectionString(database: "postgres")), size: 1)
        do {
            // The source: the scenario database with the longest trail.
            var source = ""
            var events = 0
            for name in await ReliabilityCluster.databases.items {
                let pool = TestPostgres.makePool(.init(connectionString: cluster.connectionString(database: name)), size: 1)
                let count = try await pool.queryTrail("SELECT count(*) AS n FROM audit_events").first?.decode("n", as: Int.self) ?? 0
                await pool.close()
                if count > events { (source, events) = (name, count) }
            }
            #expect(events >= 20, "a trail to tamper with: \(events) events in \(source)")
            var named = 0
            var tampered: [String] = []
            let state = try TestPostgres.temporaryFolder("ddas-rel-heads")
            for kind in ["altered", "deleted", "reordered", "truncated"] {
                let copy = "tamper_\(kind)"
                try await admin.query("CREATE DATABASE \(copy) TEMPLATE \(source)")
                let connection = PostgresConfiguration(connectionString: cluster.connectionString(database: copy))
                let pool = TestPostgres.makePool(connection, size: 1)
                let place = Int.random(in: 2...(events - 2))
                let verify = ["audit", "verify", "--database-url", connection.connectionString, "--state-dir", state]
                let before = try await RegieProcess.run(verify)
                #expect(before.status == 0, "the copy verifies before it is tampered with: \(before.output)")
                let change =
                    switch kind {
                    case "altered": "UPDATE audit_events SET object_id = object_id || 'x' WHERE seq = \(place)"
                    case "deleted": "DELETE FROM audit_events WHERE seq = \(place)"
                    case "truncated": "DELETE FROM audit_events WHERE seq >= \(place)"
                    default:
                        """
                        UPDATE audit_events SET seq = seq + 1000000000 WHERE seq IN (\(place), \(place + 1));
                        UPDATE audit_events SET seq = CASE seq WHEN \(place + 1_000_000_000) THEN \(place + 1) ELSE \(place) END
                        WHERE seq > 1000000000
                        """
                    }
                try await pool.withTransaction { transaction in
                    try await transaction.execute("ALTER TABLE audit_events DISABLE TRIGGER ALL")
                    for statement in change.split(separator: ";") { try await transaction.execute(String(statement)) }
                    try await transaction.execute("ALTER TABLE audit_events ENABLE TRIGGER ALL")
                }
                await pool.close()
                let verdict = try await RegieProcess.run(verify)
                let expected = "broken at event \(place)"
                #expect(
                    verdict.status == 1 && verdict.output.contains(expected), "\(kind) at \(place): \(verdict.status) \(verdict.output)")
                if verdict.status == 1 && verdict.output.contains(expected) { named += 1 }
                tampered.append("\(kind) at event \(place)")
                try await admin.query("DROP DATABASE \(copy)")
            }
            let intact = try await RegieProcess.run([
                "audit", "verify", "--database-url", cluster.connectionString(database: source), "--state-dir", state,
            ])
            #expect(intact.status == 0, "the original is intact: \(intact.output)")
            Figures.record(
                Scenario.auditTamper,
                "copies of a trail of \(events) events: \(tampered.joined(separator: ", ")); first broken link named \(named) of 4 times; the original verifies intact"
            )
        } catch {
            await admin.close()
            throw error
        }
        await admin.close()
    }
}
