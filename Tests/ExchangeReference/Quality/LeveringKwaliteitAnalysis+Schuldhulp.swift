extension LeveringKwaliteitAnalysis {
    /// The code-list fields of a schuldhulptraject: the member holding it (nil: the traject
    /// itself, or each element when the member is an array), the field, and its list.
    static let trajectCodeFields: [(parent: String, field: String, list: String)] = [
        ("begeleiding", "soort", "begeleidingssoort"), ("uitstroom", "reden", "uitstroomreden"),
        ("schulden", "schuldsoort", "schuldensoort"), ("oplossing", "soort", "oplossingssoort"),
        ("intake", "beschikkingssoort", "beschikkingssoort"),
    ]

    /// Checks the schuldhulptrajecten of one levering.
    mutating func addTrajecten(_ levering: JSONValue, at position: Int, damaged: Set<RecordPosition>) {
        for (index, traject) in (levering["schuldhulptrajecten"]?.arrayValue ?? []).enumerated() {
            findings.records += 1
            var record = RecordFindings(pointer: "/leveringen/\(position)/schuldhulptrajecten/\(index)")
            if damaged.contains(RecordPosition(levering: position, array: "schuldhulptrajecten", index: index)) {
                record.add(.schema)
            }
            checkTraject(traject, into: &record)
            commit(record)
        }
    }

    /// The checks of one schuldhulptraject.
    private mutating func checkTraject(_ traject: JSONValue, into record: inout RecordFindings) {
        amount(traject["totaalSchuldbedragBijAanvangSchuld"], at: "totaalSchuldbedragBijAanvangSchuld", into: &record)
        amount(traject["oplossing"]?["vtlb"], at: "oplossing/vtlb", into: &record)
        for (index, debt) in (traject["schulden"]?.arrayValue ?? []).enumerated() {
            amount(debt["bedrag"], at: "schulden/\(index)/bedrag", into: &record)
        }
        for (parent, field, list) in Self.trajectCodeFields {
            switch traject[parent] {
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
        for (index, client) in (traject["client"]?.arrayValue ?? []).enumerated() {
            let path = "client/\(index)/"
            if let bsn = client["Burgerservicenummer"]?.stringValue, !FieldRules.isValidBSN(bsn) {
                record.add(.bsn, at: path + "Burgerservicenummer")
            }
            if let postcode = client["Postcode"]?.stringValue, !FieldRules.isValidPostcode(postcode) {
                record.add(.postcode, at: path + "Postcode")
            }
            if let huisnummer = client["Huisnummer"]?.stringValue, !FieldRules.isValidHuisnummer(huisnummer) {
                record.add(.huisnummer, at: path + "Huisnummer")
            }
            if let text = client["Geboortedatum"]?.stringValue {
                if FieldRules.date(text) == nil {
                    record.add(.dateForm, at: path + "Geboortedatum")
                } else {
                    date(client["Geboortedatum"], at: path + "Geboortedatum", into: &record)
                }
            }
        }
        checkDates(traject, depth: 0, into: &record)
        month(of: traject["startdatum"]?.stringValue.flatMap(FieldRules.date))
    }

    /// Every date of the traject and its parts (members whose name holds `datum`, the
    /// client's excepted) is plausible, and no `einddatum` lies before its `startdatum`.
    private func checkDates(_ value: JSONValue, depth: Int, into record: inout RecordFindings) {
        guard depth < 4 else { return }
        switch value {
        case .object(let object):
            for member in object.members {
                if member.key == "client" { continue }
                if member.key.lowercased().contains("datum"), member.value.stringValue != nil {
                    date(member.value, into: &record)
                } else {
                    checkDates(member.value, depth: depth + 1, into: &record)
                }
            }
            if let start = object["startdatum"]?.stringValue.flatMap(FieldRules.date),
                let end = object["einddatum"]?.stringValue.flatMap(FieldRules.date), end < start
            {
                record.add(.periodReversed)
            }
        case .array(let elements):
            for element in elements { checkDates(element, depth: depth + 1, into: &record) }
        default:
            break
        }
    }
}
