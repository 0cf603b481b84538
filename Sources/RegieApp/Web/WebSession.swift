import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain

/// The sign-in of the web pages: the API token, entered once, kept in a cookie that scripts
/// cannot read (`HttpOnly`), that travels over HTTPS only (`Secure`; browsers treat
/// localhost as secure) and never with a request from another site (`SameSite=Strict`).
/// Every form that changes something carries a CSRF token derived from the cookie's token,
/// and a POST that the browser marks as cross-site is refused.
enum WebSession {
    static let cookieName = "ddas_sessie"
    /// How long a sign-in lasts: a working day.
    static let maxAge = 8 * 3600

    /// The token secret in the request's cookie, if any.
    static func secret(in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == cookieName, !pair[1].isEmpty { return String(pair[1]) }
            }
        }
        return nil
    }

    /// `Set-Cookie` that signs in with `secret`.
    static func signInCookie(_ secret: String) -> String {
        "\(cookieName)=\(secret); Path=/; Max-Age=\(maxAge); HttpOnly; Secure; SameSite=Strict"
    }

    /// `Set-Cookie` that signs out.
    static let signOutCookie = "\(cookieName)=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict"

    /// The CSRF token of a session: derived from its secret, so nothing needs storing.
    static func csrfToken(for secret: String) -> String {
        let digest = SHA256.hash(data: Data(("ddas-regie csrf\u{0}" + secret).utf8))
        return digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether a form's CSRF token belongs to the session, compared in constant time.
    static func isValidCSRF(_ token: String?, secret: String) -> Bool {
        guard let token else { return false }
        let expected = Array(csrfToken(for: secret).utf8)
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

/// A signed-in visitor of the pages: who, and the secret their cookie holds (for CSRF).
struct WebVisitor {
    let principal: Principal
    let secret: String

    var csrf: String { WebSession.csrfToken(for: secret) }
}
