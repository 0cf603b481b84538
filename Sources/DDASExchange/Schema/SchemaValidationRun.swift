/// One validation of one document on a ``JSONTape`` against compiled ``SchemaNode``s.
///
/// It walks the tape once, matching members to properties by key id, keeping the current position as a stack of pointer tokens and
/// rendering a pointer only when it reports. `anyOf`, `oneOf` and `not` try their alternatives
/// in *probe* mode, which reports nothing and stops at the first failure; only when an
/// alternative decides the outcome badly are the alternatives tried again, to say briefly
/// where each one failed.
struct SchemaValidationRun {
    /// The compiled schema.
    let nodes: [SchemaNode]
    /// The keyword locations, by index.
    let keywordLocations: [String]
    /// How many violations to keep.
    let maxViolations: Int
    /// How deep to follow the document.
    let maxDepth: Int
    /// Whether `additionalProperties` violations point at the member itself.
    let namesUnknownMembers: Bool
    /// For each key id of the tape, the schema's id of that name.
    let keyMap: JSONKeyMap
    private(set) var violations: [SchemaViolation] = []
    private(set) var totalCount = 0
    /// Violations per keyword location index.
    private var countsPerLocation: [Int]
    /// Per element of a nested array (`/leveringen/0/vroegsignalen/12`) with violations: how
    /// many per keyword location index.
    private var countsPerRecord: [SchemaRecordPlace: [Int: Int]] = [:]
    /// Where in the document the walk is.
    var path: [JSONPointer.Token] = []
    /// Above zero inside an alternative being tried: failures stop it and are not reported.
    private var probing = 0
    /// Inside a probe that should remember where it first failed.
    private var recordsProbeFailure = false
    private var probeFailure: (keyword: SchemaKeyword, pointer: String)?
    private var probeBase = 0

    /// A run over a compiled schema whose property names are `keys`, for a document on `tape`.
    init(
        nodes: [SchemaNode], keywordLocations: [String], keys: JSONKeyTable, tape: JSONTape,
        options: SchemaValidationOptions
    ) {
        self.nodes = nodes
        self.keywordLocations = keywordLocations
        keyMap = tape.keyMap(for: keys)
        countsPerLocation = [Int](repeating: 0, count: keywordLocations.count)
        maxViolations = max(0, options.maxViolations)
        maxDepth = options.maxDepth
        namesUnknownMembers = options.namesUnknownMembers
        path.reserveCapacity(32)
    }

    /// Whether an alternative is being tried (failures stop it and are not reported).
    var isProbing: Bool { probing > 0 }

    /// Whether a violation reported now would be kept (not only counted).
    private var keepsViolations: Bool { probing == 0 && violations.count < maxViolations }

    /// Violations per keyword location, for the locations that have any.
    var countsByLocation: [String: Int] {
        var counts: [String: Int] = [:]
        for (location, count) in countsPerLocation.enumerated() where count > 0 {
            counts[keywordLocations[location], default: 0] += count
        }
        return counts
    }

    /// Violations per record and keyword location, for the records that have any.
    var countsByRecord: [SchemaRecordPlace: [String: Int]] {
        countsPerRecord.mapValues { counts in
            var named: [String: Int] = [:]
            for (location, count) in counts { named[keywordLocations[location], default: 0] += count }
            return named
        }
    }

    /// Applies every check of `node` to `value`; in probe mode stops at the first failure.
    mutating func validate(_ value: JSONTapeValue, node: Int) -> Bool {
        var valid = true
        let checks = nodes[node].checks
        for index in checks.indices where !apply(checks[index], to: value) {
            valid = false
            if probing > 0 { return false }
        }
        return valid
    }

    /// Validates `value`, found under `token`, against `node`.
    mutating func descend(_ token: JSONPointer.Token, _ value: JSONTapeValue, node: Int) -> Bool {
        path.append(token)
        defer { path.removeLast() }
        guard path.count <= maxDepth else {
            let limit = maxDepth
            return report(.nestingDepth, at: 0, "nested deeper than \(limit) levels; not validated")
        }
        return validate(value, node: node)
    }

    /// Whether `value` satisfies `node`, reporting nothing.
    mutating func probe(_ value: JSONTapeValue, node: Int) -> Bool {
        let recorded = recordsProbeFailure
        recordsProbeFailure = false
        probing += 1
        defer {
            probing -= 1
            recordsProbeFailure = recorded
        }
        return validate(value, node: node)
    }

    /// Where `value` first fails `node` (keyword and pointer relative to `value`), or nil.
    mutating func firstFailure(_ value: JSONTapeValue, node: Int) -> (keyword: SchemaKeyword, pointer: String)? {
        let saved = (recordsProbeFailure, probeFailure, probeBase)
        recordsProbeFailure = true
        probeFailure = nil
        probeBase = path.count
        probing += 1
        _ = validate(value, node: node)
        probing -= 1
        let failure = probeFailure
        (recordsProbeFailure, probeFailure, probeBase) = saved
        return failure
    }

