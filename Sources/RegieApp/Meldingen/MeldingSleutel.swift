import Crypto
import Foundation
import RegieDomain
import Webhooks

/// The service's key for meldingen, from configuration (a secret by reference): what every
/// webhook subscription's secret and every unsubscribe link's code are derived from, so that
/// neither is stored. Every replica derives the same; a new key changes every secret and link
/// (the subscriptions' owners then rotate, see the README).
public struct MeldingSleutel: Sendable {
    private let bytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: bytes) }

    /// The key from its bytes; at least 32.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count >= 32 else { return nil }
        self.bytes = Array(bytes)
    }

    /// The webhook secret of subscription `abonnement` at version `versie` (32 bytes, `whsec_…`).
    public func webhookGeheim(abonnement: UUID, versie: Int) -> WebhookSecret {
        let derived = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key, salt: Array(abonnement.uuidString.lowercased().utf8),
            info: Array("ddas-regie webhook-geheim v\(versie)".utf8), outputByteCount: 32)
        let text = WebhookSecret.prefix + derived.withUnsafeBytes { Data($0).base64EncodedString() }
        // 32 bytes in the `whsec_` form always read back.
        return WebhookSecret(text)!
    }

    /// The secrets a message to `abonnement` is signed with at `moment`: the current one, and
    /// the previous one while it is still valid after a rotation.
    public func webhookGeheimen(_ abonnement: MeldingAbonnement, at moment: Date) -> [WebhookSecret] {
        var secrets = [webhookGeheim(abonnement: abonnement.id, versie: abonnement.geheimVersie)]
        if abonnement.geheimVersie > 1, let until = abonnement.vorigGeheimGeldigTot, until > moment {
            secrets.append(webhookGeheim(abonnement: abonnement.id, versie: abonnement.geheimVersie - 1))
        }
        return secrets
    }

    /// The code of subscription `abonnement`'s unsubscribe link: base64url of an HMAC, 43 characters.
    public func afmeldCode(abonnement: UUID) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("afmelden:\(abonnement.uuidString.lowercased())".utf8), using: key)
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Whether `code` is `abonnement`'s unsubscribe code (compared in constant time).
    public func isAfmeldCode(_ code: String, abonnement: UUID) -> Bool {
        let expected = Array(afmeldCode(abonnement: abonnement).utf8)
        let given = Array(code.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The unsubscribe link of `abonnement` under `basis` (the service's public address): the
    /// `List-Unsubscribe` of its mails. A GET shows a page; a POST (RFC 8058 one-click) cancels.
    public func afmeldLink(basis: String, abonnement: UUID) -> String {
        let basis = basis.hasSuffix("/") ? String(basis.dropLast()) : basis
        return "\(basis)/meldingen/afmelden/\(abonnement.uuidString.lowercased())?code=\(afmeldCode(abonnement: abonnement))"
    }
}
