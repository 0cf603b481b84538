import EmbeddedPostgres
import Foundation
import Postgres
import RegieTestSupport
import Testing

@Suite("Embedded PostgreSQL cluster")
struct EmbeddedPostgresTests {
    let logger = TestPostgres.logger

    func folder() throws -> String {
        try TestPostgres.temporaryFolder("ddas-emb") + "/pg"
    }

    func query(_ cluster: EmbeddedPostgres, _ sql: String, _ parameters: [(any PostgresEncodable)?] = []) async throws -> PostgresRows {
        let pool = TestPostgres.makePool(.init(connectionString: cluster.connectionString), size: 1)
        do {
            let rows = try await pool.query(sql, parameters)
            await pool.close()
            return rows
        } catch {
            await pool.close()
            throw error
        }
    }

    @Test("first start creates the cluster, on a unix socket in its folder and no TCP port; a later start reuses the data")
    func firstStartAndReuse() async throws {
        let path = try folder()
        let first = TestPostgres.track(
            try await EmbeddedPostgres.start(dataDirectory: path, mode: .exclusive, options: .init(durable: false), logger: logger))
        #expect(FileManager.default.fileExists(atPath: path + "/PG_VERSION"))
        #expect(FileManager.default.fileExists(atPath: path + "/.s.PGSQL.5432"))
        #expect(try await query(first, "SHOW listen_addresses").first?.decode(at: 0, as: String.self) == "")
        #expect(try await query(first, "SELECT current_database() AS db").first?.decode("db", as: String.self) == "ddas_regie")
        try await query(first, "CREATE TABLE kept (note text)")
        try await query(first, "INSERT INTO kept VALUES ($1)", ["still here"])
        try await first.stop()
        #expect(!FileManager.default.fileExists(atPath: path + "/postmaster.pid"))
        #expect(first.runningServerPID() == nil)

        let second = TestPostgres.track(
            try await EmbeddedPostgres.start(dataDirectory: path, mode: .exclusive, options: .init(durable: false), logger: logger))
        #expect(try await query(second, "SELECT note FROM kept").first?.decode("note", as: String.self) == "still here")
        try await second.stop()
    }

    @Test("a second service on the same folder is refused; a one-off command uses the running cluster and leaves it running")
    func secondInstance() async throws {
        let path = try folder()
        let service = TestPostgres.track(
            try await EmbeddedPostgres.start(dataDirectory: path, mode: .exclusive, options: .init(durable: false), logger: logger))
        let refusal = await #expect(throws: EmbeddedPostgresError.self) {
            _ = TestPostgres.track(
                try await EmbeddedPostgres.start(dataDirectory: path, mode: .exclusive, options: .init(durable: false), logger: logger))
        }
        #expect(refusal?.description.contains("in use by another ddas-regie process") == true)
        #expect(refusal?.description.contains(path) == true)

        let command = try await EmbeddedPostgres.start(dataDirectory: path, mode: .shared, options: .init(durable: false), logger: logger)
        #expect(command.ownsServer == false)
        #expect(try await query(command, "SELECT 1 AS one").count == 1)
        try await command.stop()
        #expect(try await query(service, "SELECT 1 AS one").count == 1)
        try await service.stop()
    }

    @Test("a postmaster.pid left by a crash does not stop the next start", arguments: ["dead", "reused"])
    func stalePID(kind: String) async throws {
        let path = try folder()
        let cluster = TestPostgres.track(
            try await EmbeddedPostgres.start(dataDirectory: path, mode: .exclusive, options: .init(durable: false), logger: logger))
        try await cluster.stop()
        // A crash leaves postmaster.pid behind; its pid is then dead, or reused by another process.
        let pid: Int32
        if kind == "dead" {
            let child = try Process.run(URL(fileURLWithPath: "/bin/true"), arguments: [])
            child.waitUntilExit()
            pid = child.processIdentifier
        } else {
            pid = getpid()
        }
        try "\(pid)\n\(path)\n0\n5432\n\(path)\n\n".write(toFile: path + "/postmaster.pid", atomically: true, encoding: .utf8)
        let restarted = TestPostgres.track(
            try await EmbeddedPostgres.start(dataDirectory: path, mode: .exclusive, options: .init(durable: false), logger: logger))
        #expect(try await query(restarted, "SELECT 1 AS one").count == 1)
        try await restarted.stop()
    }

    @Test("a folder that holds something else is refused")
    func foreignFolder() async throws {
        let path = try folder()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try "notes".write(toFile: path + "/notes.txt", atomically: true, encoding: .utf8)
        let error = await #expect(throws: EmbeddedPostgresError.self) {
            _ = try await EmbeddedPostgres.start(dataDirectory: path, mode: .exclusive, logger: logger)
        }
        #expect(error?.description.contains("holds no PostgreSQL cluster") == true)
    }

    @Test("a folder path too long for a unix socket is refused with a clear reason")
    func longPath() async throws {
        let path = "/tmp/" + String(repeating: "d", count: 120)
        let error = await #expect(throws: EmbeddedPostgresError.self) {
            _ = try await EmbeddedPostgres.start(dataDirectory: path, mode: .exclusive, logger: logger)
        }
        #expect(error?.description.contains("too long") == true)
    }
}
