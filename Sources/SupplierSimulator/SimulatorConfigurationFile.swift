import DDASExchange
import DDASSignature
import Foundation

/// The JSON configuration file of `ddas-supplier-sim serve --config`.
///
/// ```json
/// {
///   "host": "127.0.0.1", "port": 8089, "seed": 42,
///   "suppliers": [{
///     "name": "xxllnc", "basePath": "/xxllnc/v1", "stroom": "VS", "apiVersion": "1.0", "responseSigning": "body",
///     "organisations": [{"gemeentecode": "0363", "naam": "Gemeente Amsterdam"}],
///     "recordsPerMonth": 300, "recordsPerMonthByGemeente": {"0363": 5000},
///     "clients": [{"clientId": "cbs", "clientSecretEnv": "XXLLNC_CLIENT_SECRET"}],
///     "tokenLifetimeSeconds": 3600, "adminSecretEnv": "SIM_ADMIN_SECRET"
///   }],
///   "faults": [{"kind": "tooManyRequests", "retryAfterSeconds": 5, "gemeentecode": "0363", "limit": 2}],
///   "requestVerification": {"trustAnchors": "pki/root.pem", "cbsOIN": "00000001001234567000"}
/// }
/// ```
/// Secrets may be given inline (`clientSecret`, `adminSecret`) or as the name of an
/// environment variable (`clientSecretEnv`, `adminSecretEnv`). Signers are not part of the
/// file: every supplier starts with the placeholder signer, to be replaced in code (the CLI's
/// `--pki` loads them in each supplier's `responseSigning` profile). `apiVersion` is `1.0` or
/// `1.2` (default); `responseSigning` is `kp-apis` (default) or `body`. With
/// `requestVerification`, every supplier verifies CBS's request signatures against the roots
/// in `trustAnchors` (a PEM file or folder) and, when `cbsOIN` is given, only accepts CBS's
/// certificate.
public struct SimulatorConfigurationFile: Decodable, Sendable {
    /// Address to listen on (default 127.0.0.1).
    public var host: String?
    /// Port (default 8089; 0: any free port).
    public var port: Int?
    /// Seed mixed into every supplier's seed.
    public var seed: UInt64?
    /// Seed of fault rules with a rate.
    public var faultSeed: UInt64?
    /// The supplier services.
    public var suppliers: [Leverancier]
    /// Faults in force at start.
    public var faults: [FaultRule]?
    /// How every supplier verifies CBS's request signatures; nil: it does not.
    public var requestVerification: RequestVerification?

    /// The roots of CBS's chain and CBS's OIN.
    public struct RequestVerification: Decodable, Sendable {
        /// A PEM file (or folder of them) with the roots CBS's chain must end in.
        public var trustAnchors: String
        /// CBS's OIN (20 digits); nil: any signer with a trusted chain.
        public var cbsOIN: String?
    }

    /// One supplier service.
    public struct Leverancier: Decodable, Sendable {
        /// Name used in fault rules and counts.
        public var name: String
        /// Base path, e.g. `/xxllnc/v1`.
        public var basePath: String
        /// `VS` (default) or `SHV`.
        public var stroom: Stroom?
        /// `1.0` or `1.2` (default).
        public var apiVersion: String?
        /// `kp-apis` (default) or `body`: the profile of response signatures made from a test PKI.
        public var responseSigning: String?
        /// `codeGegevensleverancier` in the payload (default: `name`).
        public var codeGegevensleverancier: String?
        /// The gemeenten it serves.
        public var organisations: [Organisation]
        /// Its own seed, mixed with the file's.
        public var seed: UInt64?
        /// Records per month per gemeente (default 300).
        public var recordsPerMonth: Int?
        /// Records per month for particular gemeenten.
        public var recordsPerMonthByGemeente: [String: Int]?
        /// Spread of the record counts, 0...1 (default 0.1).
        public var variation: Double?
        /// OAuth2 clients.
        public var clients: [Client]
        /// Token lifetime (default 3,600 s).
        public var tokenLifetimeSeconds: Int?
        /// Page size when a request names none (default: the maximum).
        public var defaultPageSize: Int?
        /// Bearer secret of `{base}/_simulator/...`.
        public var adminSecret: String?
        /// Environment variable holding the admin secret.
        public var adminSecretEnv: String?
    }

    /// A gemeente and the organisation name it is requested by.
    public struct Organisation: Decodable, Sendable {
        /// `0363` or `GM0363`.
        public var gemeentecode: String
        /// The organisation name requests use.
        public var naam: String
    }

    /// An OAuth2 client.
    public struct Client: Decodable, Sendable {
        /// `client_id`.
        public var clientId: String
        /// `client_secret`, inline.
        public var clientSecret: String?
        /// Environment variable holding `client_secret`.
        public var clientSecretEnv: String?
    }

