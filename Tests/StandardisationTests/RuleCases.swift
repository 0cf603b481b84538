import Standardisation
import Testing

/// One rule, a text it must explain and a near miss it must not fire on.
struct RuleCase: Sendable, CustomTestStringConvertible {
    let lijst: CodeList
    let name: String
    let positive: String
    let negative: String
    var id: String { "regel.\(lijst.rawValue).\(name)" }
    var testDescription: String { id }

    init(_ lijst: CodeList, _ name: String, _ positive: String, not negative: String) {
        self.lijst = lijst
        self.name = name
        self.positive = positive
        self.negative = negative
    }

    /// A case for every rule of every list.
    static let all: [RuleCase] = eindresultaat + contactsoort + signalen + schuldhulp

    static let eindresultaat: [RuleCase] = [
        RuleCase(.eindresultaat, "overleden", "cliënt is vorige week overleden", not: "inwoner niet overleden maar in het buitenland"),
        RuleCase(.eindresultaat, "geen_inwoner", "persoon niet meer woonachtig hier", not: "inwoner woont hier nog"),
        RuleCase(.eindresultaat, "herhaalde_melding", "signaal is een herhaling", not: "melding opgepakt"),
        RuleCase(.eindresultaat, "onterecht_signaal", "signaal ten onrechte verstuurd", not: "terecht signaal"),
        RuleCase(.eindresultaat, "niet_opgepakt", "melding niet opgepakt i.v.m. vakantie", not: "nog niet opgepakt"),
        RuleCase(.eindresultaat, "geen_contact", "nooit contact kunnen krijgen met inwoner", not: "contact gehad met inwoner"),
        RuleCase(.eindresultaat, "na_eerder_contact", "eerst gesproken, daarna geen reactie meer", not: "geen reactie"),
        RuleCase(.eindresultaat, "wil_geen_contact", "inwoner wenst geen contact", not: "inwoner wil contact"),
        RuleCase(.eindresultaat, "geen_hulp", "heeft geen behoefte aan ondersteuning", not: "inwoner wil hulp"),
        RuleCase(.eindresultaat, "betaald", "schuld is volledig afbetaald", not: "nog niet betaald"),
        RuleCase(.eindresultaat, "al_bekend_schuldhulp", "zat al in de schuldsanering", not: "niet bekend bij schuldhulpverlening"),
        RuleCase(.eindresultaat, "lopend_traject", "onder beschermingsbewind", not: "wil geen bewindvoering"),
        RuleCase(.eindresultaat, "verwijzing", "doorverwezen naar de huisarts", not: "geen verwijzing nodig"),
        RuleCase(.eindresultaat, "verwijzing_financieel", "doorverwijzing budgetbeheer", not: "verwijzing niet financieel"),
        RuleCase(.eindresultaat, "verwijzing_niet_financieel", "verwezen naar ggz", not: "verwijzing financieel"),
        RuleCase(
            .eindresultaat, "zonder_tussenkomst", "overdracht zonder tussenkomst van inwoner", not: "overdracht met tussenkomst van inwoner"
        ),
        RuleCase(.eindresultaat, "verwijzing_zonder_inwoner", "doorgezet zonder de klant", not: "doorgezet met de klant"),
        RuleCase(.eindresultaat, "advies", "inwoner geadviseerd over toeslagen", not: "geen advies gegeven"),
    ]

    static let contactsoort: [RuleCase] = [
        RuleCase(.contactsoort, "telefoon", "inwoner teruggebeld", not: "telefoonnummer onbekend"),
        RuleCase(.contactsoort, "huisbezoek", "twee huisbezoeken gedaan", not: "bezoek gepland"),
        RuleCase(.contactsoort, "brief", "brieven verstuurd", not: "briefadres"),
        RuleCase(.contactsoort, "kaartje", "kaartjes gestuurd", not: "kaartenbak bijgewerkt"),
        RuleCase(.contactsoort, "mail", "inwoner gemaild", not: "mailadres onbekend"),
        RuleCase(.contactsoort, "sms_whatsapp", "smsje gestuurd", not: "geen sms gestuurd"),
        RuleCase(.contactsoort, "afspraak", "afspraak op het stadhuis", not: "langs geweest zonder afspraak"),
        RuleCase(.contactsoort, "administratief", "administratieve controle", not: "niet bekend bij ons"),
        RuleCase(.contactsoort, "niet_bereikt", "inwoner onbereikbaar", not: "inwoner bereikt"),
        RuleCase(.contactsoort, "anders", "overig", not: "andere vorm"),
        RuleCase(.contactsoort, "contact_zonder_vorm", "contact met de verhuurder", not: "geen contact met de verhuurder"),
    ]

