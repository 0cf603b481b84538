import DDASExchange
import DDASSignature
import DDASTestPKI
import Foundation

/// An OAuth2 client that may fetch tokens: its id and secret.
public struct ClientCredential: Hashable, Sendable {
    /// `client_id`.
    public let id: String
    /// `client_secret`.
    public let secret: String

    /// A client as given.
    public init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }
}

/// One supplier's DDAS service as the simulator offers it under its own base path, with its
/// own organisations, data, credentials and signers.
public struct LeverancierDienst: Sendable {
    /// A short name, used in fault rules and counts (e.g. `xxllnc`).
    public var name: String
    /// Where the service lives, e.g. `/xxllnc/v1`; `{base}/gegevens` and `{base}/oauth/token` below it.
    public var basePath: String
    /// VS or SHV.
    public var stroom: Stroom
    /// The version of the exchange API it speaks: the name of the request's organisation member
    /// (1.0 `aanleverende_organisatie`, 1.2 `aanleverendeOrganisatie`); the other name is refused with 400.
    public var apiVersion: ExchangeAPIVersion
    /// The signing profile of its responses when its signers are made from a test PKI
    /// (`loadSigners(fromTestPKI:)`); signers given in code carry their own.
    public var responseSigning: SigningProfile
    /// `codeGegevensleverancier` in the payload.
    public var codeGegevensleverancier: String
    /// The gemeenten it serves. Several may share an organisation name (a kredietbank or a
    /// shared service); a request for that name gets one levering per gemeente.
    public var gemeenten: [SimulatedGemeente]
    /// The seed of its data.
    public var seed: UInt64
    /// How many records there are.
    public var volume: SyntheticVolume
    /// The OAuth2 clients that may fetch tokens.
    public var clients: [ClientCredential]
    /// How long a token is valid, in seconds.
    public var tokenLifetimeSeconds: Int
    /// Page size when a request names none (capped at the stream's maximum).
    public var defaultPageSize: Int?
    /// Signs every response.
    public var signer: any ResponseSigning
    /// Signs under the `untrustedChain` fault.
    public var untrustedSigner: (any ResponseSigning)?
    /// Signs under the `expiredCertificate` fault.
    public var expiredSigner: (any ResponseSigning)?
    /// Signs under the `wrongOINSigner` fault: a trusted certificate with another OIN.
    public var wrongOINSigner: (any ResponseSigning)?
    /// Checks CBS's request signatures (401 or 403 when they fail); nil: only a present
    /// `Digest` is checked (400 when it does not match).
    public var requestVerifier: (any RequestVerifying)?
    /// Bearer secret for `{base}/_simulator/...`; nil: those endpoints do not exist.
    public var adminSecret: String?

    /// A service with defaults: API version 1.2, 300 records a month, tokens valid an hour,
    /// the placeholder signer, requests not verified.
    public init(
        name: String, basePath: String, stroom: Stroom = .vroegsignalering, apiVersion: ExchangeAPIVersion = .standard,
        codeGegevensleverancier: String? = nil, gemeenten: [SimulatedGemeente], seed: UInt64 = 1,
        volume: SyntheticVolume = SyntheticVolume(), clients: [ClientCredential], tokenLifetimeSeconds: Int = 3_600,
        defaultPageSize: Int? = nil, responseSigning: SigningProfile = .standard, signer: any ResponseSigning = PlaceholderSigner(),
        untrustedSigner: (any ResponseSigning)? = nil, expiredSigner: (any ResponseSigning)? = nil,
        wrongOINSigner: (any ResponseSigning)? = nil, requestVerifier: (any RequestVerifying)? = nil, adminSecret: String? = nil
    ) {
        self.name = name
        self.basePath = basePath
        self.stroom = stroom
        self.apiVersion = apiVersion
        self.responseSigning = responseSigning
        self.codeGegevensleverancier = codeGegevensleverancier ?? name
        self.gemeenten = gemeenten
        self.seed = seed
        self.volume = volume
        self.clients = clients
        self.tokenLifetimeSeconds = tokenLifetimeSeconds
        self.defaultPageSize = defaultPageSize
        self.signer = signer
        self.untrustedSigner = untrustedSigner
        self.expiredSigner = expiredSigner
        self.wrongOINSigner = wrongOINSigner
        self.requestVerifier = requestVerifier
        self.adminSecret = adminSecret
    }

    /// The extra signers this service has.
    var signerRoles: Set<SignerRole> {
        var roles: Set<SignerRole> = []
        if untrustedSigner != nil { roles.insert(.untrusted) }
        if expiredSigner != nil { roles.insert(.expired) }
        if wrongOINSigner != nil { roles.insert(.wrongOIN) }
        return roles
    }

