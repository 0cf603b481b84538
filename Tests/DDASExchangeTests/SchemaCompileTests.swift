import DDASExchange
import Foundation
import Testing

@Suite("JSON Schema compilation: refuses what it cannot assert")
struct SchemaCompileTests {
    @Test(
        "refuses schemas it cannot fully check, naming the keyword and where",
        arguments: [
            (##"{"properties":{"a":{"pattern":"^x$"}}}"##, SchemaCompileError.Code.unsupportedKeyword, "/properties/a/pattern"),
            (##"{"if":{},"then":{}}"##, .unsupportedKeyword, "/if"),
            (##"{"unevaluatedProperties":false}"##, .unsupportedKeyword, "/unevaluatedProperties"),
            (##"{"typo":1}"##, .unknownKeyword, "/typo"),
            (##"{"definitions":{}}"##, .unknownKeyword, "/definitions"),
            (##"{"format":"uri"}"##, .unknownFormat, "/format"),
            (##"{"type":"text"}"##, .invalidKeywordValue, "/type"),
            (##"{"type":["string","string"]}"##, .invalidKeywordValue, "/type"),
            (##"{"minItems":-1}"##, .invalidKeywordValue, "/minItems"),
            (##"{"minLength":1.5}"##, .invalidKeywordValue, "/minLength"),
            (##"{"required":"a"}"##, .invalidKeywordValue, "/required"),
            (##"{"required":["a","a"]}"##, .invalidKeywordValue, "/required"),
            (##"{"items":[{}]}"##, .invalidKeywordValue, "/items"),
            (##"{"oneOf":[]}"##, .invalidKeywordValue, "/oneOf"),
            (##"{"uniqueItems":"yes"}"##, .invalidKeywordValue, "/uniqueItems"),
            (##"{"properties":{"a":3}}"##, .notASchema, "/properties/a"),
            (##"{"$ref":"#/$defs/missing"}"##, .unresolvableReference, "/$ref"),
            (##"{"$ref":"#anchor"}"##, .unresolvableReference, "/$ref"),
            (##"{"$ref":"other.json#/a"}"##, .externalReference, "/$ref"),
            (##"{"$ref":"#"}"##, .referenceCycle, ""),
            (##"{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"allOf":[{"$ref":"#/$defs/a"}]}}}"##, .referenceCycle, "/$defs/a"),
            (##"{"properties":{"a":{"$id":"x"}}}"##, .unsupportedKeyword, "/properties/a/$id"),
        ])
    func refuses(schema: String, code: SchemaCompileError.Code, location: String) throws {
        let document = try json(schema)
        let error = #expect(throws: SchemaCompileError.self) { try JSONSchema(document) }
        #expect(error?.code == code)
        if code == .referenceCycle {
            #expect(error?.location.isEmpty == location.isEmpty)
        } else {
            #expect(error?.location == location)
        }
    }

    @Test("ignores annotations, and more words when told to")
    func annotations() throws {
        let schema = ##"""
            {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://example.org/s.json","title":"t",
             "description":"d","$comment":"c","examples":[1],"default":1,"deprecated":false,"readOnly":false,
             "writeOnly":false,"properties":{"a":{"description":"x","type":"string","x-extra":true}}}
            """##
        let error = #expect(throws: SchemaCompileError.self) { try JSONSchema(json(schema)) }
        #expect(error?.keyword == "x-extra")
        #expect(
            error?.description
                == "schema not usable: 'x-extra' at schema location /properties/a/x-extra is not a JSON Schema 2020-12 keyword (unknown_keyword)"
        )
        let compiled = try JSONSchema(json(schema), options: SchemaCompileOptions(ignoredKeywords: ["x-extra"]))
        #expect(compiled.id == "https://example.org/s.json")
        #expect(compiled.validate(try json(##"{"a":1}"##)).violations.map(\.keyword) == [.type])
    }

    @Test("a $ref may name the document by its $id")
    func referenceThroughID() throws {
        let schema =
            ##"{"$id":"https://example.org/s.json","$defs":{"d":{"type":"integer"}},"properties":{"a":{"$ref":"https://example.org/s.json#/$defs/d"}}}"##
        #expect(try violations(schema: schema, instance: ##"{"a":"x"}"##) == [Found("/a", .type, "/$defs/d/type")])
    }

    @Test("refuses schema text that is not JSON")
    func invalidJSON() {
        let error = #expect(throws: SchemaCompileError.self) { try JSONSchema(jsonBytes: Data("{".utf8)) }
        #expect(error?.code == .invalidJSON)
    }
}
