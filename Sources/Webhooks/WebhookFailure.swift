/// Why a webhook was not accepted: a stable kind, the HTTP status where one came, and whether
/// sending it again later may help. The description never holds the body or the secret.
public struct WebhookFailure: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable {
        /// The endpoint's URL cannot be used (not https outside loopback, credentials in it, ...).
        case configuration
        /// The endpoint could not be reached, the connection broke, or it took too long.
        case connection
        /// The endpoint answered with a status that may pass (408, 429, 5xx).
        case transient
        /// The endpoint refused for good (another 4xx, a redirect, 410 Gone).
        case permanent
    }

    /// What went wrong.
    public let kind: Kind
    /// The HTTP status, when the endpoint answered.
    public let status: Int?
    /// What happened, in one line.
    public let detail: String

    /// A failure.
    public init(_ kind: Kind, _ detail: String, status: Int? = nil) {
        self.kind = kind
        self.detail = detail
        self.status = status
    }

    /// Whether the same webhook may be accepted when sent again later.
    public var isTransient: Bool { kind == .connection || kind == .transient }

    /// Whether the endpoint said it is gone for good (410): its subscription should stop.
    public var endpointGone: Bool { status == 410 }

    public var description: String {
        if let status { "webhook \(kind.rawValue) (HTTP \(status)): \(detail)" } else { "webhook \(kind.rawValue): \(detail)" }
    }

    /// The failure an HTTP status other than 2xx stands for.
    static func status(_ status: Int) -> WebhookFailure {
        switch status {
        case 408, 429, 500...599: WebhookFailure(.transient, "the endpoint answered \(status)", status: status)
        case 300..<400: WebhookFailure(.permanent, "the endpoint redirects; webhooks do not follow redirects", status: status)
        default: WebhookFailure(.permanent, "the endpoint refused with \(status)", status: status)
        }
    }
}
