extension LeveringKwaliteitAnalysis {
    /// Checks the vroegsignalen and vroegsignaalzaken of one levering.
    mutating func addSignals(_ levering: JSONValue, at position: Int, damaged: Set<RecordPosition>) {
        for (index, signal) in (levering["vroegsignalen"]?.arrayValue ?? []).enumerated() {
            findings.records += 1
            var record = RecordFindings(pointer: "/leveringen/\(position)/vroegsignalen/\(index)")
            if damaged.contains(RecordPosition(levering: position, array: "vroegsignalen", index: index)) { record.add(.schema) }
            checkSignal(signal, into: &record)
            commit(record)
        }
        for (index, zaak) in (levering["vroegsignaalzaken"]?.arrayValue ?? []).enumerated() {
            findings.zaken += 1
            var record = RecordFindings(pointer: "/leveringen/\(position)/vroegsignaalzaken/\(index)")
            if damaged.contains(RecordPosition(levering: position, array: "vroegsignaalzaken", index: index)) { record.add(.schema) }
            let unresolved = checkZaak(zaak, into: &record)
            if !unresolved.isEmpty {
                openReferences.append((record.hasError, unresolved, Place(pagina: currentPage, pointer: record.pointer)))
            }
            commit(record)
        }
    }

    /// The checks of one vroegsignaal.
    private mutating func checkSignal(_ signal: JSONValue, into record: inout RecordFindings) {
        if let id = signal["ID"]?.stringValue {
            if !signalIDs.insert(id).inserted { record.add(.duplicateID, at: "ID") }
            if signal["status"]?.stringValue == "Opgepakt" {
                pickedUp.append(id)
                if geplaatst != nil { pickedUpPlaces[id] = Place(pagina: currentPage, pointer: record.pointer + "/status") }
            }
        }
        amount(signal["bedrag"], at: "bedrag", into: &record)
        date(signal["ontstaansdatum"], at: "ontstaansdatum", into: &record)
        month(of: date(signal["signaaldatum"], at: "signaaldatum", inPeriod: true, into: &record))
        codeValue(signal["status"], list: "signaalstatus", at: "status", into: &record)
        codeValue(signal["signaalpartner"]?["type"], list: "signaalpartner", at: "signaalpartner/type", into: &record)
        if let client = signal["client"] { checkClient(client, into: &record) }
    }

    /// The checks of a client: BSN, postcode, huisnummer, geboortedatum.
    func checkClient(_ client: JSONValue, into record: inout RecordFindings) {
        if let bsn = client["burgerservicenummer"]?.stringValue, !FieldRules.isValidBSN(bsn) {
            record.add(.bsn, at: "client/burgerservicenummer")
        }
        if let postcode = client["postcode"]?.stringValue, !FieldRules.isValidPostcode(postcode) {
            record.add(.postcode, at: "client/postcode")
        }
        if let huisnummer = client["huisnummer"]?.stringValue, !FieldRules.isValidHuisnummer(huisnummer) {
            record.add(.huisnummer, at: "client/huisnummer")
        }
        date(client["geboortedatum"], at: "client/geboortedatum", into: &record)
    }

    /// The checks of one vroegsignaalzaak; returns the IDs it refers to that were not seen yet.
    private mutating func checkZaak(_ zaak: JSONValue, into record: inout RecordFindings) -> [String] {
        codeValue(zaak["resultaat"], list: "eindresultaat", at: "resultaat", into: &record)
        date(zaak["matchingsdatum"], at: "matchingsdatum", inPeriod: true, into: &record)
        date(zaak["datumOpgepakt"], at: "datumOpgepakt", into: &record)
        let start = date(zaak["startdatumMatchingperiode"], at: "startdatumMatchingperiode", into: &record)
        let end = date(zaak["einddatumMatchingperiode"], at: "einddatumMatchingperiode", into: &record)
        if let start, let end, end < start { record.add(.matchingPeriodReversed, at: "einddatumMatchingperiode") }
        let contacts = zaak["contactpogingen"]?.arrayValue ?? []
        for (index, contact) in contacts.enumerated() {
            let path = "contactpogingen/\(index)"
            codeValue(contact["soort"], list: "contactsoort", at: path + "/soort", into: &record)
            if contact["dagdeel"] != nil { codeValue(contact["dagdeel"], list: "dagdeel", at: path + "/dagdeel", into: &record) }
            date(contact["datum"], at: path + "/datum", inPeriod: true, into: &record)
        }
        if !contacts.isEmpty, zaak["resultaat"] == nil { record.add(.contactWithoutOutcome) }
        var unresolved: [String] = []
        for reference in zaak["vroegsignalen"]?.arrayValue ?? [] {
            guard let id = reference["ID"]?.stringValue else { continue }
            referencedIDs.insert(id)
            if !signalIDs.contains(id) { unresolved.append(id) }
        }
        return unresolved
    }
}