    /// Records a violation at the current position (or at the member `extra` below it) and
    /// returns false, so that a check can end with `return report(...)`.
    mutating func report(
        _ keyword: SchemaKeyword, at location: Int, _ message: @autoclosure () -> String,
        extra: JSONPointer.Token? = nil
    ) -> Bool {
        if probing > 0 {
            if recordsProbeFailure, probeFailure == nil {
                var tokens = Array(path[probeBase...])
                if let extra { tokens.append(extra) }
                probeFailure = (keyword, JSONPointer.render(tokens))
            }
            return false
        }
        totalCount += 1
        countsPerLocation[location] += 1
        if let place = SchemaRecordPlace(path) { countsPerRecord[place, default: [:]][location, default: 0] += 1 }
        if violations.count < maxViolations {
            var pointer = JSONPointer.render(path)
            if let extra { pointer += JSONPointer.render(CollectionOfOne(extra)) }
            violations.append(
                SchemaViolation(instancePointer: pointer, keywordLocation: keywordLocations[location], keyword: keyword, message: message())
            )
        }
        return false
    }

    /// A summary of why each alternative fails, for `anyOf` and `oneOf` messages:
    /// `1: required; 2: minLength at /burgerservicenummer`.
    mutating func failureSummary(_ value: JSONTapeValue, alternatives: [Int]) -> String {
        var parts: [String] = []
        for (position, node) in alternatives.enumerated() {
            guard let failure = firstFailure(value, node: node) else { continue }
            let place = failure.pointer.isEmpty ? "" : " at \(failure.pointer)"
            parts.append("\(position + 1): \(failure.keyword.rawValue)\(place)")
        }
        return parts.joined(separator: "; ")
    }

    private mutating func apply(_ check: SchemaCheck, to value: JSONTapeValue) -> Bool {
        switch check {
        case .alwaysFalse(let location):
            return report(.falseSchema, at: location, "no value is allowed here")
        case .type(let types, let location):
            if Self.matches(types, value) { return true }
            return report(
                .type, at: location, "expected \(types.names.joined(separator: " or ")), found \(value.kind.rawValue)")
        case .object(let rule):
            guard value.tokenKind == .object else { return true }
            return checkObject(value, rule: rule)
        case .items(let node):
            guard value.tokenKind == .array else { return true }
            return checkItems(value, node: node)
        case .minItems, .maxItems, .uniqueItems:
            guard value.tokenKind == .array else { return true }
            return checkArray(value, check)
        case .minLength, .maxLength, .format:
            return value.withUTF8 { checkString($0, check) } ?? true
        case .minimum, .maximum:
            guard let number = value.numberValue else { return true }
            return checkNumber(number, check)
        case .enumeration(let rule, let location):
            if value.tokenKind == .string, let strings = rule.strings {
                if value.withUTF8({ strings.position(ofUTF8: $0) != nil }) == true { return true }
            } else if rule.values.contains(JSONValue(value)) {
                return true
            }
            return report(.enum, at: location, "is not one of the \(rule.values.count) allowed values")
        case .constant(let constant, let location):
            return JSONValue(value) == constant ? true : report(.const, at: location, "does not equal the required value")
        case .allOf(let alternatives):
            var valid = true
            for node in alternatives where !validate(value, node: node) {
                valid = false
                if probing > 0 { return false }
            }
            return valid
        case .anyOf(let alternatives, let location):
            for node in alternatives where probe(value, node: node) { return true }
            let summary = keepsViolations ? failureSummary(value, alternatives: alternatives) : ""
            return report(.anyOf, at: location, "matches none of the \(alternatives.count) alternatives (\(summary))")
        case .oneOf(let alternatives, let location):
            return checkOneOf(value, alternatives: alternatives, location: location)
        case .not(let node, let location):
            return probe(value, node: node) ? report(.not, at: location, "matches a schema it must not match") : true
        case .ref(let node):
            return validate(value, node: node)
        }
    }

    private mutating func checkOneOf(_ value: JSONTapeValue, alternatives: [Int], location: Int) -> Bool {
        var matching: [Int] = []
        for (position, node) in alternatives.enumerated() where probe(value, node: node) {
            matching.append(position + 1)
            if matching.count == 2 { break }
        }
        switch matching.count {
        case 1:
            return true
        case 0:
            let summary = keepsViolations ? failureSummary(value, alternatives: alternatives) : ""
            return report(.oneOf, at: location, "matches none of the \(alternatives.count) alternatives (\(summary))")
        default:
            return report(
                .oneOf, at: location,
                "matches alternatives \(matching[0]) and \(matching[1]) of \(alternatives.count); exactly one must match")
        }
    }

    private static func matches(_ types: JSONTypeSet, _ value: JSONTapeValue) -> Bool {
        switch value.tokenKind {
        case .null: types.contains(.null)
        case .true, .false: types.contains(.boolean)
        case .object: types.contains(.object)
        case .array: types.contains(.array)
        case .string, .key: types.contains(.string)
        case .number:
            types.contains(.number)
                || (types.contains(.integer) && (value.isExactInteger || value.numberValue?.isInteger == true))
        }
    }
}
