import Foundation

/// An immutable map from strings to their position in a list, comparing UTF-8 bytes: the
/// property names of a schema object, the strings of an `enum`. Open addressing with an FNV-1a
/// hash, so a lookup costs one pass over the key's bytes and (usually) one comparison.
struct CodePointTable: Sendable {
    private let names: [[UInt8]]
    /// Per bucket: the position of the name in `names`, or -1 when empty.
    private let buckets: [Int32]
    private let mask: Int

    /// A table of `names`; for a name that occurs twice, the first position counts.
    init(_ names: [String]) {
        self.names = names.map { Array($0.utf8) }
        var size = 4
        while size < names.count * 2 { size *= 2 }
        mask = size - 1
        var buckets = [Int32](repeating: -1, count: size)
        for (position, name) in self.names.enumerated() {
            var bucket = name.withUnsafeBufferPointer { Int(truncatingIfNeeded: Self.hash($0)) } & mask
            var duplicate = false
            while buckets[bucket] >= 0 {
                if self.names[Int(buckets[bucket])] == name {
                    duplicate = true
                    break
                }
                bucket = (bucket + 1) & mask
            }
            if !duplicate { buckets[bucket] = Int32(position) }
        }
        self.buckets = buckets
    }

    /// The position of `key` in the list, or nil.
    func position(of key: String) -> Int? {
        var key = key
        return key.withUTF8 { position(ofUTF8: $0) }
    }

    /// The position of the name with these UTF-8 bytes in the list, or nil.
    func position(ofUTF8 bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var bucket = Int(truncatingIfNeeded: Self.hash(bytes)) & mask
        while true {
            let entry = Int(buckets[bucket])
            if entry < 0 { return nil }
            let matches = names[entry].withUnsafeBufferPointer { name in
                name.count == bytes.count
                    && (bytes.isEmpty || memcmp(name.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
            }
            if matches { return entry }
            bucket = (bucket + 1) & mask
        }
    }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash ^ (hash >> 29)
    }
}
