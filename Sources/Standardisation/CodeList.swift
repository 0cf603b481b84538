/// A code list of the exchange models: the fields whose value must be one of a fixed set
/// (`EnumEindresultaat`, `EnumContactsoort`, … in the JSON Schemas).
public enum CodeList: String, Sendable, Hashable, CaseIterable, Codable {
    /// `EnumEindresultaat` (VS v1.2): the outcome of a vroegsignaalzaak.
    case eindresultaat
    /// `EnumContactsoort` (VS v1.2): the form of a contact attempt.
    case contactsoort
    /// `EnumSignaalpartner` (VS v1.2): the creditor that sent a signal.
    case signaalpartner
    /// `EnumSignaalstatus` (VS v1.2): what became of a signal.
    case signaalstatus
    /// `EnumBegeleidingssoort` (SHV v1.0).
    case begeleidingssoort
    /// `EnumUitstroomreden` (SHV v1.0).
    case uitstroomreden
    /// `EnumSchuldensoort` (SHV v1.0).
    case schuldensoort
    /// `EnumOplossingssoort` (SHV v1.0).
    case oplossingssoort
    /// `EnumBeschikkingssoort` (SHV v1.0).
    case beschikkingssoort

    /// The values the schema allows, exactly as spelled there and in the schema's order.
    public var officialValues: [String] {
        switch self {
        case .eindresultaat:
            [
                "(Budget)advies en/of quick fix", "Definitief geen contact kunnen krijgen", "Geen reactie na eerder contact",
                "Inwoner al bekend bij schuldhulpverlening", "Inwoner heeft al een ander lopend traject",
                "Inwoner heeft zelf al betaald/betalingsregeling getroffen", "Inwoner is overleden",
                "Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering", "Niet opgepakt: andere reden",
                "Niet opgepakt: herhaalde melding", "Niet opgepakt: onterecht signaal", "Persoon is geen inwoner (meer) in de gemeente",
                "Vervolghulp en/of verwijzing", "Vervolghulp en/of verwijzing financieel", "Vervolghulp en/of verwijzing niet financieel",
                "Verwijzing zonder tussenkomst inwoner",
            ]
        case .contactsoort:
            [
                "Administratief", "Afspraak op locatie", "Brief", "Huisbezoek", "Kaartje", "Mail", "Onbekend", "Overige", "SMS/Whatsapp",
                "Telefoon",
            ]
        case .signaalpartner:
            [
                "Belastingdienst", "CAK Eigen bijdrage", "CAK Zorgverzekeringen", "Dienst Toeslagen", "DUO", "Energie", "Huur", "Hypotheek",
                "Overige", "Water", "Zorg",
            ]
        case .signaalstatus:
            [
                "Inwoner al bekend bij schuldhulpverlening", "Inwoner is overleden", "Niet opgepakt: andere reden",
                "Niet opgepakt: herhaalde melding", "Niet opgepakt: onterecht signaal", "Nog niet opgepakt", "Opgepakt",
                "Persoon is geen inwoner (meer) in de gemeente",
            ]
        case .begeleidingssoort:
            ["Budgetcoaching", "Budgetbeheer", "Beschermingsbewind", "Lange Termijn Begeleiding (DFD)", "Budgetbegeleiding"]
        case .uitstroomreden:
            ["Overleden", "Verhuisd", "Nietverschenen", "Ingetrokken", "Niet passend", "Overig", "Voldoet niet", "Afgerond", "Zelf"]
        case .schuldensoort:
            ["Zorg", "Publiek", "Nuts", "Overig"]
        case .oplossingssoort:
            ["Betalingsregeling", "Herfinanciering", "Saneringskrediet", "Schuldbemiddeling", "0%-aanbod"]
        case .beschikkingssoort:
            ["Afwijzingsbeschikking", "Toelatingsbeschikking"]
        }
    }

    /// The exchange the list belongs to: `VS` (vroegsignalering, v1.2) or `SHV` (schuldhulpverlening, v1.0).
    public var stream: String {
        switch self {
        case .eindresultaat, .contactsoort, .signaalpartner, .signaalstatus: "VS"
        case .begeleidingssoort, .uitstroomreden, .schuldensoort, .oplossingssoort, .beschikkingssoort: "SHV"
        }
    }

    /// Whether a table entry may map a text of this list to `waarde`: an official value
    /// (exact spelling) or `ONBEKEND` (a human decided the text cannot be mapped).
    public func accepts(_ waarde: String) -> Bool {
        waarde == StandardisedValue.onbekend || officialValues.contains(waarde)
    }
}
