/// RFC 6901 JSON pointers: the location of a value inside a JSON document, such as
/// `/leveringen/0/vroegsignalen/12/client`.
public enum JSONPointer {
    /// One step of a pointer: a member key or an array index.
    public enum Token: Sendable, Hashable {
        /// The member with this key.
        case key(String)
        /// The element at this index.
        case index(Int)
    }

    /// The pointer text for these steps (`""` for the whole document), with `~` written `~0`
    /// and `/` written `~1`.
    public static func render(_ tokens: some Sequence<Token>) -> String {
        var text = ""
        for token in tokens {
            text.append("/")
            switch token {
            case .index(let index): text.append(String(index))
            case .key(let key): text.append(escape(key))
            }
        }
        return text
    }

    /// A key escaped for use as a pointer token.
    public static func escape(_ key: String) -> String {
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return key }
        var escaped = String.UnicodeScalarView()
        for scalar in key.unicodeScalars {
            switch scalar {
            case "~": escaped.append(contentsOf: "~0".unicodeScalars)
            case "/": escaped.append(contentsOf: "~1".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    /// The reference tokens of a pointer (`/a~1b/0` gives `a/b` and `0`), or nil when the
    /// text is not a pointer (it must be empty or start with `/`, and `~` must be followed by
    /// `0` or `1`).
    public static func tokens(of pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { return nil }
        var tokens: [String] = []
        for part in pointer.unicodeScalars.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = String.UnicodeScalarView()
            var escaping = false
            for scalar in part {
                if escaping {
                    switch scalar {
                    case "0": token.append("~")
                    case "1": token.append("/")
                    default: return nil
                    }
                    escaping = false
                } else if scalar == "~" {
                    escaping = true
                } else {
                    token.append(scalar)
                }
            }
            if escaping { return nil }
            tokens.append(String(token))
        }
        return tokens
    }

    /// The value this pointer selects in `document`, or nil when there is none.
    public static func resolve(_ pointer: String, in document: JSONValue) -> JSONValue? {
        guard let tokens = tokens(of: pointer) else { return nil }
        var current = document
        for token in tokens {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = arrayIndex(token), index < elements.count else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// An array index token: `0` or digits without a leading zero.
    static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token.utf8.allSatisfy({ (48...57).contains($0) }),
            token == "0" || !token.hasPrefix("0")
        else { return nil }
        return Int(token)
    }
}
