/// The semantic checks of one delivery, page by page, after the schema: per record the checks
/// of ``QualityCheck``, and across pages the checks that need the whole delivery (unique
/// IDs, references from vroegsignaalzaken, `Opgepakt` signals without a zaak).
///
/// It keeps counts, and for the length of the pull the vroegsignaal IDs (to find doubles and
/// references) and the invalid code-list values (to suggest official ones); ``finish()``
/// gives the counts and the values, and the analysis is then dropped.
public struct DeliveryQualityAnalysis: Sendable {
    let model: ExchangeModel
    let periodeStart: String
    let periodeEind: String
    let today: String
    var findings: QualityFindings
    var invalid = InvalidCodeValues()
    /// Every vroegsignaal ID seen so far.
    var signalIDs: Set<String> = []
    /// Every vroegsignaal ID a zaak referred to so far.
    var referencedIDs: Set<String> = []
    /// Vroegsignalen with status `Opgepakt`, by ID, until the end shows whether a zaak refers to them.
    var pickedUp: [String] = []
    /// Zaken with references not (yet) seen: whether the zaak already has an error, and the IDs.
    var openReferences: [(hasError: Bool, ids: [String])] = []

    /// An analysis of a delivery of `model` data for the period `periodeStart`…`periodeEind`
    /// (`YYYY-MM-DD`), pulled on `today`.
    public init(model: ExchangeModel, periodeStart: String, periodeEind: String, today: String) {
        self.model = model
        self.periodeStart = periodeStart
        self.periodeEind = periodeEind
        self.today = today
        findings = QualityFindings(stroom: model.stream.key, modelVersie: model.version.text)
        findings.schemaOvertredingenTotaal = 0
        findings.schemaOvertredingen = []
    }

    /// Checks one page whose `gegevens` gave `schema` as a whole. Violations inside records
    /// count as errors of those records; violations elsewhere make the page unreadable and
    /// are returned (the page adds nothing then).
    public mutating func add(_ page: GegevensPage, schema: SchemaValidationResult) -> StructuralViolations? {
        var damaged: Set<RecordPosition> = []
        if !schema.isValid {
            let number = page.paginering?.currentPage ?? 1
            findings.schemaOvertredingenTotaal = (findings.schemaOvertredingenTotaal ?? 0) + schema.totalViolationCount
            var listed = findings.schemaOvertredingen ?? []
            for violation in schema.violations.prefix(QualityFindings.schemaViolationListLimit - listed.count) {
                listed.append(SchemaOvertreding(pagina: number, pointer: violation.instancePointer, regel: violation.keywordLocation))
            }
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
    public func finish() -> DeliveryQuality {
        var findings = self.findings
        for zaak in openReferences {
            let unknown = zaak.ids.filter { !signalIDs.contains($0) }
            guard !unknown.isEmpty else { continue }
            let code = QualityCheck.unknownReference.code
            findings.bevindingen[code, default: 0] += unknown.count
            findings.eenhedenPerControle[code, default: 0] += 1
            if !zaak.hasError { findings.eenhedenMetFouten += 1 }
        }
        let lonely = pickedUp.filter { !referencedIDs.contains($0) }.count
        if lonely > 0 {
            let code = QualityCheck.pickedUpWithoutCase.code
            findings.bevindingen[code, default: 0] += lonely
            findings.eenhedenPerControle[code, default: 0] += lonely
            findings.eenhedenMetWaarschuwingen += lonely
        }
        return DeliveryQuality(findings: findings, invalidValues: invalid)
    }

    /// Commits the findings of one record or zaak.
    mutating func commit(_ record: RecordFindings) {
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
    mutating func codeValue(_ value: JSONValue?, list: String, into record: inout RecordFindings) {
        let bucket: String
        switch value {
        case nil, .null?:
            bucket = QualityFindings.absentValue
        case .string(let text)? where model.codeLists[list]?.contains(text) ?? true:
            bucket = text
        case let other?:
            bucket = QualityFindings.invalidValue
            invalid.add(other, list: list)
            record.add(.codeList)
        }
        findings.verdelingen[list, default: [:]][bucket, default: 0] += 1
    }

    /// Checks that a date is plausible (and, when asked, inside the period); returns it when valid.
    @discardableResult
    func date(_ value: JSONValue?, inPeriod: Bool = false, into record: inout RecordFindings) -> String? {
        guard let text = value?.stringValue, let day = FieldRules.date(text) else { return nil }
        if day < FieldRules.earliestPlausibleDate || day > today {
            record.add(.implausibleDate)
        } else if inPeriod, day < periodeStart || day > periodeEind {
            record.add(.dateOutsidePeriod)
        }
        return day
    }

    /// Checks an amount (`bedrag`): not negative.
    func amount(_ value: JSONValue?, into record: inout RecordFindings) {
        if let number = value?.numberValue, number.doubleValue < 0 { record.add(.negativeAmount) }
    }

    /// Counts a record in its month.
    mutating func month(of day: String?) {
        let key = day.map { String($0.prefix(7)) } ?? QualityFindings.unknownMonth
        findings.volumePerMaand[key, default: 0] += 1
    }
}

/// Where a record sits on a page: its levering, which array, and its index there.
struct RecordPosition: Hashable {
    let levering: Int
    let array: String
    let index: Int
}

/// The findings of one record or zaak: each check with how often it found something.
struct RecordFindings {
    private(set) var counts: [(check: QualityCheck, count: Int)] = []

    mutating func add(_ check: QualityCheck, times: Int = 1) {
        if let index = counts.firstIndex(where: { $0.check.code == check.code }) {
            counts[index].count += times
        } else {
            counts.append((check, times))
        }
    }

    var hasError: Bool { counts.contains { $0.check.severity == .error } }
}
