extension JSONValue: Hashable {
    /// JSON Schema equality: numbers by value, strings by code points, objects regardless of
    /// member order, arrays element by element.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let left), .bool(let right)): left == right
        case (.number(let left), .number(let right)): left == right
        case (.string(let left), .string(let right)): CodePointKey(left) == CodePointKey(right)
        case (.array(let left), .array(let right)): left.count == right.count && zip(left, right).allSatisfy { $0 == $1 }
        case (.object(let left), .object(let right)): left == right
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0 as UInt8)
        case .bool(let flag): hasher.combine(flag ? 1 as UInt8 : 2)
        case .number(let number):
            hasher.combine(3 as UInt8)
            hasher.combine(number)
        case .string(let text):
            hasher.combine(4 as UInt8)
            hasher.combine(CodePointKey(text))
        case .array(let elements):
            hasher.combine(5 as UInt8)
            hasher.combine(elements.count)
            for element in elements { hasher.combine(element) }
        case .object(let object):
            hasher.combine(6 as UInt8)
            hasher.combine(object)
        }
    }
}

extension JSONObject: Hashable {
    /// Equal when both have the same keys with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.count <= 16 {
            return lhs.members.allSatisfy { member in rhs[member.key].map { $0 == member.value } ?? false }
        }
        var right = [CodePointKey: JSONValue](minimumCapacity: rhs.count)
        for member in rhs.members { right[CodePointKey(member.key)] = member.value }
        return lhs.members.allSatisfy { member in right[CodePointKey(member.key)].map { $0 == member.value } ?? false }
    }

    public func hash(into hasher: inout Hasher) {
        // Independent of member order: the sum of per-member hashes.
        var sum = 0
        for member in members {
            var memberHasher = Hasher()
            memberHasher.combine(CodePointKey(member.key))
            memberHasher.combine(member.value)
            sum &+= memberHasher.finalize()
        }
        hasher.combine(count)
        hasher.combine(sum)
    }
}
