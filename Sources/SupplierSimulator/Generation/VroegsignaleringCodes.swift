/// The code lists of `DDAS-VS-uitwisselmodel-v1.2.json` with the weights the synthetic data uses.
///
/// Every value here is copied from the schema's `$defs`; tests check each one against the
/// schema file. Weights:
/// - `EnumEindresultaat`: the `meldingen` column of the programme's seed table
///   (`standaardisatie/seed-tabel-eindresultaten.csv`), summed per official value; a row that
///   names several values (`a|b`) is split evenly. `LEEG` (200,975 of 734,000 meldingen, 27%)
///   becomes a zaak without `resultaat`; `ONBEKEND` is left out. `Verwijzing zonder
///   tussenkomst inwoner` is not in the table and gets a small weight.
/// - the others: a plausible spread (health insurers, rent and energy send most signals;
///   a letter and the phone are the usual first contact).
struct VroegsignaleringCodes {
    /// How a zaak with an outcome went, which decides its signal status and contact attempts.
    enum Afhandeling {
        /// Not taken up; the signal status is the outcome itself (it is in `EnumSignaalstatus` too).
        case nietOpgepakt
        /// Attempts were made, none reached the resident.
        case geenContact
        /// The resident was reached once, then stopped answering.
        case contactVerbroken
        /// The resident was reached.
        case contact
        /// Handled without the resident (an administrative step).
        case zonderInwoner
    }

    /// `EnumEindresultaat`, weighted; `nil` name stands for a zaak without outcome (`LEEG`).
    let eindresultaten: WeightedCodes
    /// The handling of each entry of `eindresultaten`; nil for the entry without outcome.
    let afhandelingen: [Afhandeling?]
    /// `EnumSignaalpartner`, weighted.
    let signaalpartners: WeightedCodes
    /// Typical arrears in euros per entry of `signaalpartners`.
    let bedragen: [ClosedRange<Int>]
    /// `EnumSignaalstatus` values used directly: `Opgepakt` and `Nog niet opgepakt`.
    let statusOpgepakt: [UInt8]
    let statusNogNietOpgepakt: [UInt8]
    /// `EnumContactsoort`, weighted.
    let contactsoorten: WeightedCodes
    /// `Administratief`, for handling without the resident.
    let contactsoortAdministratief: [UInt8]
    /// `EnumDagdeel`, weighted.
    let dagdelen: WeightedCodes
    /// `geslacht`, weighted.
    let geslachten: WeightedCodes

    /// The index in `eindresultaten` that stands for "no outcome".
    let zonderResultaat: Int

    init() {
        let outcomes: [(String, Int, Afhandeling?)] = [
            ("(Budget)advies en/of quick fix", 25_440, .contact),
            ("Definitief geen contact kunnen krijgen", 161_672, .geenContact),
            ("Geen reactie na eerder contact", 161_672, .contactVerbroken),
            ("Inwoner al bekend bij schuldhulpverlening", 7_507, .nietOpgepakt),
            ("Inwoner heeft al een ander lopend traject", 2_185, .contact),
            ("Inwoner heeft zelf al betaald/betalingsregeling getroffen", 26_642, .contact),
            ("Inwoner is overleden", 14, .nietOpgepakt),
            ("Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering", 54_828, .contact),
            ("Niet opgepakt: andere reden", 4_481, .nietOpgepakt),
            ("Niet opgepakt: herhaalde melding", 148, .nietOpgepakt),
            ("Niet opgepakt: onterecht signaal", 9_411, .nietOpgepakt),
            ("Persoon is geen inwoner (meer) in de gemeente", 3_110, .nietOpgepakt),
            ("Vervolghulp en/of verwijzing", 14_137, .contact),
            ("Vervolghulp en/of verwijzing financieel", 1_075, .contact),
            ("Vervolghulp en/of verwijzing niet financieel", 120, .contact),
            ("Verwijzing zonder tussenkomst inwoner", 500, .zonderInwoner),
            ("", 200_975, nil),
        ]
        eindresultaten = WeightedCodes(outcomes.map { ($0.0, $0.1) })
        afhandelingen = outcomes.map(\.2)
        zonderResultaat = outcomes.count - 1

        let partners: [(String, Int, ClosedRange<Int>)] = [
            ("Belastingdienst", 15, 200...4_000),
            ("CAK Eigen bijdrage", 15, 100...1_200),
            ("CAK Zorgverzekeringen", 40, 300...2_500),
            ("Dienst Toeslagen", 10, 300...6_000),
            ("DUO", 10, 200...3_000),
            ("Energie", 200, 100...1_800),
            ("Huur", 230, 400...3_500),
            ("Hypotheek", 20, 1_000...9_000),
            ("Overige", 30, 50...2_000),
            ("Water", 130, 50...450),
            ("Zorg", 300, 150...2_500),
        ]
        signaalpartners = WeightedCodes(partners.map { ($0.0, $0.1) })
        bedragen = partners.map(\.2)

        statusOpgepakt = WeightedCodes([("Opgepakt", 1)]).values[0]
        statusNogNietOpgepakt = WeightedCodes([("Nog niet opgepakt", 1)]).values[0]

        contactsoorten = WeightedCodes([
            ("Administratief", 3), ("Afspraak op locatie", 4), ("Brief", 30), ("Huisbezoek", 14), ("Kaartje", 8),
            ("Mail", 7), ("Onbekend", 1), ("Overige", 2), ("SMS/Whatsapp", 11), ("Telefoon", 20),
        ])
        contactsoortAdministratief = contactsoorten.values[0]
        dagdelen = WeightedCodes([("Ochtend", 40), ("Middag", 50), ("Avond", 10)])
        geslachten = WeightedCodes([("Man", 49), ("Vrouw", 48), ("Onbekend", 2), ("Leeg", 1)])
    }
}
