import Foundation
import RegieDomain

extension LeveringFailure {
    /// The failure for an HTTP status other than 200. An FSC error code the ``FscErrorTable``
    /// knows decides the class (with its domain); otherwise the status does, per DESIGN.md §5:
    /// 5xx and 429 are classes the lifecycle tries again; 400, 401 (after one token refresh),
    /// 403, 404, 405 and 422 are final ones.
    static func status(_ status: Int, page: Int, retryAfter: TimeInterval?, fscErrorCode: String?, fscDomain: FscError.Domain? = nil)
        -> LeveringFailure
    {
        let fsc = fscErrorCode.map { " (\($0))" } ?? ""
        if let fscErrorCode, let decision = FscErrorTable.decision(code: fscErrorCode, domain: fscDomain) {
            return LeveringFailure(
                decision.klasse, "\(decision.reden) — \(status)\(fsc) op pagina \(page)", retryAfter: retryAfter, httpStatus: status,
                fscErrorCode: fscErrorCode)
        }
        switch status {
        case 429:
            return LeveringFailure(
                .tooManyRequests, "the supplier asked to slow down (429) on page \(page)", retryAfter: retryAfter, httpStatus: status,
                fscErrorCode: fscErrorCode)
        case 500...599:
            return LeveringFailure(
                .serverError, "the supplier answered \(status)\(fsc) on page \(page)", retryAfter: retryAfter, httpStatus: status,
                fscErrorCode: fscErrorCode)
        case 401:
            return LeveringFailure(
                .unauthorized, "the supplier refused the credentials (401)\(fsc)", httpStatus: status, fscErrorCode: fscErrorCode)
        case 403:
            return LeveringFailure(
                .forbidden, "the supplier refused access (403)\(fsc): check the contract and grant", httpStatus: status,
                fscErrorCode: fscErrorCode)
        case 404:
            return LeveringFailure(
                .notFound, "the supplier service was not found (404)\(fsc)", httpStatus: status, fscErrorCode: fscErrorCode)
        case 422:
            return LeveringFailure(
                .unprocessable, "the supplier could not process the request (422): check the organisation name", httpStatus: status,
                fscErrorCode: fscErrorCode)
        default:
            return LeveringFailure(
                .rejected, "the supplier answered \(status)\(fsc) on page \(page)", httpStatus: status, fscErrorCode: fscErrorCode)
        }
    }
}
