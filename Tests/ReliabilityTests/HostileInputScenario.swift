import Foundation
import NIOHTTP1
import RegieDomain
import Testing

/// A hand-written list of hostile requests, each sent with a token that may call the
/// operation: each must get a 4xx answered as problem+json, and change nothing.
enum HostileInputScenario {
    /// One hostile request.
    struct Hostile {
        let name: String
        let method: HTTPMethod
        let path: String
        var role: Role = .projectteam
        var headers: [(String, String)] = []
        var body: [UInt8]? = nil
        /// The statuses that are a clean refusal of this input.
        let expected: Set<Int>
    }

    static func cases(own: String) -> [Hostile] {
        let dpia = "/v1/gemeenten/\(own)/dpia-akkoorden"
        let validDPIA: [String: Any] = [
            "besluitdatum": "2026-10-01", "goedkeurendeRol": "college", "documentreferentie": "D-1",
            "documentSha256": String(repeating: "ab", count: 32),
        ]
        func with(_ extra: [String: Any]) -> [UInt8] { HTTP.json(validDPIA.merging(extra) { _, new in new }) }
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000) + Array(repeating: UInt8(ascii: "]"), count: 100_000)
        var invalidUTF8 = Array(#"{"besluitdatum":"2026-10-01","goedkeurendeRol":""#.utf8)
        invalidUTF8 += [0xC3, 0x28, 0xFF, 0xFE]
        invalidUTF8 += Array(#"","documentreferentie":"D-1","documentSha256":"\#(String(repeating: "ab", count: 32))"}"#.utf8)
        let oversized =
            Array(#"{"besluitdatum":"2026-10-01","goedkeurendeRol":""#.utf8) + Array(repeating: UInt8(ascii: "a"), count: 3 << 20)
            + Array(#""}"#.utf8)
        return [
            Hostile(name: "oversized body (3 MB)", method: .POST, path: dpia, role: .gemeente, body: oversized, expected: [413]),
            Hostile(name: "deep JSON (100,000 levels)", method: .POST, path: "/v1/leveringen", body: deep, expected: [400]),
            Hostile(name: "invalid UTF-8 in a string", method: .POST, path: dpia, role: .gemeente, body: invalidUTF8, expected: [400]),
            Hostile(
                name: "truncated JSON", method: .POST, path: dpia, role: .gemeente, body: Array(#"{"besluitdatum": "#.utf8), expected: [400]
            ),
            Hostile(
                name: "JSON that is not an object", method: .POST, path: dpia, role: .gemeente, body: Array("[1,2,3]".utf8), expected: [400]
            ),
            Hostile(
                name: "a field of the wrong type", method: .POST, path: dpia, role: .gemeente, body: with(["besluitdatum": 20_261_001]),
                expected: [400]),
            Hostile(
                name: "an unknown field", method: .POST, path: dpia, role: .gemeente, body: with(["geldigtot": "2027-01-01"]),
                expected: [400]),
            Hostile(
                name: "a NUL character in a text field", method: .POST, path: dpia, role: .gemeente,
                body: with(["documentreferentie": "D-1\u{0}; DROP"]), expected: [400]),
            Hostile(
                name: "an escape character in a text field", method: .POST, path: dpia, role: .gemeente,
                body: with(["documentreferentie": "D-1\u{1B}[2J"]), expected: [400]),
            Hostile(
                name: "an impossible date", method: .POST, path: dpia, role: .gemeente, body: with(["besluitdatum": "2026-02-30"]),
                expected: [400]),
            Hostile(
                name: "SQL-looking text in a code field", method: .POST, path: "/v1/leveringen",
                body: HTTP.json(["gemeenten": ["GM0014'; DROP TABLE gemeenten;--"], "periode": "2025-Q3", "stroom": "VS"]), expected: [400]),
            Hostile(
                name: "SQL-looking gemeentecode in the path", method: .GET, path: "/v1/gemeenten/GM0014'%20OR%20'1'%3D'1",
                expected: [400, 404]),
            Hostile(
                name: "SQL-looking query parameter", method: .GET,
                path: "/v1/leveringen?status=geslaagd'%3B%20DROP%20TABLE%20leveringen%3B--",
                expected: [400]),
            Hostile(
                name: "script-looking gemeentecode in the path", method: .GET, path: "/v1/gemeenten/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                expected: [400, 404]),
            Hostile(
                name: "script-looking code list", method: .POST, path: "/v1/standaardisaties",
                body: HTTP.json(["lijst": "<script>alert(1)</script>", "teksten": ["x"]]), expected: [400]),
            Hostile(name: "huge page size", method: .GET, path: "/v1/gemeenten?paginaGrootte=100000000", expected: [400]),
            Hostile(
                name: "page number beyond 64 bits", method: .GET, path: "/v1/leveringen?pagina=99999999999999999999999", expected: [400]),
            Hostile(name: "negative page size", method: .GET, path: "/v1/gemeenten?paginaGrootte=-1", expected: [400]),
            Hostile(name: "negative page number", method: .GET, path: "/v1/leveringen?pagina=-5", expected: [400]),
            Hostile(name: "an unknown query parameter", method: .GET, path: "/v1/gemeenten?onbekend=1", expected: [400]),
            Hostile(name: "a NUL byte in a query parameter", method: .GET, path: "/v1/leveringen?status=%00", expected: [400]),
            Hostile(
                name: "10,001 texts to standardise", method: .POST, path: "/v1/standaardisaties",
                body: HTTP.json(["lijst": "eindresultaat", "teksten": Array(repeating: "x", count: 10_001)]), expected: [400]),
            Hostile(
                name: "text/plain instead of JSON", method: .POST, path: dpia, role: .gemeente, headers: [("Content-Type", "text/plain")],
                body: with([:]), expected: [415]),
            Hostile(
                name: "XML instead of JSON", method: .POST, path: dpia, role: .gemeente, headers: [("Content-Type", "application/xml")],
                body: Array("<dpia/>".utf8), expected: [415]),
            Hostile(
                name: "a form post to the API", method: .POST, path: dpia, role: .gemeente,
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array("besluitdatum=2026-10-01".utf8),
                expected: [415]),
            Hostile(
                name: "an If-Match that names no version", method: .POST, path: dpia, role: .gemeente, headers: [("If-Match", "garbage")],
                body: with([:]), expected: [412]),
            Hostile(
                name: "a stale If-Match", method: .POST, path: dpia, role: .gemeente, headers: [("If-Match", "\"999999\"")],
                body: with([:]),
                expected: [412]),
            Hostile(
                name: "a path of 20,000 characters", method: .GET, path: "/v1/gemeenten/" + String(repeating: "A", count: 20_000),
                expected: [400, 404, 414]),
            Hostile(name: "a malformed delivery id", method: .GET, path: "/v1/leveringen/not-a-uuid", expected: [400]),
        ]
    }

    static func run() async throws {
        try await APIRig.with("hostile") { api in
            let before = try await api.fingerprint()
            var clean = 0
            var failures: [String] = []
            for hostile in cases(own: api.own) {
                let answer = try await HTTP.send(
                    hostile.method, api.service.base + hostile.path, token: api.tokens[hostile.role], headers: hostile.headers,
                    body: hostile.body)
                let after = try await api.fingerprint()
                let ok = hostile.expected.contains(answer.status) && answer.isProblem && after == before
                if ok {
                    clean += 1
                } else {
                    failures.append("\(hostile.name): \(answer.status) \(answer.contentType) changed: \(after != before)")
                }
            }
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
            #expect(!api.service.process.hasExited)
            Figures.record(
                Scenario.hostileInput,
                "\(clean + failures.count) hostile requests, \(clean) answered with a clean problem+json 4xx and changed nothing (row counts, content checksums, audit head), \(failures.count) failed"
            )
        }
    }
}
