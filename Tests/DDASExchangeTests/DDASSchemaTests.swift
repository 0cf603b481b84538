import DDASExchange
import Testing

/// Where the VS item schemas live in `DDAS-VS-uitwisselmodel-v1.2.json`.
private let levering = "/properties/leveringen/items"
private let vroegsignaal = "\(levering)/properties/vroegsignalen/items"
private let zaak = "\(levering)/properties/vroegsignaalzaken/items"

@Suite("The DDAS VS schema v1.2 against a hand-built document")
struct VroegsignaleringSchemaTests {
    @Test("the schema compiles and the document satisfies it")
    func valid() throws {
        let model = try shippedModel(.vroegsignalering)
        let result = model.schema.validate(DDASFixtures.vroegsignalering)
        #expect(result.violations.isEmpty)
        #expect(result.isValid)
        #expect(model.schema.accepts(DDASFixtures.vroegsignalering))
        #expect(model.schema.id?.hasSuffix("v1.2/json_schema_Uitwisselmodel.json") == true)
    }

    @Test(
        "each way of breaking the document is found at the right place",
        arguments: [
            // A required member missing.
            ("/leveringen/0/vroegsignalen/1/ID", nil, Found("/leveringen/0/vroegsignalen/1", .required, "\(vroegsignaal)/required")),
            ("/aanleverdatumEnTijd", nil, Found("", .required, "/required")),
            // A value outside a code list.
            (
                "/leveringen/0/vroegsignaalzaken/0/resultaat", "Opgelost",
                Found("/leveringen/0/vroegsignaalzaken/0/resultaat", .enum, "/$defs/EnumEindresultaat/enum")
            ),
            (
                "/leveringen/0/vroegsignalen/0/signaalpartner/type", "energie",
                Found("/leveringen/0/vroegsignalen/0/signaalpartner/type", .enum, "/$defs/EnumSignaalpartner/enum")
            ),
            // Dates and date-times that are not.
            (
                "/leveringen/0/vroegsignalen/0/signaaldatum", "2026-02-30",
                Found("/leveringen/0/vroegsignalen/0/signaaldatum", .format, "/$defs/datum/format")
            ),
            ("/startdatumLevering", "01-01-2026", Found("/startdatumLevering", .format, "/$defs/datum/format")),
            ("/aanleverdatumEnTijd", "2026-04-02 08:15", Found("/aanleverdatumEnTijd", .format, "/$defs/datum-tijd/format")),
            (
                "/leveringen/0/aanleverendeOrganisatie/contactpersonen/0/email", "geen adres",
                Found("/leveringen/0/aanleverendeOrganisatie/contactpersonen/0/email", .format, "/$defs/email/format")
            ),
            // A member the schema does not allow.
            (
                "/leveringen/0/vroegsignalen/0/opmerking", "vrije tekst",
                Found("/leveringen/0/vroegsignalen/0", .additionalProperties, "\(vroegsignaal)/additionalProperties")
            ),
            ("/extra", 1, Found("", .additionalProperties, "/additionalProperties")),
            // The wrong JSON type.
            ("/leveringen/0/teller", "1", Found("/leveringen/0/teller", .type, "\(levering)/properties/teller/type")),
            ("/leveringen/0/vroegsignalen/0/bedrag", 12.5, Found("/leveringen/0/vroegsignalen/0/bedrag", .type, "/$defs/bedrag/type")),
            ("/leveringen/0/vroegsignalen", [:], Found("/leveringen/0/vroegsignalen", .type, "\(levering)/properties/vroegsignalen/type")),
            // An empty array where at least one item is required.
            ("/leveringen", [], Found("/leveringen", .minItems, "/properties/leveringen/minItems")),
            (
                "/leveringen/0/vroegsignaalzaken/0/vroegsignalen", [],
                Found("/leveringen/0/vroegsignaalzaken/0/vroegsignalen", .minItems, "\(zaak)/properties/vroegsignalen/minItems")
            ),
            // A duplicate in a uniqueItems array.
            (
                "/leveringen/0/vroegsignaalzaken/0/vroegsignalen", [["ID": "VS-1"], ["ID": "VS-1"]],
                Found("/leveringen/0/vroegsignaalzaken/0/vroegsignalen", .uniqueItems, "\(zaak)/properties/vroegsignalen/uniqueItems")
            ),
            // A client that matches neither form (BSN alone, or address without BSN).
            (
                "/leveringen/0/vroegsignalen/0/client/burgerservicenummer", "11122233",
                Found("/leveringen/0/vroegsignalen/0/client", .oneOf, "\(vroegsignaal)/properties/client/oneOf")
            ),
            (
                "/leveringen/0/vroegsignalen/0/client/postcode", "1011AB",
                Found("/leveringen/0/vroegsignalen/0/client", .oneOf, "\(vroegsignaal)/properties/client/oneOf")
            ),
            (
                "/leveringen/0/vroegsignalen/1/client/huisnummer", nil,
                Found("/leveringen/0/vroegsignalen/1/client", .oneOf, "\(vroegsignaal)/properties/client/oneOf")
            ),
        ] as [(String, JSONValue?, Found)])
    func broken(pointer: String, replacement: JSONValue?, expected: Found) throws {
        let model = try shippedModel(.vroegsignalering)
        let document = DDASFixtures.vroegsignalering.replacing(pointer, with: replacement)
        #expect(document != DDASFixtures.vroegsignalering)
        let result = model.schema.validate(document)
        #expect(result.violations.map(Found.init) == [expected])
        let secrets = DDASFixtures.strings(in: document).filter { $0.count >= 4 }
        #expect(!result.violations.contains { violation in secrets.contains { violation.message.contains($0) } })
    }