    /// Reads and decodes the file at `path`.
    public static func load(path: String) throws(SimulatorConfigurationError) -> SimulatorConfigurationFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SimulatorConfigurationError(code: "config-unreadable", message: "cannot read \(path)")
        }
        do {
            return try JSONDecoder().decode(SimulatorConfigurationFile.self, from: data)
        } catch {
            throw SimulatorConfigurationError(
                code: "config-invalid", message: "\(path) is not a valid configuration: \(Self.describe(error))")
        }
    }

    /// Reads a JSON array of fault rules from `path`.
    public static func loadFaults(path: String) throws(SimulatorConfigurationError) -> [FaultRule] {
        do {
            return try JSONDecoder().decode([FaultRule].self, from: try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw SimulatorConfigurationError(
                code: "faults-invalid", message: "\(path) is not a JSON array of fault rules: \(Self.describe(error))")
        }
    }

    /// The configuration, with secrets from `environment` and `seed` (when given) in place of the file's.
    public func configuration(environment: [String: String], seed: UInt64? = nil) throws(SimulatorConfigurationError)
        -> SimulatorConfiguration
    {
        let globalSeed = seed ?? self.seed ?? 0
        let verifier = try requestVerification.map { settings throws(SimulatorConfigurationError) in
            try JAdESRequestVerifier(trustAnchorsPath: settings.trustAnchors, cbsOIN: settings.cbsOIN)
        }
        var services: [LeverancierDienst] = []
        for supplier in suppliers {
            let apiVersion = try supplier.apiVersion.map { text throws(SimulatorConfigurationError) in
                guard let version = ExchangeAPIVersion(rawValue: text) else {
                    throw SimulatorConfigurationError(
                        code: "invalid-api-version", message: "supplier '\(supplier.name)': apiVersion must be 1.0 or 1.2")
                }
                return version
            }
            let profile = try supplier.responseSigning.map { text throws(SimulatorConfigurationError) in
                guard let profile = SigningProfile(rawValue: text) else {
                    throw SimulatorConfigurationError(
                        code: "invalid-response-signing", message: "supplier '\(supplier.name)': responseSigning must be kp-apis or body")
                }
                return profile
            }
            var gemeenten: [SimulatedGemeente] = []
            for organisation in supplier.organisations {
                guard let gemeente = SimulatedGemeente(code: organisation.gemeentecode, organisatie: organisation.naam) else {
                    throw SimulatorConfigurationError(
                        code: "invalid-gemeentecode",
                        message: "supplier '\(supplier.name)': '\(organisation.gemeentecode)' is not a gemeentecode")
                }
                gemeenten.append(gemeente)
            }
            var clients: [ClientCredential] = []
            for client in supplier.clients {
                let secret = try Self.secret(
                    client.clientSecret, variable: client.clientSecretEnv, environment: environment, setting: "client '\(client.clientId)'")
                guard let secret else {
                    throw SimulatorConfigurationError(
                        code: "missing-secret", message: "client '\(client.clientId)' has no clientSecret or clientSecretEnv")
                }
                clients.append(ClientCredential(id: client.clientId, secret: secret))
            }
            let volume = SyntheticVolume(
                recordsPerMonth: supplier.recordsPerMonth ?? 300, recordsPerMonthByGemeente: supplier.recordsPerMonthByGemeente ?? [:],
                variation: supplier.variation ?? 0.1)
            services.append(
                LeverancierDienst(
                    name: supplier.name, basePath: supplier.basePath, stroom: supplier.stroom ?? .vroegsignalering,
                    apiVersion: apiVersion ?? .standard, codeGegevensleverancier: supplier.codeGegevensleverancier,
                    gemeenten: gemeenten, seed: RecordRandom.mix([globalSeed, supplier.seed ?? 0]), volume: volume, clients: clients,
                    tokenLifetimeSeconds: supplier.tokenLifetimeSeconds ?? 3_600, defaultPageSize: supplier.defaultPageSize,
                    responseSigning: profile ?? .standard, requestVerifier: verifier,
                    adminSecret: try Self.secret(
                        supplier.adminSecret, variable: supplier.adminSecretEnv, environment: environment,
                        setting: "supplier '\(supplier.name)' admin")))
        }
        return SimulatorConfiguration(
            host: host ?? "127.0.0.1", port: port ?? 8089, suppliers: services, faults: faults ?? [], faultSeed: faultSeed ?? globalSeed)
    }

    private static func secret(
        _ inline: String?, variable: String?, environment: [String: String], setting: String
    ) throws(SimulatorConfigurationError) -> String? {
        guard let variable else { return inline }
        guard let value = environment[variable], !value.isEmpty else {
            throw SimulatorConfigurationError(code: "missing-secret", message: "\(setting): environment variable \(variable) is not set")
        }
        return value
    }

    /// A decoding error as a path and a reason, without values.
    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \(path(context.codingPath + [key]))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \(path(context.codingPath))"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "invalid value at \(path(context.codingPath))"
        default:
            return "unreadable"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "/" : keys.map { "/" + ($0.intValue.map(String.init) ?? $0.stringValue) }.joined()
    }
}
