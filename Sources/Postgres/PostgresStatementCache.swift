/// The statements a connection has prepared, keyed by SQL text and parameter types.
///
/// As pgx, asyncpg and Npgsql do, a statement is prepared on its first use on a connection
/// (parsed and planned once) and executed by name afterwards. The cache is bounded: past
/// `capacity` statements the least recently used one is evicted and deallocated on the
/// server, so a stream of one-off statements (DDL, tests) cannot grow the session's memory.
struct PostgresStatementCache {
    /// A statement's identity: its text and the types its parameters are declared with.
    struct Key: Hashable {
        let sql: String
        let parameterTypes: [UInt32]
    }

    /// A prepared statement.
    struct Entry {
        /// Its name on the server.
        let name: String
        /// Whether its results are requested in binary (every column has a binary reader).
        let binaryResults: Bool
        var lastUse: UInt64
    }

    /// Most statements kept prepared per connection.
    static let capacity = 256

    private var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0
    private var nextName: UInt64 = 0
    /// Server-side statements to deallocate before the next statement runs.
    private(set) var pendingDeallocations: [String] = []

    var count: Int { entries.count }

    /// The entry for `key`, marked as just used.
    mutating func lookup(_ key: Key) -> Entry? {
        guard var entry = entries[key] else { return nil }
        clock += 1
        entry.lastUse = clock
        entries[key] = entry
        return entry
    }

    /// A name no statement of this connection has had.
    mutating func makeName() -> String {
        nextName += 1
        return "ddas_s\(nextName)"
    }

    /// Records a statement prepared under `name`; evicts the least recently used one when full.
    mutating func insert(_ key: Key, name: String, binaryResults: Bool) {
        clock += 1
        if let replaced = entries.updateValue(Entry(name: name, binaryResults: binaryResults, lastUse: clock), forKey: key) {
            pendingDeallocations.append(replaced.name)
        }
        if entries.count > Self.capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            entries[oldest.key] = nil
            pendingDeallocations.append(oldest.value.name)
        }
    }

    /// Forgets a statement the server no longer has (`26000`) or must no longer use (`0A000`).
    mutating func remove(_ key: Key, stillOnServer: Bool) {
        guard let entry = entries.removeValue(forKey: key) else { return }
        if stillOnServer { pendingDeallocations.append(entry.name) }
    }

    /// A name prepared on the server that is not kept (its execution failed).
    mutating func discard(name: String) {
        pendingDeallocations.append(name)
    }

    /// Forgets everything (a script may have changed any table), and deallocates every
    /// server-side statement before the next one.
    mutating func removeAll() {
        pendingDeallocations += entries.values.map(\.name)
        entries.removeAll()
    }

    /// Called once the pending deallocations ran.
    mutating func deallocationsDone() {
        pendingDeallocations.removeAll()
    }
}
