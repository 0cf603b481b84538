import DDASExchange
import Foundation
import Testing

@Suite("The GegevensRequest body")
struct GegevensRequestTests {
    @Test(
        "encodes canonical compact JSON with the members in the specification's order, the organisation named as its version names it",
        arguments: [(ExchangeAPIVersion.v1_0, "aanleverende_organisatie"), (.v1_2, "aanleverendeOrganisatie")])
    func encoding(version: ExchangeAPIVersion, organisation: String) throws {
        let request = try GegevensRequest(
            aanleverperiodeStartdatum: "2026-01-01", aanleverperiodeEinddatum: "2026-03-31",
            aanleverendeOrganisatie: "Gemeente \"Voorbeeld\" – Zuid", page: 2, pageSize: 50000)
        let text = String(decoding: request.jsonBytes(version: version), as: UTF8.self)
        #expect(
            text
                == ##"{"aanleverperiodeStartdatum":"2026-01-01","aanleverperiodeEinddatum":"2026-03-31","##
                + ##""\##(organisation)":"Gemeente \"Voorbeeld\" – Zuid","page":2,"pageSize":50000}"##
        )
        #expect(String(decoding: try GegevensRequest(page: 1).jsonBytes(version: version), as: UTF8.self) == ##"{"page":1}"##)
        #expect(String(decoding: try GegevensRequest().jsonBytes(version: version), as: UTF8.self) == "{}")
    }

    @Test("reads back what it writes, in either version; the newest version is the default")
    func roundTrip() throws {
        let request = try GegevensRequest(aanleverperiodeStartdatum: "2024-02-29", aanleverendeOrganisatie: "Org", pageSize: 10)
        for version in ExchangeAPIVersion.allCases {
            #expect(try GegevensRequest(jsonBytes: Data(request.jsonBytes(version: version)), version: version) == request)
        }
        #expect(ExchangeAPIVersion.standard == .v1_2)
        #expect(String(decoding: request.jsonBytes(), as: UTF8.self).contains(#""aanleverendeOrganisatie""#))
    }

    @Test("a supplier on one version refuses the other version's organisation member as unknown", arguments: ExchangeAPIVersion.allCases)
    func otherVersionRefused(version: ExchangeAPIVersion) throws {
        let other = ExchangeAPIVersion.allCases.first { $0 != version }!
        let body = try GegevensRequest(aanleverendeOrganisatie: "Org", page: 1).jsonBytes(version: other)
        let error = #expect(throws: GegevensRequestError.self) { try GegevensRequest(jsonBytes: Data(body), version: version) }
        #expect(error?.code == .unknownMember)
    }

    @Test(
        "refuses requests the specification does not allow",
        arguments: [
            (##"{"page":0}"##, GegevensRequestError.Code.belowMinimum, "page"),
            (##"{"pageSize":-5}"##, .belowMinimum, "pageSize"),
            (##"{"page":"1"}"##, .wrongType, "page"),
            (##"{"page":1.5}"##, .wrongType, "page"),
            (##"{"aanleverperiodeStartdatum":"2026-02-30"}"##, .invalidDate, "aanleverperiodeStartdatum"),
            (##"{"aanleverperiodeEinddatum":20260101}"##, .wrongType, "aanleverperiodeEinddatum"),
            (
                ##"{"aanleverperiodeStartdatum":"2026-02-01","aanleverperiodeEinddatum":"2026-01-31"}"##, .periodReversed,
                "aanleverperiodeEinddatum"
            ),
            (##"{"gemeentecode":"0363"}"##, .unknownMember, nil),
            (##"[]"##, .notAnObject, nil),
            (##"{"page":1"##, .invalidJSON, nil),
        ] as [(String, GegevensRequestError.Code, String?)])
    func refused(body: String, code: GegevensRequestError.Code, field: String?) {
        let error = #expect(throws: GegevensRequestError.self) { try GegevensRequest(jsonBytes: Data(body.utf8)) }
        #expect(error?.code == code)
        #expect(error?.field == field)
    }
}