    static let signalen: [RuleCase] = [
        RuleCase(.signaalpartner, "belastingdienst", "aanslag belastingdienst", not: "gemeentelijke belastingen"),
        RuleCase(.signaalpartner, "cak_eigen_bijdrage", "eigen bijdrage wmo", not: "bijdrage"),
        RuleCase(.signaalpartner, "cak_zorgverzekeringen", "wanbetalersregeling", not: "cak"),
        RuleCase(.signaalpartner, "cak_zorgverzekering", "cak zorgverzekering", not: "zorgverzekeraar"),
        RuleCase(.signaalpartner, "toeslagen", "terugvordering huurtoeslag", not: "belastingdienst"),
        RuleCase(.signaalpartner, "duo", "studieschuld", not: "studio"),
        RuleCase(.signaalpartner, "energie", "energieleverancier", not: "water"),
        RuleCase(.signaalpartner, "huur", "huurachterstand", not: "huurtoeslag"),
        RuleCase(.signaalpartner, "hypotheek", "hypotheekachterstand", not: "huur"),
        RuleCase(.signaalpartner, "water", "vitens", not: "waterschap"),
        RuleCase(.signaalpartner, "zorg", "zorgverzekeraar", not: "zorgtoeslag"),
        RuleCase(.signaalpartner, "overige", "anders", not: "onbekend"),
        RuleCase(.signaalstatus, "opgepakt", "in behandeling", not: "niet opgepakt"),
        RuleCase(.signaalstatus, "nog_niet_opgepakt", "nog te behandelen", not: "opgepakt"),
        RuleCase(.signaalstatus, "niet_opgepakt", "niet opgepakt", not: "opgepakt"),
        RuleCase(.signaalstatus, "herhaalde_melding", "dubbel signaal", not: "signaal"),
        RuleCase(.signaalstatus, "onterecht_signaal", "onterecht", not: "terecht"),
        RuleCase(.signaalstatus, "overleden", "overleden", not: "overleg"),
        RuleCase(.signaalstatus, "geen_inwoner", "vertrokken naar het buitenland", not: "inwoner"),
        RuleCase(.signaalstatus, "al_bekend_schuldhulp", "bekend bij schuldhulp", not: "onbekend"),
    ]

    static let schuldhulp: [RuleCase] = [
        RuleCase(.begeleidingssoort, "budgetcoaching", "budgetcoach", not: "budget"),
        RuleCase(.begeleidingssoort, "budgetbeheer", "budgetbeheerder", not: "beheer"),
        RuleCase(.begeleidingssoort, "beschermingsbewind", "bewindvoering", not: "bewind"),
        RuleCase(.begeleidingssoort, "lange_termijn_begeleiding", "LTB", not: "lange wachttijd"),
        RuleCase(.begeleidingssoort, "budgetbegeleiding", "budgetbegeleider", not: "begeleiding"),
        RuleCase(.uitstroomreden, "overleden", "overlijden", not: "leven"),
        RuleCase(.uitstroomreden, "verhuisd", "verhuizing", not: "huis"),
        RuleCase(.uitstroomreden, "niet_verschenen", "niet gekomen", not: "verschenen"),
        RuleCase(.uitstroomreden, "ingetrokken", "aanvraag ingetrokken", not: "aanvraag"),
        RuleCase(.uitstroomreden, "niet_passend", "traject niet passend", not: "passend"),
        RuleCase(.uitstroomreden, "voldoet_niet", "voldeed niet aan voorwaarden", not: "voldoet"),
        RuleCase(.uitstroomreden, "afgerond", "traject afgerond", not: "traject"),
        RuleCase(.uitstroomreden, "zelf", "zelf gestopt", not: "zelf"),
        RuleCase(.uitstroomreden, "overig", "anders", not: "onbekend"),
        RuleCase(.schuldensoort, "zorg", "ziekenhuisrekening", not: "zorgtoeslag"),
        RuleCase(.schuldensoort, "publiek", "cjib", not: "prive"),
        RuleCase(.schuldensoort, "nuts", "energierekening", not: "huur"),
        RuleCase(.schuldensoort, "overig", "overige", not: "over"),
        RuleCase(.oplossingssoort, "betalingsregeling", "betaalregeling", not: "regeling"),
        RuleCase(.oplossingssoort, "herfinanciering", "herfinanciering via de kredietbank", not: "financiering"),
        RuleCase(.oplossingssoort, "saneringskrediet", "saneringskredieten", not: "krediet"),
        RuleCase(.oplossingssoort, "schuldbemiddeling", "schuldbemiddelingstraject", not: "bemiddeling"),
        RuleCase(.oplossingssoort, "nul_procent_aanbod", "nul procent aanbod", not: "aanbod"),
        RuleCase(.beschikkingssoort, "afwijzing", "aanvraag afgewezen", not: "wijziging"),
        RuleCase(.beschikkingssoort, "toelating", "toegelaten tot traject", not: "toegang"),
    ]
}
