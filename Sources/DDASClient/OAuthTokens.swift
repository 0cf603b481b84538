import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RegieDomain

/// OAuth2 client-credentials tokens per supplier service, fetched from the configured token
/// URL and kept until shortly before they expire. A 401 from the service drops the token,
/// so the next call fetches a new one (once).
public actor OAuthTokens {
    struct Cached {
        let value: String
        let expires: Date
    }

    let client: HTTPClient
    let environment: [String: String]
    let now: @Sendable () -> Date
    var tokens: [String: Cached] = [:]

    public init(
        client: HTTPClient, environment: [String: String] = ProcessInfo.processInfo.environment,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.client = client
        self.environment = environment
        self.now = now
    }

    /// A valid access token for `connection`.
    func token(for connection: LeverancierConnection, credentials: LeverancierConnection.OAuthClientCredentials)
        async throws(LeveringFailure)
        -> String
    {
        if let cached = tokens[connection.name], cached.expires > now() { return cached.value }
        let fetched = try await fetch(credentials, timeouts: connection.timeouts)
        tokens[connection.name] = fetched
        return fetched.value
    }

    /// Forgets the token of `connection` (the service answered 401).
    func invalidate(_ connection: LeverancierConnection) {
        tokens[connection.name] = nil
    }

    func fetch(_ credentials: LeverancierConnection.OAuthClientCredentials, timeouts: LeverancierConnection.Timeouts)
        async throws(LeveringFailure)
        -> Cached
    {
        let secret: String
        do {
            secret = try credentials.clientSecret.resolve(environment: environment)
        } catch {
            throw LeveringFailure(.configuration, "the client secret \(credentials.clientSecret) is not available")
        }
        var request = HTTPClientRequest(url: credentials.tokenURL.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let basic = Data("\(Self.formEncode(credentials.clientID)):\(Self.formEncode(secret))".utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(basic)")
        var form = "grant_type=client_credentials"
        if let scope = credentials.scope { form += "&scope=\(Self.formEncode(scope))" }
        request.body = .bytes(ByteBuffer(string: form))
        let status: Int
        let body: ByteBuffer
        do {
            let response = try await client.execute(request, timeout: .seconds(timeouts.read.components.seconds))
            status = Int(response.status.code)
            body = try await response.body.collect(upTo: 64 << 10)
        } catch {
            throw LeveringFailure(.network, "the token endpoint could not be reached")
        }
        guard status == 200 else {
            throw LeveringFailure(
                status >= 500 || status == 429 ? .serverError : .unauthorized, "the token endpoint answered \(status)",
                httpStatus: status)
        }
        struct TokenResponse: Decodable {
            let access_token: String
            let token_type: String?
            let expires_in: Double?
        }
        guard let decoded = try? JSONDecoder().decode(TokenResponse.self, from: Data(body.readableBytesView)),
            !decoded.access_token.isEmpty,
            decoded.token_type.map({ $0.lowercased() == "bearer" }) ?? true
        else {
            throw LeveringFailure(.unauthorized, "the token endpoint answered without a bearer token")
        }
        let lifetime = max(0, (decoded.expires_in ?? 300) - 30)
        return Cached(value: decoded.access_token, expires: now().addingTimeInterval(lifetime))
    }

    /// `application/x-www-form-urlencoded` for a credential (RFC 6749 §2.3.1).
    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
