/// Where a vroegsignaal comes from, as "Vroegsignalering in cijfers" splits the figures: a
/// `crisissignaal` (the exchange model's `crisissignaal` is `true`) or a plain `vroegsignaal`
/// (`false` or absent).
///
/// A vroegsignaalzaak gets a herkomst from the signals it refers to: it is a `crisissignaal`
/// when any of the vroegsignalen it refers to, anywhere in the delivery, is one, and a
/// `vroegsignaal` otherwise — also when it refers to none, or only to IDs the delivery does
/// not hold. Its contact attempts and eindresultaat count under that herkomst.
public enum Herkomst: String, CaseIterable, Sendable, Codable {
    case vroegsignaal, crisissignaal
}

/// The counts of the signals and zaken of one herkomst in a delivery (VS): the same figures
/// as ``KwaliteitBevindingen``'s `records`, `zaken` and `verdelingen`, for that origin only.
/// Counts only.
public struct HerkomstAantallen: Sendable, Hashable, Codable {
    /// Vroegsignalen of this herkomst.
    public var records: Int = 0
    /// Vroegsignaalzaken of this herkomst.
    public var zaken: Int = 0
    /// Per code list, per value: signaalstatus and signaalpartner of the signals, eindresultaat,
    /// contactsoort and dagdeel of the zaken.
    public var verdelingen: [String: [String: Int]] = [:]

    /// Counts of `records` signals and `zaken` zaken with these distributions.
    public init(records: Int = 0, zaken: Int = 0, verdelingen: [String: [String: Int]] = [:]) {
        self.records = records
        self.zaken = zaken
        self.verdelingen = verdelingen
    }

    /// Adds another delivery's counts.
    public mutating func add(_ other: HerkomstAantallen) {
        records += other.records
        zaken += other.zaken
        for (list, counts) in other.verdelingen { verdelingen[list, default: [:]].merge(counts, uniquingKeysWith: +) }
    }
}

/// Where a code-list value was counted in ``FindingCounters``: a position in the model's list
/// (then absent, then invalid), or a text for a list the model does not have.
enum CodeBucket {
    case listed(Int)
    case open(String)
}

/// The herkomst split of a delivery's analysis (VS): per herkomst the records, zaken and
/// code-list values, with the IDs of the crisissignalen so far and the zaken that wait for
/// signals on a later page to learn their herkomst. Inactive (counting nothing) for SHV.
struct HerkomstSplit {
    /// Where the code-list values of the record being checked go.
    enum Target {
        case none
        case herkomst(Herkomst)
        /// A zaak whose herkomst is known only at the end.
        case pending
    }

    /// A zaak that refers to signals not seen yet, without crisissignalen among those seen.
    struct PendingZaak {
        let ids: [VroegsignaalID]
        let values: [(list: CodeListSlot, bucket: CodeBucket)]
    }

    /// The flat counters of one herkomst, shaped as ``FindingCounters``' distributions.
    struct Counters {
        var records = 0
        var zaken = 0
        var distributions: [[Int]]
        var openDistributions: [CodeListSlot: [String: Int]] = [:]

        mutating func count(_ list: CodeListSlot, _ bucket: CodeBucket) {
            switch bucket {
            case .listed(let index): distributions[list.rawValue][index] += 1
            case .open(let text): openDistributions[list, default: [:]][text, default: 0] += 1
            }
        }
    }

    /// Per ``Herkomst``, by its position in `allCases`; empty when inactive.
    private(set) var counters: [Counters]
    /// The IDs of the crisissignalen seen so far.
    private(set) var crisisIDs: Set<VroegsignaalID> = []
    private var target = Target.none
    private var pendingIDs: [VroegsignaalID] = []
    private var pendingValues: [(list: CodeListSlot, bucket: CodeBucket)] = []
    private var pending: [PendingZaak] = []

    /// A split for `model` whose code-list counters have the shapes of `counters`.
    init(model: ExchangeModel, counters shape: FindingCounters) {
        let empty = Counters(distributions: shape.distributions.map { [Int](repeating: 0, count: $0.count) })
        counters = model.stream == .vroegsignalering ? Herkomst.allCases.map { _ in empty } : []
    }

    private static func index(_ herkomst: Herkomst) -> Int { herkomst == .vroegsignaal ? 0 : 1 }

    /// Starts a vroegsignaal with ID `id` whose `crisissignaal` member is `flag`.
    mutating func startSignal(_ id: VroegsignaalID?, crisissignaal flag: JSONTapeValue?) {
        guard !counters.isEmpty else { return }
        let herkomst: Herkomst = flag?.boolValue == true ? .crisissignaal : .vroegsignaal
        if herkomst == .crisissignaal, let id { crisisIDs.insert(id) }
        counters[Self.index(herkomst)].records += 1
        target = .herkomst(herkomst)
    }

    /// Starts a zaak that refers to a crisissignaal seen already (`refersToCrisis`), or to the
    /// signals `unresolved` not seen yet.
    mutating func startZaak(refersToCrisis: Bool, unresolved: [VroegsignaalID]) {
        guard !counters.isEmpty else { return }
        if refersToCrisis || unresolved.isEmpty {
            let herkomst: Herkomst = refersToCrisis ? .crisissignaal : .vroegsignaal
            counters[Self.index(herkomst)].zaken += 1
            target = .herkomst(herkomst)
        } else {
            pendingIDs = unresolved
            target = .pending
        }
    }

    /// Ends the record or zaak being checked.
    mutating func end() {
        if case .pending = target {
            pending.append(PendingZaak(ids: pendingIDs, values: pendingValues))
            pendingIDs = []
            pendingValues = []
        }
        target = .none
    }

    /// Counts a code-list value of the record or zaak being checked.
    @inline(__always)
    mutating func count(_ list: CodeListSlot, _ bucket: CodeBucket) {
        switch target {
        case .none: return
        case .herkomst(let herkomst): counters[Self.index(herkomst)].count(list, bucket)
        case .pending: pendingValues.append((list, bucket))
        }
    }

    /// The counts per herkomst (by `rawValue`) after the last page, the waiting zaken given
    /// theirs; nil when inactive.
    func result(lists: [CodeListValues?]) -> [String: HerkomstAantallen]? {
        guard !counters.isEmpty else { return nil }
        var counters = counters
        for zaak in pending {
            let herkomst: Herkomst = zaak.ids.contains(where: crisisIDs.contains) ? .crisissignaal : .vroegsignaal
            counters[Self.index(herkomst)].zaken += 1
            for value in zaak.values { counters[Self.index(herkomst)].count(value.list, value.bucket) }
        }
        var result: [String: HerkomstAantallen] = [:]
        for herkomst in Herkomst.allCases {
            let own = counters[Self.index(herkomst)]
            result[herkomst.rawValue] = HerkomstAantallen(
                records: own.records, zaken: own.zaken,
                verdelingen: FindingCounters.verdelingen(own.distributions, open: own.openDistributions, lists: lists))
        }
        return result
    }
}
