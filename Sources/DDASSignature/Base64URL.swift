import Crypto
import Foundation

/// Base64url without padding (RFC 7515 §2), as JWS uses it, and the streaming form that feeds a
/// body of any size into a hash without holding its encoding in memory.
enum Base64URL {
    /// Encodes bytes as base64url without padding.
    static func encode(_ bytes: some DataProtocol) -> String {
        var data = Data(bytes).base64EncodedData()
        urlSafe(&data)
        return String(decoding: data, as: UTF8.self)
    }

    /// Encodes a digest as base64url without padding, as `x5t#S256` holds it.
    static func encode(_ digest: some Digest) -> String {
        encode(Data(digest))
    }

    /// Decodes strict base64url without padding; nil for any other character, for padding, or for a
    /// length no encoding produces.
    static func decode(_ text: Substring) -> Data? {
        guard text.utf8.count % 4 != 1 else { return nil }
        var standard = [UInt8]()
        standard.reserveCapacity(text.utf8.count + 3)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                standard.append(byte)
            case UInt8(ascii: "-"): standard.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): standard.append(UInt8(ascii: "/"))
            default: return nil
            }
        }
        while standard.count % 4 != 0 { standard.append(UInt8(ascii: "=")) }
        return Data(base64Encoded: Data(standard))
    }

    /// Feeds the base64url encoding of `bytes` into `hasher`, a region at a time, without
    /// holding the encoding of more than one slice.
    static func hashEncoding(of bytes: some DataProtocol, into hasher: inout SHA256) {
        var encoder = HashingEncoder()
        for region in bytes.regions {
            region.withUnsafeBytes { encoder.update($0, into: &hasher) }
        }
        encoder.finish(into: &hasher)
    }

    /// Base64url without padding of a byte stream that arrives in pieces of any length, fed
    /// straight into a SHA-256 state: at most two bytes of a piece wait for the next one, and
    /// the encoding is made a slice at a time in a buffer of its own, never whole.
    struct HashingEncoder: Sendable {
        /// The bytes of an incomplete group of three, waiting for the next piece.
        private var carry: (UInt8, UInt8) = (0, 0)
        private var carried = 0
        /// Encoded characters per slice (a multiple of four).
        private static let sliceCharacters = 65_536
        private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

        /// Encodes `piece` (after what waited of the previous one) into `hasher`.
        mutating func update(_ piece: UnsafeRawBufferPointer, into hasher: inout SHA256) {
            guard !piece.isEmpty else { return }
            var start = 0
            if carried > 0 {
                // Complete the waiting group first.
                var group: (UInt8, UInt8, UInt8) = (carry.0, carry.1, 0)
                while carried < 3 && start < piece.count {
                    if carried == 1 { group.1 = piece[start] } else { group.2 = piece[start] }
                    carried += 1
                    start += 1
                }
                guard carried == 3 else {
                    carry = (group.0, group.1)
                    return
                }
                carried = 0
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4) { out in
                    Self.alphabet.withUnsafeBufferPointer { Self.encodeGroup(group.0, group.1, group.2, into: out.baseAddress!, table: $0) }
                    hasher.update(bufferPointer: UnsafeRawBufferPointer(out))
                }
            }
            let whole = (piece.count - start) / 3 * 3
            let end = start + whole
            Self.alphabet.withUnsafeBufferPointer { table in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.sliceCharacters) { out in
                    var position = start
                    while position < end {
                        // Safe: `take` bytes from `position` lie within `piece` (position + take <= end <= piece.count),
                        // and they encode to take / 3 * 4 <= sliceCharacters characters of `out`.
                        let take = min(end - position, Self.sliceCharacters / 4 * 3)
                        var written = 0
                        var index = position
                        while index < position + take {
                            Self.encodeGroup(
                                piece[index], piece[index + 1], piece[index + 2], into: out.baseAddress! + written, table: table)
                            written += 4
                            index += 3
                        }
                        hasher.update(bufferPointer: UnsafeRawBufferPointer(start: out.baseAddress, count: written))
                        position += take
                    }
                }
            }
            let left = piece.count - end
            if left > 0 {
                carry = (piece[end], left == 2 ? piece[end + 1] : 0)
                carried = left
            }
        }

        /// Encodes what still waits (one or two bytes, without padding) into `hasher`.
        mutating func finish(into hasher: inout SHA256) {
            guard carried > 0 else { return }
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4) { out in
                Self.alphabet.withUnsafeBufferPointer {
                    Self.encodeGroup(carry.0, carried == 2 ? carry.1 : 0, 0, into: out.baseAddress!, table: $0)
                }
                hasher.update(bufferPointer: UnsafeRawBufferPointer(start: out.baseAddress, count: carried + 1))
            }
            carried = 0
        }

        /// Writes the four characters of three bytes at `out`, which must hold four.
        @inline(__always)
        private static func encodeGroup(
            _ a: UInt8, _ b: UInt8, _ c: UInt8, into out: UnsafeMutablePointer<UInt8>, table: UnsafeBufferPointer<UInt8>
        ) {
            out[0] = table[Int(a >> 2)]
            out[1] = table[Int((a & 0x03) << 4 | b >> 4)]
            out[2] = table[Int((b & 0x0f) << 2 | c >> 6)]
            out[3] = table[Int(c & 0x3f)]
        }
    }

    /// Turns standard base64 into base64url in place and drops the padding.
    private static func urlSafe(_ data: inout Data) {
        data.withUnsafeMutableBytes { buffer in
            for index in buffer.indices {
                switch buffer[index] {
                case UInt8(ascii: "+"): buffer[index] = UInt8(ascii: "-")
                case UInt8(ascii: "/"): buffer[index] = UInt8(ascii: "_")
                default: break
                }
            }
        }
        while data.last == UInt8(ascii: "=") { data.removeLast() }
    }
}
