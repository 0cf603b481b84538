/// How much a finding weighs: an error counts towards the share of records that decides
/// whether a delivery is handed over; a warning only shows on the op-orde-rapport.
public enum KwaliteitSeverity: String, Sendable, Hashable, Codable, CaseIterable {
    case error = "fout"
    case warning = "waarschuwing"
}

/// One semantic check of the exchange data, beyond its JSON Schema: a stable code, a
/// severity and the Dutch description the op-orde-rapport shows.
public struct KwaliteitCheck: Sendable, Hashable, Identifiable {
    /// A stable code: `bsn_elfproef`, `postcode_vorm`, ….
    public let code: String
    /// Error or warning.
    public let severity: KwaliteitSeverity
    /// What the check finds, in Dutch, for the report.
    public let omschrijving: String
    /// The streams whose data the check applies to.
    public let streams: Set<ExchangeStroom>

    public var id: String { code }

    init(_ code: String, _ severity: KwaliteitSeverity, _ streams: Set<ExchangeStroom>, _ omschrijving: String) {
        self.code = code
        self.severity = severity
        self.streams = streams
        self.omschrijving = omschrijving
    }
}

extension KwaliteitCheck {
    /// A record breaks the exchange model other than by a code-list value.
    public static let schema = KwaliteitCheck(
        "schema", .error, [.vroegsignalering, .schuldhulpverlening],
        "Het record voldoet niet aan het uitwisselmodel: een verplicht veld ontbreekt, of een veld heeft een verkeerd type of een verkeerde vorm."
    )
    /// A code-list field holds a value outside the official list.
    public static let codeList = KwaliteitCheck(
        "codelijst", .error, [.vroegsignalering, .schuldhulpverlening],
        "Een veld met een codelijst bevat een waarde die niet in de officiële lijst staat.")
    /// A BSN fails the elfproef.
    public static let bsn = KwaliteitCheck(
        "bsn_elfproef", .error, [.vroegsignalering, .schuldhulpverlening],
        "Het burgerservicenummer bestaat niet uit negen cijfers die voldoen aan de elfproef.")
    /// A postcode is not of the form `1234AB`.
    public static let postcode = KwaliteitCheck(
        "postcode_vorm", .error, [.vroegsignalering, .schuldhulpverlening],
        "De postcode heeft niet de vorm 1234AB (vier cijfers, niet beginnend met 0, en twee hoofdletters).")
    /// A house number is not a positive whole number.
    public static let huisnummer = KwaliteitCheck(
        "huisnummer_ongeldig", .error, [.vroegsignalering, .schuldhulpverlening],
        "Het huisnummer is geen positief geheel getal van ten hoogste vijf cijfers.")
    /// A date that is not a date at all (where the model leaves its form open).
    public static let dateForm = KwaliteitCheck(
        "datum_vorm", .error, [.schuldhulpverlening], "Een datum heeft niet de vorm JJJJ-MM-DD of bestaat niet.")
    /// A date before 1900 or after the day of the pull.
    public static let implausibleDate = KwaliteitCheck(
        "datum_onwaarschijnlijk", .error, [.vroegsignalering, .schuldhulpverlening],
        "Een datum ligt vóór 1900 of na de dag waarop de gegevens zijn opgehaald.")
    /// A signaaldatum, matchingsdatum or contactpoging date outside the requested period.
    public static let dateOutsidePeriod = KwaliteitCheck(
        "datum_buiten_periode", .error, [.vroegsignalering],
        "Een signaaldatum, matchingsdatum of datum van een contactpoging ligt buiten de gevraagde periode.")
    /// `einddatumMatchingperiode` before `startdatumMatchingperiode`.
    public static let matchingPeriodReversed = KwaliteitCheck(
        "matchingperiode_omgekeerd", .error, [.vroegsignalering],
        "De einddatum van de matchingperiode ligt vóór de startdatum ervan.")
    /// An SHV end date before its start date.
    public static let periodReversed = KwaliteitCheck(
        "periode_omgekeerd", .error, [.schuldhulpverlening],
        "Een einddatum ligt vóór de bijbehorende startdatum (aanmelding, intake, begeleiding, oplossing, …).")
    /// A vroegsignaalzaak refers to a vroegsignaal ID that the delivery does not hold.
    public static let unknownReference = KwaliteitCheck(
        "zaak_verwijzing_onbekend", .error, [.vroegsignalering],
        "Een vroegsignaalzaak verwijst naar een vroegsignaal-ID dat niet in de levering voorkomt.")
    /// A vroegsignaal ID that occurs more than once.
    public static let duplicateID = KwaliteitCheck(
        "id_dubbel", .error, [.vroegsignalering], "Een vroegsignaal-ID komt meer dan eens voor in de levering.")
    /// A negative amount.
    public static let negativeAmount = KwaliteitCheck(
        "bedrag_negatief", .error, [.vroegsignalering, .schuldhulpverlening], "Een bedrag is negatief.")
    /// A vroegsignaal with status `Opgepakt` that no vroegsignaalzaak refers to.
    public static let pickedUpWithoutCase = KwaliteitCheck(
        "opgepakt_zonder_zaak", .warning, [.vroegsignalering],
        "Een vroegsignaal heeft de status Opgepakt, maar geen vroegsignaalzaak verwijst ernaar.")
    /// A vroegsignaalzaak with contactpogingen but no resultaat.
    public static let contactWithoutOutcome = KwaliteitCheck(
        "contact_zonder_resultaat", .warning, [.vroegsignalering],
        "Een vroegsignaalzaak heeft contactpogingen, maar geen resultaat.")

    /// A levering of a gemeente the export is not for (or without a readable gemeentecode).
    /// Not in ``all``: a pull rejects such a page whole (``PageProblem/foreignGemeente(codes:recordCount:)``),
    /// so the op-orde-rapport never counts it; `ddas-regie valideer --gemeente` lists it.
    public static let foreignGemeente = KwaliteitCheck(
        "gemeente_vreemd", .error, [.vroegsignalering, .schuldhulpverlening],
        "De levering is van een andere gemeente dan gevraagd, of heeft geen geldige gemeentecode; CBS weigert zo'n pagina helemaal.")

    /// Every check, in the order the report lists them.
    public static let all: [KwaliteitCheck] = [
        .schema, .codeList, .bsn, .postcode, .huisnummer, .dateForm, .implausibleDate, .dateOutsidePeriod,
        .matchingPeriodReversed, .periodReversed, .unknownReference, .duplicateID, .negativeAmount, .pickedUpWithoutCase,
        .contactWithoutOutcome,
    ]

    /// The checks of `stream`, in report order.
    public static func checks(of stream: ExchangeStroom) -> [KwaliteitCheck] { all.filter { $0.streams.contains(stream) } }

    /// The check with `code`, if any.
    public static func named(_ code: String) -> KwaliteitCheck? { all.first { $0.code == code } }
}
