import ChildProgram
import Foundation
import Postgres
import RegieApp
import RegieDomain
import RegieStore
import RegieTestSupport
import SMTPClient
import Testing
import Webhooks

/// Subscriptions, meldingen and the outbox's rows, for the meldingen tests.
enum MeldingFixtures {
    /// A subscription of `partij` to every soort its kind may receive, written directly; its id.
    static func abonneer(_ partij: MeldingPartij, kanaal: MeldingKanaal, adres: String, pool: PostgresPool) async throws -> UUID {
        try await OutboxFixtures.subscribe(
            partij, kanaal: kanaal, adres: adres, soorten: MeldingSoort.allCases.filter { $0.partijen.contains(partij.soort) }, now: Date(),
            pool: pool)
    }

    /// A levering of `gemeente` given up after 5 attempts.
    static func opgegeven(_ gemeente: Gemeentecode, at moment: Date) -> Melding {
        OutboxFixtures.opgegeven(gemeente, at: moment)
    }

    /// The violations python-jsonschema (`Tests/Interop/jsonschema-peer`) finds in `instance`
    /// against `schema`, as `pointer keyword`.
    static func violations(of instance: Any, against schema: Any) async throws -> [String] {
        let folder = URL(fileURLWithPath: try TestPostgres.temporaryFolder("ddas-melding-schema"))
        defer { try? FileManager.default.removeItem(at: folder) }
        try JSONSerialization.data(withJSONObject: schema).write(to: folder.appendingPathComponent("schema.json"))
        try JSONSerialization.data(withJSONObject: instance).write(to: folder.appendingPathComponent("instance.json"))
        let run = try await ChildProgram.script(
            "Tests/Interop/jsonschema-peer",
            [folder.appendingPathComponent("schema.json").path, folder.appendingPathComponent("instance.json").path])
        try #require(run.status == 0, "the jsonschema peer did not run: \(run.errors)")
        let found = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [[String: String]])
        return found.map { "\($0["pointer"] ?? "") \($0["keyword"] ?? "")" }
    }

    /// One row of the outbox.
    struct Bericht {
        let id: UUID
        let abonnement: UUID
        let status: String
        let pogingen: Int
        let laatsteFout: String?
        let volgendePogingOp: Date
    }

    /// Every message of the outbox, oldest first.
    static func berichten(_ pool: PostgresPool) async throws -> [Bericht] {
        try await pool.query(
            "SELECT id, abonnement_id, status, pogingen, laatste_fout, volgende_poging_op FROM melding_bezorgingen ORDER BY aangemaakt_op, id"
        ).map {
            Bericht(
                id: try $0.decode("id"), abonnement: try $0.decode("abonnement_id"), status: try $0.decode("status"),
                pogingen: try $0.decode("pogingen"), laatsteFout: try $0.decode("laatste_fout"),
                volgendePogingOp: try $0.decode("volgende_poging_op"))
        }
    }
}

/// A running aiosmtpd peer (`Tests/Interop/smtp-peer`): STARTTLS and AUTH required.
struct SMTPPeerProcess {
    let port: Int
    let directory: URL

    /// Mail to this peer, as the service sends it.
    func bestemming() throws -> MailBestemming {
        let configuration = try SMTPConfiguration(
            host: "127.0.0.1", port: port, security: .startTLS, credentials: .init(username: "ddas", password: "geheim"),
            trustRoots: try SMTPConfiguration.trustRoots(pemFile: directory.appendingPathComponent("ca.pem").path), timeout: .seconds(90))
        return .smtp(SMTPClient(configuration: configuration), afzender: "meldingen@regie.example", afzenderNaam: "DDAS regie")
    }

    /// The accepted messages as the peer read them, in order.
    func received() throws -> [[String: Any]] {
        let folder = directory.appendingPathComponent("received")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return try names.filter { $0.hasSuffix(".json") }.sorted { Int($0.dropLast(5))! < Int($1.dropLast(5))! }.map { name in
            try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(name))) as? [String: Any])
        }
    }

    /// The lines of the first accepted message as received.
    func rawLines() throws -> [String] {
        String(decoding: try Data(contentsOf: directory.appendingPathComponent("received/1.eml")), as: UTF8.self)
            .components(separatedBy: "\r\n")
    }
}

func withSMTPPeer(_ body: (SMTPPeerProcess) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-peer-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let peer = try ListeningPeer(
        script: "Tests/Interop/smtp-peer", arguments: ["serve", directory.path, "--user", "ddas", "--password", "geheim"])
    defer { peer.stop() }
    try await body(SMTPPeerProcess(port: try await peer.waitForPort(), directory: directory))
}

/// A running webhook endpoint that verifies with `standardwebhooks` (`Tests/Interop/webhook-peer`).
struct WebhookPeerProcess {
    let port: Int
    let directory: URL
    let sender: WebhookSender

    func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)/\(path)")! }

    /// The secret the peer verifies with.
    func setSecret(_ secret: WebhookSecret) throws {
        try secret.text.write(to: directory.appendingPathComponent("secret"), atomically: true, encoding: .utf8)
    }

    /// What the peer recorded, in order.
    func received() throws -> [[String: Any]] {
        let folder = directory.appendingPathComponent("received")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return try names.filter { $0.hasSuffix(".json") }.sorted { Int($0.dropLast(5))! < Int($1.dropLast(5))! }.map { name in
            try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(name))) as? [String: Any])
        }
    }
}

func withWebhookPeer(_ body: (WebhookPeerProcess) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-peer-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try WebhookSecret.generate().text.write(to: directory.appendingPathComponent("secret"), atomically: true, encoding: .utf8)
    let peer = try ListeningPeer(script: "Tests/Interop/webhook-peer", arguments: ["serve", directory.path])
    defer { peer.stop() }
    let port = try await peer.waitForPort()
    let client = WebhookSender.makeClient()
    do {
        try await body(WebhookPeerProcess(port: port, directory: directory, sender: WebhookSender(client: client)))
    } catch {
        try? await client.shutdown()
        throw error
    }
    try await client.shutdown()
}
