import Foundation

/// How to reach one supplier service (a supplier's API for one stream): all of it from
/// configuration, so base URLs form the allow-list and secrets stay out of code and URLs.
public struct SupplierConnection: Sendable {
    /// The supplier's id in the register (`xxllnc`, `bkr`).
    public let leverancierID: String
    /// `VS` or `SHV`.
    public let stroom: String
    /// The FSC Outway or the service itself; `/gegevens` is appended.
    public let baseURL: URL
    /// OAuth2 client credentials; nil when the service needs no token (an Outway that adds it).
    public let oauth: OAuthClientCredentials?
    /// Sent as `Fsc-Grant-Hash` when calling through an Outway.
    public let fscGrantHash: String?
    /// A client certificate chain and key (PEM files) for mTLS.
    public let clientCertificate: ClientCertificate?
    /// PEM file or folder of the roots a response signature must chain to.
    public let trustAnchors: String
    /// The exchange model's version for this service's pages (`1.2` for VS).
    public let schemaVersion: String
    /// Records asked per page.
    public let pageSize: Int
    public let timeouts: Timeouts
    /// The largest response body accepted, in bytes.
    public let maxResponseBytes: Int

    /// The client id and secret, and where tokens come from.
    public struct OAuthClientCredentials: Sendable {
        public let tokenURL: URL
        public let clientID: String
        public let clientSecret: SecretReference
        public let scope: String?

        public init(tokenURL: URL, clientID: String, clientSecret: SecretReference, scope: String? = nil) {
            self.tokenURL = tokenURL
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.scope = scope
        }
    }

    /// PEM files for mutual TLS.
    public struct ClientCertificate: Sendable {
        public let chain: String
        public let key: SecretReference

        public init(chain: String, key: SecretReference) {
            self.chain = chain
            self.key = key
        }
    }

    /// Limits on every call.
    public struct Timeouts: Sendable {
        public var connect: Duration
        public var read: Duration
        /// One page, from request to the last byte.
        public var total: Duration

        public init(connect: Duration = .seconds(10), read: Duration = .seconds(60), total: Duration = .seconds(600)) {
            self.connect = connect
            self.read = read
            self.total = total
        }
    }

    /// A connection; `validate` checks it.
    public init(
        leverancierID: String, stroom: String, baseURL: URL, oauth: OAuthClientCredentials?, fscGrantHash: String? = nil,
        clientCertificate: ClientCertificate? = nil, trustAnchors: String, schemaVersion: String, pageSize: Int,
        timeouts: Timeouts = Timeouts(), maxResponseBytes: Int = 256 << 20
    ) {
        self.leverancierID = leverancierID
        self.stroom = stroom
        self.baseURL = baseURL
        self.oauth = oauth
        self.fscGrantHash = fscGrantHash
        self.clientCertificate = clientCertificate
        self.trustAnchors = trustAnchors
        self.schemaVersion = schemaVersion
        self.pageSize = pageSize
        self.timeouts = timeouts
        self.maxResponseBytes = maxResponseBytes
    }

    /// `xxllnc/VS`: how messages name the service.
    public var name: String { "\(leverancierID)/\(stroom)" }

    /// Refuses what would be unsafe or cannot work: plain HTTP except on loopback, URLs with
    /// credentials, query or fragment, page sizes outside the spec.
    public func validate() throws(ExchangeConfigurationError) {
        try Self.checkURL(baseURL, setting: "\(name) base_url")
        if let oauth { try Self.checkURL(oauth.tokenURL, setting: "\(name) token_url") }
        guard ["VS", "SHV"].contains(stroom) else { throw .invalid(setting: "\(name) stroom", reason: "must be VS or SHV") }
        let maximum = stroom == "VS" ? 50_000 : 25_000
        guard (1...maximum).contains(pageSize) else {
            throw .invalid(setting: "\(name) page_size", reason: "must be between 1 and \(maximum)")
        }
        guard maxResponseBytes >= 1 << 20 else { throw .invalid(setting: "\(name) max_response_mb", reason: "must be at least 1") }
        guard timeouts.connect > .zero, timeouts.read > .zero, timeouts.total >= timeouts.read else {
            throw .invalid(setting: "\(name) timeouts", reason: "must be positive, total at least read")
        }
    }

    static func checkURL(_ url: URL, setting: String) throws(ExchangeConfigurationError) {
        guard let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw .invalid(setting: setting, reason: "must be an absolute URL")
        }
        guard url.user == nil, url.password == nil, url.query == nil, url.fragment == nil else {
            throw .invalid(setting: setting, reason: "must not carry credentials, a query or a fragment")
        }
        let loopback = ["127.0.0.1", "::1", "localhost"].contains(host.lowercased())
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw .invalid(setting: setting, reason: "must use https (plain http only on loopback)")
        }
    }
}
