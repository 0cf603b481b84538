import Foundation

/// Why a pull of a delivery failed, as far as retrying goes. The message is for the report:
/// it names pages, counts, statuses and codes, never data from a page.
public struct ExchangeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable class, as the delivery report shows it.
    public let errorClass: String
    /// Whether a later attempt may succeed.
    public let isRetryable: Bool
    public let message: String
    /// The supplier's `Retry-After`, in seconds.
    public let retryAfter: TimeInterval?
    public let httpStatus: Int?
    /// The `Fsc-Error-Code` an Outway or Inway answered with.
    public let fscErrorCode: String?
    /// A finer stable code within the class, when there is one: the `SignatureFailure` code
    /// of a `signature` failure (`signer_mismatch`, `certificate_revoked`, ...).
    public let code: String?

    public init(
        _ errorClass: String, retryable: Bool, _ message: String, retryAfter: TimeInterval? = nil, httpStatus: Int? = nil,
        fscErrorCode: String? = nil, code: String? = nil
    ) {
        self.errorClass = errorClass
        self.isRetryable = retryable
        self.message = message
        self.retryAfter = retryAfter
        self.httpStatus = httpStatus
        self.fscErrorCode = fscErrorCode
        self.code = code
    }

    public var description: String { "\(errorClass): \(message)" }

    /// The failure for an HTTP status other than 200. An FSC error code the ``FscErrorTable``
    /// knows decides (with its domain); otherwise the status does, per DESIGN.md §5: 5xx and
    /// 429 are tried again; 400, 401 (after one token refresh), 403, 404, 405 and 422 are final.
    static func status(_ status: Int, page: Int, retryAfter: TimeInterval?, fscErrorCode: String?, fscDomain: FscError.Domain? = nil)
        -> ExchangeFailure
    {
        let fsc = fscErrorCode.map { " (\($0))" } ?? ""
        if let fscErrorCode, let decision = FscErrorTable.decision(code: fscErrorCode, domain: fscDomain) {
            return ExchangeFailure(
                decision.errorClass, retryable: decision.isRetryable, "\(decision.reden) — \(status)\(fsc) op pagina \(page)",
                retryAfter: retryAfter, httpStatus: status, fscErrorCode: fscErrorCode)
        }
        switch status {
        case 429:
            return ExchangeFailure(
                "tooManyRequests", retryable: true, "the supplier asked to slow down (429) on page \(page)", retryAfter: retryAfter,
                httpStatus: status, fscErrorCode: fscErrorCode)
        case 500...599:
            return ExchangeFailure(
                "serverError", retryable: true, "the supplier answered \(status)\(fsc) on page \(page)", retryAfter: retryAfter,
                httpStatus: status, fscErrorCode: fscErrorCode)
        case 401:
            return ExchangeFailure(
                "unauthorized", retryable: false, "the supplier refused the credentials (401)\(fsc)", httpStatus: status,
                fscErrorCode: fscErrorCode)
        case 403:
            return ExchangeFailure(
                "forbidden", retryable: false, "the supplier refused access (403)\(fsc): check the contract and grant", httpStatus: status,
                fscErrorCode: fscErrorCode)
        case 404:
            return ExchangeFailure(
                "notFound", retryable: false, "the supplier service was not found (404)\(fsc)", httpStatus: status,
                fscErrorCode: fscErrorCode)
        case 422:
            return ExchangeFailure(
                "unprocessable", retryable: false, "the supplier could not process the request (422): check the organisation name",
                httpStatus: status, fscErrorCode: fscErrorCode)
        default:
            return ExchangeFailure(
                "rejected", retryable: false, "the supplier answered \(status)\(fsc) on page \(page)", httpStatus: status,
                fscErrorCode: fscErrorCode)
        }
    }
}
