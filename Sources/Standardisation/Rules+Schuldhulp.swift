extension Rule {
    /// The rules of `EnumBegeleidingssoort`: the official words and their inflections.
    static let begeleidingssoort: [Rule] = {
        let lijst = CodeList.begeleidingssoort
        return [
            Rule(lijst, "budgetcoaching", "Budgetcoaching", any: ["budgetcoach*"]),
            Rule(lijst, "budgetbeheer", "Budgetbeheer", any: ["budgetbeheer*"]),
            Rule(lijst, "beschermingsbewind", "Beschermingsbewind", any: ["beschermingsbewind*|bewindvoering|bewindvoerder"]),
            Rule(
                lijst, "lange_termijn_begeleiding", "Lange Termijn Begeleiding (DFD)",
                any: ["lange|langere termijn begeleiding", "ltb", "dfd"]),
            Rule(lijst, "budgetbegeleiding", "Budgetbegeleiding", any: ["budgetbegeleid*"]),
        ]
    }()

    /// The rules of `EnumUitstroomreden`.
    static let uitstroomreden: [Rule] = {
        let lijst = CodeList.uitstroomreden
        return [
            Rule(lijst, "overleden", "Overleden", any: Vocabulary.overleden),
            Rule(lijst, "verhuisd", "Verhuisd", any: ["verhuisd|verhuizing|vertrokken"]),
            Rule(lijst, "niet_verschenen", "Nietverschenen", any: ["niet verschenen|gekomen", "no show"]),
            Rule(lijst, "ingetrokken", "Ingetrokken", any: ["ingetrokken|intrekking|teruggetrokken"]),
            Rule(lijst, "niet_passend", "Niet passend", any: ["niet passend"]),
            Rule(lijst, "voldoet_niet", "Voldoet niet", any: ["voldoet|voldeed niet"]),
            Rule(lijst, "afgerond", "Afgerond", any: ["afgerond|afronding"]),
            Rule(lijst, "zelf", "Zelf", any: ["zelf gestopt|beeindigd|afgehaakt", "op eigen verzoek"]),
            Rule(lijst, "overig", "Overig", any: ["overig|overige|anders"]),
        ]
    }()

    /// The rules of `EnumSchuldensoort`: the kind of creditor.
    static let schuldensoort: [Rule] = {
        let lijst = CodeList.schuldensoort
        return [
            Rule(lijst, "zorg", "Zorg", any: ["zorg|zorgverzeker*|zorgkosten|cak|ziekenhuis*|tandarts*"]),
            Rule(
                lijst, "publiek", "Publiek",
                any: ["publiek*|belastingdienst|belasting*|toeslag*|cjib|duo|uwv|svb|gemeente*|waterschap*|overheid*"]
            ),
            Rule(lijst, "nuts", "Nuts", any: ["nuts*|energie*|drinkwater|water|gas|stroom"]),
            Rule(lijst, "overig", "Overig", any: ["overig|overige|anders"]),
        ]
    }()

    /// The rules of `EnumOplossingssoort`.
    static let oplossingssoort: [Rule] = {
        let lijst = CodeList.oplossingssoort
        return [
            Rule(lijst, "betalingsregeling", "Betalingsregeling", any: ["betalingsregeling*|betaalregeling*"]),
            Rule(lijst, "herfinanciering", "Herfinanciering", any: ["herfinanc*"]),
            Rule(lijst, "saneringskrediet", "Saneringskrediet", any: ["saneringskrediet*"]),
            Rule(lijst, "schuldbemiddeling", "Schuldbemiddeling", any: ["schuldbemiddeling*"]),
            Rule(lijst, "nul_procent_aanbod", "0%-aanbod", any: ["0 aanbod", "0 procent|procents aanbod", "nul procent*"]),
        ]
    }()

    /// The rules of `EnumBeschikkingssoort`.
    static let beschikkingssoort: [Rule] = {
        let lijst = CodeList.beschikkingssoort
        return [
            Rule(lijst, "afwijzing", "Afwijzingsbeschikking", any: ["afwijzing*|afgewezen|afwijzend*"]),
            Rule(lijst, "toelating", "Toelatingsbeschikking", any: ["toelating*|toegelaten"]),
        ]
    }()
}
