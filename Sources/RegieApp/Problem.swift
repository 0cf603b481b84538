import Foundation
import HTTPTypes
import Hummingbird
import Postgres
import RegieStore

/// An error answer in `application/problem+json` (RFC 9457).
///
/// Every 4xx and 5xx of the API is one of these; the conventions middleware turns any
/// other error into one (`Problem.from(_:)`), so a client never sees SQL, a stack trace
/// or a value it did not send.
public struct Problem: Error, Sendable, Equatable {
    /// One invalid input, for 400 answers that list every error at once.
    public struct InvalidParam: Sendable, Equatable, Codable {
        /// The parameter or body field, e.g. `provincie` or `gemeentecode`.
        public let name: String
        /// What is wrong with it, in words a client developer understands.
        public let reason: String

        public init(name: String, reason: String) {
            self.name = name
            self.reason = reason
        }
    }

    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// A stable machine-readable code, e.g. `invalid-gemeentecode`.
    public let code: String
    /// A short summary that is the same for every occurrence of the code.
    public let title: String
    /// What happened this time.
    public let detail: String?
    /// Invalid inputs, for validation problems.
    public let invalidParams: [InvalidParam]
    /// Extra response headers (`Allow` on 405, `Retry-After` on 503).
    public let headers: [String: String]

    /// A problem; `title` defaults to the status's reason phrase.
    public init(
        _ status: HTTPResponse.Status, code: String, title: String? = nil, detail: String? = nil,
        invalidParams: [InvalidParam] = [], headers: [String: String] = [:]
    ) {
        self.status = status
        self.code = code
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.invalidParams = invalidParams
        self.headers = headers
    }

    /// `type`: a URN naming the code, so clients can switch on it.
    public var type: String { "urn:ddas-regie:problem:\(code)" }

    static let notFound = Problem(.notFound, code: "not-found", title: "Not Found", detail: "There is no resource at this path.")

    /// Any error as a problem; what is not a known kind becomes a generic 500.
    static func from(_ error: any Error) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as OnboardingError:
            return from(error)
        case let error as HTTPError where error.status == .notFound:
            return notFound
        case let error as HTTPError:
            return Problem(error.status, code: code(for: error.status), detail: error.body)
        case let error as PostgresError where error.isConnectionLost || error.kind == .connectionFailed || error.kind == .poolTimeout:
            return Problem(
                .serviceUnavailable, code: "database-unavailable", title: "Service Unavailable",
                detail: "The database cannot be reached. Try again shortly.", headers: ["Retry-After": "5"])
        case let error as PostgresError where error.isDeadlock || error.isSerializationFailure || error.isLockTimeout:
            // Work that raced with other work and was rolled back whole: nothing changed, asking again succeeds.
            return Problem(
                .serviceUnavailable, code: "try-again", title: "Service Unavailable",
                detail: "The change met a concurrent change and was not made. Try again.", headers: ["Retry-After": "1"])
        default:
            return Problem(
                .internalServerError, code: "internal-error",
                detail: "An unexpected error occurred; it has been logged under this request's id.")
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "bad-request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not-found"
        case 405: "method-not-allowed"
        case 409: "conflict"
        case 413: "content-too-large"
        case 415: "unsupported-media-type"
        case 422: "unprocessable-content"
        case 429: "too-many-requests"
        case 503: "service-unavailable"
        default: status.code >= 500 ? "internal-error" : "client-error"
        }
    }

    struct Body: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String?
        let instance: String
        let code: String
        let invalidParams: [InvalidParam]?

        enum CodingKeys: String, CodingKey {
            case type, title, status, detail, instance, code
            case invalidParams = "invalid-params"
        }
    }

    /// The response, with `instance` naming this request.
    func response(requestID: String) -> Response {
        let body = Body(
            type: type, title: title, status: Int(status.code), detail: detail, instance: "urn:uuid:\(requestID)",
            code: code, invalidParams: invalidParams.isEmpty ? nil : invalidParams)
        var response = JSONBody.response(body, status: status, contentType: "application/problem+json")
        for (name, value) in headers {
            if let field = HTTPField.Name(name) { response.headers[field] = value }
        }
        return response
    }
}
