/// The semantic checks of one delivery, page by page, after the schema: per record the checks
/// of ``KwaliteitCheck``, and across pages the checks that need the whole delivery (unique
/// IDs, references from vroegsignaalzaken, `Opgepakt` signals without a zaak).
///
/// It keeps counts, and for the length of the pull the vroegsignaal IDs (to find doubles and
/// references) and the invalid code-list values (to suggest official ones); ``finish()``
/// gives the counts and the values, and the analysis is then dropped.
public struct LeveringKwaliteitAnalysis: Sendable {
    let model: ExchangeModel
    let periodeStart: String
    let periodeEind: String
    let today: String
    var findings: KwaliteitBevindingen
    var invalid = InvalidCodeValues()
    /// Every vroegsignaal ID seen so far.
    var signalIDs: Set<String> = []
    /// Every vroegsignaal ID a zaak referred to so far.
    var referencedIDs: Set<String> = []
    /// Vroegsignalen with status `Opgepakt`, by ID, until the end shows whether a zaak refers to them.
    var pickedUp: [String] = []
    /// Zaken with references not (yet) seen: whether the zaak already has an error, the IDs,
    /// and where the zaak is.
    var openReferences: [(hasError: Bool, ids: [String], place: Place)] = []
    /// Where each `Opgepakt` vroegsignaal is, by ID (kept only when places are listed).
    var pickedUpPlaces: [String: Place] = [:]
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
        self.periodeStart = periodeStart
        self.periodeEind = periodeEind
        self.today = today
        findings = KwaliteitBevindingen(stroom: model.stream.key, modelVersie: model.version.text)
        findings.schemaOvertredingenTotaal = 0
        findings.schemaOvertredingen = []
    }

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
            if geplaatst != nil { geplaatstTotaal += schema.totalViolationCount - schema.violations.count }
            findings.schemaOvertredingen = listed
            switch recordViolations(page, schema: schema) {
            case .success(let violations):
                damaged = violations.positions
                for (rule, count) in violations.rules { findings.schemaRegels[rule, default: 0] += count }
            case .failure(let structural):
                return structural
            }
        }
        for (position, levering) in (page.gegevens["leveringen"]?.arrayValue ?? []).enumerated() {
            switch model.stream {
            case .vroegsignalering: addSignals(levering, at: position, damaged: damaged)
            case .schuldhulpverlening: addTrajecten(levering, at: position, damaged: damaged)
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
            for _ in unknown { place(.unknownReference, zaak.place.appending("vroegsignalen")) }
            let code = KwaliteitCheck.unknownReference.code
            findings.bevindingen[code, default: 0] += unknown.count
            findings.eenhedenPerControle[code, default: 0] += 1
            if !zaak.hasError { findings.eenhedenMetFouten += 1 }
        }
        let lonelyIDs = pickedUp.filter { !referencedIDs.contains($0) }
        for id in lonelyIDs { place(.pickedUpWithoutCase, pickedUpPlaces[id] ?? Place(pagina: currentPage, pointer: "")) }
        let lonely = lonelyIDs.count
        if lonely > 0 {
            let code = KwaliteitCheck.pickedUpWithoutCase.code
            findings.bevindingen[code, default: 0] += lonely
            findings.eenhedenPerControle[code, default: 0] += lonely
            findings.eenhedenMetWaarschuwingen += lonely
        }
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

    /// Commits the findings of one record or zaak.
    mutating func commit(_ record: RecordFindings) {
        // The schema violations, code-list values included, are listed one by one already,
        // where they were found.
        for (check, pointer) in record.places where check != .schema && check != .codeList {
            place(check, Place(pagina: currentPage, pointer: pointer))
        }
        var hasError = false
        var hasWarning = false
        for (check, count) in record.counts {
            findings.bevindingen[check.code, default: 0] += count
            findings.eenhedenPerControle[check.code, default: 0] += 1
            switch check.severity {
            case .error: hasError = true
            case .warning: hasWarning = true
            }
        }
        if hasError { findings.eenhedenMetFouten += 1 }
        if hasWarning { findings.eenhedenMetWaarschuwingen += 1 }
    }

    /// Counts a code-list value in its distribution; a value outside the list is a finding.
    mutating func codeValue(_ value: JSONValue?, list: String, at field: String? = nil, into record: inout RecordFindings) {
        let bucket: String
        switch value {
        case nil, .null?:
            bucket = KwaliteitBevindingen.absentValue
        case .string(let text)? where model.codeLists[list]?.contains(text) ?? true:
            bucket = text
        case let other?:
            bucket = KwaliteitBevindingen.invalidValue
            invalid.add(other, list: list)
            record.add(.codeList, at: field)
        }
        findings.verdelingen[list, default: [:]][bucket, default: 0] += 1
    }

    /// Checks that a date is plausible (and, when asked, inside the period); returns it when valid.
    @discardableResult
    func date(_ value: JSONValue?, at field: String? = nil, inPeriod: Bool = false, into record: inout RecordFindings) -> String? {
        guard let text = value?.stringValue, let day = FieldRules.date(text) else { return nil }
        if day < FieldRules.earliestPlausibleDate || day > today {
            record.add(.implausibleDate, at: field)
        } else if inPeriod, day < periodeStart || day > periodeEind {
            record.add(.dateOutsidePeriod, at: field)
        }
        return day
    }

    /// Checks an amount (`bedrag`): not negative.
    func amount(_ value: JSONValue?, at field: String? = nil, into record: inout RecordFindings) {
        if let number = value?.numberValue, number.doubleValue < 0 { record.add(.negativeAmount, at: field) }
    }

    /// Counts a record in its month.
    mutating func month(of day: String?) {
        let key = day.map { String($0.prefix(7)) } ?? KwaliteitBevindingen.unknownMonth
        findings.volumePerMaand[key, default: 0] += 1
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

/// The findings of one record or zaak: each check with how often it found something, and
/// where (JSON pointers in the page's `gegevens`).
struct RecordFindings {
    /// Where the record is: `/leveringen/0/vroegsignalen/3`.
    let pointer: String
    private(set) var counts: [(check: KwaliteitCheck, count: Int)] = []
    private(set) var places: [(check: KwaliteitCheck, pointer: String)] = []

    init(pointer: String = "") {
        self.pointer = pointer
    }

    /// Counts a finding of `check`; `field` is the path below the record where it was found
    /// (`client/burgerservicenummer`), nil for the record as a whole.
    mutating func add(_ check: KwaliteitCheck, times: Int = 1, at field: String? = nil) {
        for _ in 0..<times { places.append((check, field.map { pointer + "/" + $0 } ?? pointer)) }
        if let index = counts.firstIndex(where: { $0.check.code == check.code }) {
            counts[index].count += times
        } else {
            counts.append((check, times))
        }
    }

    var hasError: Bool { counts.contains { $0.check.severity == .error } }
}
