import DDASExchange
import Testing

@Suite("JSON Schema keywords: one valid and one invalid case each, with pointers")
struct SchemaKeywordTests {
    @Test("type: integer is a number without fraction; arrays of types")
    func type() throws {
        let schema = ##"{"properties":{"n":{"type":"integer"},"s":{"type":["string","null"]},"x":{"type":"number"}}}"##
        #expect(try violations(schema: schema, instance: ##"{"n":3,"s":null,"x":3}"##).isEmpty)
        #expect(try violations(schema: schema, instance: ##"{"n":3.0,"s":"a","x":1.5}"##).isEmpty)
        #expect(
            try violations(schema: schema, instance: ##"{"n":3.5,"s":1,"x":"1"}"##) == [
                Found("/n", .type, "/properties/n/type"), Found("/s", .type, "/properties/s/type"),
                Found("/x", .type, "/properties/x/type"),
            ])
    }

    @Test("required and additionalProperties, as schema and as false")
    func objects() throws {
        let schema = ##"{"properties":{"a":{}},"required":["a","b"],"additionalProperties":false}"##
        #expect(try violations(schema: schema, instance: ##"{"a":1}"##) == [Found("", .required, "/required")])
        #expect(
            try violations(schema: schema, instance: ##"{"a":1,"b":2,"c~/":3}"##) == [
                Found("", .additionalProperties, "/additionalProperties"),
                Found("", .additionalProperties, "/additionalProperties"),
            ])
        let typed = ##"{"properties":{"a":{}},"additionalProperties":{"type":"string"}}"##
        #expect(try violations(schema: typed, instance: ##"{"a":1,"b":"x"}"##).isEmpty)
        #expect(try violations(schema: typed, instance: ##"{"a":1,"b":2}"##) == [Found("/b", .type, "/additionalProperties/type")])
        #expect(try violations(schema: schema, instance: "[1]").isEmpty)
    }

    @Test("a member that is not allowed is named only when asked; by default its position is counted")
    func unknownMemberNames() throws {
        let schema = try JSONSchema(json(##"{"properties":{"a":{}},"additionalProperties":false}"##))
        let instance = try json(##"{"a":1,"123456782":2,"c~/":3}"##)
        let hidden = schema.validate(instance)
        #expect(hidden.violations.map(\.instancePointer) == ["", ""])
        #expect(
            hidden.violations.map(\.message) == [
                "has a member the schema does not allow (member 2 of 3)",
                "has a member the schema does not allow (member 3 of 3)",
            ])
        #expect(!hidden.violations.contains { $0.description.contains("123456782") })
        let named = schema.validate(instance, options: SchemaValidationOptions(namesUnknownMembers: true))
        #expect(named.violations.map(\.instancePointer) == ["/123456782", "/c~0~1"])
        #expect(named.violations.map(\.message) == ["member is not allowed here", "member is not allowed here"])
    }

    @Test("the required message names the member; no message carries a value")
    func requiredMessage() throws {
        let schema = try JSONSchema(json(##"{"required":["ID"],"properties":{"bsn":{"maxLength":3}}}"##))
        let result = schema.validate(try json(##"{"bsn":"123456782"}"##))
        #expect(result.violations.map(\.message) == ["is longer than 3 characters", "required property 'ID' is missing"])
        #expect(!result.violations.contains { $0.description.contains("123456782") })
    }

    @Test("items, minItems, maxItems, uniqueItems")
    func arrays() throws {
        let schema = ##"{"items":{"type":"integer"},"minItems":1,"maxItems":3,"uniqueItems":true}"##
        #expect(try violations(schema: schema, instance: "[1,2,3]").isEmpty)
        #expect(try violations(schema: schema, instance: "[]") == [Found("", .minItems, "/minItems")])
        #expect(try violations(schema: schema, instance: "[1,2,3,4]") == [Found("", .maxItems, "/maxItems")])
        #expect(try violations(schema: schema, instance: "[1,\"a\"]") == [Found("/1", .type, "/items/type")])
        #expect(try violations(schema: schema, instance: "[1,2,1.0]") == [Found("", .uniqueItems, "/uniqueItems")])
    }

    @Test("uniqueItems compares objects regardless of member order, also in long arrays")
    func uniqueObjects() throws {
        let schema = ##"{"uniqueItems":true}"##
        #expect(try violations(schema: schema, instance: ##"[{"a":1,"b":2},{"b":2,"a":1}]"##).count == 1)
        let long = "[" + (0..<50).map { ##"{"ID":"\##($0)"}"## }.joined(separator: ",") + ##",{"ID":"7"}]"##
        let result = try JSONSchema(json(schema)).validate(try json(long))
        #expect(result.violations.map(\.message) == ["items 7 and 50 are equal; items must be unique"])
        #expect(try violations(schema: schema, instance: ##"[{"ID":"1"},{"ID":"2"}]"##).isEmpty)
    }

    @Test("minLength and maxLength count code points, not bytes or graphemes")
    func lengths() throws {
        let schema = ##"{"minLength":2,"maxLength":3}"##
        #expect(try violations(schema: schema, instance: ##""éé""##).isEmpty)
        #expect(try violations(schema: schema, instance: ##""😀😀😀""##).isEmpty)
        #expect(try violations(schema: schema, instance: ##""e\u0301""##).isEmpty)
        #expect(try violations(schema: schema, instance: ##""é""##) == [Found("", .minLength, "/minLength")])
        #expect(try violations(schema: schema, instance: ##""abcd""##) == [Found("", .maxLength, "/maxLength")])
        #expect(try violations(schema: schema, instance: "5").isEmpty)
    }

    @Test("minimum, maximum and their exclusive forms")
    func limits() throws {
        let schema = ##"{"minimum":1,"maximum":10.5}"##
        #expect(try violations(schema: schema, instance: "1").isEmpty)
        #expect(try violations(schema: schema, instance: "10.5").isEmpty)
        #expect(try violations(schema: schema, instance: "0.5") == [Found("", .minimum, "/minimum")])
        #expect(try violations(schema: schema, instance: "11") == [Found("", .maximum, "/maximum")])
        let exclusive = ##"{"exclusiveMinimum":0,"exclusiveMaximum":5}"##
        #expect(try violations(schema: exclusive, instance: "0") == [Found("", .exclusiveMinimum, "/exclusiveMinimum")])
        #expect(try violations(schema: exclusive, instance: "5") == [Found("", .exclusiveMaximum, "/exclusiveMaximum")])
        #expect(try violations(schema: exclusive, instance: "4.99").isEmpty)
    }

    @Test("enum and const use JSON equality")
    func enumAndConst() throws {
        let schema = ##"{"properties":{"e":{"enum":["Man","Vrouw",1]},"s":{"enum":["K"]},"c":{"const":{"a":[1]}}}}"##
        #expect(try violations(schema: schema, instance: ##"{"e":1.0,"s":"K","c":{"a":[1.0]}}"##).isEmpty)
        #expect(
            try violations(schema: schema, instance: ##"{"e":"man","s":"\u212A","c":{"a":[2]}}"##) == [
                Found("/e", .enum, "/properties/e/enum"), Found("/s", .enum, "/properties/s/enum"),
                Found("/c", .const, "/properties/c/const"),
            ])
    }

    @Test("allOf reports each failing part; anyOf needs one")
    func allOfAnyOf() throws {
        let all = ##"{"allOf":[{"type":"string"},{"minLength":3}]}"##
        #expect(try violations(schema: all, instance: ##""abc""##).isEmpty)
        #expect(try violations(schema: all, instance: ##""ab""##) == [Found("", .minLength, "/allOf/1/minLength")])
        let any = ##"{"anyOf":[{"type":"string"},{"type":"integer"}]}"##
        #expect(try violations(schema: any, instance: "3").isEmpty)
        #expect(try violations(schema: any, instance: "true") == [Found("", .anyOf, "/anyOf")])
    }

    @Test("oneOf: none matching and more than one matching are both reported, with why")
    func oneOf() throws {
        let schema = ##"{"oneOf":[{"required":["a"]},{"properties":{"b":{"minLength":2}},"required":["b"]}]}"##
        #expect(try violations(schema: schema, instance: ##"{"a":1}"##).isEmpty)
        let compiled = try JSONSchema(json(schema))
        let none = compiled.validate(try json(##"{"b":"x"}"##))
        #expect(none.violations.map(Found.init) == [Found("", .oneOf, "/oneOf")])
        #expect(none.violations.first?.message == "matches none of the 2 alternatives (1: required; 2: minLength at /b)")
        let both = compiled.validate(try json(##"{"a":1,"b":"xy"}"##))
        #expect(both.violations.first?.message == "matches alternatives 1 and 2 of 2; exactly one must match")
    }

    @Test("not")
    func not() throws {
        let schema = ##"{"not":{"required":["bsn"]}}"##
        #expect(try violations(schema: schema, instance: ##"{"postcode":"x"}"##).isEmpty)
        #expect(try violations(schema: schema, instance: ##"{"bsn":"x"}"##) == [Found("", .not, "/not")])
    }

    @Test("false schemas and boolean subschemas")
    func booleanSchemas() throws {
        let schema = ##"{"properties":{"never":false,"always":true}}"##
        #expect(try violations(schema: schema, instance: ##"{"always":[1]}"##).isEmpty)
        #expect(try violations(schema: schema, instance: ##"{"never":1}"##) == [Found("/never", .falseSchema, "/properties/never")])
    }

    @Test("$ref to $defs and to other places, with ~0, ~1 and percent escapes; locations are the target's")
    func references() throws {
        let schema = ##"""
            {"$defs":{"a/b":{"type":"string"},"c~d":{"minimum":0},"e f":{"type":"boolean"}},
             "properties":{"x":{"$ref":"#/$defs/a~1b"},"y":{"$ref":"#/$defs/c~0d"},"z":{"$ref":"#/$defs/e%20f"},
                           "w":{"$ref":"#/properties/x"}}}
            """##
        #expect(try violations(schema: schema, instance: ##"{"x":"s","y":1,"z":true,"w":"t"}"##).isEmpty)
        #expect(
            try violations(schema: schema, instance: ##"{"x":1,"y":-1,"z":0,"w":2}"##) == [
                Found("/x", .type, "/$defs/a~1b/type"), Found("/y", .minimum, "/$defs/c~0d/minimum"),
                Found("/z", .type, "/$defs/e f/type"), Found("/w", .type, "/$defs/a~1b/type"),
            ])
    }

    @Test("$ref recursion: a tree schema validates nested documents")
    func recursion() throws {
        let schema = ##"""
            {"$defs":{"node":{"type":"object","properties":{"name":{"type":"string"},
              "children":{"type":"array","items":{"$ref":"#/$defs/node"}}},"required":["name"],"additionalProperties":false}},
             "$ref":"#/$defs/node"}
            """##
        let tree = ##"{"name":"a","children":[{"name":"b","children":[{"name":"c"},{"name":"d","children":[]}]}]}"##
        #expect(try violations(schema: schema, instance: tree).isEmpty)
        let broken = ##"{"name":"a","children":[{"name":"b","children":[{"name":"c"},{"children":[],"extra":1}]}]}"##
        #expect(
            try violations(schema: schema, instance: broken) == [
                Found("/children/0/children/1", .additionalProperties, "/$defs/node/additionalProperties"),
                Found("/children/0/children/1", .required, "/$defs/node/required"),
            ])
        let selfReferencing = ##"{"properties":{"next":{"$ref":"#"}},"required":["v"]}"##
        #expect(
            try violations(schema: selfReferencing, instance: ##"{"v":1,"next":{"v":2,"next":{}}}"##) == [
                Found("/next/next", .required, "/required")
            ])
    }

    @Test("the cap keeps the first violations and counts them all, per rule too")
    func cap() throws {
        let schema = try JSONSchema(json(##"{"items":{"type":"string"}}"##))
        let instance = try json("[" + (0..<2500).map(String.init).joined(separator: ",") + "]")
        let result = schema.validate(instance, options: SchemaValidationOptions(maxViolations: 10))
        #expect(result.violations.count == 10)
        #expect(result.totalViolationCount == 2500)
        #expect(result.isTruncated && !result.isValid)
        #expect(result.violations.last?.instancePointer == "/9")
        #expect(result.countsByKeywordLocation == ["/items/type": 2500])
        #expect(schema.validate(instance).violations.count == 1000)
        #expect(!schema.accepts(instance))
    }

    @Test("values nested deeper than the validator follows are a violation, not a crash")
    func depth() throws {
        var deep: JSONValue = 1
        for _ in 0..<300 { deep = .array([deep]) }
        let result = try JSONSchema(json(##"{"$defs":{"a":{"items":{"$ref":"#/$defs/a"}}},"$ref":"#/$defs/a"}"##)).validate(deep)
        #expect(result.violations.map(\.keyword) == [.nestingDepth])
    }
}
