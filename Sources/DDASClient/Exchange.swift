import AsyncHTTPClient
import DDASExchange
import DDASSignature
import Foundation

/// The DDAS exchange as configured: a client per supplier service, the CBS sink and the
/// staging for pages between pull and hand-over. Built once at start, so a missing key,
/// certificate, trust anchor or schema stops the start with the setting's name.
public struct Exchange: Sendable {
    public let clients: [String: LeverancierClient]
    public let sink: any CBSSink
    public let staging: PageStaging
    let sinkClient: HTTPClient?
    /// Fetches OCSP answers and CRLs for every service's verifier (nil when revocation is off).
    let revocationFetcher: HTTPRevocationFetcher?

    /// Builds everything `configuration` names; `schemas` is the folder of the exchange models;
    /// `report` hears what the revocation check tolerated or could not use (no personal data).
    public static func make(
        _ configuration: ExchangeConfiguration, schemas: URL, defaultStaging: URL,
        environment: [String: String] = ProcessInfo.processInfo.environment, now: @escaping @Sendable () -> Date = { Date() },
        report: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> Exchange {
        let keyPEM: String
        let chainPEM: String
        do {
            chainPEM = try String(contentsOfFile: configuration.signing.chain, encoding: .utf8)
            keyPEM = try configuration.signing.key.resolve(environment: environment)
        } catch {
            throw ExchangeConfigurationError.invalid(setting: "signing", reason: "the key and chain cannot be used (\(error))")
        }
        /// CBS's signer for one service, in the reading of signing that service expects.
        func signer(_ profile: SigningProfile) throws -> PayloadSigner {
            do {
                return try PayloadSigner(
                    privateKeyPEM: keyPEM, certificateChainPEM: chainPEM, keyID: configuration.signing.keyID, profile: profile, now: now)
            } catch {
                throw ExchangeConfigurationError.invalid(setting: "signing", reason: "the key and chain cannot be used (\(error))")
            }
        }
        let revocationFetcher = configuration.revocation.policy == .off ? nil : HTTPRevocationFetcher()
        let revocation: RevocationChecker?
        do {
            revocation =
                try revocationFetcher.map { fetcher throws(KeyMaterialError) in
                    try RevocationChecker(
                        policy: configuration.revocation.policy, fetcher: fetcher, crlFiles: configuration.revocation.crlFiles,
                        report: report)
                }
        } catch {
            try? revocationFetcher?.syncShutdown()
            throw ExchangeConfigurationError.invalid(setting: "revocation crl_files", reason: "\(error)")
        }
        var clients: [String: LeverancierClient] = [:]
        let models = ExchangeSchemas(directory: schemas)
        for connection in configuration.connections {
            let verifier: PayloadVerifier
            do {
                verifier = PayloadVerifier(
                    trustAnchors: try PEMBundle.loadTrustAnchors(from: connection.trustAnchors), revocation: revocation, now: now)
            } catch {
                throw ExchangeConfigurationError.invalid(setting: "\(connection.name) trust_anchors", reason: "cannot be loaded (\(error))")
            }
            guard let stream = ExchangeStroom(rawValue: connection.stroom), let version = ExchangeModelVersion(connection.schemaVersion)
            else { throw ExchangeConfigurationError.invalid(setting: "\(connection.name) schema_version", reason: "unknown") }
            let model: ExchangeModel
            do {
                model = try models.model(stream, version: version)
            } catch {
                throw ExchangeConfigurationError.invalid(setting: "\(connection.name) schema_version", reason: "\(error)")
            }
            clients[connection.name] = LeverancierClient(
                transport: try LeverancierTransport(connection: connection, environment: environment),
                signer: try signer(connection.requestSigning), verifier: verifier, model: model)
        }
        switch configuration.sink {
        case .directory(let path):
            let sink = DirectorySink(root: URL(fileURLWithPath: path))
            return Exchange(clients: clients, sink: sink, staging: sink.staging, sinkClient: nil, revocationFetcher: revocationFetcher)
        case .http(let url, let token):
            let client = HTTPClient(
                eventLoopGroupProvider: .singleton,
                configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: .seconds(120))))
            let resolved: String?
            do {
                resolved = try token?.resolve(environment: environment)
            } catch {
                try? client.syncShutdown()
                throw error
            }
            return Exchange(
                clients: clients, sink: HTTPSink(url: url, token: resolved, client: client),
                staging: PageStaging(root: configuration.staging.map { URL(fileURLWithPath: $0) } ?? defaultStaging), sinkClient: client,
                revocationFetcher: revocationFetcher)
        }
    }

    /// The client for a supplier service, if configured.
    public func client(leverancierID: String, stroom: String) -> LeverancierClient? {
        clients["\(leverancierID)/\(stroom)"]
    }

    /// Closes every HTTP client.
    public func shutdown() async {
        for client in clients.values { try? await client.transport.shutdown() }
        try? await sinkClient?.shutdown()
        try? await revocationFetcher?.shutdown()
    }
}
