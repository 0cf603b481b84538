/// Writes one `leveringen[]` item of the SHV payload (`DDAS-SHV-uitwisselmodel-v1.0.json`):
/// a gemeente's schuldhulptrajecten for a range of record indices.
///
/// Each traject is drawn from its own index. Its phases follow each other inside the period:
/// aanmelding, intake, toekenning, an oplossing for some, and uitstroom for those that ended.
/// Every traject carries the gemeente's code, which is what a client checks for foreign data.
struct SchuldhulpLevering {
    /// The code lists, prepared once.
    static let codes = SchuldhulpCodes()

    /// Whose records these are.
    let gemeente: SimulatedGemeente
    /// The period every date falls in.
    let period: Aanleverperiode
    private let randomBase: UInt64
    private let gemeenteHash: UInt64
    private let quotedCode: [UInt8]

    /// The levering of `gemeente` for `period` under `seed`.
    init(seed: UInt64, gemeente: SimulatedGemeente, period: Aanleverperiode) {
        self.gemeente = gemeente
        self.period = period
        gemeenteHash = RecordRandom.hash(gemeente.code)
        var levering = RecordRandom(
            seed, gemeenteHash, UInt64(bitPattern: Int64(period.start.dayNumber)), UInt64(bitPattern: Int64(period.end.dayNumber)), 0x5348
        )
        randomBase = levering.next()
        var code = JSONByteWriter(capacity: 6)
        code.writeString(gemeente.code)
        quotedCode = code.bytes
    }

    /// Writes the levering object for `records`.
    func write(teller: Int, records: Range<Int>, violation: SchemaViolation?, into writer: inout JSONByteWriter) {
        writer.append("{\"teller\":")
        writer.writeInteger(teller)
        writer.append(",\"aanleverende_organisatie\":{\"(Statutaire) Naam\":")
        writer.writeString(gemeente.organisatie)
        writer.append(",\"KvK-nummer\":\"")
        writer.writeDigits(Int(gemeenteHash % 100_000_000), width: 8)
        writer.append("\",\"postcode\":")
        var random = RecordRandom(gemeenteHash, 0x6F)
        SyntheticResident.writePostcode(area: SyntheticResident.postcodeArea(gemeenteHash: gemeenteHash), &random, into: &writer)
        writer.append(",\"gemeentecode\":")
        writer.append(quotedCode)
        writer.append(",\"contactpersonen\":[{\"email\":\"schuldhulp@gemeente-")
        writer.append(Array(gemeente.code.utf8))
        writer.append(".example.nl\",\"functietitel\":\"Teamleider schuldhulpverlening\",\"naam\":\"Team Schuldhulp\"}]}")
        writer.append(",\"schuldhulptrajecten\":[")
        for index in records {
            writeTraject(index, violation: violation?.damage(index == records.lowerBound), into: &writer)
            writer.append(byte: UInt8(ascii: ","))
        }
        writer.dropTrailing(UInt8(ascii: ","))
        writer.append("]}")
    }

