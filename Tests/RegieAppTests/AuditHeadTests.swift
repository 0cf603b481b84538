import Foundation
import Postgres
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

/// `ddas-regie audit verify` remembers the head it verified outside the database and fails
/// when the trail no longer extends it, even when what is left is a valid chain.
@Suite("audit verify remembers the verified head")
struct AuditHeadTests {
    @Test(
        "intact, then the owner cuts the trail short (a valid chain of 2 events) or empties it: exit 1 naming the remembered event 4",
        arguments: ["DELETE FROM audit_events WHERE seq > 2", "TRUNCATE audit_events"])
    func truncated(statement: String) async throws {
        let database = try await TestPostgres.migratedDatabase()
        let state = try TestPostgres.temporaryFolder("ddas-head")
        let pool = TestPostgres.makePool(database)
        for number in 1...4 {
            try await AuditLog().append(
                AuditActor.commandLine.event("test", objectType: "gemeente", objectID: "GM\(1000 + number)", at: Date()), pool: pool)
        }
        let verify = ["audit", "verify", "--database-url", database.connectionString, "--state-dir", state]
        let intact = try await RegieProcess.run(verify)
        #expect(intact.status == 0, "\(intact.output)")
        #expect(intact.output.contains("intact: 4 event(s)"))
        let heads = URL(fileURLWithPath: state).appendingPathComponent("audit-heads")
        let files = try FileManager.default.contentsOfDirectory(atPath: heads.path)
        #expect(files.count == 1)
        let file = heads.appendingPathComponent(try #require(files.first))
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.attributesOfItem(atPath: heads.path)[.posixPermissions] as? Int == 0o700)

        // The owner (here a superuser) can get past the triggers; the service's role cannot.
        try await pool.withTransaction { connection in
            try await connection.execute("ALTER TABLE audit_events DISABLE TRIGGER USER")
            try await connection.execute(statement)
            try await connection.execute("ALTER TABLE audit_events ENABLE TRIGGER USER")
        }
        let cut = try await RegieProcess.run(verify)
        #expect(cut.status == 1, "\(cut.output)")
        #expect(cut.output.contains("event 4"), "\(cut.output)")
        #expect(cut.output.contains("truncated"), "\(cut.output)")
        // Without the remembered head the shortened chain looks intact: that is what the file is for.
        let elsewhere = try TestPostgres.temporaryFolder("ddas-head")
        let fresh = try await RegieProcess.run(["audit", "verify", "--database-url", database.connectionString, "--state-dir", elsewhere])
        #expect(fresh.status == 0, "\(fresh.output)")
        await pool.close()
    }

    @Test("--head-file names the file; a trail that grew since extends the head and passes")
    func headFileGrows() async throws {
        let database = try await TestPostgres.migratedDatabase()
        let head = try TestPostgres.temporaryFolder("ddas-head") + "/regie.head.json"
        let pool = TestPostgres.makePool(database)
        let verify = ["audit", "verify", "--database-url", database.connectionString, "--head-file", head]
        for round in 1...2 {
            try await AuditLog().append(
                AuditActor.commandLine.event("test", objectType: "gemeente", objectID: "GM100\(round)", at: Date()), pool: pool)
            let run = try await RegieProcess.run(verify)
            #expect(run.status == 0, "\(run.output)")
            #expect(run.output.contains("intact: \(round) event(s)"))
            #expect(
                String(decoding: FileManager.default.contents(atPath: head) ?? Data(), as: UTF8.self).contains("\"sequence\" : \(round)"))
        }
        await pool.close()
    }
}
