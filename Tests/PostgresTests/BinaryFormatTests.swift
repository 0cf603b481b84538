import Foundation
import Postgres
import RegieTestSupport
import Testing

@Suite("Binary formats of the hot types")
struct BinaryFormatTests {
    @Test("integers round-trip at their edges")
    func integers() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase())
        let sql = "SELECT $1::int8 AS i8, $2::int4 AS i4, $3::int2 AS i2, $4::int8 AS big, $5::int4 AS low, $6::int2 AS small"
        for (i8, i4, i2) in [(Int64.min, Int32.min, Int16.min), (Int64.max, Int32.max, Int16.max), (0, 0, 0), (-1, -1, -1)] {
            let row = try #require(try await pool.query(sql, [i8, i4, Int(i2), Int.max, Int32.min, -2]).first)
            #expect(try row.decode("i8", as: Int64.self) == i8)
            #expect(try row.decode("i4", as: Int32.self) == i4)
            #expect(try row.decode("i4", as: Int.self) == Int(i4))
            #expect(try row.decode("i2", as: Int.self) == Int(i2))
            #expect(try row.decode("i2", as: Int32.self) == Int32(i2))
            #expect(try row.decode("big", as: Int.self) == .max)
            #expect(try row.decode("low", as: Int64.self) == Int64(Int32.min))
            #expect(try row.decode("small", as: Double.self) == -2)
            #expect(try row.decode("small", as: Decimal.self) == -2)
        }
        let tooBig = await #expect(throws: PostgresError.self) { try await pool.query("SELECT $1::int2 AS n", [40_000]) }
        #expect(tooBig?.sqlState == "22003")
        await pool.close()
    }

    @Test("bytea round-trips empty, every byte value, and 1 MiB")
    func bytea() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase())
        let mebibyte = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        for value in [Data(), Data((0...255).map(UInt8.init)), mebibyte] {
            let row = try #require(try await pool.query("SELECT $1::bytea AS b, length($1::bytea) AS n", [value]).first)
            #expect(try row.decode("b", as: Data.self) == value)
            #expect(try row.decode("n", as: Int.self) == value.count)
        }
        try await pool.query("CREATE TABLE blobs (b bytea NOT NULL)")
        try await pool.query("INSERT INTO blobs VALUES ($1)", [mebibyte])
        #expect(try await pool.query("SELECT b FROM blobs").first?.decode("b", as: Data.self) == mebibyte)
        await pool.close()
    }

    @Test("timestamps round-trip before 2000, before 1970 and with microseconds; infinity decodes as the distant future")
    func timestamps() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase())
        let moments = [
            Date(timeIntervalSince1970: -14_182_940.123456),  // 1969-07-20 20:17:40.123456 UTC
            Date(timeIntervalSince1970: 946_684_799.999999),  // the last microsecond of 1999
            Date(timeIntervalSince1970: 946_684_800),
            Date(timeIntervalSince1970: 1_795_975_234.000001),
        ]
        for moment in moments {
            let row = try #require(
                try await pool.query(
                    "SELECT $1::timestamptz AS t, (extract(epoch FROM $1::timestamptz) * 1000000)::int8 AS micros", [moment]
                ).first)
            let decoded = try row.decode("t", as: Date.self)
            #expect(abs(decoded.timeIntervalSince(moment)) < 0.000_001)
            // The server holds the microsecond sent, and the one decoded is the one it holds.
            let micros = try row.decode("micros", as: Int64.self)
            #expect(micros == Int64((moment.timeIntervalSince1970 * 1_000_000).rounded()))
            #expect(micros == Int64((decoded.timeIntervalSince1970 * 1_000_000).rounded()))
        }
        let row = try #require(
            try await pool.query(
                "SELECT 'infinity'::timestamptz AS future, '-infinity'::timestamptz AS past, '1999-12-31 23:59:59.5'::timestamp AS plain, '1999-12-31'::date AS d, 'infinity'::date AS forever"
            ).first)
        #expect(try row.decode("future", as: Date.self) == .distantFuture)
        #expect(try row.decode("past", as: Date.self) == .distantPast)
        #expect(try row.decode("d", as: PostgresDate.self) == PostgresDate(year: 1999, month: 12, day: 31))
        let forever = #expect(throws: PostgresError.self) { try row.decode("forever", as: PostgresDate.self) }
        #expect(forever?.kind == .invalidValue)
        #expect(!row.isNull("plain"))
        await pool.close()
    }

    @Test("uuid, bool, float8 and NULLs of every hot type round-trip")
    func otherTypes() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase())
        let id = UUID()
        let row = try #require(
            try await pool.query(
                "SELECT $1::uuid AS u, $2::bool AS yes, $3::bool AS no, $4::float8 AS f, $5::float8 AS inf, $6::float8 AS nan, 1.25::float4 AS f4, '{\"k\": 1}'::jsonb AS j, 'tekst'::varchar AS v",
                [id, true, false, -0.1, Double.infinity, Double.nan]
            ).first)
        #expect(try row.decode("u", as: UUID.self) == id)
        #expect(try row.decode("yes", as: Bool.self) == true)
        #expect(try row.decode("no", as: Bool.self) == false)
        #expect(try row.decode("f", as: Double.self) == -0.1)
        #expect(try row.decode("inf", as: Double.self) == .infinity)
        #expect(try row.decode("nan", as: Double.self).isNaN)
        #expect(try row.decode("f4", as: Double.self) == 1.25)
        #expect(try row.decode("j", as: PostgresJSON.self).decode([String: Int].self) == ["k": 1])
        #expect(try row.decode("v", as: String.self) == "tekst")
        let nulls = try #require(
            try await pool.query(
                "SELECT $1::int8 AS i8, $2::int4 AS i4, $3::bool AS b, $4::uuid AS u, $5::timestamptz AS t, $6::bytea AS by, $7::float8 AS f",
                [Int?.none, Int32?.none, Bool?.none, UUID?.none, Date?.none, Data?.none, Double?.none]
            ).first)
        #expect(try nulls.decode("i8", as: Int?.self) == nil)
        #expect(try nulls.decode("i4", as: Int32?.self) == nil)
        #expect(try nulls.decode("b", as: Bool?.self) == nil)
        #expect(try nulls.decode("u", as: UUID?.self) == nil)
        #expect(try nulls.decode("t", as: Date?.self) == nil)
        #expect(try nulls.decode("by", as: Data?.self) == nil)
        #expect(try nulls.decode("f", as: Double?.self) == nil)
        let missing = #expect(throws: PostgresError.self) { try nulls.decode("i8", as: Int.self) }
        #expect(missing?.kind == .unexpectedNull)
        await pool.close()
    }

    @Test("a result mixing binary and text-only types (numeric, arrays) decodes by name and by position")
    func mixedResult() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase())
        let sql = "SELECT $1::int8 AS n, 12.5::numeric AS amount, ARRAY['a', 'b'] AS list, $2::bytea AS b"
        for _ in 0..<2 {
            let row = try #require(try await pool.query(sql, [42, Data([1, 2])]).first)
            #expect(try row.decode(at: 0, as: Int.self) == 42)
            #expect(try row.decode("amount", as: Decimal.self) == Decimal(string: "12.5"))
            #expect(try row.decode("list", as: [String].self) == ["a", "b"])
            #expect(try row.decode(at: 3, as: Data.self) == Data([1, 2]))
        }
        await pool.close()
    }
}
