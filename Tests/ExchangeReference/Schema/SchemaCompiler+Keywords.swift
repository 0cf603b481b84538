extension SchemaCompiler {
    /// Annotations: read by people, ignored by validation.
    static let annotations: Set<String> = [
        "$schema", "title", "description", "$comment", "examples", "default", "deprecated", "readOnly", "writeOnly",
    ]

    /// JSON Schema 2020-12 keywords that this validator does not assert: a schema using one
    /// is refused instead of being checked only in part.
    static let unsupported: Set<String> = [
        "pattern", "patternProperties", "propertyNames", "prefixItems", "contains", "minContains", "maxContains",
        "if", "then", "else", "dependentRequired", "dependentSchemas", "unevaluatedItems", "unevaluatedProperties",
        "minProperties", "maxProperties", "multipleOf", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary",
        "contentEncoding", "contentMediaType", "contentSchema",
    ]

    /// The checks of one schema object; `type` first, then the others in schema order.
    mutating func compileKeywords(_ schema: JSONObject, at location: String, index: Int) throws(SchemaCompileError)
        -> [SchemaCheck]
    {
        var checks: [SchemaCheck] = []
        var objectParts = ObjectParts()
        for member in schema.members {
            let keyword = member.key
            let value = member.value
            let here = location + "/" + JSONPointer.escape(keyword)
            func invalid() -> SchemaCompileError { SchemaCompileError(.invalidKeywordValue, at: here, keyword: keyword) }
            if Self.annotations.contains(keyword) || ignoredKeywords.contains(keyword) { continue }
            let spot = keywordLocation(here)
            switch keyword {
            case "$id":
                guard location.isEmpty else { throw SchemaCompileError(.unsupportedKeyword, at: here, keyword: keyword) }
            case "$defs":
                guard case .object(let definitions) = value else { throw invalid() }
                for definition in definitions.members {
                    _ = try node(for: definition.value, at: here + "/" + JSONPointer.escape(definition.key))
                }
            case "type":
                checks.insert(.type(try typeSet(value, invalid: invalid()), location: spot), at: 0)
            case "properties":
                guard case .object(let properties) = value else { throw invalid() }
                for property in properties.members {
                    let child = try node(for: property.value, at: here + "/" + JSONPointer.escape(property.key))
                    objectParts.properties.append((property.key, child))
                }
            case "required":
                guard case .array(let names) = value, Set(names).count == names.count else { throw invalid() }
                for name in names {
                    guard case .string(let text) = name else { throw invalid() }
                    objectParts.required.append(text)
                }
                objectParts.requiredLocation = spot
            case "additionalProperties":
                switch value {
                case .bool(let allowed): objectParts.additional = allowed ? .allowed : .forbidden
                default: objectParts.additional = .schema(try node(for: value, at: here))
                }
                objectParts.additionalLocation = spot
            case "items":
                guard case .array = value else {
                    checks.append(.items(node: try node(for: value, at: here)))
                    continue
                }
                throw invalid()
            case "minItems": checks.append(.minItems(try count(value, invalid: invalid()), location: spot))
            case "maxItems": checks.append(.maxItems(try count(value, invalid: invalid()), location: spot))
            case "minLength": checks.append(.minLength(try count(value, invalid: invalid()), location: spot))
            case "maxLength": checks.append(.maxLength(try count(value, invalid: invalid()), location: spot))
            case "uniqueItems":
                guard case .bool(let unique) = value else { throw invalid() }
                if unique { checks.append(.uniqueItems(location: spot)) }
            case "minimum", "exclusiveMinimum":
                guard case .number(let limit) = value else { throw invalid() }
                checks.append(.minimum(limit, exclusive: keyword == "exclusiveMinimum", location: spot))
            case "maximum", "exclusiveMaximum":
                guard case .number(let limit) = value else { throw invalid() }
                checks.append(.maximum(limit, exclusive: keyword == "exclusiveMaximum", location: spot))
            case "enum":
                guard case .array(let values) = value else { throw invalid() }
                checks.append(.enumeration(EnumRule(values: values), location: spot))
            case "const":
                checks.append(.constant(value, location: spot))
            case "format":
                guard case .string(let name) = value else { throw invalid() }
                guard let format = StringFormat(rawValue: name) else {
                    throw SchemaCompileError(.unknownFormat, at: here, keyword: keyword)
                }
                checks.append(.format(format, location: spot))
            case "allOf", "anyOf", "oneOf":
                guard case .array(let schemas) = value, !schemas.isEmpty else { throw invalid() }
                var nodes: [Int] = []
                for (position, subschema) in schemas.enumerated() {
                    let child = try node(for: subschema, at: here + "/" + String(position))
                    addInPlaceEdge(from: index, to: child)
                    nodes.append(child)
                }
                switch keyword {
                case "allOf": checks.append(.allOf(nodes: nodes))
                case "anyOf": checks.append(.anyOf(nodes: nodes, location: spot))
                default: checks.append(.oneOf(nodes: nodes, location: spot))
                }
            case "not":
                let child = try node(for: value, at: here)
                addInPlaceEdge(from: index, to: child)
                checks.append(.not(node: child, location: spot))
            case "$ref":
                guard case .string(let reference) = value else { throw invalid() }
                let target = try resolveReference(reference, at: here)
                addInPlaceEdge(from: index, to: target)
                checks.append(.ref(node: target))
            default:
                let code: SchemaCompileError.Code = Self.unsupported.contains(keyword) ? .unsupportedKeyword : .unknownKeyword
                throw SchemaCompileError(code, at: here, keyword: keyword)
            }
        }
        if let rule = objectParts.rule() { checks.append(.object(rule)) }
        return checks
    }

    private func typeSet(_ value: JSONValue, invalid: SchemaCompileError) throws(SchemaCompileError) -> JSONTypeSet {
        switch value {
        case .string(let name):
            guard let type = JSONTypeSet(name: name) else { throw invalid }
            return type
        case .array(let names) where !names.isEmpty && Set(names).count == names.count:
            var types: JSONTypeSet = []
            for name in names {
                guard let text = name.stringValue, let type = JSONTypeSet(name: text) else { throw invalid }
                types.insert(type)
            }
            return types
        default:
            throw invalid
        }
    }

    private func count(_ value: JSONValue, invalid: SchemaCompileError) throws(SchemaCompileError) -> Int {
        guard let integer = value.integerValue, integer >= 0, integer <= Int64(Int32.max) else { throw invalid }
        return Int(integer)
    }
}

