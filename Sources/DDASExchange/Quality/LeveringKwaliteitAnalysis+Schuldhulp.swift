extension LeveringKwaliteitAnalysis {
    /// The code-list fields of a schuldhulptraject: the member holding it (an object, or an
    /// array whose elements each hold it), the field, and its list, in the order they are checked.
    static let trajectCodeFields: [(parent: String, field: String, list: CodeListSlot)] = [
        ("begeleiding", "soort", .begeleidingssoort), ("uitstroom", "reden", .uitstroomreden),
        ("schulden", "schuldsoort", .schuldensoort), ("oplossing", "soort", .oplossingssoort),
        ("intake", "beschikkingssoort", .beschikkingssoort),
    ]

    /// Checks the schuldhulptrajecten of one levering.
    mutating func addTrajecten(_ levering: JSONValue, at position: Int, damaged: Set<RecordPosition>) {
        for (index, traject) in (levering["schuldhulptrajecten"]?.arrayValue ?? []).enumerated() {
            findings.records += 1
            var record = record("/leveringen/\(position)/schuldhulptrajecten/\(index)")
            if !damaged.isEmpty, damaged.contains(RecordPosition(levering: position, array: "schuldhulptrajecten", index: index)) {
                record.add(.schema)
            }
            checkTraject(traject, into: &record)
            commit(record)
        }
    }

    /// The checks of one schuldhulptraject, after one walk over its members.
    private mutating func checkTraject(_ traject: JSONValue, into record: inout RecordFindings) {
        var total: JSONValue?
        var startdatum: JSONValue?
        var clients: [JSONValue] = []
        var debts: [JSONValue] = []
        // The members of `trajectCodeFields`, by their position there.
        var parents = InlineArray<5, JSONValue?>(repeating: nil)
        for member in traject.objectValue?.members ?? [] {
            switch member.key {
            case "totaalSchuldbedragBijAanvangSchuld": total = member.value
            case "startdatum": startdatum = member.value
            case "client": clients = member.value.arrayValue ?? []
            case "begeleiding": parents[0] = member.value
            case "uitstroom": parents[1] = member.value
            case "schulden":
                parents[2] = member.value
                debts = member.value.arrayValue ?? []
            case "oplossing": parents[3] = member.value
            case "intake": parents[4] = member.value
            default: break
            }
        }
        amount(total, at: "totaalSchuldbedragBijAanvangSchuld", into: &record)
        amount(parents[3]?["vtlb"], at: "oplossing/vtlb", into: &record)
        for (index, debt) in debts.enumerated() { amount(debt["bedrag"], at: "schulden/\(index)/bedrag", into: &record) }
        for (position, (parent, field, list)) in Self.trajectCodeFields.enumerated() {
            switch parents[position] {
            case .array(let elements)?:
                for (index, element) in elements.enumerated() {
                    codeValue(element[field], list: list, at: "\(parent)/\(index)/\(field)", into: &record)
                }
            case let object?:
                codeValue(object[field], list: list, at: "\(parent)/\(field)", into: &record)
            case nil:
                break
            }
        }
        for (index, client) in clients.enumerated() { checkSchuldhulpClient(client, index: index, into: &record) }
        checkDates(traject, depth: 0, into: &record)
        month(of: Self.calendarDate(startdatum))
    }

    /// The checks of one client of a traject: BSN, postcode, huisnummer, geboortedatum.
    private func checkSchuldhulpClient(_ client: JSONValue, index: Int, into record: inout RecordFindings) {
        var bsn: String?
        var postcode: String?
        var huisnummer: String?
        var geboortedatum: JSONValue?
        for member in client.objectValue?.members ?? [] {
            switch member.key {
            case "Burgerservicenummer": bsn = member.value.stringValue
            case "Postcode": postcode = member.value.stringValue
            case "Huisnummer": huisnummer = member.value.stringValue
            case "Geboortedatum": geboortedatum = member.value
            default: break
            }
        }
        if let bsn, !FieldRules.isValidBSN(bsn) { record.add(.bsn, at: "client/\(index)/Burgerservicenummer") }
        if let postcode, !FieldRules.isValidPostcode(postcode) { record.add(.postcode, at: "client/\(index)/Postcode") }
        if let huisnummer, !FieldRules.isValidHuisnummer(huisnummer) { record.add(.huisnummer, at: "client/\(index)/Huisnummer") }
        if case .string? = geboortedatum {
            if Self.calendarDate(geboortedatum) == nil {
                record.add(.dateForm, at: "client/\(index)/Geboortedatum")
            } else {
                date(geboortedatum, at: "client/\(index)/Geboortedatum", into: &record)
            }
        }
    }

    /// Every date of the traject and its parts (members whose name holds `datum`, the
    /// client's excepted) is plausible, and no `einddatum` lies before its `startdatum`.
    private func checkDates(_ value: JSONValue, depth: Int, into record: inout RecordFindings) {
        guard depth < 4 else { return }
        switch value {
        case .object(let object):
            var start: CalendarDate?
            var end: CalendarDate?
            for member in object.members {
                if member.key == "client" { continue }
                if case .string = member.value, Self.namesADate(member.key) {
                    date(member.value, into: &record)
                } else {
                    checkDates(member.value, depth: depth + 1, into: &record)
                }
                // As a lookup by key: these keys compare by code points.
                if member.key == "startdatum" { start = Self.calendarDate(member.value) }
                if member.key == "einddatum" { end = Self.calendarDate(member.value) }
            }
            if let start, let end, end < start { record.add(.periodReversed) }
        case .array(let elements):
            for element in elements { checkDates(element, depth: depth + 1, into: &record) }
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
