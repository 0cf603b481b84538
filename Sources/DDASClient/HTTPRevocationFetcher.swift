import AsyncHTTPClient
import DDASSignature
import Foundation
import NIOCore

/// Fetches OCSP answers and CRLs over HTTP for `RevocationChecker`: no redirects, a connect and
/// a total timeout, a cap on the answer's size, and the content types of RFC 6960 and RFC 5280
/// (`application/ocsp-request` out, `application/ocsp-response` and `application/pkix-crl` in).
/// OCSP and CRL URLs are plain `http` by design (the answers are signed); `https` works too.
public final class HTTPRevocationFetcher: RevocationFetching {
    /// Why a fetch gave nothing usable; the checker only reports it.
    public enum FetchError: Error, Hashable, Sendable, CustomStringConvertible {
        /// Not reached, or no complete answer in time.
        case unreachable
        /// An HTTP status other than 200.
        case status(Int)
        /// A content type other than the one expected.
        case contentType(String)
        /// Longer than `maxBytes`.
        case tooLarge

        public var description: String {
            switch self {
            case .unreachable: "unreachable or timed out"
            case .status(let code): "HTTP status \(code)"
            case .contentType(let type): "content type \(type)"
            case .tooLarge: "answer too large"
            }
        }
    }

    private let client: HTTPClient
    private let timeout: TimeAmount
    /// The largest answer accepted, in bytes (default 4 MiB; CRLs of large CAs run to megabytes).
    public let maxBytes: Int

    /// A fetcher with its own HTTP client; call `shutdown()` when done.
    /// - Parameters:
    ///   - connectTimeout: how long to wait for a connection.
    ///   - timeout: how long a whole fetch may take.
    ///   - maxBytes: the largest answer accepted.
    public init(connectTimeout: Duration = .seconds(5), timeout: Duration = .seconds(10), maxBytes: Int = 4 << 20) {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: .nanoseconds(Int64(connectTimeout / .nanoseconds(1))), read: .nanoseconds(Int64(timeout / .nanoseconds(1)))))
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.timeout = .nanoseconds(Int64(timeout / .nanoseconds(1)))
        self.maxBytes = maxBytes
    }

    /// Closes the client's connections.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// Closes the client's connections, blocking: for a start that fails before anything runs.
    public func syncShutdown() throws {
        try client.syncShutdown()
    }

    public func postOCSPRequest(_ request: [UInt8], to url: String) async throws -> [UInt8] {
        var http = HTTPClientRequest(url: url)
        http.method = .POST
        http.headers.add(name: "Content-Type", value: "application/ocsp-request")
        http.headers.add(name: "Accept", value: "application/ocsp-response")
        http.body = .bytes(ByteBuffer(bytes: request))
        return try await fetch(http, accepting: ["application/ocsp-response"])
    }

    public func fetchCRL(from url: String) async throws -> [UInt8] {
        var http = HTTPClientRequest(url: url)
        http.method = .GET
        http.headers.add(name: "Accept", value: "application/pkix-crl")
        // Some CAs serve their CRLs as octet streams or PEM text; the bytes are checked as a CRL anyway.
        return try await fetch(
            http, accepting: ["application/pkix-crl", "application/x-pkcs7-crl", "application/octet-stream", "application/x-pem-file"])
    }

    private func fetch(_ request: HTTPClientRequest, accepting types: Set<String>) async throws -> [UInt8] {
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, deadline: .now() + timeout)
        } catch {
            throw FetchError.unreachable
        }
        guard response.status.code == 200 else {
            _ = try? await response.body.collect(upTo: 64 * 1024)
            throw FetchError.status(Int(response.status.code))
        }
        let type =
            response.headers.first(name: "Content-Type")?.split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            } ?? ""
        guard types.contains(type) else {
            _ = try? await response.body.collect(upTo: 64 * 1024)
            throw FetchError.contentType(type)
        }
        if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maxBytes {
            throw FetchError.tooLarge
        }
        do {
            let body = try await response.body.collect(upTo: maxBytes)
            return Array(buffer: body)
        } catch is NIOTooManyBytesError {
            throw FetchError.tooLarge
        } catch {
            throw FetchError.unreachable
        }
    }
}
