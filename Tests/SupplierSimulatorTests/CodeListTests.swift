import Foundation
import Testing

@testable import SupplierSimulator

/// The generator's code lists against the JSON Schemas of the exchange.
@Suite("Code lists")
struct CodeListTests {
    /// The `$defs` of a schema file the project ships in `Exchange/`.
    static func definitions(_ file: String) throws -> [String: Any] {
        let found = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Exchange").appendingPathComponent(file)
        let schema = try JSONSerialization.jsonObject(with: try Data(contentsOf: found)) as? [String: Any]
        return schema?["$defs"] as? [String: Any] ?? [:]
    }

    static func values(_ definitions: [String: Any], _ name: String) -> Set<String> {
        Set((definitions[name] as? [String: Any])?["enum"] as? [String] ?? [])
    }

    @Test("every VS code list is the schema's enum, value for value")
    func vroegsignalering() throws {
        let definitions = try Self.definitions("DDAS-VS-uitwisselmodel-v1.2.json")
        let codes = VroegsignaleringCodes()
        #expect(Set(codes.eindresultaten.names.filter { !$0.isEmpty }) == Self.values(definitions, "EnumEindresultaat"))
        #expect(Set(codes.signaalpartners.names) == Self.values(definitions, "EnumSignaalpartner"))
        #expect(Set(codes.contactsoorten.names) == Self.values(definitions, "EnumContactsoort"))
        #expect(Set(codes.dagdelen.names) == Self.values(definitions, "EnumDagdeel"))
        #expect(Set(codes.geslachten.names) == Self.values(definitions, "geslacht"))
        let statuses = Self.values(definitions, "EnumSignaalstatus")
        #expect(statuses.contains("Opgepakt") && statuses.contains("Nog niet opgepakt"))
        let notTakenUp = zip(codes.eindresultaten.names, codes.afhandelingen).filter { $0.1 == .nietOpgepakt }.map(\.0)
        #expect(!notTakenUp.isEmpty)
        #expect(notTakenUp.allSatisfy(statuses.contains))
    }

    @Test("every SHV code list is the schema's enum, value for value")
    func schuldhulpverlening() throws {
        let definitions = try Self.definitions("DDAS-SHV-uitwisselmodel-v1.0.json")
        let codes = SchuldhulpCodes()
        #expect(Set(codes.geslachten.names) == Self.values(definitions, "geslacht"))
        #expect(Set(codes.beschikkingssoorten.names) == Self.values(definitions, "EnumBeschikkingssoort"))
        #expect(Set(codes.schuldsoorten.names) == Self.values(definitions, "EnumSchuldensoort"))
        #expect(Set(codes.oplossingssoorten.names) == Self.values(definitions, "EnumOplossingssoort"))
        #expect(Set(codes.begeleidingssoorten.names) == Self.values(definitions, "EnumBegeleidingssoort"))
        #expect(Set(codes.uitstroomredenen.names) == Self.values(definitions, "EnumUitstroomreden"))
    }
}
