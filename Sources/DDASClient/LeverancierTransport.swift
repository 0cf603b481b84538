import AsyncHTTPClient
import Crypto
import DDASSignature
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import RegieDomain

/// One supplier service's HTTP side: its own client (timeouts, no redirects, mTLS when
/// configured), OAuth2 tokens, `Fsc-Grant-Hash`, and the classification of every way a call
/// can fail. It knows nothing of pages; `LeverancierClient` does.
public final class LeverancierTransport: Sendable {
    /// A response as received: the status, the headers that matter, and for a 200 the body,
    /// streamed to a file as it arrived, with its SHA-256 and length.
    struct Response: Sendable {
        let status: Int
        /// Every `Digest` header value, as received (more than one makes the page invalid).
        let digests: [String]
        /// Every `nlgov-adr-payload-sig` header value, as received.
        let signatures: [String]
        let retryAfter: TimeInterval?
        /// The `Fsc-Error-Code` header, or else the code of an `FscError` body.
        let fscErrorCode: String?
        /// The `FscError` body of a refusal, when it had one.
        let fscError: FscError?
        /// The body of a 200, exactly as received (nil for any other status).
        let body: ReceivedBody?

        var digest: String? { digests.first }
        var signature: String? { signatures.first }
    }

    public let connection: LeverancierConnection
    let client: HTTPClient
    let tokens: OAuthTokens?

