import DDASExchange
import Foundation
import Testing

@Suite("JSON values: equality, writing, pointers")
struct JSONValueTests {
    @Test("equality follows JSON Schema: numbers by value, objects in any order, strings by code point")
    func equality() throws {
        #expect(try json("1") == json("1.0"))
        #expect(try json("100") == json("1e2"))
        #expect(try json("1") != json("1.5"))
        #expect(try json(##"{"a":1,"b":[true,null]}"##) == json(##"{"b":[true,null],"a":1.0}"##))
        #expect(try json("[1,2]") != json("[2,1]"))
        #expect(try json(##""K""##) != json(##""\u212A""##))
        #expect(try json("0") != json("false"))
        #expect(Set([try json("1"), try json("1.0"), try json("2")]).count == 2)
    }

    @Test("writes compact JSON that reads back the same")
    func writing() throws {
        let text = ##"{"b":[1,-2.5,true,false,null],"a":"q\"\\/\n\u0001é😀","c":{}}"##
        let value = try json(text)
        let written = value.jsonBytes()
        #expect(String(decoding: written, as: UTF8.self) == ##"{"b":[1,-2.5,true,false,null],"a":"q\"\\/\n\u0001é😀","c":{}}"##)
        #expect(try JSONValue(parsing: written) == value)
    }

    @Test("pointers escape ~ and /, and resolve into documents")
    func pointers() throws {
        #expect(JSONPointer.render([.key("leveringen"), .index(0), .key("a/b~c")]) == "/leveringen/0/a~1b~0c")
        #expect(JSONPointer.tokens(of: "/a~1b/~0/0") == ["a/b", "~", "0"])
        #expect(JSONPointer.tokens(of: "a") == nil)
        #expect(JSONPointer.tokens(of: "/a~2") == nil)
        let document = try json(##"{"a/b":[10,{"~":"x"}]}"##)
        #expect(JSONPointer.resolve("/a~1b/1/~0", in: document) == .string("x"))
        #expect(JSONPointer.resolve("/a~1b/01", in: document) == nil)
        #expect(JSONPointer.resolve("", in: document) == document)
    }

    @Test("literals build values; objects refuse duplicate keys")
    func literals() {
        let value: JSONValue = ["a": 1, "b": [true, nil, "x", 2.5]]
        #expect(value["b"]?.arrayValue?.count == 4)
        #expect(JSONObject([.init(key: "a", value: 1), .init(key: "a", value: 2)]) == nil)
    }
}
