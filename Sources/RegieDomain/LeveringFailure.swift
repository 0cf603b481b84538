import Foundation

/// Why one attempt of a levering failed: the one failure type of the delivery engine. The
/// client classifies what went wrong into a ``Klasse`` once; whether the levering is tried
/// again is decided by ``LeveringLifecycle`` from that class, never by the code that saw it.
///
/// The message names pages, counts, statuses and codes, never gemeente data or personal data:
/// it goes into the delivery report, logs and audit events.
public struct LeveringFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of a failure: the stable code the API, the metrics (`fout` label) and the
    /// op-orde-rapport show, with its Dutch label for people.
    public enum Klasse: String, CaseIterable, Sendable, Hashable {
        /// The supplier could not be reached (DNS, connection refused or reset, TLS).
        case network
        /// The supplier did not answer in time.
        case timeout
        /// The supplier answered with a 5xx status.
        case serverError
        /// The supplier answered 429, optionally with a `Retry-After`.
        case tooManyRequests
        /// A page arrived incomplete.
        case brokenPage
        /// 401: the credentials were refused.
        case unauthorized
        /// 403: no grant or contract for this call.
        case forbidden
        /// 404: the service or the period is not there.
        case notFound
        /// 422: the supplier could not process the request.
        case unprocessable
        /// Another refusing status (400, 405, …).
        case rejected
        /// A page was larger than allowed.
        case responseTooLarge
        /// The FSC access token had expired.
        case fscTokenExpired
        /// The supplier's service could not be reached through FSC.
        case fscUnreachable
        /// FSC refused the call for a configuration reason.
        case fscConfiguration
        /// The `Digest`, JAdES signature or certificate chain did not check out.
        case signature
        /// The pages break the exchange model.
        case schema
        /// The response holds data of a gemeente the pull did not ask for.
        case foreignGemeente
        /// The pages did not follow one another as the paging says.
        case paginering
        /// The validation verdict: too many records and zaken have errors.
        case validation
        /// Our configuration cannot make the pull.
        case configuration
        /// A page could not be kept on disk.
        case staging
        /// The hand-over to CBS failed.
        case sink
        /// The database failed during the pull.
        case database
        /// The pull stopped with an unexpected error.
        case `internal`
        /// The attempt was cancelled.
        case cancelled
        /// The gemeente's consent was revoked or lapsed.
        case consentWithdrawn
        /// The worker running the attempt stopped reporting and its lease ran out.
        case leaseVerlopen = "lease_verlopen"

        /// The Dutch label people read on the report, the pages and the CSV.
        public var label: String {
            switch self {
            case .network: "leverancier niet bereikbaar"
            case .timeout: "leverancier antwoordde niet op tijd"
            case .serverError: "storing bij de leverancier"
            case .tooManyRequests: "leverancier vroeg om te vertragen"
            case .brokenPage: "pagina onvolledig ontvangen"
            case .unauthorized: "inloggegevens geweigerd door de leverancier"
            case .forbidden: "toegang geweigerd door de leverancier"
            case .notFound: "dienst van de leverancier niet gevonden"
            case .unprocessable: "verzoek niet te verwerken voor de leverancier"
            case .rejected: "verzoek geweigerd door de leverancier"
            case .responseTooLarge: "pagina groter dan toegestaan"
            case .fscTokenExpired: "FSC-toegangstoken verlopen"
            case .fscUnreachable: "dienst via FSC niet bereikbaar"
            case .fscConfiguration: "FSC-configuratiefout"
            case .signature: "ondertekening ongeldig"
            case .schema: "gegevens niet volgens het uitwisselmodel"
            case .foreignGemeente: "gegevens van een andere gemeente"
            case .paginering: "paginering klopt niet"
            case .validation: "te veel fouten in de gegevens"
            case .configuration: "fout in de configuratie"
            case .staging: "tijdelijke opslag mislukt"
            case .sink: "overdracht aan CBS mislukt"
            case .database: "databasefout"
            case .internal: "interne fout"
            case .cancelled: "afgebroken"
            case .consentWithdrawn: "toestemming ingetrokken"
            case .leaseVerlopen: "verwerking onderbroken"
            }
        }
    }

    /// The finer code of a `signature` failure whose revocation status could not be had: the
    /// one signature failure a later attempt may get past.
    public static let revocationUnavailable = "revocation_unavailable"

    /// The class, which decides whether another attempt follows.
    public let klasse: Klasse
    /// What a person reads on the report.
    public let message: String
    /// The supplier's `Retry-After`, in seconds.
    public let retryAfter: TimeInterval?
    public let httpStatus: Int?
    /// The `Fsc-Error-Code` an Outway or Inway answered with.
    public let fscErrorCode: String?
    /// A finer stable code within the class, when there is one: the `SignatureFailure` code
    /// of a `signature` failure (`signer_mismatch`, `certificate_revoked`, ...).
    public let code: String?
    /// How the supplier signed the pages read before the failure (`kp-apis`, `body`, `gemengd`).
    public let signing: String?

    /// A failure of class `klasse`.
    public init(
        _ klasse: Klasse, _ message: String, retryAfter: TimeInterval? = nil, httpStatus: Int? = nil, fscErrorCode: String? = nil,
        code: String? = nil, signing: String? = nil
    ) {
        self.klasse = klasse
        self.message = message
        self.retryAfter = retryAfter
        self.httpStatus = httpStatus
        self.fscErrorCode = fscErrorCode
        self.code = code
        self.signing = signing
    }

    /// Whether another attempt may succeed without anyone changing anything: the rule of
    /// ``LeveringLifecycle``, by class.
    public var isRetryable: Bool { LeveringLifecycle.isRetryable(self) }

    public var description: String { "\(klasse.rawValue): \(message)" }
}
