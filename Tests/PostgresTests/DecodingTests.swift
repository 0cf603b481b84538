import Foundation
import Postgres
import RegieTestSupport
import Testing

@Suite("Typed rows and parameters")
struct DecodingTests {
    @Test("every supported type decodes from its column")
    func decodesTypes() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase())
        let row = try #require(
            try await pool.query(
                """
                SELECT 42::int4 AS i4, 9000000000::int8 AS i8, 7::int2 AS i2, 'tekst'::text AS t, 'v'::varchar AS vc,
                       true AS b, 12.345::numeric AS n, 1.5::float8 AS f,
                       '2026-11-29 19:00:34.123456+01'::timestamptz AS ts, '2026-02-28'::date AS d,
                       'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u, '{"a": [1, 2]}'::jsonb AS j,
                       '\\x00ff10'::bytea AS by, ARRAY['a', 'b c', 'd"e', 'f,g'] AS arr, ARRAY[]::text[] AS empty,
                       NULL::text AS nothing
                """
            ).first)
        #expect(try row.decode("i4", as: Int.self) == 42)
        #expect(try row.decode("i4", as: Int32.self) == 42)
        #expect(try row.decode("i8", as: Int64.self) == 9_000_000_000)
        #expect(try row.decode("i2", as: Int.self) == 7)
        #expect(try row.decode("t", as: String.self) == "tekst")
        #expect(try row.decode("vc", as: String.self) == "v")
        #expect(try row.decode("b", as: Bool.self) == true)
        #expect(try row.decode("n", as: Decimal.self) == Decimal(string: "12.345"))
        #expect(try row.decode("f", as: Double.self) == 1.5)
        let timestamp = try row.decode("ts", as: Date.self)
        #expect(abs(timestamp.timeIntervalSince1970 - 1_795_975_234.123456) < 0.000001)
        #expect(try row.decode("d", as: PostgresDate.self) == PostgresDate(year: 2026, month: 2, day: 28))
        #expect(try row.decode("u", as: UUID.self) == UUID(uuidString: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
        struct Document: Decodable, Equatable { let a: [Int] }
        #expect(try row.decode("j", as: PostgresJSON.self).decode(Document.self) == Document(a: [1, 2]))
        #expect(try row.decode("by", as: Data.self) == Data([0x00, 0xFF, 0x10]))
        #expect(try row.decode("arr", as: [String].self) == ["a", "b c", "d\"e", "f,g"])
        #expect(try row.decode("empty", as: [String].self) == [])
        #expect(try row.decode("nothing", as: String?.self) == nil)
        #expect(try row.decode("t", as: String?.self) == "tekst")
        await pool.close()
    }

    @Test("values round-trip as parameters")
    func roundTrip() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase())
        let moment = Date(timeIntervalSince1970: 1_790_000_000.654321)
        let id = UUID()
        let bytes = Data((0...255).map(UInt8.init))
        let json = try PostgresJSON(encoding: ["sleutel": "waarde"])
        let row = try #require(
            try await pool.query(
                "SELECT $1::timestamptz AS ts, $2::date AS d, $3::uuid AS u, $4::bytea AS by, $5::text[] AS arr, $6::jsonb AS j, $7::numeric AS n, $8::bool AS b, $9::text AS nothing, $10::text AS quote",
                [
                    moment, PostgresDate(year: 2025, month: 12, day: 31), id, bytes, ["x", "y z", "\\", "\""], json,
                    Decimal(string: "-0.5"), false, nil, "'; DROP TABLE x; --",
                ]
            ).first)
        #expect(abs(try row.decode("ts", as: Date.self).timeIntervalSince(moment)) < 0.000001)
        #expect(try row.decode("d", as: PostgresDate.self).description == "2025-12-31")
        #expect(try row.decode("u", as: UUID.self) == id)
        #expect(try row.decode("by", as: Data.self) == bytes)
        #expect(try row.decode("arr", as: [String].self) == ["x", "y z", "\\", "\""])
        #expect(try row.decode("j", as: PostgresJSON.self).decode([String: String].self) == ["sleutel": "waarde"])
        #expect(try row.decode("n", as: Decimal.self) == Decimal(string: "-0.5"))
        #expect(try row.decode("b", as: Bool.self) == false)
        #expect(row.isNull("nothing"))
        #expect(try row.decode("quote", as: String.self) == "'; DROP TABLE x; --")
        await pool.close()
    }

    @Test("a type mismatch names the column and the types, and no value")
    func typeMismatch() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase())
        let row = try #require(try await pool.query("SELECT '123456782'::text AS bsn, NULL::int4 AS missing").first)
        let mismatch = #expect(throws: PostgresError.self) { try row.decode("bsn", as: Int.self) }
        #expect(mismatch?.kind == .typeMismatch)
        #expect(mismatch?.column == "bsn")
        #expect(mismatch?.description.contains("column bsn") == true)
        #expect(mismatch?.description.contains("text") == true)
        #expect(mismatch?.description.contains("123456782") == false)
        let null = #expect(throws: PostgresError.self) { try row.decode("missing", as: Int.self) }
        #expect(null?.kind == .unexpectedNull)
        #expect(null?.column == "missing")
        let absent = #expect(throws: PostgresError.self) { try row.decode("nope", as: Int.self) }
        #expect(absent?.kind == .missingColumn)
        await pool.close()
    }
}
