import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A real HTTP client for the scenarios, over loopback; every answer is kept for the privacy scan.
enum HTTP {
    /// One answer.
    struct Answer: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        var contentType: String { headers.first(name: "content-type") ?? "" }
        var isProblem: Bool { contentType.hasPrefix("application/problem+json") }
        /// The JSON object of the body, if it is one.
        var object: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
    }

    /// Sends a request and collects the whole answer (at most 64 MB).
    static func send(
        _ method: HTTPMethod, _ url: String, token: String? = nil, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeout: TimeAmount = .seconds(30)
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
                request.headers.add(name: "Content-Type", value: "application/json")
            }
        }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let collected = try await response.body.collect(upTo: 64 << 20)
        let answer = Answer(status: Int(response.status.code), headers: response.headers, body: Array(buffer: collected))
        await ServiceRig.responses.add(answer.text)
        return answer
    }

    static func get(_ url: String, token: String? = nil, headers: [(String, String)] = []) async throws -> Answer {
        try await send(.GET, url, token: token, headers: headers)
    }

    /// A JSON body from a dictionary.
    static func json(_ object: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }
}

extension HTTP {
    /// Polls `/health/ready` until it answers 200 (or 60 seconds pass, or the process exits).
    static func waitUntilReady(_ service: ServiceRig.Service) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline && !service.process.hasExited {
            if let answer = try? await get("\(service.base)/health/ready"), answer.status == 200 { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
