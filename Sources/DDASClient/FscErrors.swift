import Foundation
import RegieDomain

/// An `FscError` body (FSC Core 1.0.0, as the DDAS API files give it): the error code and the
/// side that answered, Inway (the supplier's) or Outway (ours).
public struct FscError: Sendable, Hashable {
    /// Which FSC component answered.
    public enum Domain: String, Sendable, Hashable {
        /// The supplier's Inway: the problem is on the supplier's side.
        case inway = "ERROR_DOMAIN_INWAY"
        /// Our Outway: the problem is on our side.
        case outway = "ERROR_DOMAIN_OUTWAY"
    }

    /// `ERROR_CODE_...`, its own characters only.
    public let code: String
    /// The side that answered, when the body named a known one.
    public let domain: Domain?

    public init(code: String, domain: Domain?) {
        self.code = code
        self.domain = domain
    }

    /// Reads an `FscError` from a refusal's body; nil when it is not a JSON object with a
    /// string `code`. Titles and details are not kept: they are the other side's free text.
    static func read(_ body: [UInt8]) -> FscError? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let code = object["code"] as? String
        else { return nil }
        let cleaned = LeverancierTransport.fscCode(code)
        guard !cleaned.isEmpty else { return nil }
        return FscError(code: cleaned, domain: (object["domain"] as? String).flatMap(Domain.init(rawValue:)))
    }
}

/// What an FSC error means for a pull: from the `Fsc-Error-Code` (header or `FscError` body) and
/// the domain, its failure class and the reason in Dutch for the report. Whether a later try
/// follows is `LeveringLifecycle`'s rule for that class; the outcomes below are what it decides.
///
/// | code | outcome | reason |
/// |---|---|---|
/// | `ERROR_CODE_ACCESS_TOKEN_EXPIRED` | retry (once at once with a new token, then with backoff) | the access token had expired |
/// | `ERROR_CODE_SERVICE_UNREACHABLE` | retry with backoff | the supplier's service cannot be reached |
/// | `ERROR_CODE_ACCESS_TOKEN_MISSING` | final | no access token: configuration |
/// | `ERROR_CODE_ACCESS_TOKEN_INVALID` | final (after one new token) | the token is refused: configuration |
/// | `ERROR_CODE_WRONG_GROUP_ID_IN_TOKEN` | final | the FSC group does not match: configuration |
/// | `ERROR_CODE_SERVICE_NOT_FOUND` | final | the service is unknown to FSC: configuration |
/// | `ERROR_CODE_METHOD_UNSUPPORTED` | final | the call is not supported: configuration |
///
/// Any other code falls back to the HTTP status (DESIGN.md §5). The domain says whose
/// configuration: Outway is ours, Inway the supplier's.
public enum FscErrorTable {
    /// The decision for one code: its class (whether a later try may succeed is the
    /// lifecycle's rule for that class).
    public struct Decision: Sendable, Hashable {
        public let klasse: LeveringFailure.Klasse
        /// Dutch, for the delivery report.
        public let reden: String
    }

    /// The code the Outway answers when its access token expired; it renews the token itself.
    public static let accessTokenExpired = "ERROR_CODE_ACCESS_TOKEN_EXPIRED"

    /// The decision for `code` from `domain`; nil for a code the table does not know.
    public static func decision(code: String, domain: FscError.Domain?) -> Decision? {
        let side =
            switch domain {
            case .inway: " (Inway van de leverancier)"
            case .outway: " (Outway van CBS)"
            case nil: ""
            }
        switch code {
        case accessTokenExpired:
            return Decision(
                klasse: .fscTokenExpired, reden: "het FSC-toegangstoken was verlopen\(side); opnieuw geprobeerd")
        case "ERROR_CODE_SERVICE_UNREACHABLE":
            return Decision(
                klasse: .fscUnreachable, reden: "de dienst van de leverancier is niet bereikbaar\(side)")
        case "ERROR_CODE_ACCESS_TOKEN_MISSING":
            return Decision(
                klasse: .fscConfiguration,
                reden: "er ging geen FSC-toegangstoken mee\(side): een configuratiefout, \(whose(domain))")
        case "ERROR_CODE_ACCESS_TOKEN_INVALID":
            return Decision(
                klasse: .fscConfiguration,
                reden: "het FSC-toegangstoken werd geweigerd\(side): een configuratiefout, \(whose(domain))")
        case "ERROR_CODE_WRONG_GROUP_ID_IN_TOKEN":
            return Decision(
                klasse: .fscConfiguration,
                reden: "het FSC-toegangstoken is van een andere FSC-groep\(side): een configuratiefout, \(whose(domain))")
        case "ERROR_CODE_SERVICE_NOT_FOUND":
            return Decision(
                klasse: .fscConfiguration,
                reden: "de dienst is bij FSC niet bekend\(side): een configuratiefout, \(whose(domain))")
        case "ERROR_CODE_METHOD_UNSUPPORTED":
            return Decision(
                klasse: .fscConfiguration,
                reden: "de aanroep wordt niet ondersteund\(side): een configuratiefout, \(whose(domain))")
        default:
            return nil
        }
    }

    private static func whose(_ domain: FscError.Domain?) -> String {
        switch domain {
        case .inway: "aan de kant van de leverancier"
        case .outway: "aan onze kant"
        case nil: "bij ons of bij de leverancier"
        }
    }
}
