import Foundation

/// The key names of one document, each with a small integer id: the names of a seed table
/// first (same positions), then every other name in order of appearance.
///
/// Records of a page repeat their keys in the same order, so the interner first tries the
/// key that followed the previous key last time (one length check and one `memcmp`), and
/// only then hashes.
struct KeyInterner {
    /// All names' bytes, one after the other.
    private var storage: [UInt8] = []
    /// Per id: where its bytes start in `storage`, and how many.
    private var starts: [Int] = []
    private var lengths: [Int] = []
    /// Per bucket: an id, or -1.
    private var buckets: [Int32]
    /// Per previous key id + 1 (0: the first key of an object): the id that followed it last.
    private var followers: [Int32] = [-1]
    /// The seed table, when its names are all the interner holds (returned as is).
    private let seed: JSONKeyTable

    init(seed: JSONKeyTable) {
        self.seed = seed
        buckets = [Int32](repeating: -1, count: 64)
        for name in seed.names {
            var name = name
            name.withUTF8 { _ = insert($0) }
        }
    }

    /// The id of the name with these bytes (interned when new); `previous` is the id of the
    /// key before it in its object, or -1.
    @inline(__always)
    mutating func id(of bytes: UnsafeBufferPointer<UInt8>, after previous: Int32) -> Int32 {
        let guessIndex = Int(previous) + 1
        let guess = followers[guessIndex]
        if guess >= 0, matches(Int(guess), bytes) { return guess }
        let id = lookUpOrInsert(bytes)
        followers[guessIndex] = id
        return id
    }

    /// The table of every name interned, in id order.
    func table() -> JSONKeyTable {
        if starts.count == seed.count { return seed }
        return JSONKeyTable(
            starts.indices.map { id in
                storage.withUnsafeBufferPointer { buffer in
                    String(decoding: UnsafeBufferPointer(rebasing: buffer[starts[id]..<starts[id] + lengths[id]]), as: UTF8.self)
                }
            })
    }

    @inline(__always)
    private func matches(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lengths[id] == bytes.count else { return false }
        if bytes.isEmpty { return true }
        return storage.withUnsafeBufferPointer { buffer in
            // Safe: `starts[id] + lengths[id] <= storage.count`, and the lengths are equal.
            memcmp(buffer.baseAddress! + starts[id], bytes.baseAddress!, bytes.count) == 0
        }
    }

    private mutating func lookUpOrInsert(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        var bucket = Int(truncatingIfNeeded: CodePointTable.hash(bytes)) & (buckets.count - 1)
        while buckets[bucket] >= 0 {
            let id = buckets[bucket]
            if matches(Int(id), bytes) { return id }
            bucket = (bucket + 1) & (buckets.count - 1)
        }
        return insert(bytes)
    }

    /// Adds a name known to be new (or a repeated seed name, which keeps its first id).
    @discardableResult
    private mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        if starts.count * 2 >= buckets.count { rehash(buckets.count * 2) }
        var bucket = Int(truncatingIfNeeded: CodePointTable.hash(bytes)) & (buckets.count - 1)
        while buckets[bucket] >= 0 {
            if matches(Int(buckets[bucket]), bytes) { return buckets[bucket] }
            bucket = (bucket + 1) & (buckets.count - 1)
        }
        let id = Int32(starts.count)
        starts.append(storage.count)
        lengths.append(bytes.count)
        storage.append(contentsOf: bytes)
        buckets[bucket] = id
        followers.append(-1)
        return id
    }

    private mutating func rehash(_ size: Int) {
        buckets = [Int32](repeating: -1, count: size)
        for id in starts.indices {
            let hash = storage.withUnsafeBufferPointer { buffer in
                CodePointTable.hash(UnsafeBufferPointer(rebasing: buffer[starts[id]..<starts[id] + lengths[id]]))
            }
            var bucket = Int(truncatingIfNeeded: hash) & (size - 1)
            while buckets[bucket] >= 0 { bucket = (bucket + 1) & (size - 1) }
            buckets[bucket] = Int32(id)
        }
    }
}
