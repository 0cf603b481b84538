import Foundation
import RegieStore
import RegieTestSupport
import Testing

@Suite("Leadership of maintenance tasks")
struct LeadershipTests {
    @Test("one process leads a task at a time; another takes over when the lease ran out or the leader resigned")
    func oneLeader() async throws {
        let pool = TestPostgres.makePool(try await TestPostgres.migratedDatabase())
        let first = Leadership(pool: pool, owner: "a")
        let second = Leadership(pool: pool, owner: "b")
        let now = Date()
        let both = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { try await first.lead("rescuer", ttl: .seconds(60), now: now) }
            group.addTask { try await second.lead("rescuer", ttl: .seconds(60), now: now) }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(both.filter { $0 }.count == 1)
        let leader = try await first.lead("rescuer", ttl: .seconds(60), now: now) ? first : second
        let other = leader.owner == "a" ? second : first
        #expect(try await leader.lead("rescuer", ttl: .seconds(60), now: now.addingTimeInterval(30)))
        #expect(try await !other.lead("rescuer", ttl: .seconds(60), now: now.addingTimeInterval(30)))
        #expect(try await other.lead("pruner", ttl: .seconds(60), now: now), "each task has its own lead")
        #expect(try await other.lead("rescuer", ttl: .seconds(60), now: now.addingTimeInterval(200)), "the lease ran out")
        try await other.resign("rescuer")
        #expect(try await leader.lead("rescuer", ttl: .seconds(60), now: now.addingTimeInterval(201)))
        await pool.close()
    }
}
