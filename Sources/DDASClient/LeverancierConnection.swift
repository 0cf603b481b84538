import DDASExchange
import DDASSignature
import Foundation

/// How to reach one supplier service (a supplier's API for one stream): all of it from
/// configuration, so base URLs form the allow-list and secrets stay out of code and URLs.
public struct LeverancierConnection: Sendable {
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
    /// Who must have signed the responses: the supplier's OIN in the signing certificate's
    /// subject serialNumber and, optionally, the certificates allowed (for a rollover).
    public let supplierIdentity: SignerExpectation
    /// The version of the DDAS API the service speaks (the request's member names).
    public let apiVersion: ExchangeAPIVersion
    /// How CBS signs its requests to this service.
    public let requestSigning: SigningProfile
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
        /// The scope asked for; the DDAS API files require `read`.
        public let scope: String?

        /// The scope the DDAS API files require of a client: `read`.
        public static let standardScope = "read"

        public init(tokenURL: URL, clientID: String, clientSecret: SecretReference, scope: String? = standardScope) {
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
        clientCertificate: ClientCertificate? = nil, trustAnchors: String, supplierIdentity: SignerExpectation,
        apiVersion: ExchangeAPIVersion = .standard, requestSigning: SigningProfile = .standard, schemaVersion: String, pageSize: Int,
        timeouts: Timeouts = Timeouts(), maxResponseBytes: Int = 256 << 20
    ) {
        self.leverancierID = leverancierID
        self.stroom = stroom
        self.baseURL = baseURL
        self.oauth = oauth
        self.fscGrantHash = fscGrantHash
        self.clientCertificate = clientCertificate
        self.trustAnchors = trustAnchors
        self.supplierIdentity = supplierIdentity
        self.apiVersion = apiVersion
        self.requestSigning = requestSigning
        self.schemaVersion = schemaVersion
        self.pageSize = pageSize
        self.timeouts = timeouts
        self.maxResponseBytes = maxResponseBytes
    }

    /// `xxllnc/VS`: how messages name the service.
    public var name: String { "\(leverancierID)/\(stroom)" }

    /// Refuses what would be unsafe or cannot work: plain HTTP except on loopback, URLs with
    /// credentials, query or fragment, page sizes outside the spec, an OIN that is not 20
    /// digits, a certificate fingerprint that is not SHA-256 in hex.
    public func validate() throws(ExchangeConfigurationError) {
        guard Self.isOIN(supplierIdentity.oin) else {
            throw .invalid(setting: "\(name) oin", reason: "must be the supplier's OIN: 20 digits")
        }
        for fingerprint in supplierIdentity.fingerprints where !Self.isFingerprint(fingerprint) {
            throw .invalid(
                setting: "\(name) certificate_fingerprints", reason: "each must be the SHA-256 of a certificate: 64 hexadecimal digits")
        }
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

    /// Whether `text` is an OIN: exactly 20 ASCII digits.
    static func isOIN(_ text: String) -> Bool {
        text.utf8.count == 20 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// Whether `text` is a SHA-256 fingerprint: 64 lower-case hexadecimal digits.
    static func isFingerprint(_ text: String) -> Bool {
        text.utf8.count == 64
            && text.utf8.allSatisfy {
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
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
