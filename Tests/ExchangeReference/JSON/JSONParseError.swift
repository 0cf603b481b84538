/// Why a byte sequence is not strict JSON (RFC 8259): a stable code and the byte offset where
/// reading stopped. It never carries text from the input.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The input ended inside a value, or was empty.
        case unexpectedEnd = "unexpected_end"
        /// A byte that cannot start or continue a value here.
        case unexpectedCharacter = "unexpected_character"
        /// A UTF-8 byte order mark at the start (RFC 8259 §8.1 forbids sending one).
        case byteOrderMark = "byte_order_mark"
        /// `true`, `false` or `null` misspelled.
        case invalidLiteral = "invalid_literal"
        /// A number that breaks the grammar: leading zero, lone minus, missing digits.
        case invalidNumber = "invalid_number"
        /// A number too large for a 64-bit float.
        case numberOutOfRange = "number_out_of_range"
        /// A backslash escape that JSON does not define.
        case invalidEscape = "invalid_escape"
        /// A `\u` escape for half of a surrogate pair without its other half.
        case loneSurrogate = "lone_surrogate"
        /// A control character (U+0000 to U+001F) unescaped inside a string.
        case controlCharacterInString = "control_character_in_string"
        /// Bytes that are not well-formed UTF-8.
        case invalidUTF8 = "invalid_utf8"
        /// A comma before a closing `]` or `}`.
        case trailingComma = "trailing_comma"
        /// An object member whose key appeared earlier in the same object.
        case duplicateKey = "duplicate_key"
        /// Arrays and objects nested deeper than the limit.
        case depthLimitExceeded = "depth_limit_exceeded"
        /// More than whitespace after the value.
        case trailingContent = "trailing_content"
    }

    /// What went wrong.
    public let code: Code
    /// The byte offset (from 0) where it went wrong.
    public let offset: Int

    /// An error.
    public init(_ code: Code, at offset: Int) {
        self.code = code
        self.offset = offset
    }

    public var description: String {
        let reason =
            switch code {
            case .unexpectedEnd: "the input ends inside a value"
            case .unexpectedCharacter: "unexpected character"
            case .byteOrderMark: "a byte order mark is not allowed"
            case .invalidLiteral: "invalid literal"
            case .invalidNumber: "invalid number"
            case .numberOutOfRange: "number out of range"
            case .invalidEscape: "invalid escape sequence"
            case .loneSurrogate: "lone UTF-16 surrogate in a \\u escape"
            case .controlCharacterInString: "unescaped control character in a string"
            case .invalidUTF8: "invalid UTF-8"
            case .trailingComma: "trailing comma"
            case .duplicateKey: "duplicate key in an object"
            case .depthLimitExceeded: "nesting deeper than the limit"
            case .trailingContent: "content after the value"
            }
        return "invalid JSON at byte \(offset): \(reason) (\(code.rawValue))"
    }
}
