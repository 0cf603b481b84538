import DDASExchange
import Foundation

/// The body of `POST /gegevens` (`GegevensRequest` in the spec): every field optional,
/// nothing else allowed (`additionalProperties: false`). The organisation member is the one
/// of the service's API version (`aanleverende_organisatie` in 1.0, `aanleverendeOrganisatie`
/// in 1.2); the other version's name is an unknown member.
struct GegevensRequest: Equatable {
    /// `aanleverperiodeStartdatum`, `aanleverperiodeEinddatum`, the organisation, `page`, `pageSize`.
    var startdatum: KalenderDatum?
    var einddatum: KalenderDatum?
    var organisatie: String?
    var page: Int?
    var pageSize: Int?

    /// Parses and checks `body` as a service on `version` reads it; a 400 problem lists every
    /// fault at once (field names, never values).
    static func parse(_ body: [UInt8], version: ExchangeAPIVersion) throws(SimulatorProblem) -> GegevensRequest {
        let fields: RawFields
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[RawFields.versionKey] = version
            fields = try decoder.decode(RawFields.self, from: Data(body))
        } catch {
            throw SimulatorProblem.badRequest(["the body is not a JSON object"])
        }
        var reasons = fields.reasons
        var request = GegevensRequest(organisatie: fields.organisatie, page: fields.page, pageSize: fields.pageSize)
        if let text = fields.startdatum {
            request.startdatum = KalenderDatum(text)
            if request.startdatum == nil { reasons.append("aanleverperiodeStartdatum must be a date YYYY-MM-DD") }
        }
        if let text = fields.einddatum {
            request.einddatum = KalenderDatum(text)
            if request.einddatum == nil { reasons.append("aanleverperiodeEinddatum must be a date YYYY-MM-DD") }
        }
        if let page = fields.page, page < 1 { reasons.append("page must be at least 1") }
        if let pageSize = fields.pageSize, pageSize < 1 { reasons.append("pageSize must be at least 1") }
        guard reasons.isEmpty else { throw SimulatorProblem.badRequest(reasons) }
        return request
    }

    /// The fields as sent, with what is wrong with their types.
    private struct RawFields: Decodable {
        var startdatum: String?
        var einddatum: String?
        var organisatie: String?
        var page: Int?
        var pageSize: Int?
        var reasons: [String] = []

        /// Where the decoder is told the API version.
        static let versionKey = CodingUserInfoKey(rawValue: "ddas-api-version")!

        private struct Key: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            let organisationField = (decoder.userInfo[Self.versionKey] as? ExchangeAPIVersion ?? .standard).organisationField
            for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                switch key.stringValue {
                case "aanleverperiodeStartdatum": startdatum = string(container, key)
                case "aanleverperiodeEinddatum": einddatum = string(container, key)
                case organisationField: organisatie = string(container, key)
                case "page": page = integer(container, key)
                case "pageSize": pageSize = integer(container, key)
                default: reasons.append("unknown field '\(key.stringValue.prefix(64))'")
                }
            }
        }

        private mutating func string(_ container: KeyedDecodingContainer<Key>, _ key: Key) -> String? {
            if let value = try? container.decode(String.self, forKey: key) { return value }
            reasons.append("\(key.stringValue) must be a string")
            return nil
        }

        private mutating func integer(_ container: KeyedDecodingContainer<Key>, _ key: Key) -> Int? {
            if let value = try? container.decode(Int.self, forKey: key) { return value }
            reasons.append("\(key.stringValue) must be an integer")
            return nil
        }
    }
}
