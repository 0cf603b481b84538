import AsyncHTTPClient
import Foundation
import NIOCore
import RegieDomain
import RegieStore
import RegieTestSupport
import Testing

/// The built `ddas-regie` executable, run as a user would.
@Suite("ddas-regie on the command line")
struct CommandLineTests {
    @Test(
        "a bad flag value names the flag and exits 2",
        arguments: [
            (["serve", "--port", "abc"], "--port"),
            (["serve", "--port", "70000"], "--port"),
            (["serve", "--metrics-port", "0"], "--metrics-port"),
            (["serve", "--metrics-port", "-1"], "--metrics-port"),
            (["serve", "--metrics-port", "65536"], "--metrics-port"),
            (["serve", "--metrics-port", "9223372036854775807"], "--metrics-port"),
            (["serve", "--metrics-port", "-9223372036854775808"], "--metrics-port"),
            (["serve", "--metrics-port", "100000000000000000000"], "--metrics-port"),
            (["serve", "--metrics-host", ""], "--metrics-host"),
            (["serve", "--pool-size", "0"], "--pool-size"),
            (["serve", "--log-level", "loud"], "--log-level"),
            (["serve", "--data-dir", "x", "--database-url", "host=y"], "--data-dir"),
            (["serve", "--no-such-flag"], "--no-such-flag"),
            (["serve", "--role", "baas"], "--role"),
            (["serve", "--demo", "--exchange-config", "x.yaml"], "--demo"),
            (["leveringen", "trigger", "--gemeente", "Amsterdam", "--periode", "2026-Q1"], "--gemeente"),
            (["leveringen", "trigger", "--gemeente", "GM0363", "--periode", "2026-Q5"], "--periode"),
            (["leveringen", "list", "--status", "klaar"], "--status"),
        ])
    func badFlag(arguments: [String], flag: String) async throws {
        let run = try await RegieProcess.run(arguments)
        #expect(run.status == 2)
        #expect(run.output.contains(flag))
    }

    @Test("a bad variable value names the variable and exits 2")
    func badVariable() async throws {
        let run = try await RegieProcess.run(["serve"], environment: ["DDAS_PORT": "achtduizend"])
        #expect(run.status == 2)
        #expect(run.output.contains("DDAS_PORT"))
        for value in ["0", "65536", "8080", "9223372036854775807", "-9223372036854775808"] {
            let metrics = try await RegieProcess.run(["serve", "--port", "8080"], environment: ["DDAS_METRICS_PORT": value])
            #expect(metrics.status == 2, "DDAS_METRICS_PORT=\(value)")
            #expect(metrics.output.contains("DDAS_METRICS_PORT"), "DDAS_METRICS_PORT=\(value)")
        }
    }

    @Test("--help documents every flag and variable")
    func help() async throws {
        let root = try await RegieProcess.run(["--help"])
        #expect(root.status == 0)
        for variable in ["DDAS_HOST", "DDAS_PORT", "DDAS_DATA_DIR", "DDAS_DATABASE_URL", "DDAS_LOG_LEVEL", "DDAS_POOL_SIZE"] {
            #expect(root.output.contains(variable), "\(variable)")
        }
        let serve = try await RegieProcess.run(["serve", "--help"])
        for flag in ["--host", "--port", "--data-dir", "--database-url", "--pool-size", "--log-level"] {
            #expect(serve.output.contains(flag), "\(flag)")
        }
        let migrate = try await RegieProcess.run(["migrate", "--help"])
        #expect(migrate.output.contains("--status"))
        #expect(migrate.output.contains("--data-dir"))
    }

    @Test("an unreachable database names host and port and never the password")
    func unreachableDatabase() async throws {
        let run = try await RegieProcess.run(
            ["migrate", "--database-url", "postgresql://regie:Heel-Geheim-7@127.0.0.1:1/regie?connect_timeout=5"])
        #expect(run.status == 1)
        #expect(run.output.contains("127.0.0.1"))
        #expect(run.output.contains("port 1"))
        #expect(!run.output.contains("Heel-Geheim-7"))
    }

