import DDASExchange
import Foundation
import Testing

@Suite("The GegevensRequest body")
struct GegevensRequestTests {
    @Test("encodes canonical compact JSON with the members in the specification's order")
    func encoding() throws {
        let request = try GegevensRequest(
            aanleverperiodeStartdatum: "2026-01-01", aanleverperiodeEinddatum: "2026-03-31",
            aanleverendeOrganisatie: "Gemeente \"Voorbeeld\" – Zuid", page: 2, pageSize: 50000)
        let text = String(decoding: request.jsonBytes(), as: UTF8.self)
        #expect(
            text
                == ##"{"aanleverperiodeStartdatum":"2026-01-01","aanleverperiodeEinddatum":"2026-03-31","aanleverende_organisatie":"Gemeente \"Voorbeeld\" – Zuid","page":2,"pageSize":50000}"##
        )
        #expect(String(decoding: try GegevensRequest(page: 1).jsonBytes(), as: UTF8.self) == ##"{"page":1}"##)
        #expect(String(decoding: try GegevensRequest().jsonBytes(), as: UTF8.self) == "{}")
    }

    @Test("reads back what it writes")
    func roundTrip() throws {
        let request = try GegevensRequest(aanleverperiodeStartdatum: "2024-02-29", aanleverendeOrganisatie: "Org", pageSize: 10)
        #expect(try GegevensRequest(jsonBytes: Data(request.jsonBytes())) == request)
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
