/// The class of a failed delivery attempt, as people read it.
///
/// The API's JSON keeps the stable code (`signature`, `foreignGemeente`, …) for programs;
/// the report, the pages and the CSV show its Dutch label. A code without a label (a new
/// one, or an old row) is shown as "overige fout" with the code beside it, never dropped.
public enum FoutKlasse {
    /// The Dutch label of each code the delivery engine records.
    public static let labels: [String: String] = [
        "network": "leverancier niet bereikbaar",
        "timeout": "leverancier antwoordde niet op tijd",
        "serverError": "storing bij de leverancier",
        "tooManyRequests": "leverancier vroeg om te vertragen",
        "brokenPage": "pagina onvolledig ontvangen",
        "unauthorized": "inloggegevens geweigerd door de leverancier",
        "forbidden": "toegang geweigerd door de leverancier",
        "notFound": "dienst van de leverancier niet gevonden",
        "unprocessable": "verzoek niet te verwerken voor de leverancier",
        "rejected": "verzoek geweigerd door de leverancier",
        "responseTooLarge": "pagina groter dan toegestaan",
        "fscTokenExpired": "FSC-toegangstoken verlopen",
        "fscUnreachable": "dienst via FSC niet bereikbaar",
        "fscConfiguration": "FSC-configuratiefout",
        "signature": "ondertekening ongeldig",
        "schema": "gegevens niet volgens het uitwisselmodel",
        "foreignGemeente": "gegevens van een andere gemeente",
        "paginering": "paginering klopt niet",
        "validation": "te veel fouten in de gegevens",
        "configuration": "fout in de configuratie",
        "staging": "tijdelijke opslag mislukt",
        "sink": "overdracht aan CBS mislukt",
        "database": "databasefout",
        "internal": "interne fout",
        "cancelled": "afgebroken",
        "consentWithdrawn": "toestemming ingetrokken",
        "lease_verlopen": "verwerking onderbroken",
    ]

    /// The label of `code`.
    public static func label(_ code: String) -> String {
        labels[code] ?? "overige fout (\(code))"
    }
}
