/// Word lists that several rules share (normalised forms: lower case, no accents).
enum Vocabulary {
    /// Schuldhulpverlening itself (`shv` is written out by the normalisation).
    static let schuldhulp =
        "schuldhulpverlening|schuldhulp|schuldhulptraject|schuldhulpverlener|schuldsanering|schuldbemiddeling|wsnp|kredietbank"
    /// Words of a referral.
    static let verwijzing = "verwijz*|verwez*|doorverw*|vervolghulp|overdracht|overgedragen|doorgeleid|doorgezet"
    /// Financial destinations of a referral.
    static let financieel =
        "financieel|financiele|\(schuldhulp)|geldloket|budgetcoach*|budgetbeheer*|budgetbegeleiding|bewind*|beschermingsbewind*|thuisadministratie"
    /// Non-financial destinations of a referral.
    static let nietFinancieel = [
        "niet financieel|financiele", "maatschappelijk|maatschappelijke werk|partner|partners", "wijkteam*|gebiedsteam*|ggz|jeugdhulp",
        "sociaal team|wijkteam", "verslavingszorg|welzijn*",
    ]
    /// Death.
    static let overleden = ["overleden|overlijden|gestorven"]
    /// No longer living in the gemeente.
    static let geenInwoner = [
        "geen inwoner", "niet meer|langer woonachtig|wonend", "niet woonachtig", "woont niet meer|langer",
        "verhuisd|vertrokken naar|buiten",
        "vertrokken", "buiten de gemeente", "andere gemeente", "buitenland", "geemigreerd|emigratie", "onbekend waarheen", "uitgeschreven",
    ]
    /// A signal that repeats an earlier one.
    static let herhaald = [
        "herhaal*|herhaling", "dubbel*", "eerder gemeld|gesignaleerd|ontvangen", "eerdere melding|signaal", "zelfde melding|signaal",
    ]
    /// A signal that should not have been sent.
    static let onterecht = ["onterecht*", "ten onrechte", "onjuist*|foutie*|foute|vals|valse signaal|melding"]
    /// Known at schuldhulpverlening already.
    static let alBekendSchuldhulp = [
        "bekend|gemeld|loopt|lopend|lopende|zit|zat ... \(schuldhulp)", "al|reeds in \(schuldhulp)",
    ]
    /// Not taken up.
    static let nietOpgepakt = ["niet opgepakt", "niet in behandeling", "brp uitsluiting|uitgesloten"]
}

