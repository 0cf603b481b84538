import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RegieApp
import Webhooks

/// The demonstration's webhook endpoint, on 127.0.0.1: it checks each webhook's Standard
/// Webhooks signature against the subscription's secret and writes the body, with what it
/// found, as `<webhook-id>.json` in a folder, so that a new user sees the webhooks the
/// service sends without an endpoint of their own. A message sent again overwrites its file.
struct DemoWebhookOntvanger {
    /// Where the bodies go.
    let folder: URL
    /// The secrets the webhooks are checked with (the demonstration's subscription's).
    let geheimen: @Sendable () -> [WebhookSecret]
    let logger: Logger

    /// Runs the endpoint while `body` runs; `body` gets its URL.
    func withRunning<Result: Sendable>(_ body: (URL) async throws -> Result) async throws -> Result {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let router = Router()
        router.post("/webhooks") { request, context -> HTTPResponse.Status in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let id = request.headers[HTTPField.Name("webhook-id")!] ?? ""
            let timestamp = request.headers[HTTPField.Name("webhook-timestamp")!].flatMap(Int64.init) ?? 0
            let signatures = (request.headers[HTTPField.Name("webhook-signature")!] ?? "").split(separator: " ").map(String.init)
            let body = Array(bytes.readableBytesView)
            let valid = geheimen().contains { secret in
                signatures.contains("v1," + WebhookSignature.sign(id: id, timestamp: timestamp, body: body, secret: secret))
            }
            guard id.hasPrefix("msg_"), id.count < 100, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                return .badRequest
            }
            guard valid else { return .unauthorized }
            let record: [String: Any] = [
                "webhook-id": id, "webhook-timestamp": timestamp, "handtekening": "geldig",
                "body": (try? JSONSerialization.jsonObject(with: Data(body))) ?? [:],
            ]
            let data = try JSONSerialization.data(withJSONObject: record, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: folder.appendingPathComponent("\(id).json"), options: .atomic)
            return .noContent
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var quiet = logger
        quiet.logLevel = .critical
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "ddas-demo-webhooks"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: quiet)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await application.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await group.next()
                throw CancellationError()
            }
            do {
                let result = try await body(URL(string: "http://127.0.0.1:\(port)/webhooks")!)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}
