/// Identifying data of synthetic residents: BSNs that pass the elfproef, Dutch postcodes,
/// house numbers and birth dates.
///
/// Every BSN starts with 9, so that a reader can tell simulator data apart at a glance; the
/// numbers are drawn, not taken from anywhere.
enum SyntheticResident {
    /// Appends a quoted nine-digit BSN that passes the elfproef:
    /// 9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 (mod 11).
    static func writeBSN(_ random: inout RecordRandom, into writer: inout JSONByteWriter) {
        var digits = SIMD16<UInt8>(repeating: 0)
        digits[0] = 9
        var sum = 9 * 9
        for position in 1..<8 {
            let digit = random.below(10)
            digits[position] = UInt8(digit)
            sum += (9 - position) * digit
        }
        // Changing d8 by one changes the sum by 2; within a few steps the remainder is below 10.
        while sum % 11 == 10 {
            sum -= 2 * Int(digits[7])
            digits[7] = (digits[7] + 1) % 10
            sum += 2 * Int(digits[7])
        }
        digits[8] = UInt8(sum % 11)
        writer.append(byte: UInt8(ascii: "\""))
        for position in 0..<9 { writer.append(byte: 48 + digits[position]) }
        writer.append(byte: UInt8(ascii: "\""))
    }

    /// Appends a quoted postcode `1234AB` in the four-digit area `area` (1000-9999):
    /// two of the letters used in postcodes, never SA, SD or SS.
    static func writePostcode(area: Int, _ random: inout RecordRandom, into writer: inout JSONByteWriter) {
        writer.append(byte: UInt8(ascii: "\""))
        writer.writeDigits(area, width: 4)
        var first: UInt8
        var second: UInt8
        repeat {
            first = letters[random.below(letters.count)]
            second = letters[random.below(letters.count)]
        } while first == UInt8(ascii: "S") && (second == UInt8(ascii: "A") || second == UInt8(ascii: "D") || second == UInt8(ascii: "S"))
        writer.append(byte: first)
        writer.append(byte: second)
        writer.append(byte: UInt8(ascii: "\""))
    }

    /// The first postcode of a gemeente's synthetic postcode area (a multiple of 100 in 1000-9800).
    static func postcodeArea(gemeenteHash: UInt64) -> Int {
        1000 + Int(gemeenteHash % 89) * 100
    }

    /// Appends a quoted house number, mostly low.
    static func writeHuisnummer(_ random: inout RecordRandom, into writer: inout JSONByteWriter) {
        writer.append(byte: UInt8(ascii: "\""))
        writer.writeInteger(random.chance(perMille: 800) ? random.within(1...120) : random.within(121...400))
        writer.append(byte: UInt8(ascii: "\""))
    }

    /// Appends a quoted house-number addition such as `A`, `2` or `bis`.
    static func writeToevoeging(_ random: inout RecordRandom, into writer: inout JSONByteWriter) {
        writer.append(toevoegingen[random.below(toevoegingen.count)])
    }

    /// A birth date of an adult of 18 to 90 on `reference`.
    static func geboortedatum(on reference: KalenderDatum, _ random: inout RecordRandom) -> KalenderDatum {
        reference.adding(days: -(18 * 365 + 5 + random.below(72 * 365)))
    }

    /// Letters that occur in Dutch postcodes.
    private static let letters: [UInt8] = Array("ABCDEGHJKLMNPRSTVWXZ".utf8)

    private static let toevoegingen: [[UInt8]] = ["A", "B", "C", "1", "2", "3", "bis", "H", "I", "II", "huis", "rood"].map {
        Array("\"\($0)\"".utf8)
    }
}
