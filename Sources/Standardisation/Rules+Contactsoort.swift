extension Rule {
    /// The rules of `EnumContactsoort`. A named form of contact (telephone, visit, letter, …)
    /// supersedes the vague ones (`anders`, `contact met derden`, `niet bereikt`); a home visit
    /// supersedes the appointment and the card that belong to it (`huisbezoek op afspraak`,
    /// `huisbezoek, kaartje achtergelaten`). Words after `naar aanleiding van` are the cause of a
    /// contact, not its form (see ``RuleSet/causeLength``).
    static let contactsoort: [Rule] = {
        let lijst = CodeList.contactsoort
        let vague: Set<String> = ["anders", "contact_zonder_vorm", "niet_bereikt"]
        return [
            Rule(
                lijst, "telefoon", "Telefoon",
                any: [
                    "telefoon*|telefonisch*|-telefoonnummer*",
                    "gebeld|bellen|belde|belden|belt|bel|teruggebeld|terugbellen|nagebeld|opgebeld|voicemail|ingesproken",
                ],
                supersedes: vague
            ),
            Rule(
                lijst, "huisbezoek", "Huisbezoek",
                any: [
                    "huisbezoek*|voordeurbezoek*|deurbezoek*", "bezoek aan huis", "aan de deur|voordeur", "thuis bezocht|bezoek|bezoeken",
                ],
                supersedes: vague.union(["afspraak", "kaartje"])
            ),
            Rule(lijst, "brief", "Brief", any: ["brief|brieven|briefje|briefjes|aangetekend*", "per|via post"], supersedes: vague),
            Rule(lijst, "kaartje", "Kaartje", any: ["kaart*|briefkaart*|ansichtkaart*|wenskaart*|-kaartenbak*"], supersedes: vague),
            Rule(lijst, "mail", "Mail", any: ["mail*|gemaild|-mailadres*"], supersedes: vague),
            Rule(
                lijst, "sms_whatsapp", "SMS/Whatsapp", any: ["sms*|gesmst|whatsapp*|gewhatsappt|geappt|appen|appte|tekstbericht*"],
                supersedes: vague
            ),
            Rule(
                lijst, "afspraak", "Afspraak op locatie",
                any: ["afspraak*|afspraken", "op kantoor|locatie", "op het kantoor|gemeentehuis|stadhuis", "spreekuur*|inloopspreekuur*"],
                supersedes: vague
            ),
            Rule(
                lijst, "administratief", "Administratief",
                any: ["administrat*", "bekend bij", "bewindvoering|schuldhulptraject"], supersedes: vague
            ),
            Rule(lijst, "niet_bereikt", "Onbekend", any: ["niet bereikt|bereikbaar", "onbereikbaar"]),
            Rule(lijst, "anders", "Overige", any: ["anders|overig|overige", "flyer*|folder*"]),
            Rule(
                lijst, "contact_zonder_vorm", "Overige",
                any: ["contact met|derde|derden", "neemt|nam contact op", "contact ... naar aanleiding van"]
            ),
        ]
    }()
}
