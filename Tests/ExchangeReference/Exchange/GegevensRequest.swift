import Foundation

/// The body of `POST /gegevens` (`GegevensRequest` in `DDAS-VS.yaml` and `DDAS-SHV.yaml`):
/// every field optional, dates `YYYY-MM-DD`, page and page size at least 1. The organisation
/// member's name depends on the API version (``ExchangeAPIVersion``).
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

    /// Reads a request body strictly, as a supplier on `version` reads it: a JSON object with
    /// no members but the five of that version, each of the right type. The other version's
    /// organisation member is an unknown member.
    public init(jsonBytes: Data, version: ExchangeAPIVersion = .standard) throws(GegevensRequestError) {
        let object: JSONObject
        do {
            guard case .object(let parsed) = try JSONValue(parsing: jsonBytes) else {
                throw GegevensRequestError(.notAnObject, field: nil)
            }
            object = parsed
        } catch let error as GegevensRequestError {
            throw error
        } catch {
            throw GegevensRequestError(.invalidJSON, field: nil)
        }
        var strings: [String: String] = [:]
        var integers: [String: Int] = [:]
        let organisation = version.organisationField
        for member in object.members {
            switch member.key {
            case "aanleverperiodeStartdatum", "aanleverperiodeEinddatum", organisation:
                guard case .string(let text) = member.value else { throw GegevensRequestError(.wrongType, field: member.key) }
                strings[member.key] = text
            case "page", "pageSize":
                guard let integer = member.value.integerValue, let value = Int(exactly: integer) else {
                    throw GegevensRequestError(.wrongType, field: member.key)
                }
                integers[member.key] = value
            default:
                throw GegevensRequestError(.unknownMember, field: nil)
            }
        }
        try self.init(
            aanleverperiodeStartdatum: strings["aanleverperiodeStartdatum"],
            aanleverperiodeEinddatum: strings["aanleverperiodeEinddatum"],
            aanleverendeOrganisatie: strings[organisation], page: integers["page"],
            pageSize: integers["pageSize"])
    }

    /// The canonical body for a supplier on `version`: compact JSON, members in the order of
    /// the specification (`aanleverperiodeStartdatum`, `aanleverperiodeEinddatum`, the
    /// organisation, `page`, `pageSize`), absent fields left out. The same request always
    /// gives the same bytes, so its `Digest` and signature are reproducible.
    public func jsonBytes(version: ExchangeAPIVersion = .standard) -> [UInt8] {
        var members: [JSONObject.Member] = []
        if let aanleverperiodeStartdatum {
            members.append(.init(key: "aanleverperiodeStartdatum", value: .string(aanleverperiodeStartdatum)))
        }
        if let aanleverperiodeEinddatum {
            members.append(.init(key: "aanleverperiodeEinddatum", value: .string(aanleverperiodeEinddatum)))
        }
        if let aanleverendeOrganisatie {
            members.append(.init(key: version.organisationField, value: .string(aanleverendeOrganisatie)))
        }
        if let page { members.append(.init(key: "page", value: .number(JSONNumber(Int64(page))))) }
        if let pageSize { members.append(.init(key: "pageSize", value: .number(JSONNumber(Int64(pageSize))))) }
        return JSONValue.object(JSONObject(unchecked: members)).jsonBytes()
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
