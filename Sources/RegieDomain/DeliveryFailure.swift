import Foundation

/// Why one attempt of a delivery failed, in classes that decide whether to try again. The
/// reason names no gemeente data and no personal data: it goes into the report, logs and
/// audit events.
public enum DeliveryFailure: Hashable, Sendable, CustomStringConvertible {
    /// The supplier could not be reached (DNS, connection refused or reset, TLS).
    case network
    /// The supplier did not answer in time.
    case timeout
    /// The supplier answered with a 5xx status.
    case serverError(status: Int)
    /// The supplier answered 429, optionally with a `Retry-After` in seconds.
    case tooManyRequests(retryAfter: TimeInterval?)
    /// A page was cut short or not the page asked for; asking again may help.
    case brokenPage
    /// The worker running the attempt stopped reporting and its lease ran out.
    case leaseExpired
    /// 401: the credentials were refused.
    case unauthorized
    /// 403: no grant or contract for this call.
    case forbidden
    /// 404: the service or the period is not there.
    case notFound
    /// 422: the supplier refused the request.
    case unprocessable
    /// The `Digest`, JAdES signature or certificate chain did not check out.
    case badSignature
    /// The response was not JSON of the expected schema version.
    case badPayload
    /// The response holds data of a gemeente the pull did not ask for.
    case otherGemeenteData
    /// The data failed the validation checks.
    case validationFailed
    /// The gemeente's consent was withdrawn while the delivery was queued or running.
    case consentWithdrawn
    /// The delivery was cancelled.
    case cancelled

    /// Whether another attempt may succeed without anyone changing anything.
    public var isRetryable: Bool {
        switch self {
        case .network, .timeout, .serverError, .tooManyRequests, .brokenPage, .leaseExpired: true
        case .unauthorized, .forbidden, .notFound, .unprocessable, .badSignature, .badPayload, .otherGemeenteData,
            .validationFailed, .consentWithdrawn, .cancelled:
            false
        }
    }

    /// The `Retry-After` the supplier asked for, in seconds.
    public var retryAfter: TimeInterval? {
        if case .tooManyRequests(let retryAfter) = self { return retryAfter }
        return nil
    }

    /// A stable code for reports and metrics: `server_error`, `bad_signature`, ….
    public var code: String {
        switch self {
        case .network: "network"
        case .timeout: "timeout"
        case .serverError: "server_error"
        case .tooManyRequests: "too_many_requests"
        case .brokenPage: "broken_page"
        case .leaseExpired: "lease_expired"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .unprocessable: "unprocessable"
        case .badSignature: "bad_signature"
        case .badPayload: "bad_payload"
        case .otherGemeenteData: "other_gemeente_data"
        case .validationFailed: "validation_failed"
        case .consentWithdrawn: "consent_withdrawn"
        case .cancelled: "cancelled"
        }
    }

    /// What went wrong, for a person reading the delivery report.
    public var description: String {
        switch self {
        case .network: "the supplier could not be reached"
        case .timeout: "the supplier did not answer in time"
        case .serverError(let status): "the supplier had an internal error (HTTP \(status))"
        case .tooManyRequests(let retryAfter):
            "the supplier asked to slow down (HTTP 429\(retryAfter.map { ", retry after \(Int($0)) s" } ?? ""))"
        case .brokenPage: "a page was incomplete or not the page asked for"
        case .leaseExpired: "the worker stopped without reporting back"
        case .unauthorized: "the supplier refused the credentials (HTTP 401)"
        case .forbidden: "the supplier refused access: check the grant or contract (HTTP 403)"
        case .notFound: "the supplier service or period was not found (HTTP 404)"
        case .unprocessable: "the supplier refused the request (HTTP 422)"
        case .badSignature: "the digest, signature or certificate chain did not check out"
        case .badPayload: "the response did not match the expected schema"
        case .otherGemeenteData: "the response held data of a gemeente that was not asked for; nothing was handed over"
        case .validationFailed: "the data failed validation"
        case .consentWithdrawn: "the gemeente's consent was withdrawn"
        case .cancelled: "the delivery was cancelled"
        }
    }
}
