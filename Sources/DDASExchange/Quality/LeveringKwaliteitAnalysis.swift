/// The semantic checks of one delivery, page by page, after the schema: per record the checks
/// of ``KwaliteitCheck``, and across pages the checks that need the whole delivery (unique
/// IDs, references from vroegsignaalzaken, `Opgepakt` signals without a zaak).
///
/// It keeps counts, and for the length of the pull the vroegsignaal IDs (to find doubles and
/// references) and the invalid code-list values (to suggest official ones); ``finish()``
/// gives the counts and the values, and the analysis is then dropped.
public struct LeveringKwaliteitAnalysis: Sendable {
    let model: ExchangeModel
    let periodeStart: DateBound
    let periodeEind: DateBound
    let today: DateBound
    var findings: KwaliteitBevindingen
    /// The counts per check, code-list value and month, written into ``findings`` at the end.
    var counters: FindingCounters
    var invalid = InvalidCodeValues()
    /// The counts per herkomst (VS).
    var herkomst: HerkomstSplit
    /// Every vroegsignaal ID seen so far.
    var signalIDs: Set<VroegsignaalID> = []
    /// Every vroegsignaal ID a zaak referred to so far.
    var referencedIDs: Set<VroegsignaalID> = []
    /// Vroegsignalen with status `Opgepakt`, by ID, until the end shows whether a zaak refers to them.
    var pickedUp: [VroegsignaalID] = []
    /// Zaken with references not (yet) seen: whether the zaak already has an error, the IDs,
    /// and where the zaak is (when places are listed).
    var openReferences: [(hasError: Bool, ids: [VroegsignaalID], place: Place?)] = []
    /// Where each `Opgepakt` vroegsignaal is, by ID (kept only when places are listed).
    var pickedUpPlaces: [VroegsignaalID: Place] = [:]
    /// The page being checked, from 1.
    var currentPage = 1
    /// The findings at their place, in order (the first ``KwaliteitBevindingen/schemaViolationListLimit``);
    /// nil when the analysis only counts.
    public private(set) var geplaatst: [Bevinding]?
    /// Every finding at its place, beyond the list too.
    public private(set) var geplaatstTotaal = 0

    /// An analysis of a delivery of `model` data for the period `periodeStart`…`periodeEind`
    /// (`YYYY-MM-DD`), pulled on `today`.
    /// With `listsPlaces`, it also lists every finding with its page and JSON pointer (see
    /// ``geplaatst``), as `ddas-regie valideer` shows them.
    public init(model: ExchangeModel, periodeStart: String, periodeEind: String, today: String, listsPlaces: Bool = false) {
        self.model = model
        if listsPlaces { geplaatst = [] }
        self.periodeStart = DateBound(periodeStart)
        self.periodeEind = DateBound(periodeEind)
        self.today = DateBound(today)
        counters = FindingCounters(model: model)
        herkomst = HerkomstSplit(model: model, counters: counters)
        findings = KwaliteitBevindingen(stroom: model.stream.key, modelVersie: model.version.text)
        findings.schemaOvertredingenTotaal = 0
        findings.schemaOvertredingen = []
    }

    /// Whether findings are listed at their place.
    var listsPlaces: Bool { geplaatst != nil }

    /// Checks one page whose `gegevens` gave `schema` as a whole. Violations inside records
    /// count as errors of those records; violations elsewhere make the page unreadable and
    /// are returned (the page adds nothing then).
    public mutating func add(_ page: GegevensPage, schema: SchemaValidationResult) -> StructuralViolations? {
        var damaged: Set<RecordPosition> = []
        currentPage = page.paginering?.currentPage ?? 1
        if !schema.isValid {
            let number = currentPage
            findings.schemaOvertredingenTotaal = (findings.schemaOvertredingenTotaal ?? 0) + schema.totalViolationCount
            var listed = findings.schemaOvertredingen ?? []
            for violation in schema.violations.prefix(KwaliteitBevindingen.schemaViolationListLimit - listed.count) {
                listed.append(SchemaOvertreding(pagina: number, pointer: violation.instancePointer, regel: violation.keywordLocation))
            }
            for violation in schema.violations {
                place(Bevinding(schema: violation, pagina: number))
            }
            if listsPlaces { geplaatstTotaal += schema.totalViolationCount - schema.violations.count }
            findings.schemaOvertredingen = listed
            switch recordViolations(page, schema: schema) {
            case .success(let violations):
                damaged = violations.positions
                for (rule, count) in violations.rules { findings.schemaRegels[rule, default: 0] += count }
            case .failure(let structural):
                return structural
            }
        }
        let fields = PageFields(page.tape)
        let leveringen = page.gegevensOnTape.members.first { fields.field($0) == .leveringen }?.value
        for (position, levering) in elementList(leveringen).enumerated() {
            switch model.stream {
            case .vroegsignalering: addSignals(levering, at: position, damaged: damaged, fields: fields)
            case .schuldhulpverlening: addTrajecten(levering, at: position, damaged: damaged, fields: fields)
            }
        }
        return nil
    }

