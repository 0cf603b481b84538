import AsyncHTTPClient
import ChildProgram
import Foundation
import Testing
import Webhooks

/// Our webhooks against the reference implementation of Standard Webhooks (`standardwebhooks`
/// from PyPI, in `Tests/Interop/webhook-peer`), which checks every request it receives.
@Suite("Webhooks against the standardwebhooks library")
struct WebhookInteropTests {
    @Test("A signed webhook verifies with the reference library, id, timestamp and body intact")
    func verifies() async throws {
        try await withReceiver { receiver in
            let secret = WebhookSecret.generate()
            try receiver.setSecret(secret)
            let body = Array(#"{"type":"levering.opgegeven","gemeente":"0363","pogingen":5,"tekst":"één"}"#.utf8)
            let now = Int64(Date().timeIntervalSince1970)
            try await receiver.sender.send(to: receiver.url("ok"), id: "msg_42", timestamp: now, body: body, secrets: [secret])
            let received = try receiver.received()
            #expect(received.count == 1)
            #expect(received.first?["verified"] as? Bool == true)
            #expect(received.first?["id"] as? String == "msg_42")
            #expect(received.first?["timestamp"] as? String == String(now))
            #expect(received.first?["content_type"] as? String == "application/json")
            #expect((received.first?["body"] as? [String: Any])?["tekst"] as? String == "één")
        }
    }

    @Test("While a secret is rotated both sign, and an endpoint that already has the new one accepts")
    func rotation() async throws {
        try await withReceiver { receiver in
            let old = WebhookSecret.generate()
            let new = WebhookSecret.generate()
            try receiver.setSecret(new)
            let now = Int64(Date().timeIntervalSince1970)
            try await receiver.sender.send(
                to: receiver.url("ok"), id: "msg_1", timestamp: now, body: Array("{}".utf8), secrets: [old, new])
            #expect(try receiver.received().first?["verified"] as? Bool == true)
            #expect((try receiver.received().first?["signature"] as? String)?.split(separator: " ").count == 2)
        }
    }

    @Test("A webhook signed with another secret, or with an old timestamp, is refused by the library")
    func refusedSignatures() async throws {
        try await withReceiver { receiver in
            try receiver.setSecret(WebhookSecret.generate())
            let now = Int64(Date().timeIntervalSince1970)
            let wrong = await failure {
                try await receiver.sender.send(
                    to: receiver.url("ok"), id: "msg_1", timestamp: now, body: Array("{}".utf8), secrets: [WebhookSecret.generate()])
            }
            #expect(wrong?.status == 401)
            #expect(wrong?.isTransient == false)
            let stale = await failure {
                try await receiver.sender.send(
                    to: receiver.url("ok"), id: "msg_2", timestamp: now - 3_600, body: Array("{}".utf8),
                    secrets: [try receiver.secret()])
            }
            #expect(stale?.status == 401)
            #expect(try receiver.received().map { $0["verified"] as? Bool } == [false, false])
        }
    }

    @Test("503 may pass later, 410 says the endpoint is gone, and a redirect is not followed")
    func statuses() async throws {
        try await withReceiver { receiver in
            let secret = WebhookSecret.generate()
            try receiver.setSecret(secret)
            let now = Int64(Date().timeIntervalSince1970)
            func send(_ path: String) async -> WebhookFailure? {
                await failure {
                    try await receiver.sender.send(
                        to: receiver.url(path), id: "msg_\(path)", timestamp: now, body: Array("{}".utf8), secrets: [secret])
                }
            }
            let unavailable = await send("503")
            #expect(unavailable?.isTransient == true)
            #expect(unavailable?.status == 503)
            let gone = await send("410")
            #expect(gone?.endpointGone == true)
            #expect(gone?.isTransient == false)
            let redirected = await send("redirect")
            #expect(redirected?.status == 307)
            #expect(redirected?.isTransient == false)
            // Three requests arrived; the redirect's target was never asked.
            #expect(try receiver.received().map { $0["path"] as? String } == ["/503", "/410", "/redirect"])
        }
    }

    @Test("Nobody listening is a failure that may pass later")
    func nobodyListening() async throws {
        let client = WebhookSender.makeClient()
        let result = await failure {
            try await WebhookSender(client: client).send(
                to: URL(string: "http://127.0.0.1:1/ok")!, id: "m", timestamp: 0, body: [], secrets: [.generate()])
        }
        try await client.shutdown()
        #expect(result?.kind == .connection)
        #expect(result?.isTransient == true)
    }
}

/// A running webhook-peer.
struct WebhookReceiver {
    let port: Int
    let directory: URL
    let sender: WebhookSender

    func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)/\(path)")! }

    func setSecret(_ secret: WebhookSecret) throws {
        try secret.text.write(to: directory.appendingPathComponent("secret"), atomically: true, encoding: .utf8)
    }

    func secret() throws -> WebhookSecret {
        try #require(WebhookSecret(try String(contentsOf: directory.appendingPathComponent("secret"), encoding: .utf8)))
    }

    /// What the receiver recorded, in order.
    func received() throws -> [[String: Any]] {
        let folder = directory.appendingPathComponent("received")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return try names.filter { $0.hasSuffix(".json") }.sorted { Int($0.dropLast(5))! < Int($1.dropLast(5))! }.map { name in
            try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(name))) as? [String: Any])
        }
    }
}

func withReceiver(_ body: (WebhookReceiver) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-peer-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let peer = try ListeningPeer(script: "Tests/Interop/webhook-peer", arguments: ["serve", directory.path])
    defer { peer.stop() }
    let port = try await peer.waitForPort()
    let client = WebhookSender.makeClient()
    do {
        try await body(WebhookReceiver(port: port, directory: directory, sender: WebhookSender(client: client)))
    } catch {
        try? await client.shutdown()
        throw error
    }
    try await client.shutdown()
}

/// The failure `work` threw, or nil when it succeeded.
func failure(_ work: () async throws -> Void) async -> WebhookFailure? {
    do {
        try await work()
        return nil
    } catch let failure as WebhookFailure {
        return failure
    } catch {
        Issue.record("not a webhook failure: \(error)")
        return nil
    }
}
