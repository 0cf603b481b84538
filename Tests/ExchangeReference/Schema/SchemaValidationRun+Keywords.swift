extension SchemaValidationRun {
    /// `properties`, `additionalProperties` and `required` in one pass over the members.
    mutating func checkObject(_ object: JSONObject, rule: ObjectRule) -> Bool {
        var valid = true
        let slotCount = rule.names.count
        var seenBits: UInt64 = 0
        var seenSlots = slotCount > 64 ? [Bool](repeating: false, count: slotCount) : []
        let members = object.members
        for index in members.indices {
            let slot = rule.slots.position(of: members[index].key)
            if let slot {
                if slotCount > 64 { seenSlots[slot] = true } else { seenBits |= 1 << UInt64(slot) }
                if let child = rule.propertyNodes[slot] {
                    if !descend(.key(members[index].key), members[index].value, node: child) {
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
                    extra: .key(members[index].key))
            case .forbidden:
                let position = index + 1
                let count = members.count
                valid = report(
                    .additionalProperties, at: rule.additionalLocation,
                    "has a member the schema does not allow (member \(position) of \(count))")
            case .schema(let child):
                valid = descend(.key(members[index].key), members[index].value, node: child) && valid
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
    mutating func checkItems(_ elements: [JSONValue], node: Int) -> Bool {
        var valid = true
        for (position, element) in elements.enumerated() where !descend(.index(position), element, node: node) {
            valid = false
            if isProbing { return false }
        }
        return valid
    }

    /// `minItems`, `maxItems`, `uniqueItems`.
    mutating func checkArray(_ elements: [JSONValue], _ check: SchemaCheck) -> Bool {
        switch check {
        case .minItems(let limit, let location):
            if elements.count >= limit { return true }
            return report(.minItems, at: location, "has \(elements.count) items; at least \(limit) required")
        case .maxItems(let limit, let location):
            if elements.count <= limit { return true }
            return report(.maxItems, at: location, "has \(elements.count) items; at most \(limit) allowed")
        case .uniqueItems(let location):
            guard let (first, second) = Self.firstDuplicate(in: elements) else { return true }
            return report(.uniqueItems, at: location, "items \(first) and \(second) are equal; items must be unique")
        default:
            return true
        }
    }

    /// `minLength`, `maxLength`, `format`.
    mutating func checkString(_ text: String, _ check: SchemaCheck) -> Bool {
        switch check {
        case .minLength(let limit, let location):
            // A code point takes one to four UTF-8 bytes: count them only when that decides.
            let bytes = text.utf8.count
            if bytes >= 4 * limit || (bytes >= limit && text.unicodeScalars.count >= limit) { return true }
            return report(.minLength, at: location, "is shorter than \(limit) characters")
        case .maxLength(let limit, let location):
            if text.utf8.count <= limit || text.unicodeScalars.count <= limit { return true }
            return report(.maxLength, at: location, "is longer than \(limit) characters")
        case .format(let format, let location):
            if format.accepts(text) { return true }
            return report(.format, at: location, "is not \(format.expectation)")
        default:
            return true
        }
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
