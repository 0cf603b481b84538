extension LeveringKwaliteitAnalysis {
    /// Checks the vroegsignalen and vroegsignaalzaken of one levering.
    mutating func addSignals(_ levering: JSONValue, at position: Int, damaged: Set<RecordPosition>) {
        var signals: [JSONValue] = []
        var zaken: [JSONValue] = []
        for member in levering.objectValue?.members ?? [] {
            switch member.key {
            case "vroegsignalen": signals = member.value.arrayValue ?? []
            case "vroegsignaalzaken": zaken = member.value.arrayValue ?? []
            default: break
            }
        }
        for (index, signal) in signals.enumerated() {
            findings.records += 1
            var record = record("/leveringen/\(position)/vroegsignalen/\(index)")
            if !damaged.isEmpty, damaged.contains(RecordPosition(levering: position, array: "vroegsignalen", index: index)) {
                record.add(.schema)
            }
            checkSignal(signal, into: &record)
            commit(record)
        }
        for (index, zaak) in zaken.enumerated() {
            findings.zaken += 1
            var record = record("/leveringen/\(position)/vroegsignaalzaken/\(index)")
            if !damaged.isEmpty, damaged.contains(RecordPosition(levering: position, array: "vroegsignaalzaken", index: index)) {
                record.add(.schema)
            }
            let unresolved = checkZaak(zaak, into: &record)
            if !unresolved.isEmpty {
                let place = record.pointer.map { Place(pagina: currentPage, pointer: $0) }
                openReferences.append((record.hasError, unresolved, place))
            }
            commit(record)
        }
    }

    // The walks below switch on a member's key as a `String`. For these ASCII keys that is
    // comparing code points, as a lookup by key does: no other text is canonically equivalent
    // to them.

    /// The checks of one vroegsignaal, after one walk over its members.
    private mutating func checkSignal(_ signal: JSONValue, into record: inout RecordFindings) {
        var id: JSONValue?
        var status: JSONValue?
        var bedrag: JSONValue?
        var ontstaansdatum: JSONValue?
        var signaaldatum: JSONValue?
        var partnerType: JSONValue?
        var client: JSONValue?
        for member in signal.objectValue?.members ?? [] {
            switch member.key {
            case "ID": id = member.value
            case "status": status = member.value
            case "bedrag": bedrag = member.value
            case "ontstaansdatum": ontstaansdatum = member.value
            case "signaaldatum": signaaldatum = member.value
            case "signaalpartner": partnerType = member.value["type"]
            case "client": client = member.value
            default: break
            }
        }
        if case .string(let text)? = id {
            let id = VroegsignaalID(text)
            if !signalIDs.insert(id).inserted { record.add(.duplicateID, at: "ID") }
            if case .string(let state)? = status, state == "Opgepakt" {
                pickedUp.append(id)
                if let pointer = record.pointer { pickedUpPlaces[id] = Place(pagina: currentPage, pointer: pointer + "/status") }
            }
        }
        amount(bedrag, at: "bedrag", into: &record)
        date(ontstaansdatum, at: "ontstaansdatum", into: &record)
        month(of: date(signaaldatum, at: "signaaldatum", inPeriod: true, into: &record))
        codeValue(status, list: .signaalstatus, at: "status", into: &record)
        codeValue(partnerType, list: .signaalpartner, at: "signaalpartner/type", into: &record)
        if let client { checkClient(client, into: &record) }
    }

    /// The checks of a client: BSN, postcode, huisnummer, geboortedatum.
    func checkClient(_ client: JSONValue, into record: inout RecordFindings) {
        var geboortedatum: JSONValue?
        var bsn: String?
        var postcode: String?
        var huisnummer: String?
        for member in client.objectValue?.members ?? [] {
            switch member.key {
            case "burgerservicenummer": bsn = member.value.stringValue
            case "postcode": postcode = member.value.stringValue
            case "huisnummer": huisnummer = member.value.stringValue
            case "geboortedatum": geboortedatum = member.value
            default: break
            }
        }
        if let bsn, !FieldRules.isValidBSN(bsn) { record.add(.bsn, at: "client/burgerservicenummer") }
        if let postcode, !FieldRules.isValidPostcode(postcode) { record.add(.postcode, at: "client/postcode") }
        if let huisnummer, !FieldRules.isValidHuisnummer(huisnummer) { record.add(.huisnummer, at: "client/huisnummer") }
        date(geboortedatum, at: "client/geboortedatum", into: &record)
    }

    /// The checks of one vroegsignaalzaak, after one walk over its members; returns the IDs it
    /// refers to that were not seen yet.
    private mutating func checkZaak(_ zaak: JSONValue, into record: inout RecordFindings) -> [VroegsignaalID] {
        var resultaat: JSONValue?
        var matchingsdatum: JSONValue?
        var datumOpgepakt: JSONValue?
        var startdatum: JSONValue?
        var einddatum: JSONValue?
        var contacts: [JSONValue] = []
        var references: [JSONValue] = []
        for member in zaak.objectValue?.members ?? [] {
            switch member.key {
            case "resultaat": resultaat = member.value
            case "matchingsdatum": matchingsdatum = member.value
            case "datumOpgepakt": datumOpgepakt = member.value
            case "startdatumMatchingperiode": startdatum = member.value
            case "einddatumMatchingperiode": einddatum = member.value
            case "contactpogingen": contacts = member.value.arrayValue ?? []
            case "vroegsignalen": references = member.value.arrayValue ?? []
            default: break
            }
        }
        codeValue(resultaat, list: .eindresultaat, at: "resultaat", into: &record)
        date(matchingsdatum, at: "matchingsdatum", inPeriod: true, into: &record)
        date(datumOpgepakt, at: "datumOpgepakt", into: &record)
        let start = date(startdatum, at: "startdatumMatchingperiode", into: &record)
        let end = date(einddatum, at: "einddatumMatchingperiode", into: &record)
        if let start, let end, end < start { record.add(.matchingPeriodReversed, at: "einddatumMatchingperiode") }
        for (index, contact) in contacts.enumerated() {
            var soort: JSONValue?
            var dagdeel: JSONValue?
            var datum: JSONValue?
            for member in contact.objectValue?.members ?? [] {
                switch member.key {
                case "soort": soort = member.value
                case "dagdeel": dagdeel = member.value
                case "datum": datum = member.value
                default: break
                }
            }
            codeValue(soort, list: .contactsoort, at: "contactpogingen/\(index)/soort", into: &record)
            if dagdeel != nil { codeValue(dagdeel, list: .dagdeel, at: "contactpogingen/\(index)/dagdeel", into: &record) }
            date(datum, at: "contactpogingen/\(index)/datum", inPeriod: true, into: &record)
        }
        if !contacts.isEmpty, resultaat == nil { record.add(.contactWithoutOutcome) }
        var unresolved: [VroegsignaalID] = []
        for reference in references {
            guard case .string(let text)? = reference["ID"] else { continue }
            let id = VroegsignaalID(text)
            referencedIDs.insert(id)
            if !signalIDs.contains(id) { unresolved.append(id) }
        }
        return unresolved
    }
}
