import DDASExchange
import Foundation
import Testing

/// Where the VS vroegsignaal schema lives in `DDAS-VS-uitwisselmodel-v1.2.json`.
private let vroegsignaalItems = "/properties/leveringen/items/properties/vroegsignalen/items"

@Suite("Schema validation on the tape: the same violations, attributed to records in one pass")
struct SchemaTapeTests {
    /// A VS payload with faults in records 0, 2 and 3 and one outside any record.
    static func faultyDocument() -> JSONValue {
        var document = DDASFixtures.vroegsignalering
        document = document.replacing("/leveringen/0/vroegsignalen/0/signaaldatum", with: "2026-02-30")
        document = document.replacing("/leveringen/0/vroegsignalen/0/opmerking", with: "x")
        document = document.replacing("/leveringen/0/vroegsignalen/-", with: ["ID": "X-1", "client": ["huisnummer": "1"]])
        document = document.replacing("/leveringen/0/vroegsignalen/-", with: ["ID": 7])
        document = document.replacing("/leveringen/0/vroegsignalen/1/status", with: "Onbekend")
        return document.replacing("/codeGegevensleverancier", with: 12)
    }

    @Test("the tape gives the violations, counts and messages the tree gives, whatever table the tape was read with")
    func sameAsTree() throws {
        let model = try shippedModel(.vroegsignalering)
        let document = Self.faultyDocument()
        for options in [SchemaValidationOptions(), SchemaValidationOptions(namesUnknownMembers: true)] {
            let fromTree = model.schema.validate(document, options: options)
            let withKeys = try JSONTape(parsing: document.jsonBytes(), keys: model.schema.keys)
            let withoutKeys = try JSONTape(parsing: document.jsonBytes())
            #expect(model.schema.validate(withKeys.root, options: options) == fromTree)
            #expect(model.schema.validate(withoutKeys.root, options: options) == fromTree)
            #expect(fromTree.totalViolationCount > 5)
        }
        #expect(model.schema.accepts(try JSONTape(parsing: DDASFixtures.vroegsignalering.jsonBytes()).root))
        #expect(!model.schema.accepts(try JSONTape(parsing: document.jsonBytes()).root))
    }

    @Test("each record's violations are counted in the page's own validation, as validating the record alone counts them")
    func countsByRecord() throws {
        let model = try shippedModel(.vroegsignalering)
        let document = Self.faultyDocument()
        let result = model.schema.validate(try JSONTape(parsing: document.jsonBytes(), keys: model.schema.keys).root)
        let records = try #require(document["leveringen"]?.arrayValue?.first?["vroegsignalen"]?.arrayValue)
        var expected: [SchemaRecordPlace: [String: Int]] = [:]
        for (index, record) in records.enumerated() {
            let alone = try #require(model.schema.validate(record, subschemaAt: vroegsignaalItems))
            if !alone.isValid {
                expected[SchemaRecordPlace(collection: "leveringen", collectionIndex: 0, array: "vroegsignalen", index: index)] =
                    alone.countsByKeywordLocation
            }
        }
        #expect(result.countsByRecord == expected)
        #expect(Set(result.countsByRecord.keys.map(\.index)) == [0, 1, 2, 3])
        let inside = result.countsByRecord.values.reduce(0) { $0 + $1.values.reduce(0, +) }
        #expect(result.totalViolationCount - inside == 1)
    }

    @Test("a valid page has no record counts; string rules count code points on the bytes")
    func stringRules() throws {
        let model = try shippedModel(.vroegsignalering)
        let valid = model.schema.validate(try JSONTape(parsing: DDASFixtures.vroegsignalering.jsonBytes()).root)
        #expect(valid.isValid && valid.countsByRecord.isEmpty)
        // Eight code points in nine bytes is still too short for a BSN (nine characters).
        let short = DDASFixtures.vroegsignalering.replacing(
            "/leveringen/0/vroegsignalen/0/client/burgerservicenummer", with: "1112223é")
        let result = model.schema.validate(try JSONTape(parsing: short.jsonBytes()).root)
        #expect(
            result.violations.first?.message
                == "matches none of the 2 alternatives (1: minLength at /burgerservicenummer; 2: not)")
        #expect(result == model.schema.validate(short))
    }
}
