import Foundation

/// Turns a free text into the form that tables and rules compare: lower case, no diacritics,
/// words separated by single spaces, the common abbreviations written out.
///
/// The steps, in one pass over the Unicode scalars (linear in the text, no regular expressions):
/// 1. Compatibility decomposition (NFKD) when the text is not plain ASCII, so that `é` becomes
///    `e` and a combining accent, `ĳ` becomes `ij`, full-width letters become ASCII.
/// 2. Combining marks (the accents) are dropped; invisible format characters (soft hyphen,
///    zero-width joiners, byte-order mark) are dropped without splitting a word.
/// 3. Letters and digits are kept, lower-cased (`ß` → `ss`, `æ` → `ae`, `ø` → `o`, …);
///    everything else (punctuation, `/ - _ . , : ; ( ) ' "`, symbols, white space) separates words.
/// 4. Whole-word abbreviations and spelling variants are replaced (``abbreviations``), longest first.
public enum TextNormalisation {
    /// The normalised text: its words joined by single spaces (empty when the text has no letter
    /// or digit).
    public static func normalise(_ text: String) -> String {
        words(text).joined(separator: " ")
    }

    /// The words of the normalised text.
    public static func words(_ text: String) -> [String] {
        expand(foldedWords(text))
    }

    /// Whether a text holds nothing: every scalar is white space or an invisible format character.
    public static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.properties.isWhitespace || $0.properties.generalCategory == .format }
    }

    /// Whole-word abbreviations and spelling variants, and what they become. Keys are one to three
    /// folded words; the longest key that matches at a position wins.
    ///
    /// Deliberately absent: `sv` (schuldhulpverlening or sociale verzekering), `mw` (mevrouw or
    /// maatschappelijk werk), `bv` (bijvoorbeeld or besloten vennootschap, a creditor's name).
    public static let abbreviations: [String: String] = [
        // Programmes and forms of contact.
        "shv": "schuldhulpverlening",
        "vs": "vroegsignalering",
        "hb": "huisbezoek",
        "tel": "telefoon",
        "tel nr": "telefoonnummer",
        "telnr": "telefoonnummer",
        "telefoonnr": "telefoonnummer",
        // Spelling variants of e-mail: `e-mail`, `email`, `E-Mail` are all `mail`.
        "email": "mail",
        "e mail": "mail",
        "emails": "mails",
        "e mails": "mails",
        "emailen": "mailen",
        "e mailen": "mailen",
        // WhatsApp as people write it; `app` and `appje` are WhatsApp messages in this field.
        "whats app": "whatsapp",
        "what s app": "whatsapp",
        "whatsap": "whatsapp",
        "watsapp": "whatsapp",
        "watsap": "whatsapp",
        "app": "whatsapp",
        "appje": "whatsapp",
        "appjes": "whatsapp",
        // Connectives (the rules read `naar aanleiding van` as the start of a cause).
        "nav": "naar aanleiding van",
        "n a v": "naar aanleiding van",
        "ivm": "in verband met",
        "i v m": "in verband met",
        "nvt": "niet van toepassing",
        "n v t": "niet van toepassing",
        "mbt": "met betrekking tot",
        "m b t": "met betrekking tot",
        "iom": "in overleg met",
        "i o m": "in overleg met",
        "bijv": "bijvoorbeeld",
    ]

    /// ``abbreviations`` as word lists, for the expansion pass.
    static let expansions: [String: [String]] = abbreviations.mapValues { $0.split(separator: " ").map(String.init) }

    /// The first words of the keys of more than one word (`tel` of `tel nr`), and the longest
    /// such key in words: only there the expansion pass looks further than one word.
    static let multiWordStarts: [String: Int] = abbreviations.keys.reduce(into: [:]) { starts, key in
        let words = key.split(separator: " ")
        if words.count > 1 { starts[String(words[0]), default: 0] = max(starts[String(words[0])] ?? 0, words.count) }
    }

    /// Letters that neither decomposition nor lower-casing turns into ASCII.
    static let letterReplacements: [Unicode.Scalar: String] = [
        "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o",
        "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ı": "i", "þ": "th", "Þ": "th",
    ]

    /// The folds of the non-ASCII scalars Dutch text meets (Latin letters with accents,
    /// punctuation, full-width forms, ligatures), computed once.
    static let commonFolds: [UInt32: [UInt8]] = {
        let ranges: [ClosedRange<UInt32>] = [
            0x80...0x24F, 0x300...0x36F, 0x1E00...0x1EFF, 0x2000...0x206F, 0xFB00...0xFB06, 0xFF00...0xFFEF,
        ]
        var folds: [UInt32: [UInt8]] = [:]
        for value in ranges.joined() {
            if let scalar = Unicode.Scalar(value) { folds[value] = fold(scalar) }
        }
        return folds
    }()

    /// What one non-ASCII scalar contributes: UTF-8 bytes of lower-case letters and digits, with
    /// a space (0x20) where it separates words; empty for an accent or an invisible character.
    static func fold(_ scalar: Unicode.Scalar) -> [UInt8] {
        var bytes: [UInt8] = []
        for part in String(scalar).decomposedStringWithCompatibilityMapping.unicodeScalars {
            if part.isASCII {
                switch part.value {
                case 0x41...0x5A: bytes.append(UInt8(part.value + 0x20))
                case 0x61...0x7A, 0x30...0x39: bytes.append(UInt8(part.value))
                default: bytes.append(0x20)
                }
                continue
            }
            let properties = part.properties
            switch properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .format:
                continue
            default:
                break
            }
            if let replacement = letterReplacements[part] {
                bytes += replacement.utf8
            } else if properties.isAlphabetic || properties.numericType != nil {
                bytes += properties.lowercaseMapping.utf8
            } else {
                bytes.append(0x20)
            }
        }
        return bytes
    }

    /// Steps 1–3: the lower-cased, accent-free words of the text.
    static func foldedWords(_ text: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(32)
        func endWord() {
            if !current.isEmpty {
                words.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x41...0x5A: current.append(UInt8(value + 0x20))
            case 0x61...0x7A, 0x30...0x39: current.append(UInt8(value))
            case 0..<0x80: endWord()
            default:
                for byte in commonFolds[value] ?? fold(scalar) {
                    if byte == 0x20 { endWord() } else { current.append(byte) }
                }
            }
        }
        endWord()
        return words
    }

    /// Step 4: abbreviations written out, longest key first, left to right.
    static func expand(_ words: [String]) -> [String] {
        var expanded: [String] = []
        expanded.reserveCapacity(words.count)
        var index = 0
        scan: while index < words.count {
            var length = min(multiWordStarts[words[index]] ?? 1, words.count - index)
            while length > 1 {
                if let replacement = expansions[words[index..<(index + length)].joined(separator: " ")] {
                    expanded.append(contentsOf: replacement)
                    index += length
                    continue scan
                }
                length -= 1
            }
            if let replacement = expansions[words[index]] {
                expanded.append(contentsOf: replacement)
            } else {
                expanded.append(words[index])
            }
            index += 1
        }
        return expanded
    }
}
