/// The rules of one list, compiled: every phrase indexed on its first word, so that a text is
/// scanned once, word by word, whatever the number of rules. A class: shared, never copied.
final class RuleSet: Sendable {
    /// What the rules made of a text.
    enum Decision: Sendable, Hashable {
        /// No rule fired.
        case none
        /// Rules fired and, after the superseded ones were set aside, agree on one value; the
        /// first such rule (in list order).
        case fired(Rule)
        /// Rules that give different values fired and none supersedes the others.
        case conflict([Rule])
    }

    let lijst: CodeList
    let rules: [Rule]
    /// Whether words after `naar aanleiding van` are a cause, not the thing itself (see ``causeLength``).
    let readsCauses: Bool
    /// Every phrase of every group, and the group it belongs to (groups are numbered over all
    /// rules: required groups and `unless` groups).
    private let phrases: [Phrase]
    private let groupOfPhrase: [Int]
    /// Phrases by the exact words their first word matches.
    private let byWord: [String: [Int]]
    /// Phrases by the first byte of the prefixes their first word matches (256 buckets).
    private let byPrefixInitial: [[(prefix: String, phrase: Int)]]
    /// Per rule: its required groups, its `unless` group (or -1), the rules it supersedes, the
    /// index of its value in the list.
    private let requiredGroups: [[Int]]
    private let unlessGroup: [Int]
    private let supersededRules: [[Int]]
    private let valueIndex: [Int]
    private let groupCount: Int

    /// How many words after `naar aanleiding van` describe the cause: in `klant nam contact op n.a.v.
    /// brief, kaart of e-mail` the letter is why the client called, not the form of the contact.
    static let causeLength = 5

    /// The compiled rules of every list.
    static let all: [CodeList: RuleSet] = Dictionary(
        uniqueKeysWithValues: CodeList.allCases.map { ($0, RuleSet($0, Rule.rules(for: $0))) }
    )

    init(_ lijst: CodeList, _ rules: [Rule]) {
        self.lijst = lijst
        self.rules = rules
        self.readsCauses = lijst == .eindresultaat || lijst == .contactsoort
        var phrases: [Phrase] = []
        var groupOfPhrase: [Int] = []
        var requiredGroups: [[Int]] = []
        var unlessGroup: [Int] = []
        var group = 0
        for rule in rules {
            var required: [Int] = []
            for alternatives in rule.required {
                phrases += alternatives
                groupOfPhrase += Array(repeating: group, count: alternatives.count)
                required.append(group)
                group += 1
            }
            requiredGroups.append(required)
            if rule.unless.isEmpty {
                unlessGroup.append(-1)
            } else {
                phrases += rule.unless
                groupOfPhrase += Array(repeating: group, count: rule.unless.count)
                unlessGroup.append(group)
                group += 1
            }
        }
        var byWord: [String: [Int]] = [:]
        var byPrefixInitial = [[(prefix: String, phrase: Int)]](repeating: [], count: 256)
        for (index, phrase) in phrases.enumerated() {
            let first = phrase.firstWord
            for word in first.exact { byWord[word, default: []].append(index) }
            for prefix in first.prefixes { byPrefixInitial[Int(prefix.utf8.first ?? 0)].append((prefix, index)) }
        }
        let names = rules.map(\.name)
        self.phrases = phrases
        self.groupOfPhrase = groupOfPhrase
        self.byWord = byWord
        self.byPrefixInitial = byPrefixInitial
        self.requiredGroups = requiredGroups
        self.unlessGroup = unlessGroup
        self.supersededRules = rules.map { rule in rule.supersedes.compactMap { names.firstIndex(of: $0) } }
        self.valueIndex = rules.map { lijst.officialValues.firstIndex(of: $0.waarde) ?? -1 }
        self.groupCount = group
    }

    /// The rules that fire for the words of a normalised text, in list order, before supersession.
    func firing(_ words: [String]) -> [Rule] {
        firingIndices(words).map { rules[$0] }
    }

    /// What the rules make of the words of a normalised text.
    func decide(_ words: [String]) -> Decision {
        let fired = firingIndices(words)
        guard !fired.isEmpty else { return .none }
        var superseded = [Bool](repeating: false, count: rules.count)
        for rule in fired {
            for other in supersededRules[rule] { superseded[other] = true }
        }
        let remaining = fired.filter { !superseded[$0] }
        guard let first = remaining.first else { return .none }
        for rule in remaining where valueIndex[rule] != valueIndex[first] {
            return .conflict(remaining.map { rules[$0] })
        }
        return .fired(rules[first])
    }

    private func firingIndices(_ words: [String]) -> [Int] {
        let blocked = blockedWords(words)
        var hit = [Bool](repeating: false, count: groupCount)
        for position in 0..<words.count where !blocked[position] {
            let word = words[position]
            if let candidates = byWord[word] {
                for index in candidates where !hit[groupOfPhrase[index]] {
                    if !phrases[index].firstWord.isExcepted(word), phrases[index].occurs(in: words, at: position, blocked: blocked) {
                        hit[groupOfPhrase[index]] = true
                    }
                }
            }
            guard let initial = word.utf8.first else { continue }
            for (prefix, index) in byPrefixInitial[Int(initial)] where !hit[groupOfPhrase[index]] && word.utf8.starts(with: prefix.utf8) {
                if !phrases[index].firstWord.isExcepted(word), phrases[index].occurs(in: words, at: position, blocked: blocked) {
                    hit[groupOfPhrase[index]] = true
                }
            }
        }
        var fired: [Int] = []
        for rule in 0..<rules.count {
            if unlessGroup[rule] >= 0 && hit[unlessGroup[rule]] { continue }
            var complete = true
            for group in requiredGroups[rule] where !hit[group] {
                complete = false
                break
            }
            if complete { fired.append(rule) }
        }
        return fired
    }

    /// The words no phrase may use: those of a cause (after `naar aanleiding van`).
    private func blockedWords(_ words: [String]) -> [Bool] {
        var blocked = [Bool](repeating: false, count: words.count)
        guard readsCauses, words.count > 3 else { return blocked }
        var position = 0
        while position + 3 <= words.count {
            if words[position] == "naar", words[position + 1] == "aanleiding", words[position + 2] == "van" {
                let start = position + 3
                for index in start..<min(start + Self.causeLength, words.count) { blocked[index] = true }
                position = start
            } else {
                position += 1
            }
        }
        return blocked
    }
}
