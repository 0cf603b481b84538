import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RegieStore

/// `Idempotency-Key` on POST and PUT: the first answer to a request is remembered per
/// token and key, and a repeat of the same request gets that answer again (with
/// `Idempotency-Replayed: true`) and changes nothing. The same key with another request is
/// 422; a repeat while the first is still running is 409. Answers of 5xx are not kept, so
/// a retry runs again. An answer with a secret is never kept (creating a token, and every
/// answer its handler marks with ``secretField``: a webhook's secret): the secret is shown
/// once, so a repeat is told to look at the object instead.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = RegieRequestContext

    let store: IdempotencyStore
    static let keyField = HTTPField.Name("Idempotency-Key")!
    static let replayedField = HTTPField.Name("Idempotency-Replayed")!
    /// Set by a handler on an answer that holds a secret shown once; never sent.
    static let secretField = HTTPField.Name("X-Ddas-Secret-Once")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post || request.method == .put, let key = request.headers[Self.keyField],
            let principal = context.principal
        else { return Self.unmarked(try await next(request, context)) }
        guard (1...200).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw Problem(
                .badRequest, code: "invalid-idempotency-key", title: "Invalid Idempotency-Key",
                detail: "An Idempotency-Key is 1 to 200 visible ASCII characters.",
                invalidParams: [.init(name: "Idempotency-Key", reason: "is invalid")])
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        hasher.update(data: Data(buffer: body))
        let digest = Data(hasher.finalize())
        let keepsBody = !request.uri.path.hasPrefix("/v1/tokens")
        switch try await store.begin(tokenID: principal.tokenID, key: key, requestDigest: digest) {
        case .mismatch:
            throw Problem(
                .unprocessableContent, code: "idempotency-key-reused", title: "Unprocessable Content",
                detail: "This Idempotency-Key was used for another request.")
        case .inProgress:
            throw Problem(
                .conflict, code: "idempotency-key-in-progress", title: "Conflict",
                detail: "A request with this Idempotency-Key is still running.")
        case .replay(let answer):
            // An answer kept without its body held a secret.
            return Self.response(answer, keepsBody: answer.body != nil)
        case .claimed:
            var replayable = request
            replayable.body = RequestBody(buffer: body)
            let response: Response
            do {
                response = try await next(replayable, context)
            } catch {
                let problem = Problem.from(error)
                if problem.status.code >= 500 {
                    try? await store.release(tokenID: principal.tokenID, key: key)
                } else {
                    let (answer, _) = try await Self.capture(problem.response(requestID: context.requestID), keepsBody: true)
                    try await store.finish(tokenID: principal.tokenID, key: key, answer: answer)
                }
                throw error
            }
            guard response.status.code < 500 else {
                try? await store.release(tokenID: principal.tokenID, key: key)
                return Self.unmarked(response)
            }
            let holdsSecret = response.headers[Self.secretField] != nil
            let (answer, replay) = try await Self.capture(Self.unmarked(response), keepsBody: keepsBody && !holdsSecret)
            try await store.finish(tokenID: principal.tokenID, key: key, answer: answer)
            return replay
        }
    }

    /// `response` without the mark of ``secretField``.
    static func unmarked(_ response: Response) -> Response {
        var response = response
        response.headers[secretField] = nil
        return response
    }

    /// Reads a response's body so it can be both stored and sent.
    static func capture(_ response: Response, keepsBody: Bool) async throws -> (IdempotencyStore.Answer, Response) {
        let collector = Collector()
        try await response.body.write(collector)
        var replay = response
        replay.body = ResponseBody(byteBuffer: collector.buffer)
        return answer(replay, body: keepsBody ? Data(buffer: collector.buffer) : nil)
    }

    static func answer(_ response: Response, body: Data?) -> (IdempotencyStore.Answer, Response) {
        var headers: [String: String] = [:]
        for name in [HTTPField.Name.contentType, .location, .eTag] {
            if let value = response.headers[name] { headers[name.rawName] = value }
        }
        return (IdempotencyStore.Answer(status: Int(response.status.code), body: body, headers: headers), response)
    }

    static func response(_ answer: IdempotencyStore.Answer, keepsBody: Bool) -> Response {
        guard keepsBody || answer.status >= 400 else {
            var refusal = Problem(
                .conflict, code: "idempotent-replay-without-secret", title: "Conflict",
                detail: "The first request with this Idempotency-Key was answered with a secret, which is shown only once.",
                headers: answer.headers["Location"].map { ["Location": $0] } ?? [:]
            ).response(requestID: UUID().uuidString.lowercased())
            refusal.headers[replayedField] = "true"
            return refusal
        }
        var response = Response(
            status: HTTPResponse.Status(code: answer.status), body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body ?? Data())))
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { response.headers[field] = value }
        }
        response.headers[replayedField] = "true"
        return response
    }

    final class Collector: ResponseBodyWriter {
        var buffer = ByteBuffer()
        func write(_ buffer: ByteBuffer) async throws {
            var copy = buffer
            self.buffer.writeBuffer(&copy)
        }
        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