    /// Signs with the keys of a test PKI folder (`ddas-supplier-sim pki`), in the profile
    /// `responseSigning`: `leverancier` normally, `verlopen` and `onbekend` for the certificate
    /// faults, and `andere-oin` (when the folder has it) for `wrongOINSigner`.
    public mutating func loadSigners(fromTestPKI folder: String) throws {
        signer = try JAdESResponseSigner.load(folder, "leverancier", profile: responseSigning)
        expiredSigner = try JAdESResponseSigner.load(folder, "verlopen", profile: responseSigning)
        untrustedSigner = try JAdESResponseSigner.load(folder, "onbekend", profile: responseSigning)
        if FileManager.default.fileExists(atPath: folder + "/\(JAdESResponseSigner.wrongOINName).chain.pem") {
            wrongOINSigner = try JAdESResponseSigner.load(folder, JAdESResponseSigner.wrongOINName, profile: responseSigning)
        }
    }

    /// The page size used when a request names `requested` (nil: none).
    func pageSize(requested: Int?) -> Int {
        min(requested ?? defaultPageSize ?? stroom.maximumPageSize, stroom.maximumPageSize)
    }

    /// The base path without a trailing slash, starting with one.
    public var normalizedBasePath: String {
        var path = basePath
        while path.hasSuffix("/") { path.removeLast() }
        return path.hasPrefix("/") ? path : "/" + path
    }
}

/// Everything one simulator process serves.
public struct SimulatorConfiguration: Sendable {
    /// Address to listen on.
    public var host: String
    /// Port to listen on; 0 lets the system choose (the bound port is reported once running).
    public var port: Int
    /// The supplier services, each under its own base path.
    public var suppliers: [LeverancierDienst]
    /// Faults in force at start.
    public var faults: [FaultRule]
    /// Seed of the random draws of fault rules with a rate.
    public var faultSeed: UInt64
    /// The test PKI's OCSP responder and CRLs (`RevocationController`); nil: not served.
    public var revocation: SimulatedRevocation?

    /// A configuration; by default on 127.0.0.1 and a port the system chooses.
    public init(host: String = "127.0.0.1", port: Int = 0, suppliers: [LeverancierDienst], faults: [FaultRule] = [], faultSeed: UInt64 = 0)
    {
        self.host = host
        self.port = port
        self.suppliers = suppliers
        self.faults = faults
        self.faultSeed = faultSeed
    }

    /// Refuses what cannot run: no suppliers, clashing names or base paths, a supplier without
    /// gemeenten or clients, a nonsensical lifetime or page size.
    func validate() throws(SimulatorConfigurationError) {
        guard !suppliers.isEmpty else {
            throw SimulatorConfigurationError(code: "no-suppliers", message: "no supplier services are configured")
        }
        var names: Set<String> = []
        var paths: Set<String> = []
        for supplier in suppliers {
            guard names.insert(supplier.name).inserted else {
                throw SimulatorConfigurationError(code: "duplicate-supplier", message: "supplier name '\(supplier.name)' is used twice")
            }
            guard paths.insert(supplier.normalizedBasePath).inserted else {
                throw SimulatorConfigurationError(code: "duplicate-base-path", message: "base path '\(supplier.basePath)' is used twice")
            }
            guard !supplier.gemeenten.isEmpty else {
                throw SimulatorConfigurationError(code: "no-gemeenten", message: "supplier '\(supplier.name)' serves no gemeenten")
            }
            guard !supplier.clients.isEmpty else {
                throw SimulatorConfigurationError(code: "no-clients", message: "supplier '\(supplier.name)' has no OAuth2 clients")
            }
            guard supplier.tokenLifetimeSeconds > 0 else {
                throw SimulatorConfigurationError(
                    code: "invalid-token-lifetime", message: "supplier '\(supplier.name)': tokenLifetimeSeconds must be positive")
            }
            if let size = supplier.defaultPageSize, size < 1 {
                throw SimulatorConfigurationError(
                    code: "invalid-page-size", message: "supplier '\(supplier.name)': defaultPageSize must be at least 1")
            }
            guard supplier.volume.recordsPerMonth >= 0, supplier.volume.recordsPerMonthByGemeente.values.allSatisfy({ $0 >= 0 }) else {
                throw SimulatorConfigurationError(
                    code: "invalid-volume", message: "supplier '\(supplier.name)': record counts must not be negative")
            }
        }
    }
}
