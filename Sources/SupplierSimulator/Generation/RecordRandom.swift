/// The deterministic randomness of the synthetic data: SplitMix64.
///
/// Every record draws from its own generator, seeded from (seed, gemeente, period, record
/// index), so any page can be produced without producing the pages before it, and the same
/// request always gives the same bytes. Not for anything that must be unpredictable.
struct RecordRandom: RandomNumberGenerator {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    init(seed: UInt64) {
        state = seed
    }

    /// A generator for the parts `parts`, mixed into one seed.
    init(_ parts: UInt64...) {
        state = RecordRandom.mix(parts)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return RecordRandom.finalize(state)
    }

    /// A number in `0..<bound` (`bound` > 0), by multiply-high (Lemire), without division.
    @inline(__always)
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A number in `range`.
    @inline(__always)
    mutating func within(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `perMille`/1000.
    @inline(__always)
    mutating func chance(perMille: Int) -> Bool {
        below(1000) < perMille
    }

    /// One seed from several parts; order matters.
    static func mix(_ parts: [UInt64]) -> UInt64 {
        var hash: UInt64 = 0x243F_6A88_85A3_08D3
        for part in parts {
            hash = finalize(hash ^ finalize(part &+ 0x9E37_79B9_7F4A_7C15))
        }
        return hash
    }

    /// A 64-bit hash of text (FNV-1a, then the SplitMix finaliser).
    static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return finalize(hash)
    }

    @inline(__always)
    private static func finalize(_ value: UInt64) -> UInt64 {
        var mixed = value
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// A code list with weights: picks a prepared JSON value in proportion to its weight.
struct WeightedCodes {
    /// Each value as quoted JSON text.
    let values: [[UInt8]]
    /// The values as written, for tests and reports.
    let names: [String]
    private let cumulative: [Int]

    /// A table of `(value, weight)`; weights are relative.
    init(_ entries: [(String, Int)]) {
        var running = 0
        var cumulative: [Int] = []
        for (_, weight) in entries {
            running += weight
            cumulative.append(running)
        }
        self.cumulative = cumulative
        names = entries.map(\.0)
        values = entries.map { entry in
            var writer = JSONByteWriter(capacity: entry.0.utf8.count + 2)
            writer.writeString(entry.0)
            return writer.bytes
        }
    }

    /// The index of a value drawn in proportion to the weights.
    @inline(__always)
    func pick(_ random: inout RecordRandom) -> Int {
        let draw = random.below(cumulative[cumulative.count - 1])
        var index = 0
        while cumulative[index] <= draw { index += 1 }
        return index
    }
}