    @Test("a client oneOf failure says why each form failed")
    func oneOfMessage() throws {
        let model = try shippedModel(.vroegsignalering)
        let document = DDASFixtures.vroegsignalering.replacing(
            "/leveringen/0/vroegsignalen/0/client/burgerservicenummer", with: "11122233")
        let message = model.schema.validate(document).violations.first?.message
        #expect(message == "matches none of the 2 alternatives (1: minLength at /burgerservicenummer; 2: not)")
    }

    @Test("with member names asked for, the member that is not allowed is named")
    func namedMember() throws {
        let model = try shippedModel(.vroegsignalering)
        let named = SchemaValidationOptions(namesUnknownMembers: true)
        let document = DDASFixtures.vroegsignalering.replacing("/leveringen/0/vroegsignalen/0/opmerking", with: "x")
        let result = model.schema.validate(document, options: named)
        #expect(result.violations.map(\.instancePointer) == ["/leveringen/0/vroegsignalen/0/opmerking"])
        let client = DDASFixtures.vroegsignalering.replacing("/leveringen/0/vroegsignalen/0/client/postcode", with: "1011AB")
        #expect(
            model.schema.validate(client, options: named).violations.first?.message
                == "matches none of the 2 alternatives (1: additionalProperties at /postcode; 2: not)")
        #expect(
            model.schema.validate(client).violations.first?.message
                == "matches none of the 2 alternatives (1: additionalProperties; 2: not)")
    }

    @Test("violations across many records are all counted, in document order")
    func manyRecords() throws {
        let model = try shippedModel(.vroegsignalering)
        var document = DDASFixtures.vroegsignalering
        for index in 0..<3 {
            document = document.replacing(
                "/leveringen/0/vroegsignalen/-", with: ["ID": .string("X-\(index)"), "client": ["huisnummer": "1"]])
        }
        let result = model.schema.validate(document)
        #expect(result.totalViolationCount == 6)
        #expect(
            result.violations.map(\.instancePointer) == [
                "/leveringen/0/vroegsignalen/2/client", "/leveringen/0/vroegsignalen/2",
                "/leveringen/0/vroegsignalen/3/client", "/leveringen/0/vroegsignalen/3",
                "/leveringen/0/vroegsignalen/4/client", "/leveringen/0/vroegsignalen/4",
            ])
        #expect(result.countsByKeywordLocation["\(vroegsignaal)/required"] == 3)
    }
}

/// Where the SHV traject schema lives in `DDAS-SHV-uitwisselmodel-v1.0.json`.
private let traject = "/properties/leveringen/items/properties/schuldhulptrajecten/items"

@Suite("The DDAS SHV schema v1.0 against a hand-built document")
struct SchuldhulpverleningSchemaTests {
    @Test("the schema compiles and the document satisfies it")
    func valid() throws {
        let result = try shippedModel(.schuldhulpverlening).schema.validate(DDASFixtures.schuldhulpverlening)
        #expect(result.violations.isEmpty)
    }

    @Test(
        "each way of breaking the document is found at the right place",
        arguments: [
            (
                "/leveringen/0/schuldhulptrajecten/0/gemeentecode", nil,
                Found("/leveringen/0/schuldhulptrajecten/0", .required, "\(traject)/required")
            ),
            ("/leveringen/0/teller", nil, Found("/leveringen/0", .required, "/properties/leveringen/items/required")),
            (
                "/leveringen/0/schuldhulptrajecten/0/schulden/0/schuldsoort", "Huur",
                Found("/leveringen/0/schuldhulptrajecten/0/schulden/0/schuldsoort", .enum, "/$defs/EnumSchuldensoort/enum")
            ),
            (
                "/leveringen/0/schuldhulptrajecten/0/uitstroom/datum", "2026-6-1",
                Found("/leveringen/0/schuldhulptrajecten/0/uitstroom/datum", .format, "/$defs/datum/format")
            ),
            (
                "/leveringen/0/schuldhulptrajecten/0/bsn", "x",
                Found("/leveringen/0/schuldhulptrajecten/0", .additionalProperties, "\(traject)/additionalProperties")
            ),
            (
                "/leveringen/0/schuldhulptrajecten/0/oplossing/vtlb", "1400",
                Found("/leveringen/0/schuldhulptrajecten/0/oplossing/vtlb", .type, "/$defs/bedrag/type")
            ),
            (
                "/leveringen/0/schuldhulptrajecten/1/client", [],
                Found("/leveringen/0/schuldhulptrajecten/1/client", .minItems, "\(traject)/properties/client/minItems")
            ),
            (
                "/leveringen/0/schuldhulptrajecten/1/client", [[:], [:], [:]],
                Found("/leveringen/0/schuldhulptrajecten/1/client", .maxItems, "\(traject)/properties/client/maxItems")
            ),
            ("/leveringen", [], Found("/leveringen", .minItems, "/properties/leveringen/minItems")),
        ] as [(String, JSONValue?, Found)])
    func broken(pointer: String, replacement: JSONValue?, expected: Found) throws {
        let document = DDASFixtures.schuldhulpverlening.replacing(pointer, with: replacement)
        #expect(document != DDASFixtures.schuldhulpverlening)
        let result = try shippedModel(.schuldhulpverlening).schema.validate(document)
        #expect(result.violations.map(Found.init) == [expected])
    }
}
