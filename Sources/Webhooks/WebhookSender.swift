import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends webhooks as Standard Webhooks describes them: a JSON body POSTed with `webhook-id`,
/// `webhook-timestamp` and `webhook-signature`; any 2xx is acceptance. Redirects are not followed
/// (a redirect could carry a signed body elsewhere); only https, except to loopback.
public struct WebhookSender: Sendable {
    private let client: HTTPClient
    private let timeout: TimeAmount

    /// A sender on `client` (configure it without redirects; see ``makeClient()``), each request
    /// given at most `timeout`.
    public init(client: HTTPClient, timeout: TimeAmount = .seconds(15)) {
        self.client = client
        self.timeout = timeout
    }

    /// An HTTP client that follows no redirects, for ``init(client:timeout:)``; shut it down when done.
    public static func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(15))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Whether webhooks may go to `url`: https, or http to a loopback address; no user or password in it.
    public static func isAllowed(_ url: URL) -> Bool {
        guard let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(), url.user == nil,
            url.password == nil
        else { return false }
        if scheme == "https" { return true }
        let loopback = host == "localhost" || host == "::1" || host.hasPrefix("127.")
        return scheme == "http" && loopback
    }

    /// POSTs `body` to `url`, signed with `secrets`, as message `id` made at `timestamp` (seconds
    /// since 1970; the same id and body every time the same message is sent again).
    /// - Throws: ``WebhookFailure``.
    public func send(
        to url: URL, id: String, timestamp: Int64, body: [UInt8], secrets: [WebhookSecret]
    ) async throws(WebhookFailure) {
        guard Self.isAllowed(url) else {
            throw WebhookFailure(.configuration, "webhooks go to https addresses only (http only to this machine)")
        }
        guard !secrets.isEmpty else { throw WebhookFailure(.configuration, "the endpoint has no secret") }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "webhook-id", value: id)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(
            name: "webhook-signature", value: WebhookSignature.header(id: id, timestamp: timestamp, body: body, secrets: secrets))
        request.headers.add(name: "user-agent", value: "ddas-regie")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            throw WebhookFailure(.connection, "the endpoint could not be reached: \(type(of: error))")
        }
        // The answer's body is not needed; read at most a little of it so the connection can be reused.
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(Int(response.status.code)) else { throw WebhookFailure.status(Int(response.status.code)) }
    }
}