    @Test(
        "serve on the embedded default: ready, 342 gemeenten, migrate --status beside it, Ctrl-C stops it and its PostgreSQL, a restart reuses the data"
    )
    func serveEmbedded() async throws {
        let dataDirectory = try TestPostgres.temporaryFolder("ddas-cli") + "/pg"
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await serveTwice(dataDirectory: dataDirectory, client: client)
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    func serveTwice(dataDirectory: String, client: HTTPClient) async throws {
        for round in 1...2 {
            let port = try RegieProcess.freePort()
            let server = try RegieProcess.start(["serve", "--data-dir", dataDirectory, "--port", String(port)])
            let ready = try await waitForReady(client: client, port: port, server: server)
            #expect(ready, "round \(round): not ready; output: \(server.output())")

            // One-off commands beside the running service use its cluster.
            let created = try await RegieProcess.run(["tokens", "create", "--role", "projectteam", "--data-dir", dataDirectory])
            #expect(created.status == 0, "\(created.output)")
            let secret = try #require(created.output.split(separator: "\n").first { $0.hasPrefix("ddas_") }).trimmingCharacters(
                in: .whitespaces)
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/gemeenten")
            request.headers.add(name: "Authorization", value: "Bearer \(secret)")
            let response = try await client.execute(request, timeout: .seconds(10))
            #expect(response.status == .ok)
            let list = try JSONDecoder().decode(GemeentenCount.self, from: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
            #expect(list.aantal == 342)
            let status = try await RegieProcess.run(["migrate", "--status", "--data-dir", dataDirectory])
            #expect(status.status == 0)
            #expect(status.output.contains("applied  0001_gemeenten.sql"))
            let audit = try await RegieProcess.run(["audit", "verify", "--data-dir", dataDirectory])
            #expect(audit.status == 0)
            #expect(audit.output.contains("The audit trail is intact: \(round) event(s)."))

            // A second service on the same folder is refused.
            let second = try await RegieProcess.run(["serve", "--data-dir", dataDirectory, "--port", String(try RegieProcess.freePort())])
            #expect(second.status == 1)
            #expect(second.output.contains("in use by another ddas-regie process"))

            kill(server.pid, SIGINT)
            let exitStatus = await server.exitStatus()
            #expect(exitStatus == 0, "output: \(server.output())")
            #expect(!FileManager.default.fileExists(atPath: dataDirectory + "/postmaster.pid"))
            if round == 2 {
                #expect(!server.output().contains("creating the embedded PostgreSQL cluster"))
                #expect(server.output().contains("inserted=0"))
            }
        }
    }

    @Test("audit verify on an existing PostgreSQL: 0 when intact, 1 naming the first broken event after tampering")
    func auditVerify() async throws {
        let database = try await TestPostgres.migratedDatabase()
        let pool = TestPostgres.makePool(database)
        for number in 1...3 {
            try await AuditLog().append(
                AuditActor.commandLine.event("test", objectType: "gemeente", objectID: "GM\(1000 + number)", at: Date()), pool: pool)
        }
        // The remembered head goes to a folder of the test's own, never into the working tree.
        let state = try TestPostgres.temporaryFolder("ddas-audit") + "/state"
        let intact = try await RegieProcess.run(["audit", "verify", "--database-url", database.connectionString, "--state-dir", state])
        #expect(intact.status == 0, "\(intact.output)")
        // The state folder it made stays traversable (the embedded cluster may live in it, run by
        // another account); only the folder of remembered heads is its owner's alone.
        let stateMode = try FileManager.default.attributesOfItem(atPath: state)[.posixPermissions] as? Int
        let headsMode = try FileManager.default.attributesOfItem(atPath: state + "/audit-heads")[.posixPermissions] as? Int
        #expect(stateMode.map { $0 & 0o001 != 0 } == true, "\(String(stateMode ?? 0, radix: 8))")
        #expect(headsMode == 0o700)
        #expect(intact.output.contains("intact: 3 event(s)"))
        try await pool.withTransaction { connection in
            try await connection.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete")
            try await connection.execute("UPDATE audit_events SET object_id = 'GM9999' WHERE seq = 2")
            try await connection.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_or_delete")
        }
        let broken = try await RegieProcess.run(["audit", "verify", "--database-url", database.connectionString, "--state-dir", state])
        #expect(broken.status == 1)
        #expect(broken.output.contains("broken at event 2"))
        await pool.close()
    }

    @Test("serve refuses to start with a broken workflow file, naming file and line, and leaves the database untouched")
    func brokenWorkflow() async throws {
        let resources = try TestPostgres.temporaryFolder("ddas-res")
        let root = TestPostgres.repositoryRoot.path
        for folder in ["Migrations", "Data"] {
            try FileManager.default.createSymbolicLink(atPath: resources + "/" + folder, withDestinationPath: root + "/" + folder)
        }
        try FileManager.default.createDirectory(atPath: resources + "/Workflows", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/Workflows/leverancier.yaml", toPath: resources + "/Workflows/leverancier.yaml")
        let original = try String(contentsOfFile: root + "/Workflows/gemeente.yaml", encoding: .utf8)
        let broken = original.replacingOccurrences(of: "guards: [dpia_recorded]", with: "guards: [dpia_gelezen]")
        #expect(broken != original)
        try broken.write(toFile: resources + "/Workflows/gemeente.yaml", atomically: true, encoding: .utf8)
        let line = (broken.components(separatedBy: "\n").firstIndex { $0.contains("dpia_gelezen") } ?? -1) + 1
        let run = try await RegieProcess.run(
            ["serve", "--data-dir", try TestPostgres.temporaryFolder("ddas-wf") + "/pg", "--port", String(try RegieProcess.freePort())],
            environment: ["DDAS_RESOURCES_DIR": resources])
        #expect(run.status == 1)
        #expect(run.output.contains("gemeente.yaml:\(line):"), "\(run.output)")
        #expect(run.output.contains("dpia_gelezen"))
    }

    @Test("serve --role worker answers health for probes and serves no API")
    func workerRole() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let port = try RegieProcess.freePort()
            let server = try RegieProcess.start([
                "serve", "--role", "worker", "--data-dir", try TestPostgres.temporaryFolder("ddas-wrk") + "/pg", "--port", String(port),
            ])
            #expect(try await waitForReady(client: client, port: port, server: server), "\(server.output())")
            let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/gemeenten"), timeout: .seconds(10))
            #expect(response.status == .notFound)
            kill(server.pid, SIGINT)
            #expect(await server.exitStatus() == 0)
            #expect(server.output().contains("role=worker"))
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    @Test("serve --metrics-port serves /metrics and health there, and no /metrics on the API's port")
    func metricsPort() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let port = try RegieProcess.freePort()
            let metricsPort = try RegieProcess.freePort()
            let server = try RegieProcess.start([
                "serve", "--data-dir", try TestPostgres.temporaryFolder("ddas-met") + "/pg", "--port", String(port), "--metrics-port",
                String(metricsPort),
            ])
            #expect(try await waitForReady(client: client, port: port, server: server), "\(server.output())")
            #expect(try await waitForReady(client: client, port: metricsPort, server: server), "\(server.output())")
            let scraped = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(metricsPort)/metrics"), timeout: .seconds(10))
            #expect(scraped.status == .ok)
            let text = String(buffer: try await scraped.body.collect(upTo: 1 << 20))
            #expect(text.contains(#"ddas_gemeenten{fase="aangemeld"} 342"#))
            let onAPI = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics"), timeout: .seconds(10))
            #expect(onAPI.status == .notFound)
            let api = try await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(metricsPort)/v1/gemeenten"), timeout: .seconds(10))
            #expect(api.status == .notFound)
            kill(server.pid, SIGINT)
            #expect(await server.exitStatus() == 0)
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    @Test("leveringen trigger queues for gemeenten with consent only, audited; leveringen list shows the queue")
    func leveringenCommands() async throws {
        let database = try await TestPostgres.migratedDatabase()
        let pool = TestPostgres.makePool(database)
        try await LeveringFixtures.database(into: pool)
        try await LeveringFixtures.grantConsent(try LeveringFixtures.gemeenten(1), pool: pool)
        let withConsent = try LeveringFixtures.gemeenten(1)[0].rawValue
        let trigger = try await RegieProcess.run(
            [
                "leveringen", "trigger", "--database-url", database.connectionString, "--gemeente", withConsent, "--gemeente", "GM0363",
                "--periode", "2026-Q1", "--doel", "test",
            ])
        #expect(trigger.status == 0, "\(trigger.output)")
        #expect(trigger.output.contains("GM0363: skipped"))
        let list = try await RegieProcess.run(["leveringen", "list", "--database-url", database.connectionString])
        #expect(list.status == 0, "\(list.output)")
        #expect(list.output.contains("\t\(withConsent)\txxllnc\tVS\t2026-Q1\ttest\tgepland\t0/5\t-"))
        #expect(list.output.contains("1 of 1 deliveries"))
        let audited = try await pool.queryTrail(
            "SELECT count(*) AS n FROM audit_events WHERE action = 'levering.aangevraagd' AND origin = 'cli'"
        )
        .first?.decode("n", as: Int.self)
        #expect(audited == 1)
        await pool.close()
    }

    struct GemeentenCount: Decodable {
        struct Paging: Decodable { let totaal: Int }
        let paginering: Paging
        var aantal: Int { paginering.totaal }
    }

    /// Polls readiness with a deadline; false when the server exits or the deadline passes.
    func waitForReady(client: HTTPClient, port: Int, server: RegieProcess) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if server.hasExited { return false }
            if let response = try? await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/health/ready"), timeout: .seconds(2)),
                response.status == .ok
            {
                return true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
