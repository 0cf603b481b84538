extension LeveringKwaliteitAnalysis {
    /// The code-list fields of a schuldhulptraject: the member holding it (an object, or an
    /// array whose elements each hold it), the field, and its list, in the order they are checked.
    static let trajectCodeFields: [(parent: String, field: CheckField, list: CodeListSlot)] = [
        ("begeleiding", .soort, .begeleidingssoort), ("uitstroom", .reden, .uitstroomreden),
        ("schulden", .schuldsoort, .schuldensoort), ("oplossing", .soort, .oplossingssoort),
        ("intake", .beschikkingssoort, .beschikkingssoort),
    ]

    /// Checks the schuldhulptrajecten of one levering.
    mutating func addTrajecten(_ levering: JSONTapeValue, at position: Int, damaged: Set<RecordPosition>, fields: PageFields) {
        let trajecten = levering.members.first { fields.field($0) == .schuldhulptrajecten }?.value
        for (index, traject) in elementList(trajecten).enumerated() {
            findings.records += 1
            var record = record("/leveringen/\(position)/schuldhulptrajecten/\(index)")
            if !damaged.isEmpty, damaged.contains(RecordPosition(levering: position, array: "schuldhulptrajecten", index: index)) {
                record.add(.schema)
            }
            checkTraject(traject, fields: fields, into: &record)
            commit(record)
        }
    }

    /// The checks of one schuldhulptraject, after one walk over its members.
    private mutating func checkTraject(_ traject: JSONTapeValue, fields: PageFields, into record: inout RecordFindings) {
        var total: JSONTapeValue?
        var startdatum: JSONTapeValue?
        var clients: JSONTapeValue?
        // The members of `trajectCodeFields`, by their position there.
        var parents = InlineArray<5, JSONTapeValue?>(repeating: nil)
        for member in traject.members {
            switch fields.field(member) {
            case .totaalSchuldbedragBijAanvangSchuld?: total = member.value
            case .startdatum?: startdatum = member.value
            case .client?: clients = member.value
            case .begeleiding?: parents[0] = member.value
            case .uitstroom?: parents[1] = member.value
            case .schulden?: parents[2] = member.value
            case .oplossing?: parents[3] = member.value
            case .intake?: parents[4] = member.value
            default: break
            }
        }
        amount(total, at: "totaalSchuldbedragBijAanvangSchuld", into: &record)
        amount(parents[3].flatMap { Self.member(.vtlb, of: $0, fields) }, at: "oplossing/vtlb", into: &record)
        for (index, debt) in elementList(parents[2]).enumerated() {
            amount(Self.member(.bedrag, of: debt, fields), at: "schulden/\(index)/bedrag", into: &record)
        }
        for (position, (parent, field, list)) in Self.trajectCodeFields.enumerated() {
            guard let value = parents[position] else { continue }
            if value.isArray {
                for (index, element) in value.elements.enumerated() {
                    codeValue(Self.member(field, of: element, fields), list: list, at: "\(parent)/\(index)/\(field.name)", into: &record)
                }
            } else {
                codeValue(Self.member(field, of: value, fields), list: list, at: "\(parent)/\(field.name)", into: &record)
            }
        }
        for (index, client) in elementList(clients).enumerated() {
            checkPerson(client, .schuldhulp, path: "client/\(index)/", fields: fields, into: &record)
        }
        checkDates(traject, depth: 0, fields: fields, into: &record)
        month(of: startdatum?.calendarDate)
    }

    /// The value of member `field` of `object`, when it is an object that has it.
    static func member(_ field: CheckField, of object: JSONTapeValue, _ fields: PageFields) -> JSONTapeValue? {
        object.members.first { fields.field($0) == field }?.value
    }

    /// Every date of the traject and its parts (members whose name holds `datum`, the
    /// client's excepted) is plausible, and no `einddatum` lies before its `startdatum`.
    private func checkDates(_ value: JSONTapeValue, depth: Int, fields: PageFields, into record: inout RecordFindings) {
        guard depth < 4 else { return }
        switch value.tokenKind {
        case .object:
            var start: CalendarDate?
            var end: CalendarDate?
            for member in value.members {
                let field = fields.field(member)
                if field == .client { continue }
                if member.value.isString, fields.namesADate(member) {
                    date(member.value, into: &record)
                } else {
                    checkDates(member.value, depth: depth + 1, fields: fields, into: &record)
                }
                if field == .startdatum { start = member.value.calendarDate }
                if field == .einddatum { end = member.value.calendarDate }
            }
            if let start, let end, end < start { record.add(.periodReversed) }
        case .array:
            for element in value.elements { checkDates(element, depth: depth + 1, fields: fields, into: &record) }
        default:
            break
        }
    }

    /// Whether a member's name holds `datum` in any case (`Einddatum`, `DATUMAANVRAAG`): on the
    /// bytes for an ASCII name; otherwise as Unicode lower-casing and character matching decide.
    static func namesADate(_ key: String) -> Bool {
        if let ascii = FieldRules.withBytes(of: key, asciiNamesADate) { return ascii }
        return key.lowercased().contains("datum")
    }

    /// Whether an ASCII name holds `datum` in any case; nil when the name is not ASCII.
    private static func asciiNamesADate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        var found = false
        for position in bytes.indices {
            let byte = bytes[position]
            if byte >= 0x80 { return nil }
            // `| 0x20` lower-cases an ASCII letter, and no other byte becomes one of these.
            if !found, position + 5 <= bytes.count, byte | 0x20 == UInt8(ascii: "d"),
                bytes[position + 1] | 0x20 == UInt8(ascii: "a"), bytes[position + 2] | 0x20 == UInt8(ascii: "t"),
                bytes[position + 3] | 0x20 == UInt8(ascii: "u"), bytes[position + 4] | 0x20 == UInt8(ascii: "m")
            {
                found = true
            }
        }
        return found
    }
}
