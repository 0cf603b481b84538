import Foundation

/// Limits for reading JSON.
public struct JSONParseOptions: Sendable, Hashable {
    /// The deepest nesting of arrays and objects accepted; deeper input is refused with
    /// `depth_limit_exceeded` (the exchange payload nests about ten levels).
    public var maxDepth: Int

    /// Options; the default depth limit is 128.
    public init(maxDepth: Int = 128) {
        self.maxDepth = maxDepth
    }
}

extension JSONValue {
    /// Reads one JSON value from UTF-8 bytes, strictly by RFC 8259: no comments, no trailing
    /// commas, no leading zeros, no invalid escapes or lone surrogates, well-formed UTF-8 only,
    /// no byte order mark, nothing but whitespace after the value, and no duplicate keys.
    public init(parsing bytes: UnsafeRawBufferPointer, options: JSONParseOptions = .init()) throws(JSONParseError) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { throw JSONParseError(.unexpectedEnd, at: 0) }
        guard bytes.count < Int(UInt32.max) else { throw JSONParseError(.unexpectedEnd, at: 0) }
        let input = base.assumingMemoryBound(to: UInt8.self)
        var parser = JSONParser(bytes: input, count: bytes.count, maxDepth: options.maxDepth)
        let output = try parser.parseDocument()
        defer { free(output.tokens) }
        self = JSONTreeBuilder(bytes: input, count: bytes.count, tokens: output.tokens, keys: output.keys).build(from: 0)
    }

    /// Reads one JSON value from UTF-8 bytes (see ``init(parsing:options:)-(UnsafeRawBufferPointer,_)``).
    public init(parsing bytes: [UInt8], options: JSONParseOptions = .init()) throws(JSONParseError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try JSONValue(parsing: buffer, options: options) }
        }
        self = try result.get()
    }

    /// Reads one JSON value from UTF-8 bytes (see ``init(parsing:options:)-(UnsafeRawBufferPointer,_)``).
    public init(parsing data: Data, options: JSONParseOptions = .init()) throws(JSONParseError) {
        let result = data.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try JSONValue(parsing: buffer, options: options) }
        }
        self = try result.get()
    }
}