    private func writeTraject(_ index: Int, violation: SchemaViolation?, into writer: inout JSONByteWriter) {
        let codes = SchuldhulpLevering.codes
        var random = RecordRandom(randomBase, 0x74, UInt64(index))
        let days = period.dayCount
        let aanmelding = period.start.adding(days: random.below(days))
        func after(_ day: KalenderDatum, within limit: Int) -> KalenderDatum {
            min(period.end, day.adding(days: random.below(limit + 1)))
        }
        let intakeStart = after(aanmelding, within: 14)
        let intakeEnd = after(intakeStart, within: 30)
        let toekenning = after(intakeEnd, within: 10)
        let ended = random.chance(perMille: 250)
        let einde = after(toekenning, within: 60)

        writer.append(byte: UInt8(ascii: "{"))
        if violation != .missingRequiredField {
            writer.append("\"gemeentecode\":")
            writer.append(quotedCode)
            writer.append(byte: UInt8(ascii: ","))
        }
        writer.append("\"startdatum\":")
        writer.writeDate(aanmelding)
        if ended {
            writer.append(",\"einddatum\":")
            writer.writeDate(einde)
        }
        writer.append(",\"toekenningsdatum\":")
        writer.writeDate(toekenning)
        writer.append(",\"totaalSchuldbedragBijAanvangSchuld\":")
        writer.writeInteger(random.within(500...60_000))
        writer.append(",\"aanmelding\":{\"crisisinterventie\":")
        writer.writeBool(random.chance(perMille: 60))
        writer.append(",\"startdatum\":")
        writer.writeDate(aanmelding)
        writer.append("},\"client\":[")
        let clients = random.chance(perMille: 150) ? 2 : 1
        for client in 0..<clients {
            if client > 0 { writer.append(byte: UInt8(ascii: ",")) }
            writer.append("{\"Burgerservicenummer\":")
            SyntheticResident.writeBSN(&random, into: &writer)
            writer.append(",\"Geboortedatum\":")
            writer.writeDate(SyntheticResident.geboortedatum(on: period.start, &random))
            writer.append(",\"Geslachtsaanduiding\":")
            writer.append(codes.geslachten.values[codes.geslachten.pick(&random)])
            writer.append(",\"Postcode\":")
            SyntheticResident.writePostcode(
                area: SyntheticResident.postcodeArea(gemeenteHash: gemeenteHash) + random.below(100), &random, into: &writer)
            writer.append(",\"Huisnummer\":")
            SyntheticResident.writeHuisnummer(&random, into: &writer)
            writer.append(byte: UInt8(ascii: "}"))
        }
        writer.append("],\"intake\":{\"startdatum\":")
        writer.writeDate(intakeStart)
        writer.append(",\"einddatum\":")
        writer.writeDate(intakeEnd)
        writer.append(",\"beschikkingsdatum\":")
        writer.writeDate(toekenning)
        writer.append(",\"beschikkingssoort\":")
        writer.append(codes.beschikkingssoorten.values[codes.beschikkingssoorten.pick(&random)])
        writer.append("},\"schulden\":[")
        let debts = random.within(1...6)
        for debt in 0..<debts {
            if debt > 0 { writer.append(byte: UInt8(ascii: ",")) }
            writer.append("{\"bedrag\":")
            writer.writeInteger(random.within(50...8_000))
            writer.append(",\"peildatum\":")
            writer.writeDate(intakeStart)
            writer.append(",\"schuldsoort\":")
            if debt == 0 && violation == .valueOutsideCodeList {
                writer.append("\"Belastingschuld\"")
            } else {
                writer.append(codes.schuldsoorten.values[codes.schuldsoorten.pick(&random)])
            }
            writer.append(",\"zakelijkeSchuld\":")
            writer.writeBool(random.chance(perMille: 50))
            writer.append(",\"schuldeiser\":{\"privepersoon\":false}}")
        }
        writer.append(byte: UInt8(ascii: "]"))
        if random.chance(perMille: 450) {
            writer.append(",\"oplossing\":{\"soort\":")
            writer.append(codes.oplossingssoorten.values[codes.oplossingssoorten.pick(&random)])
            writer.append(",\"startdatum\":")
            writer.writeDate(toekenning)
            writer.append(",\"vtlb\":")
            writer.writeInteger(random.within(900...1_900))
            writer.append(byte: UInt8(ascii: "}"))
        }
        if random.chance(perMille: 300) {
            writer.append(",\"begeleiding\":[{\"soort\":")
            writer.append(codes.begeleidingssoorten.values[codes.begeleidingssoorten.pick(&random)])
            writer.append(",\"startdatum\":")
            writer.writeDate(toekenning)
            writer.append("}]")
        }
        if ended {
            writer.append(",\"uitstroom\":{\"datum\":")
            writer.writeDate(einde)
            writer.append(",\"reden\":")
            writer.append(codes.uitstroomredenen.values[codes.uitstroomredenen.pick(&random)])
            writer.append(byte: UInt8(ascii: "}"))
        }
        writer.append(byte: UInt8(ascii: "}"))
    }
}

/// The code lists of `DDAS-SHV-uitwisselmodel-v1.0.json` with plausible weights.
struct SchuldhulpCodes {
    /// `geslacht`, `EnumBeschikkingssoort`, `EnumSchuldensoort`, `EnumOplossingssoort`,
    /// `EnumBegeleidingssoort` and `EnumUitstroomreden`, weighted.
    let geslachten = WeightedCodes([("Man", 50), ("Vrouw", 47), ("Onbekend", 2), ("Leeg", 1)])
    let beschikkingssoorten = WeightedCodes([("Afwijzingsbeschikking", 12), ("Toelatingsbeschikking", 88)])
    let schuldsoorten = WeightedCodes([("Zorg", 25), ("Publiek", 35), ("Nuts", 20), ("Overig", 20)])
    let oplossingssoorten = WeightedCodes([
        ("Betalingsregeling", 30), ("Herfinanciering", 5), ("Saneringskrediet", 30), ("Schuldbemiddeling", 30), ("0%-aanbod", 5),
    ])
    let begeleidingssoorten = WeightedCodes([
        ("Budgetcoaching", 30), ("Budgetbeheer", 35), ("Beschermingsbewind", 25), ("Lange Termijn Begeleiding (DFD)", 3),
        ("Budgetbegeleiding", 7),
    ])
    let uitstroomredenen = WeightedCodes([
        ("Overleden", 1), ("Verhuisd", 6), ("Nietverschenen", 10), ("Ingetrokken", 8), ("Niet passend", 6), ("Overig", 9),
        ("Voldoet niet", 5), ("Afgerond", 45), ("Zelf", 10),
    ])
}
