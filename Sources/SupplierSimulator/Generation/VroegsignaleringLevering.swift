/// Writes one `leveringen[]` item of the VS payload: a gemeente's vroegsignalen for a range of
/// record indices, and the vroegsignaalzaken that group them.
///
/// Residents: records come in blocks of four; a block is split into groups of one to three
/// records that belong to the same resident, the first record of a group being its leader.
/// Everything about a group (client, matching window, zaak, outcome) is drawn from the
/// leader's index, everything about a signal from its own index, so a record does not depend
/// on the page it is on. A zaak lists the group's signals that are on the same page.
///
/// Dates all fall inside the period: a group's matching window is up to a week within it,
/// signals are dated in the window, the zaak is taken up after it, contact attempts follow.
struct VroegsignaleringLevering {
    /// The code lists, prepared once.
    static let codes = VroegsignaleringCodes()

    /// Whose records these are.
    let gemeente: SimulatedGemeente
    /// The period every date falls in.
    let period: Aanleverperiode
    /// The seed of this levering's records: (seed, gemeente, period) mixed.
    let randomBase: UInt64
    private let idPrefix: [UInt8]
    private let idOffset: UInt64
    private let postcodeArea: Int
    private let gemeenteHash: UInt64

    /// The levering of `gemeente` for `period` under `seed`.
    init(seed: UInt64, gemeente: SimulatedGemeente, period: Aanleverperiode) {
        self.gemeente = gemeente
        self.period = period
        let gemeenteHash = RecordRandom.hash(gemeente.code)
        self.gemeenteHash = gemeenteHash
        var levering = RecordRandom(
            seed, gemeenteHash, UInt64(bitPattern: Int64(period.start.dayNumber)), UInt64(bitPattern: Int64(period.end.dayNumber))
        )
        randomBase = levering.next()
        var prefix = JSONByteWriter(capacity: 26)
        prefix.append("\"")
        prefix.writeHex(randomBase >> 32, count: 8)
        prefix.append("-")
        prefix.writeHex(randomBase >> 16, count: 4)
        prefix.append("-4")
        prefix.writeHex(randomBase >> 4, count: 3)
        prefix.append("-a")
        prefix.writeHex(randomBase >> 52, count: 3)
        prefix.append("-")
        idPrefix = prefix.bytes
        idOffset = randomBase & 0xFFFF
        postcodeArea = SyntheticResident.postcodeArea(gemeenteHash: gemeenteHash)
    }

    /// A resident's group of records and what happened to it.
    struct Groep {
        /// Index of the first record.
        let leader: Int
        /// Number of records.
        let size: Int
        /// The matching window: up to a week inside the period.
        let windowStart: KalenderDatum
        let windowEnd: KalenderDatum
        /// Index into the outcome table, or nil when no zaak was opened.
        let eindresultaat: Int?
    }

    /// The group record `index` belongs to.
    func groep(of index: Int) -> Groep {
        let block = index >> 2
        var blockRandom = RecordRandom(randomBase, 0x67, UInt64(block))
        let sizes = VroegsignaleringLevering.blockPatterns[blockRandom.below(VroegsignaleringLevering.blockPatterns.count)]
        var leader = block << 2
        var groupSize = 1
        for size in sizes {
            if index < leader + size {
                groupSize = size
                break
            }
            leader += size
        }
        var random = RecordRandom(randomBase, 0x70, UInt64(leader))
        let windowStart = period.start.adding(days: random.below(period.dayCount))
        let windowEnd = min(windowStart.adding(days: random.below(7)), period.end)
        let hasZaak = random.chance(perMille: 880)
        let outcome = VroegsignaleringLevering.codes.eindresultaten.pick(&random)
        return Groep(
            leader: leader, size: groupSize, windowStart: windowStart, windowEnd: windowEnd, eindresultaat: hasZaak ? outcome : nil)
    }

    /// Block partitions into groups; singles are most common.
    private static let blockPatterns: [[Int]] =
        Array(repeating: [1, 1, 1, 1], count: 12) + [
            [2, 1, 1], [2, 1, 1], [1, 2, 1], [1, 1, 2], [1, 1, 2], [3, 1], [1, 3], [2, 2],
        ]

    /// Writes the levering object for `records`.
    func write(teller: Int, records: Range<Int>, violation: SchemaViolation?, into writer: inout JSONByteWriter) {
        writer.append("{\"teller\":")
        writer.writeInteger(teller)
        writer.append(",\"gemeentecode\":")
        writer.writeString(gemeente.code)
        writer.append(",\"aanleverendeOrganisatie\":{\"naam\":")
        writer.writeString(gemeente.organisatie)
        writer.append(",\"kvk-nummer\":\"")
        writer.writeDigits(Int(gemeenteHash % 100_000_000), width: 8)
        writer.append("\",\"contactpersonen\":[{\"naam\":\"Team Vroegsignalering\",\"telefoonnummer\":\"14 0")
        writer.writeDigits(Int(gemeente.code) ?? 0, width: 3)
        writer.append("\",\"email\":\"vroegsignalering@gemeente-")
        writer.append(Array(gemeente.code.utf8))
        writer.append(".example.nl\",\"functietitel\":\"Coördinator vroegsignalering\"}]}")
        writer.append(",\"vroegsignalen\":[")
        var groep = Groep(leader: -1, size: 0, windowStart: period.start, windowEnd: period.start, eindresultaat: nil)
        for index in records {
            if index >= groep.leader + groep.size { groep = self.groep(of: index) }
            writeVroegsignaal(index, groep: groep, violation: violation?.damage(index == records.lowerBound), into: &writer)
            writer.append(byte: UInt8(ascii: ","))
        }
        writer.dropTrailing(UInt8(ascii: ","))
        writer.append("],\"vroegsignaalzaken\":[")
        var index = records.lowerBound
        while index < records.upperBound {
            let groep = self.groep(of: index)
            let members = index..<min(groep.leader + groep.size, records.upperBound)
            if let outcome = groep.eindresultaat {
                writeZaak(groep, outcome: outcome, members: members, into: &writer)
                writer.append(byte: UInt8(ascii: ","))
            }
            index = members.upperBound
        }
        writer.dropTrailing(UInt8(ascii: ","))
        writer.append("]}")
    }

