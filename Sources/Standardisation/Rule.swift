/// A rule: when its phrases occur in a normalised text, the text means one official value.
///
/// A rule fires when a phrase of each of its required groups occurs (not negated, see
/// ``Phrase``) and no phrase of `unless` occurs. When rules with different values fire, the
/// answer is `ONBEKEND` — unless one of them names the others in `supersedes`: a rule that is
/// explicitly more specific (`verwijzing financieel` over `verwijzing`; a reason over the bare
/// `niet opgepakt`) removes the rules it supersedes before the values are compared.
public struct Rule: Sendable, Hashable {
    /// The code list the rule belongs to.
    public let lijst: CodeList
    /// The rule's name within its list (`betaald`, `verwijzing_financieel`).
    public let name: String
    /// The official value the rule yields.
    public let waarde: String
    /// Groups of phrases; one phrase of every group must occur.
    let required: [[Phrase]]
    /// Phrases that stop the rule when one occurs.
    let unless: [Phrase]
    /// Names of rules of the same list that this rule is more specific than.
    public let supersedes: Set<String>

    /// The stable id: `regel.<list>.<name>`.
    public var id: String { "regel.\(lijst.rawValue).\(name)" }

    /// A rule. `any` is the first required group; `all` adds further groups that must each match.
    init(
        _ lijst: CodeList, _ name: String, _ waarde: String, any: [String], all: [[String]] = [], unless: [String] = [],
        supersedes: Set<String> = []
    ) {
        self.lijst = lijst
        self.name = name
        self.waarde = waarde
        self.required = ([any] + all).map { $0.map(Phrase.init) }
        self.unless = unless.map(Phrase.init)
        self.supersedes = supersedes
    }

    /// Every rule of a list, in the order they are reported when several give the same value.
    public static func rules(for lijst: CodeList) -> [Rule] {
        switch lijst {
        case .eindresultaat: eindresultaat
        case .contactsoort: contactsoort
        case .signaalpartner: signaalpartner
        case .signaalstatus: signaalstatus
        case .begeleidingssoort: begeleidingssoort
        case .uitstroomreden: uitstroomreden
        case .schuldensoort: schuldensoort
        case .oplossingssoort: oplossingssoort
        case .beschikkingssoort: beschikkingssoort
        }
    }

    /// The phrases of the rule as written, for documentation and tests.
    public var phrases: [String] { required.flatMap { $0.map(\.source) } }
}

/// A sequence of word patterns, matched against whole words of a normalised text.
///
/// Syntax: words separated by spaces. A word lists alternatives separated by `|`; an alternative
/// ending in `*` matches any word that starts with it; an alternative starting with `-` is a word
/// that must not match (`telefoon*|-telefoonnummer*`). The word `...` is a gap of up to three
/// words, none of them a negation.
///
/// Negation: a match does not count when the word before it (skipping up to two fillers such as
/// `meer`, `al`, `nog`, `zelf`, `de`) is `geen`, `niet`, `nooit` or `zonder` — unless the phrase
/// itself starts with such a word (`geen hulp`, `niet opgepakt`).
struct Phrase: Sendable, Hashable {
    /// One element of a phrase.
    enum Element: Sendable, Hashable {
        case word(WordPattern)
        case gap(Int)
    }

    /// The phrase as written.
    let source: String
    /// The elements; the first is always a word.
    let elements: [Element]
    /// The first word's pattern (phrases are indexed on it).
    let firstWord: WordPattern
    /// Whether the phrase's first word is itself a negation (then no negation check applies).
    let startsNegated: Bool

    /// Words that negate what follows them.
    static let negations: Set<String> = ["geen", "niet", "nooit", "zonder"]
    /// Words skipped when looking back for a negation.
    static let fillers: Set<String> = ["meer", "al", "ook", "echt", "nog", "zelf", "de", "het", "een", "enkele", "enkel"]
    /// The longest gap `...` stands for.
    static let gapLength = 3

    init(_ source: String) {
        self.source = source
        var elements: [Element] = []
        for word in source.split(separator: " ") {
            elements.append(word == "..." ? .gap(Self.gapLength) : .word(WordPattern(word)))
        }
        guard case .word(let first) = elements.first else { preconditionFailure("a phrase starts with a word: \(source)") }
        self.elements = elements
        self.firstWord = first
        self.startsNegated = Self.negations.contains { first.matches($0) }
    }

    /// Whether the phrase occurs at `start`, not negated and not touching a blocked word. The
    /// caller has found that the first word matches (the index of ``RuleSet``).
    func occurs(in words: [String], at start: Int, blocked: [Bool]) -> Bool {
        guard matches(words, blocked, position: start + 1, element: 1) else { return false }
        return startsNegated || !Self.isNegated(words, before: start)
    }

    private func matches(_ words: [String], _ blocked: [Bool], position: Int, element: Int) -> Bool {
        if element == elements.count { return true }
        switch elements[element] {
        case .word(let pattern):
            guard position < words.count, !blocked[position], pattern.matches(words[position]) else { return false }
            return matches(words, blocked, position: position + 1, element: element + 1)
        case .gap(let length):
            var skipped = 0
            while true {
                if matches(words, blocked, position: position + skipped, element: element + 1) { return true }
                let next = position + skipped
                guard skipped < length, next < words.count, !blocked[next], !Self.negations.contains(words[next]) else { return false }
                skipped += 1
            }
        }
    }

    /// Whether a negation stands before `start`, skipping up to two fillers.
    static func isNegated(_ words: [String], before start: Int) -> Bool {
        var index = start - 1
        var skipped = 0
        while index >= 0 {
            if negations.contains(words[index]) { return true }
            guard fillers.contains(words[index]), skipped < 2 else { return false }
            skipped += 1
            index -= 1
        }
        return false
    }
}

/// The pattern of one word: alternatives (exact or prefix) and exceptions.
struct WordPattern: Sendable, Hashable {
    /// Words that match exactly.
    let exact: [String]
    /// Prefixes that match.
    let prefixes: [String]
    /// Words that never match.
    let exceptedWords: [String]
    /// Prefixes that never match.
    let exceptedPrefixes: [String]

    init(_ source: Substring) {
        var exact: [String] = []
        var prefixes: [String] = []
        var exceptedWords: [String] = []
        var exceptedPrefixes: [String] = []
        for alternative in source.split(separator: "|") {
            let excepted = alternative.hasPrefix("-")
            let word = excepted ? alternative.dropFirst() : alternative
            switch (excepted, word.hasSuffix("*")) {
            case (false, false): exact.append(String(word))
            case (false, true): prefixes.append(String(word.dropLast()))
            case (true, false): exceptedWords.append(String(word))
            case (true, true): exceptedPrefixes.append(String(word.dropLast()))
            }
        }
        self.exact = exact
        self.prefixes = prefixes
        self.exceptedWords = exceptedWords
        self.exceptedPrefixes = exceptedPrefixes
    }

    func matches(_ word: String) -> Bool {
        guard exact.contains(word) || prefixes.contains(where: { word.utf8.starts(with: $0.utf8) }) else { return false }
        return !isExcepted(word)
    }

    /// Whether the word is one of the exceptions.
    func isExcepted(_ word: String) -> Bool {
        guard !exceptedWords.isEmpty || !exceptedPrefixes.isEmpty else { return false }
        return exceptedWords.contains(word) || exceptedPrefixes.contains { word.utf8.starts(with: $0.utf8) }
    }
}