    /// A transport for `connection`; reads its client certificate now, so a bad one fails at start.
    public init(connection: LeverancierConnection, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
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

    /// `POST {base}/gegevens` with a signed body. A 401 is tried once more at once: with a
    /// new token of ours when we fetch them, or when the Outway says its FSC access token had
    /// expired (`ERROR_CODE_ACCESS_TOKEN_EXPIRED`: it renews the token itself).
    /// The body of a 200 goes to `file` as it arrives, never whole into memory.
    func postGegevens(body: [UInt8], digest: String, signature: String, page: Int, into file: URL) async throws(LeveringFailure)
        -> Response
    {
        var response = try await send(body: body, digest: digest, signature: signature, page: page, into: file)
        if response.status == 401 {
            let expired = response.fscErrorCode == FscErrorTable.accessTokenExpired
            if let tokens { await tokens.invalidate(connection) }
            if tokens != nil || expired {
                response = try await send(body: body, digest: digest, signature: signature, page: page, into: file)
                // Refused again: the next attempt starts with a new token, not this one.
                if response.status == 401, let tokens { await tokens.invalidate(connection) }
            }
        }
        return response
    }

    func send(body: [UInt8], digest: String, signature: String, page: Int, into file: URL) async throws(LeveringFailure) -> Response {
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
        // Cancelled while the token was fetched: the request is not sent.
        if Task.isCancelled { throw LeveringFailure(.cancelled, "the pull of page \(page) was cancelled") }
        do {
            response = try await client.execute(request, deadline: deadline)
        } catch {
            throw Self.classify(error, page: page, receivingBody: false)
        }
        let status = Int(response.status.code)
        let received: ReceivedBody?
        var fscError: FscError?
        do {
            if status == 200 {
                received = try await receive(response, page: page, into: file)
            } else {
                // A refusal's body is read (bounded) only for its FscError code and domain.
                let refusal = try await response.body.collect(upTo: Self.refusalBodyLimit)
                fscError = FscError.read(Array(buffer: refusal))
                received = nil
            }
        } catch let failure as LeveringFailure {
            throw failure
        } catch is NIOTooManyBytesError {
            received = nil
        } catch {
            throw Self.classify(error, page: page, receivingBody: true)
        }
        let headerCode = response.headers.first(name: "Fsc-Error-Code").map(Self.fscCode).flatMap { $0.isEmpty ? nil : $0 }
        return Response(
            status: status, digests: response.headers["Digest"], signatures: response.headers["nlgov-adr-payload-sig"],
            retryAfter: response.headers.first(name: "Retry-After").flatMap(Self.retryAfter),
            fscErrorCode: headerCode ?? fscError?.code, fscError: fscError, body: received)
    }

    /// Streams a page's body to `file` while hashing it (``ReceivedPayloadHasher``: the body's
    /// SHA-256 and, for a signature in the body reading, its signing input's); refuses it as
    /// soon as it is longer than `maxResponseBytes` (by its `Content-Length` before any byte is
    /// read), so a supplier or Outway can never push the process out of memory or fill the
    /// disk. Writing and hashing run on the file threads (``FileWork``), a slice of about
    /// `writeSlice` bytes at a time, never on the cooperative threads.
    func receive(_ response: HTTPClientResponse, page: Int, into file: URL) async throws -> ReceivedBody {
        let limit = connection.maxResponseBytes
        let tooLarge = LeveringFailure(.responseTooLarge, "page \(page) is larger than the configured \(limit >> 20) MB", httpStatus: 200)
        if let declared = response.headers.first(name: "Content-Length").flatMap(Int.init), declared > limit { throw tooLarge }
        let signatures = response.headers["nlgov-adr-payload-sig"]
        let writer = try await FileWork.run { try BodyFile(creating: file, signatureHeaders: signatures) }
        do {
            var pending: [ByteBuffer] = []
            var pendingBytes = 0
            var length = 0
            for try await chunk in response.body {
                length += chunk.readableBytes
                guard length <= limit else { throw tooLarge }
                pending.append(chunk)
                pendingBytes += chunk.readableBytes
                if pendingBytes >= Self.writeSlice {
                    let slice = pending
                    pending.removeAll(keepingCapacity: true)
                    pendingBytes = 0
                    try await FileWork.run { try writer.write(slice) }
                }
            }
            try Task.checkCancellation()
            let rest = pending
            let payload = try await FileWork.run {
                try writer.write(rest)
                return try writer.finish()
            }
            return ReceivedBody(file: file, payload: payload)
        } catch {
            await FileWork.run { () -> Void in writer.abandon() }
            throw error
        }
    }

    /// The bytes gathered before they are written and hashed on the file threads.
    static let writeSlice = 1 << 20

    /// A transport error as a failure class: timeouts, a body cut short, or the network.
    static func classify(_ error: any Error, page: Int, receivingBody: Bool) -> LeveringFailure {
        if let error = error as? HTTPClientError {
            switch error {
            case .readTimeout, .deadlineExceeded, .connectTimeout:
                return LeveringFailure(.timeout, "the supplier did not answer page \(page) in time")
            default: break
            }
        }
        if error is CancellationError {
            return LeveringFailure(.cancelled, "the pull of page \(page) was cancelled")
        }
        if receivingBody {
            return LeveringFailure(.brokenPage, "page \(page) arrived incomplete")
        }
        return LeveringFailure(.network, "the supplier could not be reached for page \(page)")
    }

    /// The most of a refusal's body that is read (for its `FscError`).
    static let refusalBodyLimit = 64 << 10

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

/// A page's body as received: in a file, with its hashes and length.
struct ReceivedBody: Sendable {
    let file: URL
    /// The hashes taken as it arrived.
    let payload: ReceivedPayload

    var sha256: [UInt8] { payload.sha256 }
    var count: Int { payload.count }

    /// The bytes, read on the file threads into one buffer of exactly their length: only once
    /// the caller holds room for them (``PageMemory``).
    func bytes() async throws -> [UInt8] {
        let (file, count) = (file, count)
        return try await FileWork.run { try FileWork.read(file, count: count) }
    }
}

/// A file written as a body arrives, hashed as it is written: created for its owner only (it
/// holds personal data), synced to disk once when finished, removed when abandoned. Used by
/// one task at a time, on the file threads.
final class BodyFile: @unchecked Sendable {
    let url: URL
    let handle: FileHandle
    private var hasher: ReceivedPayloadHasher

    init(creating url: URL, signatureHeaders: [String]) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw LeveringFailure(.staging, "a received page could not be kept on disk")
        }
        self.url = url
        self.handle = try FileHandle(forWritingTo: url)
        self.hasher = ReceivedPayloadHasher(signatureHeaders: signatureHeaders)
    }

    func write(_ buffers: [ByteBuffer]) throws {
        for buffer in buffers {
            try buffer.withUnsafeReadableBytes {
                hasher.update($0)
                try handle.write(contentsOf: $0)
            }
        }
    }

    /// Syncs and closes the file; the hashes of what was written.
    func finish() throws -> ReceivedPayload {
        try handle.synchronize()
        try handle.close()
        return hasher.finish()
    }

    func abandon() {
        try? handle.close()
        try? FileManager.default.removeItem(at: url)
    }
}
