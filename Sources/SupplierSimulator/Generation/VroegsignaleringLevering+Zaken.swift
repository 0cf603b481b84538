extension VroegsignaleringLevering {
    /// Writes the zaak of `groep` over the signals `members` (all on this page).
    ///
    /// Matching covers the group's window; the zaak is taken up after it (unless the outcome
    /// says it was not taken up), and contact attempts follow, as the outcome implies: none
    /// reached for "geen contact", the first reached for "geen reactie na eerder contact", the
    /// last reached where contact was made.
    func writeZaak(_ groep: Groep, outcome: Int, members: Range<Int>, into writer: inout JSONByteWriter) {
        let codes = VroegsignaleringLevering.codes
        var random = RecordRandom(randomBase, 0x7A, UInt64(groep.leader))
        writer.append(byte: UInt8(ascii: "{"))
        if outcome != codes.zonderResultaat {
            writer.append("\"resultaat\":")
            writer.append(codes.eindresultaten.values[outcome])
            writer.append(byte: UInt8(ascii: ","))
        }
        writer.append("\"matchingsdatum\":")
        writer.writeDate(groep.windowEnd)
        writer.append(",\"startdatumMatchingperiode\":")
        writer.writeDate(groep.windowStart)
        writer.append(",\"einddatumMatchingperiode\":")
        writer.writeDate(groep.windowEnd)
        let afhandeling = codes.afhandelingen[outcome]
        let opgepakt = groep.windowEnd.adding(days: random.below(period.end.dayNumber - groep.windowEnd.dayNumber + 1))
        if afhandeling != .nietOpgepakt {
            writer.append(",\"datumOpgepakt\":")
            writer.writeDate(opgepakt)
        }
        writer.append(",\"vroegsignalen\":[")
        for index in members {
            writer.append("{\"ID\":")
            writeID(index, into: &writer)
            writer.append("},")
        }
        writer.dropTrailing(UInt8(ascii: ","))
        writer.append(byte: UInt8(ascii: "]"))

        let attempts: Int
        switch afhandeling {
        case .nietOpgepakt: attempts = 0
        case .geenContact: attempts = random.within(2...4)
        case .contactVerbroken: attempts = random.within(2...3)
        case .contact: attempts = random.within(1...3)
        case .zonderInwoner: attempts = random.below(2)
        case nil: attempts = random.below(3)
        }
        if attempts > 0 {
            writer.append(",\"contactpogingen\":[")
            var datum = opgepakt
            for attempt in 0..<attempts {
                let reached: Bool
                switch afhandeling {
                case .contactVerbroken: reached = attempt == 0
                case .contact: reached = attempt == attempts - 1
                default: reached = false
                }
                writer.append("{\"soort\":")
                if afhandeling == .zonderInwoner {
                    writer.append(codes.contactsoortAdministratief)
                } else {
                    writer.append(codes.contactsoorten.values[codes.contactsoorten.pick(&random)])
                }
                writer.append(",\"bereikt\":")
                writer.writeBool(reached)
                writer.append(",\"datum\":")
                writer.writeDate(datum)
                writer.append(",\"dagdeel\":")
                writer.append(codes.dagdelen.values[codes.dagdelen.pick(&random)])
                writer.append("},")
                datum = min(period.end, datum.adding(days: random.below(8)))
            }
            writer.dropTrailing(UInt8(ascii: ","))
            writer.append(byte: UInt8(ascii: "]"))
        }
        writer.append(byte: UInt8(ascii: "}"))
    }
}
