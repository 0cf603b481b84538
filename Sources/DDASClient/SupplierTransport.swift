import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// One supplier service's HTTP side: its own client (timeouts, no redirects, mTLS when
/// configured), OAuth2 tokens, `Fsc-Grant-Hash`, and the classification of every way a call
/// can fail. It knows nothing of pages; `SupplierClient` does.
public final class SupplierTransport: Sendable {
    /// A response as received: the status, the headers that matter, the exact body bytes.
    struct Response: Sendable {
        let status: Int
        let digest: String?
        let signature: String?
        let retryAfter: TimeInterval?
        let fscErrorCode: String?
        let body: [UInt8]
    }

    public let connection: SupplierConnection
    let client: HTTPClient
    let tokens: OAuthTokens?

    /// A transport for `connection`; reads its client certificate now, so a bad one fails at start.
    public init(connection: SupplierConnection, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: .seconds(connection.timeouts.connect.components.seconds),
                read: .seconds(connection.timeouts.read.components.seconds)))
        configuration.httpVersion = .http1Only
        if let certificate = connection.clientCertificate {
            var tls = TLSConfiguration.makeClientConfiguration()
            do {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate.chain).map { .certificate($0) }
                let key = try certificate.key.resolve(environment: environment)
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(key.utf8), format: .pem))
            } catch {
                throw ExchangeConfigurationError.invalid(setting: "\(connection.name) client_certificate", reason: "cannot be loaded")
            }
            configuration.tlsConfiguration = tls
        }
        self.connection = connection
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.tokens = connection.oauth == nil ? nil : OAuthTokens(client: client, environment: environment)
    }

    /// Closes the client's connections.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// `POST {base}/gegevens` with a signed body; on a 401 the token is fetched again once.
    func postGegevens(body: [UInt8], digest: String, signature: String, page: Int) async throws(ExchangeFailure) -> Response {
        var response = try await send(body: body, digest: digest, signature: signature, page: page)
        if response.status == 401, let tokens {
            await tokens.invalidate(connection)
            response = try await send(body: body, digest: digest, signature: signature, page: page)
        }
        return response
    }

    func send(body: [UInt8], digest: String, signature: String, page: Int) async throws(ExchangeFailure) -> Response {
        let base = connection.baseURL.absoluteString
        var request = HTTPClientRequest(url: (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/gegevens")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Digest", value: digest)
        request.headers.add(name: "nlgov-adr-payload-sig", value: signature)
        if let grant = connection.fscGrantHash { request.headers.add(name: "Fsc-Grant-Hash", value: grant) }
        if let tokens, let credentials = connection.oauth {
            let token = try await tokens.token(for: connection, credentials: credentials)
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let deadline = NIODeadline.now() + .seconds(connection.timeouts.total.components.seconds)
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, deadline: deadline)
        } catch {
            throw Self.classify(error, page: page, receivingBody: false)
        }
        let status = Int(response.status.code)
        let collected: ByteBuffer
        do {
            collected = try await response.body.collect(upTo: status == 200 ? connection.maxResponseBytes : 1 << 20)
        } catch is NIOTooManyBytesError {
            throw ExchangeFailure(
                "responseTooLarge", retryable: false, "page \(page) is larger than the configured \(connection.maxResponseBytes >> 20) MB",
                httpStatus: status)
        } catch {
            throw Self.classify(error, page: page, receivingBody: true)
        }
        return Response(
            status: status, digest: response.headers.first(name: "Digest"),
            signature: response.headers.first(name: "nlgov-adr-payload-sig"),
            retryAfter: response.headers.first(name: "Retry-After").flatMap(Self.retryAfter),
            fscErrorCode: response.headers.first(name: "Fsc-Error-Code").map(Self.fscCode),
            body: Array(buffer: collected))
    }

    /// A transport error as a failure class: timeouts, a body cut short, or the network.
    static func classify(_ error: any Error, page: Int, receivingBody: Bool) -> ExchangeFailure {
        if let error = error as? HTTPClientError {
            switch error {
            case .readTimeout, .deadlineExceeded, .connectTimeout:
                return ExchangeFailure("timeout", retryable: true, "the supplier did not answer page \(page) in time")
            default: break
            }
        }
        if error is CancellationError {
            return ExchangeFailure("cancelled", retryable: true, "the pull of page \(page) was cancelled")
        }
        if receivingBody {
            return ExchangeFailure("brokenPage", retryable: true, "page \(page) arrived incomplete")
        }
        return ExchangeFailure("network", retryable: true, "the supplier could not be reached for page \(page)")
    }

    /// `Retry-After` in seconds or as an HTTP date.
    static func retryAfter(_ value: String) -> TimeInterval? {
        if let seconds = TimeInterval(value.trimmingCharacters(in: .whitespaces)), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
    }

    /// An `Fsc-Error-Code` as recorded: the code's own characters only, at most 64.
    static func fscCode(_ value: String) -> String {
        String(value.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "_" }.prefix(64).map(Character.init))
    }
}
