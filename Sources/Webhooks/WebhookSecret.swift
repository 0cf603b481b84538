import Crypto
import Foundation

/// The secret an endpoint shares with us to check that a webhook came from us (Standard Webhooks:
/// `whsec_` and the base64 of 24 to 64 random bytes). Its `description` never shows the key.
public struct WebhookSecret: Sendable, Equatable, CustomStringConvertible {
    /// The prefix of the text form.
    public static let prefix = "whsec_"

    /// The key bytes.
    let key: [UInt8]

    /// The secret written as `whsec_…`; nil when it is not that form or its key is shorter than
    /// 24 or longer than 64 bytes.
    public init?(_ text: String) {
        guard text.hasPrefix(Self.prefix), let bytes = Data(base64Encoded: String(text.dropFirst(Self.prefix.count))),
            (24...64).contains(bytes.count)
        else { return nil }
        key = Array(bytes)
    }

    /// A new random secret of 32 bytes.
    public static func generate() -> WebhookSecret {
        WebhookSecret(key: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    private init(key: [UInt8]) {
        self.key = key
    }

    /// The text form, `whsec_…`: shown once to the endpoint's owner, then kept only as configuration.
    public var text: String {
        Self.prefix + Data(key).base64EncodedString()
    }

    public var description: String { "whsec_…" }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.key.count == rhs.key.count && zip(lhs.key, rhs.key).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The Standard Webhooks signature: HMAC-SHA256 over `id.timestamp.body`, base64, as `v1,…`.
public enum WebhookSignature {
    /// The `webhook-signature` value for one message signed with each of `secrets` (more than one
    /// while a secret is being rotated), separated by spaces.
    public static func header(id: String, timestamp: Int64, body: [UInt8], secrets: [WebhookSecret]) -> String {
        secrets.map { "v1," + sign(id: id, timestamp: timestamp, body: body, secret: $0) }.joined(separator: " ")
    }

    /// The base64 HMAC-SHA256 of `id.timestamp.body` under `secret`.
    public static func sign(id: String, timestamp: Int64, body: [UInt8], secret: WebhookSecret) -> String {
        var authentication = HMAC<SHA256>(key: SymmetricKey(data: secret.key))
        authentication.update(data: Array("\(id).\(timestamp).".utf8))
        authentication.update(data: body)
        return Data(authentication.finalize()).base64EncodedString()
    }
}
