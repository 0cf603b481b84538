import ChildProgram
import Foundation
import Postgres
import RegieApp
import RegieDomain
import RegieStore
import RegieTestSupport
import SupplierSimulator
import Testing

/// Meldingen from two worker replicas, one killed with SIGKILL while it sends: 200 meldingen
/// for the project team's webhook endpoint (the `standardwebhooks` library checks every
/// signature; it answers after 0.2 s, so sends are in flight at the kill) and its mailbox (an
/// aiosmtpd server with STARTTLS and AUTH), plus the meldingen the deliveries themselves cause
/// (two gemeenten whose supplier signs badly: their deliveries are given up). Every message
/// arrives; the only repeats are of messages the killed replica had in flight, with the same
/// id; nothing fails. The mails and bodies go to the privacy scan.
enum MeldingenScenario {
    static let sleutel = MeldingSleutel(bytes: Array(repeating: UInt8(7), count: 32))!

    static func run() async throws {
        let settings = RigSettings(gemeenten: 12, recordsPerMonth: 40, pageSize: 100, maxAttempts: 2)
        var faulty = settings
        let register = try LeveringFixtures.gemeenten(2)
        faulty.faults = register.map { FaultRule(Fault(.badSignature), gemeentecode: $0.rawValue) }
        try await ServiceRig.with("meldingen", faulty) { rig in
            try await withPeers { smtp, webhooks in
                try await scenario(rig, smtp: smtp, webhooks: webhooks)
            }
        }
    }

