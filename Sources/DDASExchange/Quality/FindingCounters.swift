/// The checks a record can fail, by their position in ``KwaliteitCheck/all``: what the flat
/// counters and a record's findings are indexed by.
enum CheckSlot: Int, CaseIterable {
    case schema, codeList, bsn, postcode, huisnummer, dateForm, implausibleDate, dateOutsidePeriod, matchingPeriodReversed
    case periodReversed, unknownReference, duplicateID, negativeAmount, pickedUpWithoutCase, contactWithoutOutcome

    /// The check.
    var check: KwaliteitCheck { KwaliteitCheck.all[rawValue] }

    /// The slots whose checks are errors, one bit each.
    static let errors: UInt16 = allCases.reduce(0) { $1.check.severity == .error ? $0 | 1 << $1.rawValue : $0 }
}

/// The code lists the semantic checks count a distribution of, by their position in the flat
/// counters.
enum CodeListSlot: Int, CaseIterable {
    case signaalstatus, signaalpartner, eindresultaat, contactsoort, dagdeel
    case begeleidingssoort, uitstroomreden, schuldensoort, oplossingssoort, beschikkingssoort

    /// The list's name in the model (`eindresultaat`) and in ``KwaliteitBevindingen/verdelingen``.
    var list: String { "\(self)" }
}

/// The counts of a delivery's analysis in flat arrays, indexed by check and by code-list
/// value, so that counting a finding or a value is an addition; ``write(into:)`` turns them
/// into the dictionaries of ``KwaliteitBevindingen`` once, at the end.
struct FindingCounters {
    /// Per ``CheckSlot``: how many times it found something.
    var perCheck = [Int](repeating: 0, count: CheckSlot.allCases.count)
    /// Per ``CheckSlot``: in how many records and zaken.
    var unitsPerCheck = [Int](repeating: 0, count: CheckSlot.allCases.count)
    /// Per ``CodeListSlot``, the model's list (nil: the model has none, any text counts as itself).
    let lists: [CodeListValues?]
    /// Per ``CodeListSlot``: per value of the list, then absent, then invalid.
    var distributions: [[Int]]
    /// Per ``CodeListSlot`` without a list in the model: per text.
    var openDistributions: [CodeListSlot: [String: Int]] = [:]
    /// Records per month, by `YYYYMM`.
    var months: [Int32: Int] = [:]
    /// Records without a valid date for their month.
    var unknownMonth = 0

    /// Counters for the code lists of `model`.
    init(model: ExchangeModel) {
        lists = CodeListSlot.allCases.map { model.codeLists[$0.list] }
        distributions = lists.map { [Int](repeating: 0, count: ($0?.values.count ?? 0) + 2) }
    }

    /// Adds the counts to `findings`' dictionaries.
    func write(into findings: inout KwaliteitBevindingen) {
        for slot in CheckSlot.allCases where unitsPerCheck[slot.rawValue] > 0 {
            findings.bevindingen[slot.check.code, default: 0] += perCheck[slot.rawValue]
            findings.eenhedenPerControle[slot.check.code, default: 0] += unitsPerCheck[slot.rawValue]
        }
        for (list, distribution) in Self.verdelingen(distributions, open: openDistributions, lists: lists) {
            findings.verdelingen[list, default: [:]].merge(distribution, uniquingKeysWith: +)
        }
        for (month, count) in months { findings.volumePerMaand[CalendarDate.monthText(month), default: 0] += count }
        if unknownMonth > 0 { findings.volumePerMaand[KwaliteitBevindingen.unknownMonth, default: 0] += unknownMonth }
    }

    /// The distributions of flat counters (`distributions` per ``CodeListSlot`` and value, then
    /// absent, then invalid; `open` per text for lists the model lacks) by list and value
    /// name, leaving out lists that counted nothing.
    static func verdelingen(_ distributions: [[Int]], open: [CodeListSlot: [String: Int]], lists: [CodeListValues?])
        -> [String: [String: Int]]
    {
        var verdelingen: [String: [String: Int]] = [:]
        for slot in CodeListSlot.allCases {
            let values = lists[slot.rawValue]?.values ?? []
            var distribution: [String: Int] = open[slot] ?? [:]
            for (index, count) in distributions[slot.rawValue].enumerated() where count > 0 {
                let bucket =
                    index < values.count
                    ? values[index] : index == values.count ? KwaliteitBevindingen.absentValue : KwaliteitBevindingen.invalidValue
                distribution[bucket, default: 0] += count
            }
            if !distribution.isEmpty { verdelingen[slot.list] = distribution }
        }
        return verdelingen
    }
}
