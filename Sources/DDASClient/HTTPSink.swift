import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Hands pages to the CBS intake over HTTP: `PUT {url}/leveringen/{id}/paginas/{n}` with the
/// body as received and its `Digest` and signature headers (staging), then, once the
/// hand-over is recorded, `PUT .../manifest` (the commit); `DELETE .../leveringen/{id}`
/// discards a staged delivery that will not be committed. Keyed
/// by delivery and page, so repeating it is idempotent; a 5xx, 429 or network error is tried
/// again a few times with backoff before the hand-over fails (and the delivery is retried).
public struct HTTPSink: CBSSink {
    public let url: URL
    let token: String?
    let client: HTTPClient
    let attempts: Int
    let timeout: Duration

    /// A sink for the intake at `url`; `token` is sent as a bearer token.
    public init(url: URL, token: String?, client: HTTPClient, attempts: Int = 3, timeout: Duration = .seconds(120)) {
        self.url = url
        self.token = token
        self.client = client
        self.attempts = max(1, attempts)
        self.timeout = timeout
    }

    /// `PUT .../paginas/{n}` for every page, each read on the file threads.
    public func stage(_ manifest: LeveringManifest, pages: [StagedPage]) async throws {
        let delivery = address(of: manifest.leveringID)
        for page in pages {
            let (file, count) = (page.file, page.bytes)
            guard let body = try? await FileWork.run({ ByteBuffer(bytes: try FileWork.read(file, count: count)) }) else {
                throw SinkError.io("read a staged page", ENOENT)
            }
            try await put(
                "\(delivery)/paginas/\(page.number)", body: body,
                headers: [
                    ("Content-Type", "application/json"), ("Digest", page.digestHeader), ("nlgov-adr-payload-sig", page.signatureHeader),
                ])
        }
    }

    /// `PUT .../manifest`: the delivery is complete.
    public func commit(levering: UUID, manifest: Data) async throws {
        try await put(
            "\(address(of: levering))/manifest", body: ByteBuffer(bytes: manifest), headers: [("Content-Type", "application/json")])
    }

    /// `DELETE .../leveringen/{id}` once; an intake that keeps incomplete deliveries until
    /// it expires them may refuse it, which changes nothing: without a manifest CBS counts none.
    public func discard(levering: UUID) async {
        var request = HTTPClientRequest(url: address(of: levering))
        request.method = .DELETE
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let response = try? await client.execute(request, timeout: .seconds(timeout.components.seconds)) {
            _ = try? await response.body.collect(upTo: 1 << 20)
        }
    }

    func address(of levering: UUID) -> String {
        let base = url.absoluteString.hasSuffix("/") ? String(url.absoluteString.dropLast()) : url.absoluteString
        return "\(base)/leveringen/\(levering.uuidString.lowercased())"
    }

    func put(_ address: String, body: ByteBuffer, headers: [(String, String)]) async throws {
        var lastError: SinkError = .unreachable("no attempt made")
        for attempt in 1...attempts {
            var request = HTTPClientRequest(url: address)
            request.method = .PUT
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            request.body = .bytes(body)
            do {
                let response = try await client.execute(request, timeout: .seconds(timeout.components.seconds))
                _ = try await response.body.collect(upTo: 1 << 20)
                if (200..<300).contains(Int(response.status.code)) { return }
                lastError = .intake(status: Int(response.status.code))
                guard response.status.code >= 500 || response.status.code == 429 else { throw lastError }
            } catch let error as SinkError {
                throw error
            } catch {
                lastError = .unreachable(String(describing: type(of: error)))
            }
            if attempt < attempts { try await Task.sleep(for: .milliseconds(200 * (1 << attempt))) }
        }
        throw lastError
    }
}
