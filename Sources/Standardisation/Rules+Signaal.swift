extension Rule {
    /// The rules of `EnumSignaalpartner`: the creditor's name or its kind of debt. `CAK` alone says
    /// nothing (two CAK values exist) and stays `ONBEKEND`; `toeslag` supersedes `belastingdienst`,
    /// `huur` and `zorg` (`huurtoeslag`, `Belastingdienst/Toeslagen`).
    static let signaalpartner: [Rule] = {
        let lijst = CodeList.signaalpartner
        return [
            Rule(lijst, "belastingdienst", "Belastingdienst", any: ["belastingdienst|rijksbelasting*|inkomstenbelasting"]),
            Rule(lijst, "cak_eigen_bijdrage", "CAK Eigen bijdrage", any: ["eigen bijdrage*", "eigenbijdrage*"]),
            Rule(
                lijst, "cak_zorgverzekeringen", "CAK Zorgverzekeringen", any: ["wanbetaler*", "bestuursrechtelijk* premie*"],
                supersedes: ["zorg"]
            ),
            Rule(
                lijst, "cak_zorgverzekering", "CAK Zorgverzekeringen", any: ["cak"], all: [["zorgverzeker*|premie*|zvw"]],
                supersedes: ["zorg"]
            ),
            Rule(
                lijst, "toeslagen", "Dienst Toeslagen",
                any: ["toeslag*|huurtoeslag*|zorgtoeslag*|kinderopvangtoeslag*", "kindgebonden budget"],
                supersedes: ["belastingdienst", "huur", "zorg"]
            ),
            Rule(lijst, "duo", "DUO", any: ["duo|studiefinanciering|studieschuld*|studielening*", "dienst uitvoering onderwijs"]),
            Rule(
                lijst, "energie", "Energie",
                any: ["energie*|gas|stroom|elektra|elektriciteit*|eneco|essent|vattenfall|nuon|greenchoice"]
            ),
            Rule(
                lijst, "huur", "Huur",
                any: ["huur*|verhuur*|-huurtoeslag*", "woningcorporatie*|woningbouw*|woonstichting*|woningstichting*|corporatie"]
            ),
            Rule(lijst, "hypotheek", "Hypotheek", any: ["hypothe*"]),
            Rule(
                lijst, "water", "Water", any: ["water|drinkwater|waterbedrijf*|waterleiding*|vitens|evides|dunea|waternet|oasen"]
            ),
            Rule(
                lijst, "zorg", "Zorg",
                any: ["zorg|zorgverzeker*|zorgkosten|menzis|vgz|cz|dsw|ohra", "zilveren kruis"]
            ),
            Rule(lijst, "overige", "Overige", any: ["overig|overige|anders"]),
        ]
    }()

    /// The rules of `EnumSignaalstatus`. Every specific reason supersedes the bare `niet
    /// opgepakt`, and `nog niet opgepakt` is its own status.
    static let signaalstatus: [Rule] = {
        let lijst = CodeList.signaalstatus
        return [
            Rule(lijst, "opgepakt", "Opgepakt", any: ["opgepakt|opgepakte", "in behandeling"]),
            Rule(
                lijst, "nog_niet_opgepakt", "Nog niet opgepakt",
                any: ["nog niet opgepakt|behandeld", "nog niet in behandeling", "nog te behandelen|oppakken", "nieuw|nieuwe"],
                supersedes: ["niet_opgepakt"]
            ),
            Rule(lijst, "niet_opgepakt", "Niet opgepakt: andere reden", any: Vocabulary.nietOpgepakt),
            Rule(lijst, "herhaalde_melding", "Niet opgepakt: herhaalde melding", any: Vocabulary.herhaald, supersedes: ["niet_opgepakt"]),
            Rule(lijst, "onterecht_signaal", "Niet opgepakt: onterecht signaal", any: Vocabulary.onterecht, supersedes: ["niet_opgepakt"]),
            Rule(lijst, "overleden", "Inwoner is overleden", any: Vocabulary.overleden, supersedes: ["niet_opgepakt"]),
            Rule(
                lijst, "geen_inwoner", "Persoon is geen inwoner (meer) in de gemeente", any: Vocabulary.geenInwoner,
                supersedes: ["niet_opgepakt"]
            ),
            Rule(
                lijst, "al_bekend_schuldhulp", "Inwoner al bekend bij schuldhulpverlening", any: Vocabulary.alBekendSchuldhulp,
                supersedes: ["niet_opgepakt"]
            ),
        ]
    }()
}
