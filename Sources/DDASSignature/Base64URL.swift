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

    /// Feeds the base64url encoding of `bytes` into `hasher`, a slice at a time.
    ///
    /// Slices are multiples of three bytes, so no padding appears mid-stream; only the last slice
    /// may end short, and its padding is dropped as base64url requires.
    static func hashEncoding(of bytes: some DataProtocol, into hasher: inout SHA256) {
        let sliceLength = 3 * 65_536
        var pending = Data()
        pending.reserveCapacity(sliceLength)
        for region in bytes.regions {
            var rest = region[...]
            while !rest.isEmpty {
                let take = min(sliceLength - pending.count, rest.count)
                pending.append(contentsOf: rest.prefix(take))
                rest = rest.dropFirst(take)
                if pending.count == sliceLength {
                    hashSlice(pending, into: &hasher)
                    pending.removeAll(keepingCapacity: true)
                }
            }
        }
        if !pending.isEmpty { hashSlice(pending, into: &hasher) }
    }

    private static func hashSlice(_ slice: Data, into hasher: inout SHA256) {
        var encoded = slice.base64EncodedData()
        urlSafe(&encoded)
        hasher.update(data: encoded)
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
