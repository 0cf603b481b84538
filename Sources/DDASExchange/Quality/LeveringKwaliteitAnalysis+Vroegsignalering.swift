extension LeveringKwaliteitAnalysis {
    /// Checks the vroegsignalen and vroegsignaalzaken of one levering.
    mutating func addSignals(_ levering: JSONTapeValue, at position: Int, damaged: Set<RecordPosition>, fields: PageFields) {
        var signals: JSONTapeValue?
        var zaken: JSONTapeValue?
        for member in levering.members {
            switch fields.field(member) {
            case .vroegsignalen?: signals = member.value
            case .vroegsignaalzaken?: zaken = member.value
            default: break
            }
        }
        for (index, signal) in elementList(signals).enumerated() {
            findings.records += 1
            var record = record("/leveringen/\(position)/vroegsignalen/\(index)")
            if !damaged.isEmpty, damaged.contains(RecordPosition(levering: position, array: "vroegsignalen", index: index)) {
                record.add(.schema)
            }
            checkSignal(signal, fields: fields, into: &record)
            herkomst.end()
            commit(record)
        }
        for (index, zaak) in elementList(zaken).enumerated() {
            findings.zaken += 1
            var record = record("/leveringen/\(position)/vroegsignaalzaken/\(index)")
            if !damaged.isEmpty, damaged.contains(RecordPosition(levering: position, array: "vroegsignaalzaken", index: index)) {
                record.add(.schema)
            }
            let unresolved = checkZaak(zaak, fields: fields, into: &record)
            herkomst.end()
            if !unresolved.isEmpty {
                let place = record.pointer.map { Place(pagina: currentPage, pointer: $0) }
                openReferences.append((record.hasError, unresolved, place))
            }
            commit(record)
        }
    }

    /// The checks of one vroegsignaal, after one walk over its members.
    private mutating func checkSignal(_ signal: JSONTapeValue, fields: PageFields, into record: inout RecordFindings) {
        var id: JSONTapeValue?
        var status: JSONTapeValue?
        var bedrag: JSONTapeValue?
        var ontstaansdatum: JSONTapeValue?
        var signaaldatum: JSONTapeValue?
        var partnerType: JSONTapeValue?
        var client: JSONTapeValue?
        var crisissignaal: JSONTapeValue?
        for member in signal.members {
            switch fields.field(member) {
            case .id?: id = member.value
            case .status?: status = member.value
            case .bedrag?: bedrag = member.value
            case .ontstaansdatum?: ontstaansdatum = member.value
            case .signaaldatum?: signaaldatum = member.value
            case .signaalpartner?: partnerType = member.value.members.first { fields.field($0) == .type }?.value
            case .client?: client = member.value
            case .crisissignaal?: crisissignaal = member.value
            default: break
            }
        }
        let signalID = id?.withUTF8(VroegsignaalID.init(utf8:))
        herkomst.startSignal(signalID, crisissignaal: crisissignaal)
        if let id = signalID {
            if !signalIDs.insert(id).inserted { record.add(.duplicateID, at: "ID") }
            // Byte for byte, as `String` equality for this ASCII text.
            if status?.withUTF8({ $0.elementsEqual("Opgepakt".utf8) }) == true {
                pickedUp.append(id)
                if let pointer = record.pointer { pickedUpPlaces[id] = Place(pagina: currentPage, pointer: pointer + "/status") }
            }
        }
        amount(bedrag, at: "bedrag", into: &record)
        date(ontstaansdatum, at: "ontstaansdatum", into: &record)
        month(of: date(signaaldatum, at: "signaaldatum", inPeriod: true, into: &record))
        codeValue(status, list: .signaalstatus, at: "status", into: &record)
        codeValue(partnerType, list: .signaalpartner, at: "signaalpartner/type", into: &record)
        if let client { checkPerson(client, .vroegsignaal, path: "client/", fields: fields, into: &record) }
    }

    /// The fields of a person: the client of a vroegsignaal, or one of a schuldhulptraject's.
    struct PersonFields {
        let bsn: CheckField
        let postcode: CheckField
        let huisnummer: CheckField
        let geboortedatum: CheckField
        /// Whether a geboortedatum that is no date is a finding (SHV; VS leaves it to the schema).
        let checksDateForm: Bool

        static let vroegsignaal = PersonFields(
            bsn: .burgerservicenummer, postcode: .postcode, huisnummer: .huisnummer, geboortedatum: .geboortedatum,
            checksDateForm: false)
        static let schuldhulp = PersonFields(
            bsn: .shvBurgerservicenummer, postcode: .shvPostcode, huisnummer: .shvHuisnummer, geboortedatum: .shvGeboortedatum,
            checksDateForm: true)
    }

    /// The checks of a person at `path` below the record (`client/`, `client/0/`): BSN,
    /// postcode, huisnummer, geboortedatum, in that order.
    func checkPerson(
        _ person: JSONTapeValue, _ names: PersonFields, path: String, fields: PageFields, into record: inout RecordFindings
    ) {
        var bsn: JSONTapeValue?
        var postcode: JSONTapeValue?
        var huisnummer: JSONTapeValue?
        var geboortedatum: JSONTapeValue?
        for member in person.members {
            switch fields.field(member) {
            case names.bsn?: bsn = member.value
            case names.postcode?: postcode = member.value
            case names.huisnummer?: huisnummer = member.value
            case names.geboortedatum?: geboortedatum = member.value
            default: break
            }
        }
        if bsn?.withUTF8(FieldRules.isValidBSN) == false { record.add(.bsn, at: path + names.bsn.name) }
        if postcode?.withUTF8(FieldRules.isValidPostcode) == false { record.add(.postcode, at: path + names.postcode.name) }
        if huisnummer?.withUTF8(FieldRules.isValidHuisnummer) == false { record.add(.huisnummer, at: path + names.huisnummer.name) }
        guard let geboortedatum else { return }
        if names.checksDateForm, geboortedatum.isString, geboortedatum.calendarDate == nil {
            record.add(.dateForm, at: path + names.geboortedatum.name)
        } else {
            date(geboortedatum, at: path + names.geboortedatum.name, into: &record)
        }
    }

    /// The checks of one vroegsignaalzaak, after one walk over its members; returns the IDs it
    /// refers to that were not seen yet. Its references come first: they give it its herkomst.
    private mutating func checkZaak(_ zaak: JSONTapeValue, fields: PageFields, into record: inout RecordFindings) -> [VroegsignaalID] {
        var resultaat: JSONTapeValue?
        var matchingsdatum: JSONTapeValue?
        var datumOpgepakt: JSONTapeValue?
        var startdatum: JSONTapeValue?
        var einddatum: JSONTapeValue?
        var contacts: JSONTapeValue?
        var references: JSONTapeValue?
        for member in zaak.members {
            switch fields.field(member) {
            case .resultaat?: resultaat = member.value
            case .matchingsdatum?: matchingsdatum = member.value
            case .datumOpgepakt?: datumOpgepakt = member.value
            case .startdatumMatchingperiode?: startdatum = member.value
            case .einddatumMatchingperiode?: einddatum = member.value
            case .contactpogingen?: contacts = member.value
            case .vroegsignalen?: references = member.value
            default: break
            }
        }
        var unresolved: [VroegsignaalID] = []
        var refersToCrisis = false
        for reference in references?.elements ?? JSONTapeElements(tape: zaak.tape, start: 0, end: 0) {
            guard let id = reference.members.first(where: { fields.field($0) == .id })?.value.withUTF8(VroegsignaalID.init(utf8:)) else {
                continue
            }
            referencedIDs.insert(id)
            if !signalIDs.contains(id) {
                unresolved.append(id)
            } else if !refersToCrisis, !herkomst.crisisIDs.isEmpty, herkomst.crisisIDs.contains(id) {
                refersToCrisis = true
            }
        }
        herkomst.startZaak(refersToCrisis: refersToCrisis, unresolved: unresolved)
        codeValue(resultaat, list: .eindresultaat, at: "resultaat", into: &record)
        date(matchingsdatum, at: "matchingsdatum", inPeriod: true, into: &record)
        date(datumOpgepakt, at: "datumOpgepakt", into: &record)
        let start = date(startdatum, at: "startdatumMatchingperiode", into: &record)
        let end = date(einddatum, at: "einddatumMatchingperiode", into: &record)
        if let start, let end, end < start { record.add(.matchingPeriodReversed, at: "einddatumMatchingperiode") }
        var contactCount = 0
        for contact in contacts?.elements ?? JSONTapeElements(tape: zaak.tape, start: 0, end: 0) {
            let index = contactCount
            contactCount += 1
            var soort: JSONTapeValue?
            var dagdeel: JSONTapeValue?
            var datum: JSONTapeValue?
            for member in contact.members {
                switch fields.field(member) {
                case .soort?: soort = member.value
                case .dagdeel?: dagdeel = member.value
                case .datum?: datum = member.value
                default: break
                }
            }
            codeValue(soort, list: .contactsoort, at: "contactpogingen/\(index)/soort", into: &record)
            if dagdeel != nil { codeValue(dagdeel, list: .dagdeel, at: "contactpogingen/\(index)/dagdeel", into: &record) }
            date(datum, at: "contactpogingen/\(index)/datum", inPeriod: true, into: &record)
        }
        if contactCount > 0, resultaat == nil { record.add(.contactWithoutOutcome) }
        return unresolved
    }
}