    static func scenario(_ rig: ServiceRig, smtp: PeerFolder, webhooks: PeerFolder) async throws {
        let soorten = MeldingSoort.allCases.filter { $0.partijen.contains(.projectteam) }
        let hook = try await OutboxFixtures.subscribe(
            .projectteam, kanaal: .webhook, adres: "http://127.0.0.1:\(webhooks.port)/traag", soorten: soorten, now: Date(), pool: rig.pool)
        try await OutboxFixtures.subscribe(
            .projectteam, kanaal: .email, adres: "team@regie.reliability.example", soorten: soorten, now: Date(), pool: rig.pool)
        try sleutel.webhookGeheim(abonnement: hook, versie: 1).text.write(
            to: webhooks.directory.appendingPathComponent("secret"), atomically: true, encoding: .utf8)
        let outbox = MeldingOutbox(pool: rig.pool)
        let moment = Date()
        for index in 0..<200 {
            let gemeente = rig.codes[index % rig.codes.count]
            try await outbox.record(
                Melding.leverancierStoring(
                    leverancier: rig.supplierOf[gemeente] ?? "xxllnc", stroom: "VS", pogingen: 3, foutcode: "http_503",
                    sinds: moment.addingTimeInterval(Double(-index)), at: moment), now: moment)
        }
        let configuration = try writeConfiguration(rig, smtp: smtp)
        #expect(try await rig.enqueue(quarters: [1], maxAttempts: 2) == 12)
        var replicas = [
            try rig.serve(role: "worker", arguments: ["--meldingen-config", configuration.path]),
            try rig.serve(role: "worker", arguments: ["--meldingen-config", configuration.path]),
        ]
        func alive() -> Bool { replicas.allSatisfy { !$0.process.hasExited } }
        // Kill the replica that holds the most sends, a third of the way through.
        let deadline = ContinuousClock.now + .seconds(120)
        while try webhooks.received().count < 70, ContinuousClock.now < deadline, alive() {
            try await Task.sleep(for: .milliseconds(20))
        }
        var held = [0, 0]
        for (index, replica) in replicas.enumerated() { held[index] = try await inFlight(rig, pid: replica.process.pid) }
        let victim = held[1] > held[0] ? 1 : 0
        kill(replicas[victim].process.pid, SIGKILL)
        #expect(await replicas[victim].process.exitStatus() == 128 + SIGKILL)
        await ServiceRig.logs.add(replicas[victim].process.output())
        let inFlightAtKill = try await inFlight(rig, pid: replicas[victim].process.pid)
        replicas.remove(at: victim)
        // The survivor sends the rest, and the killed one's messages once their lease ended.
        let settled = try await waitUntilSent(rig, within: 180, while: alive)
        let statuses = try await rig.waitUntilSettled(within: 120, while: alive)
        let caused = try await waitUntilSent(rig, within: 60, while: alive)
        #expect(await rig.stop(replicas[0]) == 0)

        let hooks = try webhooks.received()
        let mails = try smtp.received()
        let hookIDs = hooks.compactMap { $0["id"] as? String }
        let mailIDs = mails.compactMap { $0["message_id"] as? String }
        let sent = caused.verzonden
        #expect(settled.mislukt == 0 && caused.mislukt == 0, "\(caused)")
        #expect(caused.wachtend + caused.bezig == 0, "\(caused)")
        #expect(hooks.allSatisfy { $0["verified"] as? Bool == true }, "every webhook verifies with the reference library")
        #expect(
            Set(hookIDs).count + Set(mailIDs).count == sent,
            "every message arrived: \(Set(hookIDs).count) + \(Set(mailIDs).count) of \(sent)")
        let repeats = (hookIDs.count - Set(hookIDs).count) + (mailIDs.count - Set(mailIDs).count)
        #expect(repeats <= inFlightAtKill, "only what the killed replica had in flight came twice: \(repeats) > \(inFlightAtKill)")
        #expect((statuses["opgegeven"] ?? 0) == 2, "the two gemeenten with bad signatures: \(statuses)")
        let opgegeven = hooks.filter { (($0["body"] as? [String: Any])?["type"] as? String) == "levering.opgegeven" }.count
        #expect(opgegeven == 2, "each delivery given up was told once to the project team's endpoint")
        for hook in hooks {
            if let body = hook["body"], let data = try? JSONSerialization.data(withJSONObject: body) {
                await ServiceRig.meldingen.add(String(decoding: data, as: UTF8.self))
            }
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: smtp.directory.appendingPathComponent("received").path)
        where name.hasSuffix(".eml") {
            await ServiceRig.meldingen.add(
                String(decoding: try Data(contentsOf: smtp.directory.appendingPathComponent("received/\(name)")), as: UTF8.self))
        }
        Figures.record(
            Scenario.meldingen,
            "\(sent) messages (\(Set(hookIDs).count) webhooks, \(Set(mailIDs).count) mails over STARTTLS+AUTH) from 2 worker replicas, one SIGKILLed with \(inFlightAtKill) in flight; \(repeats) sent again with their own id, 0 lost, 0 failed; \(opgegeven) deliveries given up, each told once"
        )
    }

    /// The configuration file of the replicas: the key and the SMTP password by file, the peer's CA.
    static func writeConfiguration(_ rig: ServiceRig, smtp: PeerFolder) throws -> URL {
        let key = rig.state.appendingPathComponent("meldingen-sleutel")
        try Data(Array(repeating: UInt8(7), count: 32)).base64EncodedString().write(to: key, atomically: true, encoding: .utf8)
        let password = rig.state.appendingPathComponent("smtp-wachtwoord")
        try "geheim".write(to: password, atomically: true, encoding: .utf8)
        let file = rig.state.appendingPathComponent("meldingen.yaml")
        try """
        publiek_adres: https://regie.reliability.example
        sleutel: file:\(key.path)
        email:
          afzender: meldingen@regie.reliability.example
          smtp:
            host: 127.0.0.1
            port: \(smtp.port)
            beveiliging: starttls
            gebruiker: ddas
            wachtwoord: file:\(password.path)
            ca_bestand: \(smtp.directory.appendingPathComponent("ca.pem").path)
            timeout_seconden: 10
        verzending:
          tegelijk: 4
          lease_seconden: 16
          poll_seconden: 1
        """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Messages a replica holds right now.
    static func inFlight(_ rig: ServiceRig, pid: pid_t) async throws -> Int {
        try await rig.pool.query(
            "SELECT count(*)::bigint AS n FROM melding_bezorgingen WHERE status = 'bezig' AND houder LIKE $1", ["%:\(pid):%"]
        ).first?.decode("n") ?? 0
    }

    /// The outbox's counts by status.
    struct Stand: CustomStringConvertible {
        var wachtend = 0
        var bezig = 0
        var verzonden = 0
        var mislukt = 0
        var description: String { "wachtend \(wachtend), bezig \(bezig), verzonden \(verzonden), mislukt \(mislukt)" }
    }

    /// Waits until nothing waits or is held (polling with a deadline).
    static func waitUntilSent(_ rig: ServiceRig, within seconds: Int, while alive: () -> Bool) async throws -> Stand {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            var stand = Stand()
            for row in try await rig.pool.query("SELECT status, count(*)::bigint AS n FROM melding_bezorgingen GROUP BY status") {
                let n: Int = try row.decode("n")
                switch try row.decode("status", as: String.self) {
                case "wachtend": stand.wachtend = n
                case "bezig": stand.bezig = n
                case "verzonden": stand.verzonden = n
                default: stand.mislukt = n
                }
            }
            if stand.wachtend + stand.bezig == 0 || ContinuousClock.now >= deadline || !alive() { return stand }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// A peer process's port and folder.
    struct PeerFolder {
        let port: Int
        let directory: URL

        func received() throws -> [[String: Any]] {
            let folder = directory.appendingPathComponent("received")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return try names.filter { $0.hasSuffix(".json") }.map { name in
                try #require(
                    try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(name))) as? [String: Any])
            }
        }
    }

    /// Runs `body` with an aiosmtpd peer (STARTTLS and AUTH) and a standardwebhooks peer.
    static func withPeers(_ body: (PeerFolder, PeerFolder) async throws -> Void) async throws {
        let base = URL(fileURLWithPath: try TestPostgres.temporaryFolder("ddas-peers"))
        let smtpFolder = base.appendingPathComponent("smtp")
        let hookFolder = base.appendingPathComponent("webhooks")
        for folder in [smtpFolder, hookFolder] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        try "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".write(
            to: hookFolder.appendingPathComponent("secret"), atomically: true, encoding: .utf8)
        let smtp = try ListeningPeer(
            script: "Tests/Interop/smtp-peer", arguments: ["serve", smtpFolder.path, "--user", "ddas", "--password", "geheim"])
        defer { smtp.stop() }
        let hooks = try ListeningPeer(script: "Tests/Interop/webhook-peer", arguments: ["serve", hookFolder.path])
        defer { hooks.stop() }
        try await body(
            PeerFolder(port: try await smtp.waitForPort(), directory: smtpFolder),
            PeerFolder(port: try await hooks.waitForPort(), directory: hookFolder))
    }
}
