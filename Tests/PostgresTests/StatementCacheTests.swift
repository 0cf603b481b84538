import Foundation
import Postgres
import RegieTestSupport
import Testing

@Suite("Prepared statements and pipelines")
struct StatementCacheTests {
    @Test("a statement prepared before ALTER TABLE changed its result type is prepared again and answers")
    func reprepareAfterResultTypeChange() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 1)
        try await pool.query("CREATE TABLE items (n int4)")
        try await pool.query("INSERT INTO items VALUES (1)")
        let select = "SELECT * FROM items"
        #expect(try await pool.query(select).first?.decode("n", as: Int32.self) == 1)
        try await pool.query("ALTER TABLE items ALTER COLUMN n TYPE int8")
        try await pool.query("INSERT INTO items VALUES (9000000000)")
        // Outside a transaction: retried at once.
        #expect(try await pool.query(select).map { try $0.decode("n", as: Int64.self) }.sorted() == [1, 9_000_000_000])

        // As the first statement of a transaction (its BEGIN travels with it): retried too.
        try await pool.query("ALTER TABLE items ALTER COLUMN n TYPE int4 USING (n % 1000)::int4")
        let inTransaction = try await pool.withTransaction { connection in
            try await connection.query(select).map { try $0.decode("n", as: Int32.self) }
        }
        #expect(inTransaction.sorted() == [0, 1])
        await pool.close()
    }

    @Test("a transaction that meets a stale statement after other work fails with 0A000, and runs when tried again")
    func staleStatementInsideTransaction() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 1)
        try await pool.query("CREATE TABLE items (n int4)")
        let select = "SELECT * FROM items"
        try await pool.query(select)
        try await pool.query("ALTER TABLE items ADD COLUMN label text")
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withTransaction { connection in
                try await connection.execute("INSERT INTO items VALUES (1, 'a')")
                return try await connection.query(select).count
            }
        }
        #expect(error?.sqlState == "0A000")
        #expect(try await pool.query("SELECT count(*) AS n FROM items").first?.decode("n", as: Int.self) == 0)
        let count = try await pool.withTransaction { connection in
            try await connection.execute("INSERT INTO items VALUES (1, 'a')")
            return try await connection.query(select).count
        }
        #expect(count == 1)
        await pool.close()
    }

    @Test("statements the server forgot (DEALLOCATE ALL) are prepared again and answer")
    func reprepareAfterDeallocateAll() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 1)
        for number in 0..<3 {
            #expect(try await pool.query("SELECT $1::int8 AS n", [number]).first?.decode("n", as: Int.self) == number)
        }
        try await pool.withConnection { connection in
            try await connection.query("DEALLOCATE ALL")
            #expect(try await connection.query("SELECT $1::int8 AS n", [7]).first?.decode("n", as: Int.self) == 7)
            try await connection.query("DISCARD ALL")
            #expect(try await connection.query("SELECT $1::int8 AS n", [8]).first?.decode("n", as: Int.self) == 8)
        }
        await pool.close()
    }

    @Test("more distinct statements than the cache holds all answer, and the session keeps at most the cache's worth")
    func boundedCache() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 1)
        for number in 0..<300 {
            let row = try #require(try await pool.query("SELECT \(number)::int8 + $1 AS n", [1]).first)
            #expect(try row.decode("n", as: Int.self) == number + 1)
        }
        let prepared = try #require(try await pool.query("SELECT count(*) AS n FROM pg_prepared_statements").first)
        #expect(try prepared.decode("n", as: Int.self) <= 257)
        await pool.close()
    }

    @Test("a pipeline's results come back in order")
    func pipelineInOrder() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 1)
        try await pool.query("CREATE TABLE items (n int8 PRIMARY KEY)")
        let results = try await pool.withConnection { connection in
            try await connection.pipeline([
                ("INSERT INTO items VALUES ($1), ($2)", [1, 2]),
                ("SELECT n FROM items ORDER BY n", []),
                ("SELECT $1::text AS word", ["drie"]),
            ])
        }
        #expect(results.count == 3)
        #expect(results[0].affectedRows == 2)
        #expect(try results[1].map { try $0.decode("n", as: Int.self) } == [1, 2])
        #expect(try results[2].first?.decode("word", as: String.self) == "drie")
        await pool.close()
    }

    @Test("an error in the middle of a pipeline is the one reported, nothing after it runs, and the connection serves the next caller")
    func pipelineError() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 1)
        try await pool.query("CREATE TABLE items (n int8 PRIMARY KEY)")
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { connection in
                try await connection.pipeline([
                    ("INSERT INTO items VALUES ($1)", [1]),
                    ("INSERT INTO items VALUES ($1), ($1)", [2]),
                    ("INSERT INTO items VALUES ($1)", [3]),
                ])
            }
        }
        #expect(error?.isUniqueViolation == true)
        // Outside a transaction the pipeline was all or nothing.
        let count = try #require(try await pool.query("SELECT count(*) AS n FROM items").first)
        #expect(try count.decode("n", as: Int.self) == 0)
        #expect(try await pool.withConnection { $0.isInTransaction } == false)
        let next = try await pool.withConnection { connection in
            try await connection.pipeline([("INSERT INTO items VALUES ($1)", [3]), ("SELECT count(*) AS n FROM items", [])])
        }
        #expect(try next[1].first?.decode("n", as: Int.self) == 1)
        await pool.close()
    }

    @Test("a transaction whose statement fails rolls back everything it wrote")
    func failingStatementRollsBack() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 1)
        try await pool.query("CREATE TABLE items (n int8 PRIMARY KEY)")
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withTransaction { connection in
                try await connection.execute("INSERT INTO items VALUES ($1)", [1])
                try await connection.execute("INSERT INTO items VALUES ($1)", [1])
            }
        }
        #expect(error?.isUniqueViolation == true)
        #expect(try await pool.query("SELECT count(*) AS n FROM items").first?.decode("n", as: Int.self) == 0)
        try await pool.withTransaction { connection in
            #expect(connection.isInTransaction)
            try await connection.execute("INSERT INTO items VALUES ($1)", [1])
        }
        #expect(try await pool.query("SELECT count(*) AS n FROM items").first?.decode("n", as: Int.self) == 1)
        await pool.close()
    }

    @Test("a transaction's last statements and its COMMIT can share one pipeline; what it wrote is kept once")
    func commitInPipeline() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.emptyDatabase(), size: 1)
        try await pool.query("CREATE TABLE items (n int8 PRIMARY KEY)")
        let inserted = try await pool.withTransaction { connection in
            try await connection.execute("INSERT INTO items VALUES ($1)", [1])
            let results = try await connection.pipeline([("INSERT INTO items VALUES ($1) RETURNING n", [2]), ("COMMIT", [])])
            #expect(!connection.isInTransaction)
            return try results[0].first?.decode("n", as: Int.self)
        }
        #expect(inserted == 2)
        #expect(try await pool.query("SELECT count(*) AS n FROM items").first?.decode("n", as: Int.self) == 2)
        // A failure before the COMMIT in the pipeline rolls the whole transaction back.
        await #expect(throws: PostgresError.self) {
            try await pool.withTransaction { connection in
                try await connection.execute("INSERT INTO items VALUES ($1)", [3])
                try await connection.pipeline([("INSERT INTO items VALUES ($1)", [1]), ("COMMIT", [])])
            }
        }
        #expect(try await pool.query("SELECT count(*) AS n FROM items").first?.decode("n", as: Int.self) == 2)
        #expect(try await pool.withConnection { $0.isInTransaction } == false)
        await pool.close()
    }
}
