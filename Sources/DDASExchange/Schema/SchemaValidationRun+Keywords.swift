extension SchemaValidationRun {
    /// `properties`, `additionalProperties` and `required` in one pass over the members,
    /// matching each member to its property by key id.
    mutating func checkObject(_ object: JSONTapeValue, rule: ObjectRule) -> Bool {
        var valid = true
        let slotCount = rule.names.count
        var seenBits: UInt64 = 0
        var seenSlots = slotCount > 64 ? [Bool](repeating: false, count: slotCount) : []
        var position = 0
        for member in object.members {
            position += 1
            let slot = keyMap[member.key].flatMap(rule.slot(ofKey:))
            if let slot {
                if slotCount > 64 { seenSlots[slot] = true } else { seenBits |= 1 << UInt64(slot) }
                if let child = rule.propertyNodes[slot] {
                    if !descend(.key(member.name), member.value, node: child) {
                        valid = false
                        if isProbing { return false }
                    }
                    continue
                }
            }
            switch rule.additional {
            case .allowed:
                continue
            case .forbidden where namesUnknownMembers:
                valid = report(
                    .additionalProperties, at: rule.additionalLocation, "member is not allowed here",
                    extra: .key(member.name))
            case .forbidden:
                let count = object.count ?? 0
                valid = report(
                    .additionalProperties, at: rule.additionalLocation,
                    "has a member the schema does not allow (member \(position) of \(count))")
            case .schema(let child):
                valid = descend(.key(member.name), member.value, node: child) && valid
            }
            if !valid, isProbing { return false }
        }
        for slot in rule.requiredSlots {
            let seen = slotCount > 64 ? seenSlots[slot] : seenBits & (1 << UInt64(slot)) != 0
            if !seen {
                valid = report(.required, at: rule.requiredLocation, "required property '\(rule.names[slot])' is missing")
                if isProbing { return false }
            }
        }
        return valid
    }

    /// `items`: every element against `node`.
    mutating func checkItems(_ array: JSONTapeValue, node: Int) -> Bool {
        var valid = true
        for (position, element) in array.elements.enumerated() where !descend(.index(position), element, node: node) {
            valid = false
            if isProbing { return false }
        }
        return valid
    }

    /// `minItems`, `maxItems`, `uniqueItems`.
    mutating func checkArray(_ array: JSONTapeValue, _ check: SchemaCheck) -> Bool {
        let count = array.count ?? 0
        switch check {
        case .minItems(let limit, let location):
            if count >= limit { return true }
            return report(.minItems, at: location, "has \(count) items; at least \(limit) required")
        case .maxItems(let limit, let location):
            if count <= limit { return true }
            return report(.maxItems, at: location, "has \(count) items; at most \(limit) allowed")
        case .uniqueItems(let location):
            guard let (first, second) = Self.firstDuplicate(in: array.elements.map(JSONValue.init)) else { return true }
            return report(.uniqueItems, at: location, "items \(first) and \(second) are equal; items must be unique")
        default:
            return true
        }
    }

    /// `minLength`, `maxLength`, `format`, on the string's UTF-8 bytes.
    mutating func checkString(_ text: UnsafeBufferPointer<UInt8>, _ check: SchemaCheck) -> Bool {
        switch check {
        case .minLength(let limit, let location):
            // A code point takes one to four UTF-8 bytes: count them only when that decides.
            let bytes = text.count
            if bytes >= 4 * limit || (bytes >= limit && Self.codePointCount(text) >= limit) { return true }
            return report(.minLength, at: location, "is shorter than \(limit) characters")
        case .maxLength(let limit, let location):
            if text.count <= limit || Self.codePointCount(text) <= limit { return true }
            return report(.maxLength, at: location, "is longer than \(limit) characters")
        case .format(let format, let location):
            if format.accepts(utf8: text) { return true }
            return report(.format, at: location, "is not \(format.expectation)")
        default:
            return true
        }
    }

    /// The code points in well-formed UTF-8: the bytes that are not continuation bytes.
    static func codePointCount(_ text: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in text where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// `minimum`, `maximum` and their exclusive forms.
    mutating func checkNumber(_ number: JSONNumber, _ check: SchemaCheck) -> Bool {
        switch check {
        case .minimum(let limit, let exclusive, let location):
            if exclusive ? limit < number : !(number < limit) { return true }
            return exclusive
                ? report(.exclusiveMinimum, at: location, "must be greater than \(limit)")
                : report(.minimum, at: location, "is less than the minimum \(limit)")
        case .maximum(let limit, let exclusive, let location):
            if exclusive ? number < limit : !(limit < number) { return true }
            return exclusive
                ? report(.exclusiveMaximum, at: location, "must be less than \(limit)")
                : report(.maximum, at: location, "is greater than the maximum \(limit)")
        default:
            return true
        }
    }

    /// The positions of the first two equal elements: pairwise for short arrays, by hash for
    /// long ones.
    static func firstDuplicate(in elements: [JSONValue]) -> (Int, Int)? {
        guard elements.count > 1 else { return nil }
        if elements.count <= 8 {
            for second in 1..<elements.count {
                for first in 0..<second where elements[first] == elements[second] { return (first, second) }
            }
            return nil
        }
        var firstPositions = [JSONValue: Int](minimumCapacity: elements.count)
        for (position, element) in elements.enumerated() {
            if let first = firstPositions[element] { return (first, position) }
            firstPositions[element] = position
        }
        return nil
    }
}