extension Rule {
    /// The rules of `EnumEindresultaat`. Specific outcomes supersede the bare `niet opgepakt`;
    /// a financial or non-financial referral supersedes a bare referral; `al betaald` supersedes
    /// `geen hulp` (it says why no help is needed).
    static let eindresultaat: [Rule] = {
        let lijst = CodeList.eindresultaat
        let noContact: Set<String> = ["geen_contact", "na_eerder_contact", "niet_opgepakt"]
        return [
            Rule(lijst, "overleden", "Inwoner is overleden", any: Vocabulary.overleden, supersedes: noContact),
            Rule(
                lijst, "geen_inwoner", "Persoon is geen inwoner (meer) in de gemeente", any: Vocabulary.geenInwoner, supersedes: noContact),
            Rule(lijst, "herhaalde_melding", "Niet opgepakt: herhaalde melding", any: Vocabulary.herhaald, supersedes: ["niet_opgepakt"]),
            Rule(lijst, "onterecht_signaal", "Niet opgepakt: onterecht signaal", any: Vocabulary.onterecht, supersedes: ["niet_opgepakt"]),
            Rule(lijst, "niet_opgepakt", "Niet opgepakt: andere reden", any: Vocabulary.nietOpgepakt, unless: ["nog niet opgepakt"]),
            Rule(
                lijst, "geen_contact", "Definitief geen contact kunnen krijgen",
                any: [
                    "geen contact", "nooit contact", "niet bereikt|bereikbaar|gesproken", "onbereikbaar", "geen gehoor", "geen reactie",
                    "reageert niet", "niet gereageerd", "niet te bereiken", "contact niet gelukt|mogelijk",
                ]
            ),
            Rule(
                lijst, "na_eerder_contact", "Geen reactie na eerder contact",
                any: [
                    "na eerder|eerste contact|gesprek", "geen reactie|contact meer", "reageert niet meer", "niet meer gereageerd",
                    "contact verloren|verbroken",
                ],
                supersedes: ["geen_contact"]
            ),
            Rule(
                lijst, "wil_geen_contact", "Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering",
                any: ["wil|wenst geen contact", "weigert contact", "contact geweigerd"], supersedes: ["geen_contact", "niet_opgepakt"]
            ),
            Rule(
                lijst, "geen_hulp", "Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering",
                any: [
                    "geen hulp*|behoefte|ondersteuning|interesse", "wil|wenst|accepteert|hoeft geen", "weigert|geweigerd", "niet nodig",
                    "zelf ... oplossen|regelen|regelt|oppakken", "zelf ... op te lossen|pakken", "regelt|lost ... zelf", "nakijken",
                ],
                supersedes: ["niet_opgepakt"]
            ),
            Rule(
                lijst, "betaald", "Inwoner heeft zelf al betaald/betalingsregeling getroffen",
                any: [
                    "betaald|afbetaald|terugbetaald|voldaan|afgelost",
                    "betalingsregeling|betaalregeling|regeling ... getroffen|afgesproken|afgesloten|gemaakt|geregeld|opgesteld",
                    "heeft ... betalingsregeling|betaalregeling",
                ],
                supersedes: ["geen_hulp", "niet_opgepakt"]
            ),
            Rule(
                lijst, "al_bekend_schuldhulp", "Inwoner al bekend bij schuldhulpverlening", any: Vocabulary.alBekendSchuldhulp,
                supersedes: ["lopend_traject", "geen_hulp", "niet_opgepakt"]
            ),
            Rule(
                lijst, "lopend_traject", "Inwoner heeft al een ander lopend traject",
                any: [
                    "bewind*|beschermingsbewind*|budgetbeheer*", "lopend*|ander|andere traject|hulp*|begeleiding",
                    "al|reeds traject|hulp|hulpverlening|begeleiding",
                    "al|reeds een|ander|andere traject|hulpverlener|begeleider|instantie", "hulp van derden", "bekend bij", "intern bekend",
                    "al|reeds bekend",
                ],
                supersedes: ["geen_hulp", "niet_opgepakt"]
            ),
            Rule(
                lijst, "verwijzing", "Vervolghulp en/of verwijzing",
                any: [
                    Vocabulary.verwijzing, "aangemeld bij|voor", "accepteert ... hulp*|aanbod|\(Vocabulary.schuldhulp)",
                    "hulp* geaccepteerd",
                ]
            ),
            Rule(
                lijst, "verwijzing_financieel", "Vervolghulp en/of verwijzing financieel",
                any: [Vocabulary.verwijzing, "aangemeld bij|voor"],
                all: [[Vocabulary.financieel]], supersedes: ["verwijzing", "lopend_traject"]
            ),
            Rule(
                lijst, "verwijzing_niet_financieel", "Vervolghulp en/of verwijzing niet financieel",
                any: [Vocabulary.verwijzing, "aangemeld bij|voor"], all: [Vocabulary.nietFinancieel],
                supersedes: ["verwijzing", "lopend_traject"]
            ),
            Rule(
                lijst, "zonder_tussenkomst", "Verwijzing zonder tussenkomst inwoner",
                any: ["zonder tussenkomst", "buiten ... inwoner|client|klant om"],
                supersedes: ["verwijzing", "verwijzing_financieel", "verwijzing_niet_financieel"]
            ),
            Rule(
                lijst, "verwijzing_zonder_inwoner", "Verwijzing zonder tussenkomst inwoner", any: [Vocabulary.verwijzing],
                all: [["zonder ... inwoner|client|klant"]],
                supersedes: ["verwijzing", "verwijzing_financieel", "verwijzing_niet_financieel", "geen_contact"]
            ),
            Rule(
                lijst, "advies", "(Budget)advies en/of quick fix",
                any: [
                    "advies*|adviez*|geadviseerd|adviseren|budgetadvie*", "quick fix", "quickfix", "tips",
                    "informatie|info ... gegeven|verstrekt|gestuurd|verstuurd", "voorzien van informatie|info", "helpen|geholpen met|bij",
                ]
            ),
        ]
    }()
}
