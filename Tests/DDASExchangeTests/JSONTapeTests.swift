import DDASExchange
import Foundation
import Testing

@Suite("JSON tape: one pass, tokens with offsets, keys as integers")
struct JSONTapeTests {
    /// The tree a consumer sees walking the tape through its public accessors alone.
    static func walk(_ value: JSONTapeValue) -> JSONValue {
        switch value.tokenKind {
        case .object:
            let members = value.members.map { JSONObject.Member(key: $0.name, value: walk($0.value)) }
            return .object(JSONObject(members)!)
        case .array: return .array(value.elements.map(walk))
        case .string: return .string(value.stringValue!)
        case .number: return .number(value.numberValue!)
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .null, .key: return .null
        }
    }

    static let documents: [String] = [
        ##"{"z":[1,-2.5,3e2,true,false,null],"a":"x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","m":{},"e":[],"é":"😀"}"##,
        ##"[[[]],[{}],{"a":{"b":{"c":[1,[2,[3]]]}}},"",0,-0,1E-2]"##,
        ##" { "K" : 1 , "\u212A" : 2 , "é" : 3 , "e\u0301" : 4 } "##,
        "9223372036854775807", "-9223372036854775808", "12345678901234567890", "1e308", "\"plain\"", "null",
    ]

    @Test("walking the tape gives the same tree as the original, on the fixtures and edge cases")
    func sameTree() throws {
        var trees: [JSONValue] = [DDASFixtures.vroegsignalering, DDASFixtures.schuldhulpverlening]
        trees += try Self.documents.map(json)
        for name in ["enkelvoudigVoorbeeld.json", "meervoudigVoorbeeld.json", "uitgebreidVoorbeeld.json"] {
            trees.append(try JSONValue(parsing: Voorbeelden.bytes(name)))
        }
        for tree in trees {
            let tape = try JSONTape(parsing: tree.jsonBytes())
            #expect(Self.walk(tape.root) == tree)
            #expect(tape.root.jsonValue == tree)
        }
    }

    @Test("a generated page of many records reads the same through the tape and the tree")
    func generatedPage() throws {
        let records: [JSONValue] = (0..<2000).map(Self.record)
        // Built step by step: one literal of this depth takes the type checker too long on a loaded machine.
        let levering: JSONValue = ["gemeentecode": "0363", "vroegsignalen": .array(records)]
        let leveringen: JSONValue = .array([levering])
        let gegevens: JSONValue = ["leveringen": leveringen]
        let page: JSONValue = ["gegevens": gegevens]
        let tape = try JSONTape(parsing: page.jsonBytes())
        #expect(Self.walk(tape.root) == page)
        let vroegsignalen = try #require(tape.root["gegevens"]?["leveringen"]?.elements.first { _ in true }?["vroegsignalen"])
        #expect(vroegsignalen.count == 2000)
        #expect(vroegsignalen.elements.map { $0["ID"]?.stringValue ?? "" } == (0..<2000).map { "VS-\($0)" })
    }

    /// A made-up record: varying members, some strings with escapes.
    static func record(_ index: Int) -> JSONValue {
        let byBSN: JSONValue = ["burgerservicenummer": "111222333"]
        let byAddress: JSONValue = ["postcode": "1011AB", "huisnummer": "12"]
        let note: JSONValue = index % 5 == 0 ? "met \"aanhalingstekens\" en é" : .null
        let members: [JSONObject.Member] = [
            .init(key: "ID", value: .string("VS-\(index)")),
            .init(key: "bedrag", value: .number(JSONNumber(Int64(index * 7)))),
            .init(key: "crisissignaal", value: .bool(index % 3 == 0)),
            .init(key: "signaaldatum", value: "2026-01-05"),
            .init(key: "client", value: index % 2 == 0 ? byBSN : byAddress),
            .init(key: "toelichting", value: note),
        ]
        return .object(JSONObject(members)!)
    }

