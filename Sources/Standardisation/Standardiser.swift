/// Maps free text to the official value of a code list, and never guesses.
///
/// The decision, in order (the first that applies wins; `regel` names it):
/// 1. `leeg`: the text is empty or white space → `LEEG`.
/// 2. `officieel`: the normalised text is a normalised official value (also with the spaces
///    left out: `Niet verschenen` is `Nietverschenen`) → that value.
/// 3. `tabel`: the maintained table has the normalised text → its value (which may be
///    `ONBEKEND` on purpose). It overrides the reference data and the rules.
/// 4. `referentie`: the programme's reference data has the normalised text → its value.
/// 5. `regel.<list>.<name>`: the rules of the list agree on one value (see ``Rule``).
/// 6. `onbekend`: nothing explains the text, or rules contradict each other → `ONBEKEND`.
///
/// Pure: no I/O, no logging; safe to share between tasks.
public struct Standardiser: Sendable {
    /// The regel of a blank text.
    public static let regelLeeg = "leeg"
    /// The regel of an official value.
    public static let regelOfficieel = "officieel"
    /// The regel of the maintained table.
    public static let regelTabel = "tabel"
    /// The regel of the reference data.
    public static let regelReferentie = "referentie"
    /// The regel of a text nothing explains.
    public static let regelOnbekend = "onbekend"

    private let reference: ReferenceTable
    private let maintained: [CodeList: [String: String]]
    /// Whether step 5 (the rules) applies.
    public let rulesEnabled: Bool

    /// A standardiser. Maintained entries whose value the list does not accept
    /// (``CodeList/accepts(_:)``) or whose text normalises to nothing are ignored; when two
    /// entries have the same normalised text, the later one wins.
    public init(reference: ReferenceTable = .empty, maintained: [MappingEntry] = [], rulesEnabled: Bool = true) {
        self.reference = reference
        self.rulesEnabled = rulesEnabled
        var table: [CodeList: [String: String]] = [:]
        for entry in maintained where entry.lijst.accepts(entry.waarde) {
            let key = TextNormalisation.normalise(entry.tekst)
            if !key.isEmpty { table[entry.lijst, default: [:]][key] = entry.waarde }
        }
        self.maintained = table
    }

    /// The official value (or marker) of one text.
    public func standardise(_ text: String, in list: CodeList) -> StandardisedValue {
        if TextNormalisation.isBlank(text) { return StandardisedValue(waarde: StandardisedValue.leeg, regel: Self.regelLeeg) }
        let words = TextNormalisation.words(text)
        let key = words.joined(separator: " ")
        if let official = OfficialValues.match(words, in: list) {
            return StandardisedValue(waarde: official, regel: Self.regelOfficieel)
        }
        if let waarde = maintained[list]?[key] { return StandardisedValue(waarde: waarde, regel: Self.regelTabel) }
        if let waarde = reference.waarde(forNormalised: key, in: list) {
            return StandardisedValue(waarde: waarde, regel: Self.regelReferentie)
        }
        if rulesEnabled, case .fired(let rule) = RuleSet.all[list]?.decide(words) {
            return StandardisedValue(waarde: rule.waarde, regel: rule.id)
        }
        return StandardisedValue(waarde: StandardisedValue.onbekend, regel: Self.regelOnbekend)
    }

    /// The official values (or markers) of many texts, in the same order. Each distinct text is
    /// decided once.
    public func standardise(_ texts: [String], in list: CodeList) -> [StandardisedValue] {
        var decided: [String: StandardisedValue] = [:]
        return texts.map { text in
            if let known = decided[text] { return known }
            let value = standardise(text, in: list)
            decided[text] = value
            return value
        }
    }

    /// The rules that fire for a text, by id, whatever else decides: for a person who maps what
    /// stayed `ONBEKEND` (it shows which rules contradicted each other). Empty for a blank text.
    public func firingRules(_ text: String, in list: CodeList) -> [String] {
        guard !TextNormalisation.isBlank(text), let rules = RuleSet.all[list] else { return [] }
        return rules.firing(TextNormalisation.words(text)).map(\.id)
    }
}

/// The official values of every list, by normalised form.
enum OfficialValues {
    /// Per list: normalised value → value, and the same without spaces.
    private static let byKey: [CodeList: (spaced: [String: String], compact: [String: String])] = Dictionary(
        uniqueKeysWithValues: CodeList.allCases.map { list in
            var spaced: [String: String] = [:]
            var compact: [String: String] = [:]
            for value in list.officialValues {
                let words = TextNormalisation.words(value)
                spaced[words.joined(separator: " ")] = value
                compact[words.joined()] = value
            }
            return (list, (spaced, compact))
        }
    )

    /// The official value whose normalised words are `words` (or are, once joined without spaces).
    static func match(_ words: [String], in list: CodeList) -> String? {
        guard let values = byKey[list], !words.isEmpty else { return nil }
        return values.spaced[words.joined(separator: " ")] ?? values.compact[words.joined()]
    }
}
