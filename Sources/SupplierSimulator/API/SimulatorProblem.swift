import HTTPTypes
import Hummingbird
import NIOCore

/// The request context of the simulator: Hummingbird's core values and the connection, which
/// a stalled body watches so that it stops when the client hangs up.
public struct SimulatorRequestContext: RequestContext {
    /// Hummingbird's own values.
    public var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    let channel: any Channel

    /// The context of a request that came on `source.channel`.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Where in FSC an error arose: the `domain` of the spec's `FscError`.
public enum FscErrorDomain: String, Hashable, Sendable, Codable {
    /// The supplier's Inway (the service side): signature, unreachable service, unknown service.
    case inway = "ERROR_DOMAIN_INWAY"
    /// CBS's Outway (the client side): an unsupported method, an access token that has expired.
    case outway = "ERROR_DOMAIN_OUTWAY"
}

/// An error answer in `application/problem+json` (RFC 9457): `type`, `title`, `status`,
/// `detail`; FSC errors add `code` and `domain` (the spec's `FscError`) and the
/// `Fsc-Error-Code` header.
struct SimulatorProblem: HTTPResponseError {
    /// The HTTP status.
    let status: HTTPResponse.Status
    /// A stable code, the last part of `type`.
    let code: String
    /// A short summary, the same for every occurrence of the code.
    let title: String
    /// What happened; never a value from a payload.
    let detail: String
    /// `ERROR_CODE_...` for FSC errors.
    let fscErrorCode: String?
    /// The FSC domain of an FSC error.
    let fscErrorDomain: FscErrorDomain
    /// Extra headers (`Retry-After`, `WWW-Authenticate`).
    let headers: HTTPFields

    init(
        _ status: HTTPResponse.Status, code: String, title: String? = nil, detail: String, fscErrorCode: String? = nil,
        domain: FscErrorDomain = .inway, headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.fscErrorCode = fscErrorCode
        self.fscErrorDomain = domain
        self.headers = headers
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    /// The response.
    func response() -> Response {
        var writer = JSONByteWriter(capacity: 256)
        writer.append("{\"type\":")
        writer.writeString("urn:ddas-supplier-sim:problem:\(code)")
        writer.append(",\"title\":")
        writer.writeString(title)
        writer.append(",\"status\":")
        writer.writeInteger(Int(status.code))
        writer.append(",\"detail\":")
        writer.writeString(detail)
        if let fscErrorCode {
            writer.append(",\"code\":")
            writer.writeString(fscErrorCode)
            writer.append(",\"domain\":")
            writer.writeString(fscErrorDomain.rawValue)
        }
        writer.append("}")
        var fields = headers
        fields[.contentType] = "application/problem+json"
        if let fscErrorCode { fields[.fscErrorCode] = fscErrorCode }
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }

    /// 401 for a request without a usable bearer token.
    static func unauthorized(_ fscErrorCode: String, detail: String, domain: FscErrorDomain = .inway) -> SimulatorProblem {
        SimulatorProblem(
            .unauthorized, code: "unauthorized", detail: detail, fscErrorCode: fscErrorCode, domain: domain,
            headers: [.wwwAuthenticate: #"Bearer error="invalid_token""#])
    }

    /// 405 for a method other than POST on `/gegevens` (the spec calls it an Outway error).
    static let methodNotAllowed = SimulatorProblem(
        .methodNotAllowed, code: "method-not-allowed", detail: "Only POST is supported here.",
        fscErrorCode: "ERROR_CODE_METHOD_UNSUPPORTED", domain: .outway, headers: [.allow: "POST"])

    /// 400 naming every invalid part of the request.
    static func badRequest(_ reasons: [String]) -> SimulatorProblem {
        SimulatorProblem(.badRequest, code: "ongeldig-verzoek", title: "Ongeldig verzoek", detail: reasons.joined(separator: "; "))
    }

    /// 404 for a path the service does not have.
    static let serviceNotFound = SimulatorProblem(
        .notFound, code: "service-not-found", detail: "There is no service at this path.", fscErrorCode: "ERROR_CODE_SERVICE_NOT_FOUND")
}

extension HTTPField.Name {
    /// `Fsc-Error-Code`.
    static let fscErrorCode = HTTPField.Name("Fsc-Error-Code")!
    /// `Digest` (RFC 3230).
    static let digest = HTTPField.Name("Digest")!
    /// `nlgov-adr-payload-sig`.
    static let payloadSignature = HTTPField.Name("nlgov-adr-payload-sig")!
}
