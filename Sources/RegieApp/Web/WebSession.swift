import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain

/// The sign-in of the web pages: the API token, entered once, starts a server-side session
/// (``WebSessionStore``: 8 hours at most, 30 minutes without use, ended by sign-out and by the
/// token's revocation). The cookie holds the session's random id, never the token; it is
/// `__Host-` prefixed (only from this host, `Path=/`, `Secure`), unreadable to scripts
/// (`HttpOnly`; browsers treat localhost as secure) and never sent with a request from another
/// site (`SameSite=Strict`). Every form that changes something carries a CSRF token derived
/// from the session id, and a POST that the browser marks as cross-site is refused.
enum WebSession {
    static let cookieName = "__Host-ddas_sessie"

    /// The session id in the request's cookie, if any.
    static func sessionID(in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == cookieName, !pair[1].isEmpty { return String(pair[1]) }
            }
        }
        return nil
    }

    /// `Set-Cookie` that holds the session `id` for as long as the session can last.
    static func signInCookie(_ id: String, maxAge: TimeInterval) -> String {
        "\(cookieName)=\(id); Path=/; Max-Age=\(Int(maxAge)); HttpOnly; Secure; SameSite=Strict"
    }

    /// `Set-Cookie` that signs out.
    static let signOutCookie = "\(cookieName)=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict"

    /// The CSRF token of a session: derived from its id, so nothing needs storing; the id
    /// cannot be recovered from it.
    static func csrfToken(for sessionID: String) -> String {
        let digest = SHA256.hash(data: Data(("ddas-regie csrf\u{0}" + sessionID).utf8))
        return digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether a form's CSRF token belongs to the session, compared in constant time.
    static func isValidCSRF(_ token: String?, sessionID: String) -> Bool {
        guard let token else { return false }
        let expected = Array(csrfToken(for: sessionID).utf8)
        let given = Array(token.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Whether the browser says a request comes from another site (`Sec-Fetch-Site`), or its
    /// `Origin` names another host than the one asked.
    static func isCrossSite(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site == "cross-site" { return true }
        if let origin = request.headers[HTTPField.Name("Origin")!], origin != "null", let host = request.head.authority,
            let originHost = URL(string: origin)?.host
        {
            let askedHost = host.split(separator: ":").first.map(String.init) ?? host
            return originHost != askedHost
        }
        return false
    }

    /// The fields of an `application/x-www-form-urlencoded` body (at most 64 KiB).
    static func form(_ request: Request) async throws -> WebForm {
        let type = request.headers[.contentType] ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else { return WebForm(fields: [:]) }
        let buffer = try await request.body.collect(upTo: 64 << 10)
        let text = String(buffer: buffer)
        var fields: [String: [String]] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode: (Substring) -> String = { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if let name = parts.first { fields[decode(name), default: []].append(parts.count > 1 ? decode(parts[1]) : "") }
        }
        return WebForm(fields: fields)
    }
}

/// A submitted form: each name with its values in order (a checkbox group repeats its name).
struct WebForm {
    let fields: [String: [String]]

    /// The first value of `name`.
    subscript(name: String) -> String? { fields[name]?.first }

    /// Every value of `name`.
    func all(_ name: String) -> [String] { fields[name] ?? [] }

    /// The non-empty text of `name`, or nil.
    func text(_ name: String) -> String? {
        guard let value = self[name], !value.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return value
    }
}

/// A signed-in visitor of the pages: who, and the id of their session (for CSRF).
struct WebVisitor: Sendable {
    let principal: Principal
    let sessionID: String

    var csrf: String { WebSession.csrfToken(for: sessionID) }
}
