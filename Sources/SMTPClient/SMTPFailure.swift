/// Why a message was not accepted by the mail server: a stable kind, the server's reply code
/// where it gave one, and whether trying again later may help.
///
/// The description names the step and the server's code; it never holds the message.
public struct SMTPFailure: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable {
        /// The configuration cannot work (a port out of range, credentials without TLS, ...).
        case configuration
        /// The server could not be reached, or the connection broke.
        case connection
        /// The TLS handshake failed (the certificate, the protocol).
        case tls
        /// The server refused for now (a 4xx reply): try again later.
        case transient
        /// The server refused for good (a 5xx reply).
        case permanent
        /// The server does not speak SMTP as RFC 5321 says, or lacks what we need (STARTTLS, AUTH).
        case protocolViolation = "protocol"
        /// The conversation took longer than the configured timeout.
        case timeout
    }

    /// What went wrong.
    public let kind: Kind
    /// The server's reply code, when a reply caused the failure.
    public let replyCode: Int?
    /// What happened, in one line, free of the message's contents.
    public let detail: String

    /// A failure.
    public init(_ kind: Kind, _ detail: String, replyCode: Int? = nil) {
        self.kind = kind
        self.detail = detail
        self.replyCode = replyCode
    }

    /// Whether the same message may succeed when sent again later.
    public var isTransient: Bool {
        switch kind {
        case .connection, .tls, .transient, .timeout: true
        case .configuration, .permanent, .protocolViolation: false
        }
    }

    public var description: String {
        if let replyCode { "SMTP \(kind.rawValue) (\(replyCode)): \(detail)" } else { "SMTP \(kind.rawValue): \(detail)" }
    }

    /// The failure a reply that was not the expected one stands for, at `step`.
    static func unexpected(_ reply: SMTPReply, at step: String) -> SMTPFailure {
        let kind: Kind =
            switch reply.code {
            case 400..<500: .transient
            case 500..<600: .permanent
            default: .protocolViolation
            }
        return SMTPFailure(kind, "\(step) answered \(reply.code) \(reply.summary)", replyCode: reply.code)
    }
}
