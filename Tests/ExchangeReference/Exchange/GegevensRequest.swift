import Foundation

/// The body of `POST /gegevens` (`GegevensRequest` in `DDAS-VS.yaml` and `DDAS-SHV.yaml`):
/// every field optional, dates `YYYY-MM-DD`, page and page size at least 1. The organisation
/// member's name depends on the API version.
public struct GegevensRequest: Sendable, Hashable {
    /// The first day of the delivery period.
    public let aanleverperiodeStartdatum: String?
    /// The last day of the delivery period.
    public let aanleverperiodeEinddatum: String?
    /// The organisation (by the name the supplier knows it) whose data is asked for.
    public let aanleverendeOrganisatie: String?
    /// The page asked for, from 1.
    public let page: Int?
    /// The records per page asked for.
    public let pageSize: Int?

    /// A request; refused when a date is not a calendar date, the period runs backwards, or
    /// `page` or `pageSize` is below 1.
    public init(
        aanleverperiodeStartdatum: String? = nil, aanleverperiodeEinddatum: String? = nil,
        aanleverendeOrganisatie: String? = nil, page: Int? = nil, pageSize: Int? = nil
    ) throws(GegevensRequestError) {
        for (name, date) in [
            ("aanleverperiodeStartdatum", aanleverperiodeStartdatum), ("aanleverperiodeEinddatum", aanleverperiodeEinddatum),
        ] {
            if let date, !StringFormat.date.accepts(date) { throw GegevensRequestError(.invalidDate, field: name) }
        }
        if let start = aanleverperiodeStartdatum, let end = aanleverperiodeEinddatum, end < start {
            throw GegevensRequestError(.periodReversed, field: "aanleverperiodeEinddatum")
        }
        if let page, page < 1 { throw GegevensRequestError(.belowMinimum, field: "page") }
        if let pageSize, pageSize < 1 { throw GegevensRequestError(.belowMinimum, field: "pageSize") }
        self.aanleverperiodeStartdatum = aanleverperiodeStartdatum
        self.aanleverperiodeEinddatum = aanleverperiodeEinddatum
        self.aanleverendeOrganisatie = aanleverendeOrganisatie
        self.page = page
        self.pageSize = pageSize
    }
}

/// Why a `GegevensRequest` is refused: a stable code and the field concerned (a field name of
/// the specification, never a value).
public struct GegevensRequestError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The body is not JSON.
        case invalidJSON = "invalid_json"
        /// The body is JSON but not an object.
        case notAnObject = "not_an_object"
        /// A member that the specification does not define (`additionalProperties: false`).
        case unknownMember = "unknown_member"
        /// A member of the wrong JSON type.
        case wrongType = "wrong_type"
        /// A date that is not `YYYY-MM-DD` or not in the calendar.
        case invalidDate = "invalid_date"
        /// The period ends before it starts.
        case periodReversed = "period_reversed"
        /// `page` or `pageSize` below 1.
        case belowMinimum = "below_minimum"
    }

    /// What is wrong.
    public let code: Code
    /// The field concerned, when there is one.
    public let field: String?

    /// An error.
    public init(_ code: Code, field: String?) {
        self.code = code
        self.field = field
    }

    public var description: String {
        let subject = field.map { "'\($0)'" } ?? "the request"
        let reason =
            switch code {
            case .invalidJSON: "the body is not valid JSON"
            case .notAnObject: "the body is not a JSON object"
            case .unknownMember: "the body has a member the specification does not define"
            case .wrongType: "\(subject) has the wrong type"
            case .invalidDate: "\(subject) is not a date (YYYY-MM-DD)"
            case .periodReversed: "the period ends before it starts"
            case .belowMinimum: "\(subject) must be at least 1"
            }
        return "invalid GegevensRequest: \(reason) (\(code.rawValue))"
    }
}
