/// The version of the DDAS exchange API a supplier service speaks: it decides the name of the
/// organisation field in the request body (`GegevensRequest`).
///
/// - `1.0` (`DDAS-VS.yaml`, `DDAS-SHV.yaml`): `aanleverende_organisatie`.
/// - `1.2` (`v1.2/DDAS-VS.yaml`, `v1.2/DDAS-SHV.yaml`): `aanleverendeOrganisatie`.
///
/// Both versions forbid other members (`additionalProperties: false`), so a supplier on one
/// version refuses a request made for the other with 400.
public enum ExchangeAPIVersion: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case v1_0 = "1.0"
    case v1_2 = "1.2"

    /// The version a supplier service speaks when its configuration names none: the newest.
    public static let standard = ExchangeAPIVersion.v1_2

    /// The request body's member for the organisation whose data is asked for.
    public var organisationField: String {
        switch self {
        case .v1_0: "aanleverende_organisatie"
        case .v1_2: "aanleverendeOrganisatie"
        }
    }

    public var description: String { rawValue }
}