    /// The counts and the invalid values, after the last page.
    public func finish() -> LeveringKwaliteit {
        var analysis = self
        return analysis.finishing()
    }

    private mutating func finishing() -> LeveringKwaliteit {
        for zaak in openReferences {
            let unknown = zaak.ids.filter { !signalIDs.contains($0) }
            guard !unknown.isEmpty else { continue }
            if let at = zaak.place { for _ in unknown { place(.unknownReference, at.appending("vroegsignalen")) } }
            counters.perCheck[CheckSlot.unknownReference.rawValue] += unknown.count
            counters.unitsPerCheck[CheckSlot.unknownReference.rawValue] += 1
            if !zaak.hasError { findings.eenhedenMetFouten += 1 }
        }
        let lonelyIDs = pickedUp.filter { !referencedIDs.contains($0) }
        if listsPlaces {
            for id in lonelyIDs { place(.pickedUpWithoutCase, pickedUpPlaces[id] ?? Place(pagina: currentPage, pointer: "")) }
        }
        let lonely = lonelyIDs.count
        if lonely > 0 {
            counters.perCheck[CheckSlot.pickedUpWithoutCase.rawValue] += lonely
            counters.unitsPerCheck[CheckSlot.pickedUpWithoutCase.rawValue] += lonely
            findings.eenhedenMetWaarschuwingen += lonely
        }
        counters.write(into: &findings)
        findings.perHerkomst = herkomst.result(lists: counters.lists)
        return LeveringKwaliteit(findings: findings, invalidValues: invalid, geplaatst: geplaatst, geplaatstTotaal: geplaatstTotaal)
    }

    /// Lists a finding at its place, while the list has room.
    mutating func place(_ bevinding: Bevinding) {
        guard geplaatst != nil else { return }
        geplaatstTotaal += 1
        if geplaatst!.count < KwaliteitBevindingen.schemaViolationListLimit { geplaatst!.append(bevinding) }
    }

    /// Lists a semantic finding at its place.
    mutating func place(_ check: KwaliteitCheck, _ at: Place) {
        place(Bevinding(check: check, pagina: at.pagina, pointer: at.pointer))
    }

    /// The findings of a record or zaak at `pointer` (built only when places are listed).
    func record(_ pointer: @autoclosure () -> String) -> RecordFindings {
        RecordFindings(pointer: listsPlaces ? pointer() : nil)
    }

    /// Commits the findings of one record or zaak.
    mutating func commit(_ record: RecordFindings) {
        // The schema violations, code-list values included, are listed one by one already,
        // where they were found.
        for (slot, pointer) in record.places where slot != .schema && slot != .codeList {
            place(slot.check, Place(pagina: currentPage, pointer: pointer))
        }
        var found = record.found
        while found != 0 {
            let slot = found.trailingZeroBitCount
            found &= found - 1
            counters.perCheck[slot] += Int(record.counts[slot])
            counters.unitsPerCheck[slot] += 1
        }
        if record.hasError { findings.eenhedenMetFouten += 1 }
        if record.found & ~CheckSlot.errors != 0 { findings.eenhedenMetWaarschuwingen += 1 }
    }

