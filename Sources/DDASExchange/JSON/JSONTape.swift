import Foundation

/// A JSON document read into a tape (after simdjson): the input bytes, kept whole, and one flat
/// array of 8-byte tokens in document order, one per value and one per object key.
///
/// Containers know where they end, so a consumer skips a subtree in O(1); strings and numbers
/// are byte ranges of the input, decoded only when asked (most strings are compared as raw
/// bytes, since a flag says whether they hold escapes); object keys are interned to small
/// integer ids (``JSONKeyID``), so duplicate keys, schema properties and the fields a check
/// reads are integer comparisons. Reading is as strict as ``JSONValue/init(parsing:options:)-(UnsafeRawBufferPointer,_)``
/// and fails with the same ``JSONParseError`` at the same offset.
///
/// The tape is immutable and shared by reference; read it through ``root`` (a ``JSONTapeValue``).
public final class JSONTape: @unchecked Sendable {
    // @unchecked: every stored property is set in `init` and never changed; `tokens` is
    // owned by this object alone and freed in `deinit`.

    /// The input bytes.
    public let bytes: [UInt8]
    /// The distinct object keys of the document (after the names of the table it was read
    /// with, in that table's order), by ``JSONKeyID``.
    public let keys: JSONKeyTable
    /// The tokens, `tokenCount` of them.
    let tokens: UnsafeMutablePointer<UInt64>
    /// The number of tokens.
    public let tokenCount: Int

    /// Reads one JSON value from UTF-8 bytes, as strictly as
    /// ``JSONValue/init(parsing:options:)-(UnsafeRawBufferPointer,_)``. Keys named in `keys` get
    /// the ids they have in that table; other keys get the ids after them. Inputs of 4 GiB or
    /// more are refused (`unexpected_end` at 0), since offsets are 32-bit.
    public init(parsing bytes: [UInt8], keys: JSONKeyTable = JSONKeyTable(), options: JSONParseOptions = .init())
        throws(JSONParseError)
    {
        guard !bytes.isEmpty, bytes.count < Int(UInt32.max) else { throw JSONParseError(.unexpectedEnd, at: 0) }
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) in
                var parser = JSONParser(
                    bytes: buffer.baseAddress!, count: buffer.count, maxDepth: options.maxDepth, keys: keys)
                return try parser.parseDocument()
            }
        }
        let output = try result.get()
        self.bytes = bytes
        self.keys = output.keys
        tokens = output.tokens
        tokenCount = output.count
    }

    /// Reads one JSON value from UTF-8 bytes (see ``init(parsing:keys:options:)-([UInt8],_,_)``);
    /// the bytes are copied once.
    public convenience init(parsing data: Data, keys: JSONKeyTable = JSONKeyTable(), options: JSONParseOptions = .init())
        throws(JSONParseError)
    {
        try self.init(parsing: [UInt8](data), keys: keys, options: options)
    }

    deinit {
        free(tokens)
    }

    /// The document's value.
    public var root: JSONTapeValue { JSONTapeValue(tape: self, index: 0) }

    /// For each key id of this tape, the position of the key in `table` (build it once per tape,
    /// then look members up by integer).
    public func keyMap(for table: JSONKeyTable) -> JSONKeyMap {
        JSONKeyMap(from: keys, to: table)
    }

    /// The token at `index`.
    @inline(__always)
    func token(at index: Int) -> JSONToken {
        precondition(index >= 0 && index < tokenCount, "token index out of range")
        return JSONToken(bits: tokens[index])
    }
}

/// What a token stands for.
public enum JSONTokenKind: UInt8, Sendable, Hashable, CaseIterable {
    /// An object; its members follow as key and value tokens.
    case object = 1
    /// An array; its elements follow.
    case array = 2
    /// An object key (before its value).
    case key = 3
    /// A string value.
    case string = 4
    /// A number.
    case number = 5
    /// `true`.
    case `true` = 6
    /// `false`.
    case `false` = 7
    /// `null`.
    case null = 8
}

/// One tape token, 64 bits: the kind in bits 60–63, a flag in bit 59, a 27-bit field in bits
/// 32–58 and a 32-bit field in bits 0–31.
///
/// - object, array: field = element (member) count, saturated at 2^27 − 1; low = the index of
///   the token after the container.
/// - key: flag = has escapes; field = key id; low = offset of the opening quote.
/// - string: flag = has escapes; field = raw length between the quotes (saturated; the end is
///   found again by scanning when it is); low = offset of the opening quote.
/// - number: flag = an integer literal that fits in 64 bits; field = length of the literal
///   (saturated likewise); low = offset of its first byte.
/// - true, false, null: low = offset.
struct JSONToken {
    /// The encoded token.
    let bits: UInt64

    /// The largest value of the 27-bit field; a field at this value is saturated.
    static let fieldLimit = (1 << 27) - 1

    init(bits: UInt64) {
        self.bits = bits
    }

    @inline(__always)
    init(kind: JSONTokenKind, flag: Bool = false, field: Int = 0, low: Int) {
        bits =
            UInt64(kind.rawValue) << 60 | (flag ? 1 << 59 : 0) | UInt64(min(field, Self.fieldLimit)) << 32
            | UInt64(UInt32(truncatingIfNeeded: low))
    }

    @inline(__always)
    var kind: JSONTokenKind { JSONTokenKind(rawValue: UInt8(truncatingIfNeeded: bits >> 60)) ?? .null }
    @inline(__always)
    var flag: Bool { bits & (1 << 59) != 0 }
    @inline(__always)
    var field: Int { Int(truncatingIfNeeded: (bits >> 32) & UInt64(Self.fieldLimit)) }
    @inline(__always)
    var low: Int { Int(truncatingIfNeeded: UInt32(truncatingIfNeeded: bits)) }
}