/// `properties`, `required` and `additionalProperties` as met, before they become one rule.
private struct ObjectParts {
    /// `properties`: names and their nodes, in schema order.
    var properties: [(name: String, node: Int)] = []
    /// `required`.
    var required: [String] = []
    /// `additionalProperties`.
    var additional: ObjectRule.Additional = .allowed
    /// The location index of `required`.
    var requiredLocation = 0
    /// The location index of `additionalProperties`.
    var additionalLocation = 0
    private var present: Bool { !properties.isEmpty || !required.isEmpty || !isAllowed }
    private var isAllowed: Bool {
        if case .allowed = additional { true } else { false }
    }

    /// The combined rule, or nil when the schema has none of the three keywords.
    func rule() -> ObjectRule? {
        guard present else { return nil }
        var slots: [CodePointKey: Int] = [:]
        var names: [String] = []
        var nodes: [Int?] = []
        for property in properties {
            slots[CodePointKey(property.name)] = names.count
            names.append(property.name)
            nodes.append(property.node)
        }
        var requiredSlots: [Int] = []
        for name in required {
            if let slot = slots[CodePointKey(name)] {
                requiredSlots.append(slot)
            } else {
                slots[CodePointKey(name)] = names.count
                requiredSlots.append(names.count)
                names.append(name)
                nodes.append(nil)
            }
        }
        return ObjectRule(
            names: names, propertyNodes: nodes, requiredSlots: requiredSlots, additional: additional,
            requiredLocation: requiredLocation, additionalLocation: additionalLocation)
    }
}
