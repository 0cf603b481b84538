extension LeveringKwaliteitAnalysis {
    /// The arrays of a levering whose elements are checked one by one.
    var recordArrays: [String] {
        switch model.stream {
        case .vroegsignalering: ["vroegsignalen", "vroegsignaalzaken"]
        case .schuldhulpverlening: ["schuldhulptrajecten"]
        }
    }

    /// Attributes the violations of a page that failed its schema to its records, from the
    /// counts per record the page's validation gathered (``SchemaValidationResult/countsByRecord``),
    /// without validating again. Violations other than code-list values count as `schema`
    /// findings of their record; when the records do not account for every violation of the
    /// page, the rest lies outside them and the page is structurally broken.
    func recordViolations(_ page: GegevensPage, schema: SchemaValidationResult) -> Result<RecordViolations, StructuralViolations> {
        // A result made without per-record counts (by hand, or with every violation outside
        // the records) is attributed by validating each record on its own.
        guard !schema.countsByRecord.isEmpty else { return validatingRecords(page, schema: schema) }
        var positions: Set<RecordPosition> = []
        var rules: [String: Int] = [:]
        var insideRecords = 0
        for (place, counts) in schema.countsByRecord where place.collection == "leveringen" && recordArrays.contains(place.array) {
            var other = 0
            for (rule, count) in counts {
                insideRecords += count
                guard !Self.isCodeListRule(rule) else { continue }
                other += count
                rules[rule, default: 0] += count
            }
            if other > 0 { positions.insert(RecordPosition(levering: place.collectionIndex, array: place.array, index: place.index)) }
        }
        return attributed(positions: positions, rules: rules, insideRecords: insideRecords, schema: schema)
    }

    /// The records' share of a page's violations, or the violations outside them.
    private func attributed(positions: Set<RecordPosition>, rules: [String: Int], insideRecords: Int, schema: SchemaValidationResult)
        -> Result<RecordViolations, StructuralViolations>
    {
        let outside = schema.totalViolationCount - insideRecords
        guard outside <= 0 else {
            let first = schema.violations.first { !Self.isInsideRecord($0.instancePointer, arrays: recordArrays) }
            return .failure(StructuralViolations(count: outside, first: first))
        }
        return .success(RecordViolations(positions: positions, rules: rules))
    }

    /// Attributes the violations by validating each record (and zaak) on its own against the
    /// model's subschema for it, exactly as the whole page's validation did.
    private func validatingRecords(_ page: GegevensPage, schema: SchemaValidationResult) -> Result<RecordViolations, StructuralViolations> {
        var positions: Set<RecordPosition> = []
        var rules: [String: Int] = [:]
        var insideRecords = 0
        let leveringen = page.gegevens["leveringen"]?.arrayValue ?? []
        for (leveringIndex, levering) in leveringen.enumerated() {
            for array in recordArrays {
                guard let elements = levering[array]?.arrayValue else { continue }
                let location = "/properties/leveringen/items/properties/\(array)/items"
                for (index, element) in elements.enumerated() {
                    guard let result = model.schema.validate(element, subschemaAt: location) else {
                        return .failure(StructuralViolations(count: schema.totalViolationCount, first: schema.violations.first))
                    }
                    guard !result.isValid else { continue }
                    insideRecords += result.totalViolationCount
                    var other = 0
                    for (rule, count) in result.countsByKeywordLocation where !Self.isCodeListRule(rule) {
                        other += count
                        rules[rule, default: 0] += count
                    }
                    if other > 0 { positions.insert(RecordPosition(levering: leveringIndex, array: array, index: index)) }
                }
            }
        }
        return attributed(positions: positions, rules: rules, insideRecords: insideRecords, schema: schema)
    }

    /// Whether a keyword location is a code list's `enum` (`/$defs/EnumEindresultaat/enum`),
    /// which the code-list check counts itself.
    static func isCodeListRule(_ location: String) -> Bool {
        location.hasPrefix("/$defs/Enum") && location.hasSuffix("/enum")
    }

    /// Whether a pointer lies inside an element of a record array:
    /// `/leveringen/0/vroegsignalen/12/...`.
    static func isInsideRecord(_ pointer: String, arrays: [String]) -> Bool {
        guard let tokens = JSONPointer.tokens(of: pointer), tokens.count >= 4 else { return false }
        guard tokens[0] == "leveringen", JSONPointer.arrayIndex(tokens[1]) != nil, arrays.contains(tokens[2]),
            JSONPointer.arrayIndex(tokens[3]) != nil
        else { return false }
        return true
    }
}

/// The schema violations inside a page's records: which records have any (other than
/// code-list values), and how many per schema rule.
struct RecordViolations {
    let positions: Set<RecordPosition>
    let rules: [String: Int]
}
