import DDASExchange

/// Hand-built payloads that satisfy the shipped schemas. No real people: role names and
/// made-up numbers only.
enum DDASFixtures {
    /// A valid VS `gegevens` (Uitwisselmodel v1.2): one levering for gemeente 0363 with two
    /// vroegsignalen (one client by BSN, one by address) and one vroegsignaalzaak.
    static let vroegsignalering: JSONValue = [
        "startdatumLevering": "2026-01-01",
        "einddatumLevering": "2026-03-31",
        "aanleverdatumEnTijd": "2026-04-02T08:15:00Z",
        "codeGegevensleverancier": "SIM",
        "leveringen": [
            [
                "teller": 1,
                "gemeentecode": "0363",
                "aanleverendeOrganisatie": [
                    "naam": "Gemeente Voorbeeld",
                    "kvk-nummer": "12345678",
                    "contactpersonen": [
                        [
                            "naam": "Team Vroegsignalering", "telefoonnummer": "0201234567",
                            "email": "vroegsignalering@voorbeeld.nl", "functietitel": "Coördinator",
                        ]
                    ],
                ],
                "vroegsignalen": [
                    [
                        "ID": "VS-1", "crisissignaal": false, "warmeOverdracht": false, "bedrag": 250,
                        "ontstaansdatum": "2025-12-01", "signaaldatum": "2026-01-05", "status": "Opgepakt",
                        "signaalpartner": ["type": "Energie"], "client": ["burgerservicenummer": "111222333"],
                    ],
                    [
                        "ID": "VS-2", "crisissignaal": true, "bedrag": 1200, "signaaldatum": "2026-02-27",
                        "status": "Nog niet opgepakt", "signaalpartner": ["type": "CAK Zorgverzekeringen"],
                        "client": [
                            "postcode": "1011AB", "huisnummer": "12", "huisnummertoevoeging": "A",
                            "geboortedatum": "1980-02-29", "geslachtsaanduiding": "Vrouw",
                        ],
                    ],
                ],
                "vroegsignaalzaken": [
                    [
                        "resultaat": "Vervolghulp en/of verwijzing financieel", "matchingsdatum": "2026-01-10",
                        "startdatumMatchingperiode": "2026-01-01", "einddatumMatchingperiode": "2026-01-31",
                        "datumOpgepakt": "2026-01-12", "vroegsignalen": [["ID": "VS-1"], ["ID": "VS-2"]],
                        "contactpogingen": [
                            ["soort": "Brief", "bereikt": false, "datum": "2026-01-13", "dagdeel": "Ochtend"],
                            ["soort": "SMS/Whatsapp", "bereikt": true, "datum": "2026-01-20", "dagdeel": "Avond"],
                        ],
                    ]
                ],
            ]
        ],
    ]

    /// A valid SHV `gegevens` (Uitwisselmodel v1.0): one levering by a kredietbank with two
    /// schuldhulptrajecten of gemeente 0363.
    static let schuldhulpverlening: JSONValue = [
        "startdatumLevering": "2026-01-01",
        "einddatumLevering": "2026-06-30",
        "aanleverdatumEnTijd": "2026-07-01T06:00:00+02:00",
        "codeGegevensleverancier": "SIM",
        "leveringen": [
            [
                "teller": 1,
                "aanleverende_organisatie": [
                    "(Statutaire) Naam": "Kredietbank Voorbeeld", "KvK-nummer": "87654321", "postcode": "1011AB",
                    "contactpersonen": [["email": "shv@voorbeeld.nl", "functietitel": "Teamleider"]],
                ],
                "schuldhulptrajecten": [
                    [
                        "gemeentecode": "0363", "startdatum": "2026-01-15", "totaalSchuldbedragBijAanvangSchuld": 12000,
                        "aanmelding": ["crisisinterventie": false, "startdatum": "2026-01-10"],
                        "client": [["Burgerservicenummer": "111222333", "Geboortedatum": "1975-06-01"]],
                        "intake": ["beschikkingssoort": "Toelatingsbeschikking", "startdatum": "2026-01-20"],
                        "schulden": [
                            [
                                "bedrag": 5000, "schuldsoort": "Zorg", "zakelijkeSchuld": false,
                                "schuldeiser": ["naam": "Zorgverzekeraar", "privepersoon": false],
                            ]
                        ],
                        "begeleiding": [["soort": "Budgetbeheer", "startdatum": "2026-02-01"]],
                        "oplossing": ["soort": "Schuldbemiddeling", "vtlb": 1400],
                        "uitstroom": ["reden": "Afgerond", "datum": "2026-06-01"],
                    ],
                    ["gemeentecode": "GM0363", "client": [["Postcode": "1011AB", "Huisnummer": "3"]]],
                ],
            ]
        ],
    ]

    /// A response body around `gegevens`, with `paginering` when given.
    static func response(_ gegevens: JSONValue, paginering: JSONValue? = nil) -> [UInt8] {
        var members: [JSONObject.Member] = [.init(key: "gegevens", value: gegevens)]
        if let paginering { members.append(.init(key: "paginering", value: paginering)) }
        return JSONValue.object(JSONObject(members)!).jsonBytes()
    }

    /// Every string value in a document: none may show up in a report.
    static func strings(in value: JSONValue) -> [String] {
        switch value {
        case .string(let text): [text]
        case .array(let elements): elements.flatMap(strings)
        case .object(let object): object.members.flatMap { strings(in: $0.value) }
        default: []
        }
    }
}
