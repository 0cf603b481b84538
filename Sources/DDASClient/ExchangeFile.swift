import DDASExchange
import DDASSignature
import Foundation

/// The YAML shape of `ExchangeConfiguration`.
struct ExchangeFile: Decodable {
    struct Signing: Decodable {
        let key_id: String
        let key: String
        let chain: String
    }

    struct Sink: Decodable {
        let directory: String?
        let url: String?
        let token: String?
    }

    struct Service: Decodable {
        let leverancier: String
        let stroom: String
        let base_url: String
        let token_url: String?
        let client_id: String?
        let client_secret: String?
        let scope: String?
        let fsc_grant_hash: String?
        let client_certificate: String?
        let client_key: String?
        let trust_anchors: String
        let oin: String?
        let certificate_fingerprints: [String]?
        let api_version: String?
        let request_signing: String?
        let schema_version: String?
        let page_size: Int?
        let connect_timeout_seconds: Int?
        let read_timeout_seconds: Int?
        let total_timeout_seconds: Int?
        let max_response_mb: Int?
    }

    struct Revocation: Decodable {
        let policy: String?
        let crl_files: [String]?
    }

    let signing: Signing
    let sink: Sink
    let staging: String?
    let revocation: Revocation?
    let services: [Service]

    func configuration(relativeTo folder: URL) throws(ExchangeConfigurationError) -> ExchangeConfiguration {
        func path(_ value: String) -> String {
            value.hasPrefix("/") ? value : folder.appendingPathComponent(value).path
        }
        /// A secret reference whose `file:` path, when relative, is taken from the file's folder too.
        func secret(_ text: String) throws(ExchangeConfigurationError) -> SecretReference {
            try SecretReference(text).relative(to: folder)
        }
        func url(_ value: String, _ setting: String) throws(ExchangeConfigurationError) -> URL {
            guard let url = URL(string: value) else { throw .invalid(setting: setting, reason: "not a URL") }
            return url
        }
        let sink: ExchangeConfiguration.Sink
        switch (self.sink.directory, self.sink.url) {
        case (let directory?, nil): sink = .directory(path(directory))
        case (nil, let address?):
            sink = .http(
                url: try url(address, "sink url"),
                token: try self.sink.token.map { text throws(ExchangeConfigurationError) in try secret(text) })
        default: throw .invalid(setting: "sink", reason: "give either directory or url")
        }
        var connections: [LeverancierConnection] = []
        for service in services {
            let name = "\(service.leverancier)/\(service.stroom)"
            var oauth: LeverancierConnection.OAuthClientCredentials?
            switch (service.token_url, service.client_id, service.client_secret) {
            case (nil, nil, nil): oauth = nil
            case (let tokenURL?, let clientID?, let clientSecret?):
                oauth = .init(
                    tokenURL: try url(tokenURL, "\(name) token_url"), clientID: clientID, clientSecret: try secret(clientSecret),
                    scope: service.scope ?? LeverancierConnection.OAuthClientCredentials.standardScope)
            default: throw .invalid(setting: "\(name) oauth", reason: "token_url, client_id and client_secret go together")
            }
            var certificate: LeverancierConnection.ClientCertificate?
            switch (service.client_certificate, service.client_key) {
            case (nil, nil): certificate = nil
            case (let chain?, let key?): certificate = .init(chain: path(chain), key: try secret(key))
            default: throw .invalid(setting: "\(name) client_certificate", reason: "client_certificate and client_key go together")
            }
            guard let oin = service.oin else {
                throw .invalid(setting: "\(name) oin", reason: "missing: the supplier's OIN, which its signing certificate must carry")
            }
            let apiVersion = try Self.choice(service.api_version, default: ExchangeAPIVersion.standard, setting: "\(name) api_version")
            let requestSigning = try Self.choice(
                service.request_signing, default: SigningProfile.standard, setting: "\(name) request_signing")
            let defaults = LeverancierConnection.Timeouts()
            connections.append(
                LeverancierConnection(
                    leverancierID: service.leverancier, stroom: service.stroom, baseURL: try url(service.base_url, "\(name) base_url"),
                    oauth: oauth, fscGrantHash: service.fsc_grant_hash, clientCertificate: certificate,
                    trustAnchors: path(service.trust_anchors),
                    supplierIdentity: SignerExpectation(
                        oin: oin,
                        fingerprints: Set(
                            (service.certificate_fingerprints ?? []).map { $0.lowercased().replacingOccurrences(of: ":", with: "") })),
                    apiVersion: apiVersion, requestSigning: requestSigning,
                    schemaVersion: service.schema_version ?? (service.stroom == "SHV" ? "1.0" : "1.2"),
                    pageSize: service.page_size ?? (service.stroom == "SHV" ? 25_000 : 50_000),
                    timeouts: .init(
                        connect: service.connect_timeout_seconds.map { .seconds($0) } ?? defaults.connect,
                        read: service.read_timeout_seconds.map { .seconds($0) } ?? defaults.read,
                        total: service.total_timeout_seconds.map { .seconds($0) } ?? defaults.total),
                    maxResponseBytes: (service.max_response_mb ?? 256) << 20))
        }
        let policy = try Self.choice(revocation?.policy, default: RevocationPolicy.require, setting: "revocation policy")
        return try ExchangeConfiguration(
            signing: .init(keyID: signing.key_id, key: try secret(signing.key), chain: path(signing.chain)), sink: sink,
            staging: staging.map(path),
            revocation: .init(policy: policy, crlFiles: (revocation?.crl_files ?? []).map(path)), connections: connections)
    }

    /// One of a setting's allowed values, or its default when the file gives none; anything
    /// else is refused naming the setting and the allowed values.
    static func choice<Value: RawRepresentable & CaseIterable>(_ text: String?, default: Value, setting: String)
        throws(ExchangeConfigurationError) -> Value where Value.RawValue == String
    {
        guard let text else { return `default` }
        guard let value = Value(rawValue: text) else {
            throw .invalid(setting: setting, reason: "must be \(Value.allCases.map(\.rawValue).joined(separator: " or "))")
        }
        return value
    }
}
