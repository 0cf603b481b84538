import DDASExchange
import Foundation
import Testing

@Suite("JSON reader: strict RFC 8259")
struct JSONParserTests {
    @Test("reads every kind of value, keeping member order")
    func readsValues() throws {
        let value = try json(##" { "z": [1, -2.5, 3e2, true, false, null], "a": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "m": {} } "##)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["z", "a", "m"])
        let elements = try #require(value["z"]?.arrayValue)
        #expect(elements.count == 6)
        #expect(elements[0].integerValue == 1)
        #expect(elements[1].numberValue?.doubleValue == -2.5)
        #expect(elements[1].kind == .number)
        #expect(elements[2].kind == .integer)
        #expect(elements[2].integerValue == 300)
        #expect(elements[3] == .bool(true) && elements[4] == .bool(false) && elements[5] == .null)
        #expect(value["a"]?.stringValue == "x\"\\/\u{8}\u{C}\n\r\té😀")
        #expect(value["m"]?.objectValue?.isEmpty == true)
    }

    @Test("reads top-level scalars and empty containers", arguments: ["0", "-0", "\"\"", "true", "null", "[]", "{}", " [ ] "])
    func readsScalars(text: String) throws {
        _ = try json(text)
    }

    @Test("keeps integers exact and tells integers from other numbers")
    func numbers() throws {
        #expect(try json("9223372036854775807").integerValue == Int64.max)
        #expect(try json("-9223372036854775808").integerValue == Int64.min)
        let big = try json("12345678901234567890")
        #expect(big.numberValue?.isExactInteger == false)
        #expect(big.kind == .integer)
        #expect(try json("1.0").kind == .integer)
        #expect(try json("1.5").kind == .number)
        #expect(try json("1E-2").numberValue?.doubleValue == 0.01)
    }

    @Test(
        "refuses what RFC 8259 does not allow, at the right byte",
        arguments: [
            ("", JSONParseError.Code.unexpectedEnd, 0),
            ("   ", .unexpectedEnd, 3),
            ("[1,]", .trailingComma, 3),
            ("{\"a\":1,}", .trailingComma, 7),
            ("[1 2]", .unexpectedCharacter, 3),
            ("{\"a\" 1}", .unexpectedCharacter, 5),
            ("{a:1}", .unexpectedCharacter, 1),
            ("// c\n1", .unexpectedCharacter, 0),
            ("[1] /* c */", .trailingContent, 4),
            ("01", .invalidNumber, 0),
            ("-01", .invalidNumber, 0),
            ("-", .invalidNumber, 0),
            ("1.", .invalidNumber, 0),
            (".5", .unexpectedCharacter, 0),
            ("1e", .invalidNumber, 0),
            ("+1", .unexpectedCharacter, 0),
            ("1e400", .numberOutOfRange, 0),
            ("NaN", .unexpectedCharacter, 0),
            ("tru", .invalidLiteral, 0),
            ("nul1", .invalidLiteral, 0),
            ("\"a\\x\"", .invalidEscape, 2),
            ("\"\\u12G4\"", .invalidEscape, 1),
            ("\"\\ud800\"", .loneSurrogate, 1),
            ("\"\\udc00\"", .loneSurrogate, 1),
            ("\"\\ud800\\u0041\"", .loneSurrogate, 1),
            ("\"a\tb\"", .controlCharacterInString, 2),
            ("\"abc", .unexpectedEnd, 4),
            ("[1", .unexpectedEnd, 2),
            ("{\"a\":1,\"a\":2}", .duplicateKey, 7),
            ("1 2", .trailingContent, 2),
            ("'a'", .unexpectedCharacter, 0),
        ])
    func refuses(text: String, code: JSONParseError.Code, offset: Int) {
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: Array(text.utf8)) }
        #expect(error?.code == code)
        #expect(error?.offset == offset)
    }

    @Test(
        "refuses malformed UTF-8 in strings and outside them",
        arguments: [
            [0x22, 0xC0, 0xAF, 0x22],  // overlong '/'
            [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong three-byte form
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // a UTF-16 surrogate encoded in UTF-8
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
            [0x22, 0xC3, 0x22],  // truncated sequence
            [0x22, 0x80, 0x22],  // lone continuation byte
            [0x22, 0xFF, 0x22],
        ] as [[UInt8]])
    func refusesInvalidUTF8(bytes: [UInt8]) {
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: bytes) }
        #expect(error?.code == .invalidUTF8)
        #expect(error?.offset == 1)
    }

    @Test("accepts well-formed multi-byte UTF-8 up to U+10FFFF")
    func acceptsUTF8() throws {
        let text = "\"é € 😀 \u{10FFFF}\""
        #expect(try JSONValue(parsing: Array(text.utf8)).stringValue == "é € 😀 \u{10FFFF}")
    }

    @Test("refuses a byte order mark and bytes outside strings that are not ASCII")
    func refusesBOM() {
        let bom = #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0xEF, 0xBB, 0xBF, 0x31]) }
        #expect(bom?.code == .byteOrderMark)
        let stray = #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x5B, 0xC3, 0xA9, 0x5D]) }
        #expect(stray?.code == .unexpectedCharacter)
    }

    @Test("limits nesting depth without recursing")
    func depthLimit() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: Array(deep.utf8)) }
        #expect(error?.code == .depthLimitExceeded)
        #expect(error?.offset == 128)
        let allowed = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        _ = try JSONValue(parsing: Array(allowed.utf8))
        let custom = #expect(throws: JSONParseError.self) {
            try JSONValue(parsing: Array("[[[1]]]".utf8), options: JSONParseOptions(maxDepth: 2))
        }
        #expect(custom?.code == .depthLimitExceeded)
    }

    @Test("finds duplicate keys in large objects too, and tells code points apart")
    func duplicateKeys() throws {
        let members = (0..<40).map { "\"k\($0)\":\($0)" }
        let large = "{" + (members + ["\"k7\":0"]).joined(separator: ",") + "}"
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: Array(large.utf8)) }
        #expect(error?.code == .duplicateKey)
        // U+212A KELVIN SIGN is canonically equivalent to "K" but is another key; so are
        // precomposed and decomposed "é".
        let distinct = try json(##"{"K":1,"\u212A":2,"é":3,"e\u0301":4}"##)
        #expect(distinct.objectValue?.count == 4)
        #expect(distinct["K"]?.integerValue == 1)
        #expect(distinct["\u{212A}"]?.integerValue == 2)
        #expect(distinct["e\u{301}"]?.integerValue == 4)
    }

    @Test("reads from Data, byte arrays and raw buffers alike")
    func inputs() throws {
        let text = ##"{"a":[1,"b"]}"##
        let fromData = try JSONValue(parsing: Data(text.utf8))
        let fromArray = try JSONValue(parsing: Array(text.utf8))
        let fromBuffer = try Array(text.utf8).withUnsafeBytes { try JSONValue(parsing: $0) }
        #expect(fromData == fromArray && fromArray == fromBuffer)
    }

    @Test("an error names the code and offset, not the text")
    func errorDescription() {
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: Array(##"{"bsn":"123456782",}"##.utf8)) }
        #expect(error?.description == "invalid JSON at byte 19: trailing comma (trailing_comma)")
    }
}
