import ChildProgram
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import SMTPClient
import Testing

/// Our SMTP client against a server that is not ours: aiosmtpd from PyPI (`Tests/Interop/smtp-peer`),
/// with STARTTLS and AUTH required, whose accepted messages Python's `email` package reads back.
@Suite("SMTP against aiosmtpd")
struct SMTPInteropTests {
    @Test("A message sent over STARTTLS with AUTH arrives whole: Dutch subject, text and HTML as Python's email package reads them")
    func deliversOverSTARTTLS() async throws {
        try await withPeer { peer in
            let text = """
                Levering 2026-Q3 van Gemeente Súdwest-Fryslân is opgegeven na 5 pogingen.
                .Deze regel begint met een punt en moet heel aankomen.
                Een heel lange regel \(String(repeating: "lang ", count: 40))en dan het einde.
                Witruimte aan het eind   
                """
            let message = try MailMessage(
                from: "ddas-regie@regie.example", fromName: "DDAS-regie", to: ["vroegsignalering@gemeente.example"],
                subject: "Levering opgegeven: Súdwest-Fryslân, 2026-Q3 — actie nodig \(String(repeating: "é", count: 30))",
                text: text, html: "<p>Levering <b>opgegeven</b> na 5 pogingen.</p>", messageID: "melding-42@regie.example",
                headers: [("List-Unsubscribe", "<https://regie.example/v1/meldingen/afmelden/abc>")])
            try await peer.client().send(message)
            let received = try peer.received()
            #expect(received.count == 1)
            let mail = try #require(received.first)
            #expect(mail["tls"] as? Bool == true)
            #expect(mail["authenticated"] as? Bool == true)
            #expect(mail["login"] as? String == "ddas")
            #expect(mail["mail_from"] as? String == "ddas-regie@regie.example")
            #expect(mail["rcpt_tos"] as? [String] == ["vroegsignalering@gemeente.example"])
            #expect(mail["subject"] as? String == message.subject)
            #expect(mail["message_id"] as? String == "<melding-42@regie.example>")
            #expect(mail["list_unsubscribe"] as? String == "<https://regie.example/v1/meldingen/afmelden/abc>")
            #expect(mail["content_type"] as? String == "multipart/alternative")
            #expect(mail["from"] as? String == "DDAS-regie <ddas-regie@regie.example>")
            #expect(mail["defects"] as? [String] == [])
            let arrived = (mail["text"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n")
            #expect(arrived == text, "\(String(describing: mail["text"]))")
            #expect((mail["html"] as? String)?.contains("<b>opgegeven</b>") == true)
            let long = try peer.rawLines().filter { $0.utf8.count > 78 || !$0.utf8.allSatisfy { $0 < 0x80 } }
            #expect(long.isEmpty, "\(long)")
        }
    }

    @Test("A wrong password is refused for good (535) and nothing is delivered")
    func wrongPassword() async throws {
        try await withPeer { peer in
            let failure = await sendFailure(try peer.client(password: "fout"), to: "team@regie.example")
            #expect(failure?.kind == .permanent, "\(String(describing: failure))")
            #expect(failure?.replyCode == 535)
            #expect(failure?.isTransient == false)
            #expect(failure?.description.contains("fout") == false)
            #expect(try peer.received().isEmpty)
        }
    }

    @Test("A recipient the server defers (451) is a transient failure, a refused one (550) a final failure")
    func deferredAndRefusedRecipients() async throws {
        try await withPeer { peer in
            let deferred = await sendFailure(try peer.client(), to: "tijdelijk@gemeente.example")
            #expect(deferred?.kind == .transient, "\(String(describing: deferred))")
            #expect(deferred?.replyCode == 451)
            #expect(deferred?.isTransient == true)
            let refused = await sendFailure(try peer.client(), to: "geweigerd@gemeente.example")
            #expect(refused?.kind == .permanent, "\(String(describing: refused))")
            #expect(refused?.replyCode == 550)
            #expect(try peer.received().isEmpty)
        }
    }

    @Test("A server that does not offer STARTTLS gets no credentials and no message")
    func noSTARTTLS() async throws {
        try await withPeer(arguments: ["--no-starttls"]) { peer in
            let failure = await sendFailure(try peer.client(caFile: nil), to: "team@regie.example")
            #expect(failure?.kind == .protocolViolation, "\(String(describing: failure))")
            #expect(failure?.description.contains("STARTTLS") == true)
            #expect(try peer.received().isEmpty)
        }
    }

    @Test("A server certificate the client does not trust fails the TLS handshake")
    func untrustedCertificate() async throws {
        try await withPeer { peer in
            let failure = await sendFailure(try peer.client(caFile: nil), to: "team@regie.example")
            #expect(failure?.kind == .tls, "\(String(describing: failure))")
            #expect(failure?.isTransient == true)
            #expect(try peer.received().isEmpty)
        }
    }

    @Test("Nobody listening is a connection failure that may pass later")
    func nobodyListening() async throws {
        let port = try await unusedPort()
        let client = SMTPClient(configuration: try SMTPConfiguration(host: "127.0.0.1", port: port, security: .none))
        let failure = await sendFailure(client, to: "team@regie.example")
        #expect(failure?.kind == .connection, "\(String(describing: failure))")
        #expect(failure?.isTransient == true)
    }

    @Test("A server that accepts the connection and never answers ends in a timeout")
    func silentServer() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let configuration = try SMTPConfiguration(
            host: "127.0.0.1", port: server.localAddress!.port!, security: .none, timeout: .milliseconds(300))
        let failure = await sendFailure(SMTPClient(configuration: configuration), to: "team@regie.example")
        #expect(failure?.kind == .timeout, "\(String(describing: failure))")
    }
}

/// A running smtp-peer and the folder it writes into.
struct SMTPPeer {
    let port: Int
    let directory: URL

    func client(password: String = "geheim", caFile: String? = "ca.pem") throws -> SMTPClient {
        let roots = try caFile.map { try NIOSSLCertificate.fromPEMFile(directory.appendingPathComponent($0).path) }
        let configuration = try SMTPConfiguration(
            host: "127.0.0.1", port: port, security: .startTLS,
            credentials: .init(username: "ddas", password: password), trustRoots: roots ?? [], timeout: .seconds(90))
        return SMTPClient(configuration: configuration)
    }

    /// The accepted messages as the peer read them, in order.
    func received() throws -> [[String: Any]] {
        let folder = directory.appendingPathComponent("received")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return try names.filter { $0.hasSuffix(".json") }.sorted().map { name in
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
    }

    /// The lines of the first accepted message as received.
    func rawLines() throws -> [String] {
        let data = try Data(contentsOf: directory.appendingPathComponent("received/1.eml"))
        return String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n")
    }
}

func withPeer(arguments: [String] = [], _ body: (SMTPPeer) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-peer-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let peer = try ListeningPeer(
        script: "Tests/Interop/smtp-peer",
        arguments: ["serve", directory.path, "--user", "ddas", "--password", "geheim"] + arguments)
    defer { peer.stop() }
    try await body(SMTPPeer(port: try await peer.waitForPort(), directory: directory))
}

/// The failure of sending a small message to `recipient`, or nil when it was accepted.
func sendFailure(_ client: SMTPClient, to recipient: String) async -> SMTPFailure? {
    do {
        let message = try MailMessage(
            from: "ddas-regie@regie.example", to: [recipient], subject: "Test", text: "Test", messageID: "t@regie.example")
        try await client.send(message)
        return nil
    } catch {
        return error
    }
}

/// A port nobody listens on (bound, read, released).
func unusedPort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress!.port!
    try await channel.close()
    return port
}