    @Test("keys of the table it was read with keep their ids; other keys follow, each name once")
    func keyIDs() throws {
        let table = JSONKeyTable(["b", "a", "c"])
        let tape = try JSONTape(parsing: Array(##"[{"a":1,"x":2},{"x":3,"a":4,"y":{"a":5}}]"##.utf8), keys: table)
        #expect(tape.keys.names == ["b", "a", "c", "x", "y"])
        let objects = Array(tape.root.elements)
        #expect(objects[0].members.map(\.key) == [JSONKeyID(rawValue: 1), JSONKeyID(rawValue: 3)])
        #expect(objects[1].members.map(\.name) == ["x", "a", "y"])
        #expect(objects[1][JSONKeyID(rawValue: 1)]?.integerValue == 4)
        #expect(objects[1]["y"]?["a"]?.integerValue == 5)
        #expect(objects[1]["c"] == nil && objects[1]["nope"] == nil)
        let mine = JSONKeyTable(["y", "a"])
        let map = tape.keyMap(for: mine)
        #expect(objects[1].members.map { map[$0.key] } == [nil, 1, 0])
    }

    @Test("a key written with escapes is the same key as without")
    func escapedKeys() throws {
        let tape = try JSONTape(parsing: Array(##"[{"ab":1},{"a\u0062":2}]"##.utf8))
        #expect(tape.keys.names == ["ab"])
        let duplicate = #expect(throws: JSONParseError.self) { try JSONTape(parsing: Array(##"{"ab":1,"a\u0062":2}"##.utf8)) }
        #expect(duplicate == JSONParseError(.duplicateKey, at: 8))
    }

    @Test("strings without escapes are the input's bytes; with escapes they are decoded on demand")
    func strings() throws {
        let tape = try JSONTape(parsing: Array(##"["1011AB","a\nb","\ud83d\ude00",""]"##.utf8))
        let values = Array(tape.root.elements)
        #expect(values.map(\.hasEscapes) == [false, true, true, false])
        #expect(values.map { $0.stringValue ?? "-" } == ["1011AB", "a\nb", "😀", ""])
        #expect(values[0].withUTF8 { Array($0) } == Array("1011AB".utf8))
        #expect(values[2].withUTF8 { $0.count } == 4)
        #expect(Array("a\nb".utf8).withUnsafeBufferPointer { values[1].hasUTF8($0) })
        #expect(!Array("a\\nb".utf8).withUnsafeBufferPointer { values[1].hasUTF8($0) })
        #expect(try JSONTape(parsing: Array("1".utf8)).root.stringValue == nil)
    }

    @Test("numbers keep the reader's semantics: exact 64-bit integers, doubles otherwise")
    func numbers() throws {
        let tape = try JSONTape(
            parsing: Array("[9223372036854775807,-9223372036854775808,9223372036854775808,1.0,1.5,1E2,-0,1e-400]".utf8))
        let values = Array(tape.root.elements)
        #expect(values[0].integerValue == Int64.max && values[0].isExactInteger)
        #expect(values[1].integerValue == Int64.min && values[1].isExactInteger)
        #expect(!values[2].isExactInteger && values[2].kind == .integer && values[2].integerValue == nil)
        #expect(values[3].kind == .integer && !values[3].isExactInteger && values[3].integerValue == 1)
        #expect(values[4].kind == .number && values[4].numberValue?.doubleValue == 1.5)
        #expect(values[5].integerValue == 100)
        #expect(values[6].integerValue == 0)
        #expect(values[7].numberValue?.doubleValue == 0)
        let huge = #expect(throws: JSONParseError.self) { try JSONTape(parsing: Array("[1,-1e400]".utf8)) }
        #expect(huge == JSONParseError(.numberOutOfRange, at: 3))
    }

    @Test("containers know their size and end, so a consumer skips a subtree at once")
    func skipping() throws {
        let tape = try JSONTape(parsing: Array(##"{"a":[1,[2,3],{"b":4}],"c":true}"##.utf8))
        let root = tape.root
        #expect(root.count == 2)
        #expect(root.endIndex == tape.tokenCount)
        let array = try #require(root["a"])
        #expect(array.count == 3)
        #expect(array.elements.map(\.kind) == [.integer, .array, .object])
        let next = JSONTapeValue(tape: tape, index: array.endIndex + 1)
        #expect(next.boolValue == true)
        #expect(tape.root["c"]?.boolValue == true)
        #expect(JSONTapeValue(tape: tape, index: 3).count == nil)
    }

    @Test("malformed input fails exactly as the tree reader does")
    func sameErrors() {
        let inputs = [
            "", "[1,]", "{\"a\" 1}", "01", "1e400", "tru", "\"a\\x\"", "\"\\ud800\"", "\"a\tb\"", "[1",
            "{\"a\":1,\"a\":2}", "1 2", "[\"\u{1}\"]",
        ]
        for input in inputs.map({ Array($0.utf8) }) + [[0x22, 0xC3, 0x22], [0xEF, 0xBB, 0xBF, 0x31]] {
            let tree = #expect(throws: JSONParseError.self) { try JSONValue(parsing: input) }
            let tape = #expect(throws: JSONParseError.self) { try JSONTape(parsing: input) }
            #expect(tree == tape)
        }
    }

    @Test("nesting is limited as in the tree reader, and deep documents are rebuilt without recursing")
    func depth() throws {
        let deep = Array((String(repeating: "[", count: 129) + String(repeating: "]", count: 129)).utf8)
        #expect(throws: JSONParseError(.depthLimitExceeded, at: 128)) { try JSONTape(parsing: deep) }
        let allowed = try JSONTape(parsing: deep, options: JSONParseOptions(maxDepth: 10_000))
        var value = allowed.root.jsonValue
        var levels = 0
        while case .array(let elements) = value, let first = elements.first {
            value = first
            levels += 1
        }
        #expect(levels == 128)
    }
}
