import DDASSignature
import Foundation
import Yams

/// Everything the service needs to speak the DDAS exchange: CBS's signing key, where pages
/// go, and each supplier service. Read from a YAML file (`--exchange-config`); see the
/// README for an example. Secrets are references (`env:`/`file:`), never values.
public struct ExchangeConfiguration: Sendable {
    /// The key and certificate chain requests are signed with, as CBS signs them.
    public struct RequestSigning: Sendable {
        public let keyID: String
        public let key: SecretReference
        /// PEM bundle, leaf first.
        public let chain: String

        public init(keyID: String, key: SecretReference, chain: String) {
            self.keyID = keyID
            self.key = key
            self.chain = chain
        }
    }

    /// Where pages that passed every check are handed over.
    public enum Sink: Sendable {
        /// Files under this folder (the embedded default).
        case directory(String)
        /// PUT to the CBS intake, with a bearer token when given.
        case http(url: URL, token: SecretReference?)
    }

    /// How the certificates that sign responses are checked for revocation.
    public struct Revocation: Sendable {
        /// How strictly: `require` (the default), `prefer` or `off`.
        public let policy: RevocationPolicy
        /// CRL files (DER or PEM) consulted besides the distribution points in certificates.
        public let crlFiles: [String]

        public init(policy: RevocationPolicy = .require, crlFiles: [String] = []) {
            self.policy = policy
            self.crlFiles = crlFiles
        }
    }

    public let signing: RequestSigning
    public let sink: Sink
    /// Folder for pages between their pull and their hand-over.
    public let staging: String?
    public let revocation: Revocation
    public let connections: [LeverancierConnection]

    /// A configuration, checked: every connection valid, no service twice.
    public init(
        signing: RequestSigning, sink: Sink, staging: String? = nil, revocation: Revocation = Revocation(),
        connections: [LeverancierConnection]
    ) throws(ExchangeConfigurationError) {
        var seen = Set<String>()
        for connection in connections {
            try connection.validate()
            guard seen.insert(connection.name).inserted else { throw .duplicateService(connection.name) }
        }
        if case .http(let url, _) = sink { try LeverancierConnection.checkURL(url, setting: "sink url") }
        self.signing = signing
        self.sink = sink
        self.staging = staging
        self.revocation = revocation
        self.connections = connections
    }

    /// The connection for a supplier service, if configured.
    public func connection(leverancierID: String, stroom: String) -> LeverancierConnection? {
        connections.first { $0.leverancierID == leverancierID && $0.stroom == stroom }
    }

    /// Reads and checks a YAML file; relative paths in it are taken from the file's folder.
    public static func load(path: String) throws(ExchangeConfigurationError) -> ExchangeConfiguration {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(path)
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let file: ExchangeFile
        do {
            file = try YAMLDecoder().decode(ExchangeFile.self, from: text)
        } catch {
            throw .invalid(setting: path, reason: "not a valid exchange configuration (\(Self.shape(of: error)))")
        }
        return try file.configuration(relativeTo: folder)
    }

    /// The decoding error's path, without any value from the file.
    public static func shape(of error: Error) -> String {
        guard let error = error as? DecodingError else { return "unreadable YAML" }
        switch error {
        case .keyNotFound(let key, let context): return "missing \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "wrong value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        @unknown default: return "unreadable YAML"
        }
    }
}
