import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The NL API Design Rules conventions every response follows, in one place:
///
/// - a request id (a valid incoming `X-Request-Id` is kept, else a new UUID) in the
///   response, in every log line of the request, and in a problem's `instance`;
/// - a trailing slash is a 404, never a redirect;
/// - every error becomes `application/problem+json` (`Problem.from`); 5xx are logged with
///   their cause, which the client does not see;
/// - `API-Version`, `Cache-Control: no-store` and the security headers on every response;
/// - an access log line: method, path (no query string), status, duration.
struct APIConventionsMiddleware: RouterMiddleware {
    typealias Context = RegieRequestContext

    /// The version of the API, sent in `API-Version`.
    static let apiVersion = "1.0.0"

    static let securityHeaders: [(HTTPField.Name, String)] = [
        (.cacheControl, "no-store"),
        (HTTPField.Name("X-Content-Type-Options")!, "nosniff"),
        (HTTPField.Name("X-Frame-Options")!, "DENY"),
        (HTTPField.Name("Content-Security-Policy")!, "default-src 'none'; frame-ancestors 'none'"),
        (HTTPField.Name("Referrer-Policy")!, "no-referrer"),
        (HTTPField.Name("Strict-Transport-Security")!, "max-age=31536000"),
        (HTTPField.Name("Cross-Origin-Resource-Policy")!, "same-origin"),
    ]
    static let apiVersionField = HTTPField.Name("API-Version")!
    static let requestIDField = HTTPField.Name("X-Request-Id")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        context.requestID = Self.requestID(from: request)
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        let path = request.uri.path

        var response: Response
        if path.count > 1 && path.hasSuffix("/") {
            response = Problem.notFound.response(requestID: context.requestID)
        } else {
            do {
                response = try await next(request, context)
            } catch {
                let problem = Problem.from(error)
                if problem.status.code >= 500 {
                    context.logger.error("request failed", metadata: ["error": "\(error)"])
                }
                response = problem.response(requestID: context.requestID)
            }
        }
        response.headers[Self.apiVersionField] = Self.apiVersion
        response.headers[Self.requestIDField] = context.requestID
        for (name, value) in Self.securityHeaders where response.headers[name] == nil {
            response.headers[name] = value
        }
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue), "path": .string(path),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .string(String(format: "%.1f", milliseconds)),
            ])
        return response
    }

    /// The client's `X-Request-Id` when it is a UUID (so a scheduler can correlate its
    /// calls with our logs), else a new UUID.
    static func requestID(from request: Request) -> String {
        if let given = request.headers[requestIDField], let uuid = UUID(uuidString: given) {
            return uuid.uuidString.lowercased()
        }
        return UUID().uuidString.lowercased()
    }
}