    /// Writes the quoted ID of record `index`: a UUID-shaped text whose last part is a bijection
    /// of the index, so IDs never repeat within a gemeente and period.
    @inline(__always)
    func writeID(_ index: Int, into writer: inout JSONByteWriter) {
        writer.append(idPrefix)
        writer.writeHex(((UInt64(index) &+ idOffset) &* 0x5851_F42D_4C95_7F2D) & 0xFFFF_FFFF_FFFF, count: 12)
        writer.append(byte: UInt8(ascii: "\""))
    }

    private func writeVroegsignaal(_ index: Int, groep: Groep, violation: SchemaViolation?, into writer: inout JSONByteWriter) {
        let codes = VroegsignaleringLevering.codes
        var random = RecordRandom(randomBase, 0x73, UInt64(index))
        writer.append("{\"ID\":")
        writeID(index, into: &writer)
        writer.append(",\"crisissignaal\":")
        writer.writeBool(random.chance(perMille: 20))
        writer.append(",\"warmeOverdracht\":")
        writer.writeBool(random.chance(perMille: 40))
        let partner = codes.signaalpartners.pick(&random)
        writer.append(",\"bedrag\":")
        writer.writeInteger(random.within(codes.bedragen[partner]))
        let signaaldatum = groep.windowStart.adding(days: random.below(groep.windowEnd.dayNumber - groep.windowStart.dayNumber + 1))
        if random.chance(perMille: 950) {
            let earliest = max(period.start.dayNumber, signaaldatum.dayNumber - 45)
            writer.append(",\"ontstaansdatum\":")
            writer.writeDate(KalenderDatum(dayNumber: earliest + random.below(signaaldatum.dayNumber - earliest + 1)))
        }
        writer.append(",\"signaaldatum\":")
        writer.writeDate(signaaldatum)
        writer.append(",\"status\":")
        if let outcome = groep.eindresultaat {
            if codes.afhandelingen[outcome] == .nietOpgepakt {
                writer.append(codes.eindresultaten.values[outcome])
            } else {
                writer.append(codes.statusOpgepakt)
            }
        } else {
            writer.append(codes.statusNogNietOpgepakt)
        }
        switch violation {
        case .missingRequiredField:
            break
        case .valueOutsideCodeList, .valueOutsideCodeListInEveryRecord:
            writer.append(",\"signaalpartner\":{\"type\":\"Telefonie\"}")
        case nil, .missingSupplierCode:
            writer.append(",\"signaalpartner\":{\"type\":")
            writer.append(codes.signaalpartners.values[partner])
            writer.append(byte: UInt8(ascii: "}"))
        }
        writer.append(",\"client\":")
        writeClient(groep, into: &writer)
        writer.append(byte: UInt8(ascii: "}"))
    }

    /// The client of a group: most by BSN alone; some by address, with what else is known.
    /// (The schema's `oneOf` allows nothing beside a BSN, and needs postcode and house number without one.)
    private func writeClient(_ groep: Groep, into writer: inout JSONByteWriter) {
        var random = RecordRandom(randomBase, 0x63, UInt64(groep.leader))
        if random.chance(perMille: 920) {
            writer.append("{\"burgerservicenummer\":")
            SyntheticResident.writeBSN(&random, into: &writer)
            writer.append(byte: UInt8(ascii: "}"))
            return
        }
        writer.append("{\"postcode\":")
        SyntheticResident.writePostcode(area: postcodeArea + random.below(100), &random, into: &writer)
        writer.append(",\"huisnummer\":")
        SyntheticResident.writeHuisnummer(&random, into: &writer)
        if random.chance(perMille: 150) {
            writer.append(",\"huisnummertoevoeging\":")
            SyntheticResident.writeToevoeging(&random, into: &writer)
        }
        if random.chance(perMille: 700) {
            writer.append(",\"geslachtsaanduiding\":")
            writer.append(VroegsignaleringLevering.codes.geslachten.values[VroegsignaleringLevering.codes.geslachten.pick(&random)])
        }
        if random.chance(perMille: 700) {
            writer.append(",\"geboortedatum\":")
            writer.writeDate(SyntheticResident.geboortedatum(on: period.start, &random))
        }
        writer.append(byte: UInt8(ascii: "}"))
    }
}