    /// Counts a code-list value in its distribution (and its herkomst's); a value outside the
    /// list is a finding.
    mutating func codeValue(_ value: JSONTapeValue?, list: CodeListSlot, at field: String? = nil, into record: inout RecordFindings) {
        let values = counters.lists[list.rawValue]
        let bucket: Int?
        switch value {
        case nil:
            bucket = values.map { $0.values.count }
        case let value? where value.isNull:
            bucket = values.map { $0.values.count }
        case let value? where value.isString:
            guard let values else {
                count(list, .open(value.stringValue ?? ""))
                return
            }
            bucket = value.withUTF8 { values.index(of: $0) } ?? values.values.count + 1
        case .some:
            bucket = values.map { $0.values.count + 1 }
        }
        if let bucket, let values, bucket < values.values.count {
            count(list, .listed(bucket))
            return
        }
        let isAbsent = value == nil || value?.isNull == true
        if !isAbsent {
            invalid.add(value!.jsonValue, list: list.list)
            record.add(.codeList, at: field)
        }
        if let bucket {
            count(list, .listed(bucket))
        } else {
            count(list, .open(isAbsent ? KwaliteitBevindingen.absentValue : KwaliteitBevindingen.invalidValue))
        }
    }

    /// Counts one code-list value in its bucket, and for the herkomst of the record.
    @inline(__always)
    private mutating func count(_ list: CodeListSlot, _ bucket: CodeBucket) {
        switch bucket {
        case .listed(let index): counters.distributions[list.rawValue][index] += 1
        case .open(let text): counters.openDistributions[list, default: [:]][text, default: 0] += 1
        }
        herkomst.count(list, bucket)
    }

    /// Checks that a date is plausible (and, when asked, inside the period); returns it when valid.
    @discardableResult
    func date(_ value: JSONTapeValue?, at field: String? = nil, inPeriod: Bool = false, into record: inout RecordFindings) -> CalendarDate?
    {
        guard let day = value?.calendarDate else { return nil }
        if day.value < Self.earliestPlausibleDate || today.isBefore(day) {
            record.add(.implausibleDate, at: field)
        } else if inPeriod, periodeStart.isAfter(day) || periodeEind.isBefore(day) {
            record.add(.dateOutsidePeriod, at: field)
        }
        return day
    }

    /// ``FieldRules/earliestPlausibleDate`` as a ``CalendarDate`` value.
    static let earliestPlausibleDate: Int32 = 1900_01_01

    /// Checks an amount (`bedrag`): not negative.
    func amount(_ value: JSONTapeValue?, at field: String? = nil, into record: inout RecordFindings) {
        if let number = value?.numberValue, number.doubleValue < 0 { record.add(.negativeAmount, at: field) }
    }

    /// Counts a record in its month.
    mutating func month(of day: CalendarDate?) {
        if let day { counters.months[day.month, default: 0] += 1 } else { counters.unknownMonth += 1 }
    }
}

/// Where a record sits on a page: its levering, which array, and its index there.
struct RecordPosition: Hashable {
    let levering: Int
    let array: String
    let index: Int
}

/// A place in the data: the page, and the JSON pointer in its `gegevens`.
struct Place {
    let pagina: Int
    let pointer: String

    /// The place of a member below this one.
    func appending(_ path: String) -> Place { Place(pagina: pagina, pointer: pointer + "/" + path) }
}

/// The findings of one record or zaak: each check with how often it found something, and,
/// when places are listed, where (JSON pointers in the page's `gegevens`). Counting needs no
/// allocation: one bit per check found, and the counts inline.
struct RecordFindings {
    /// Where the record is (`/leveringen/0/vroegsignalen/3`), when places are listed.
    let pointer: String?
    /// One bit per ``CheckSlot`` that found something.
    private(set) var found: UInt16 = 0
    /// Per ``CheckSlot``: how often.
    private(set) var counts = SIMD16<Int32>()
    private(set) var places: [(check: CheckSlot, pointer: String)] = []

    init(pointer: String? = nil) {
        self.pointer = pointer
    }

    /// Counts a finding of `check`; `field` is the path below the record where it was found
    /// (`client/burgerservicenummer`), nil for the record as a whole.
    mutating func add(_ check: CheckSlot, at field: @autoclosure () -> String? = nil) {
        if let pointer { places.append((check, field().map { pointer + "/" + $0 } ?? pointer)) }
        found |= 1 << check.rawValue
        counts[check.rawValue] &+= 1
    }

    var hasError: Bool { found & CheckSlot.errors != 0 }
}
