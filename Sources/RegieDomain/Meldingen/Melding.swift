import Foundation

/// One thing that happened and that someone should hear of: its soort, what it concerns (a
/// gemeente, a supplier, a levering), the facts a reader needs, and a key that makes it happen
/// once (a second melding with the same key is the same melding).
///
/// Made only through the factories below, so that each soort has exactly the facts it needs,
/// and never anything from a payload: counts, codes, gemeente names from the register, periods,
/// dates and links.
public struct Melding: Sendable, Hashable, Codable {
    /// What it is about.
    public let soort: MeldingSoort
    /// The key that makes it once: the soort and what distinguishes this occurrence.
    public let sleutel: String
    /// The gemeente it concerns, if any.
    public let gemeente: Gemeentecode?
    /// That gemeente's name, from the register.
    public let gemeenteNaam: String?
    /// The supplier it concerns, if any.
    public let leverancier: String?
    /// The facts of this occurrence.
    public let feiten: MeldingFeiten
    /// When it happened.
    public let plaatsgevondenOp: Date

    /// The parties it goes to: of the kinds its soort reaches, the project team, the gemeente it
    /// concerns and the supplier it concerns; never another gemeente or supplier.
    public var ontvangers: [MeldingPartij] {
        var parties: [MeldingPartij] = []
        let kinds = soort.partijen
        if kinds.contains(.gemeente), let gemeente { parties.append(.gemeente(gemeente)) }
        if kinds.contains(.leverancier), let leverancier { parties.append(.leverancier(leverancier)) }
        if kinds.contains(.projectteam) { parties.append(.projectteam) }
        return parties
    }

    private init(
        _ soort: MeldingSoort, _ onderscheid: [String], gemeente: Gemeentecode? = nil, gemeenteNaam: String? = nil,
        leverancier: String? = nil, feiten: MeldingFeiten, at moment: Date
    ) {
        self.soort = soort
        sleutel = ([soort.rawValue] + onderscheid).joined(separator: ":")
        self.gemeente = gemeente
        self.gemeenteNaam = gemeenteNaam
        self.leverancier = leverancier
        self.feiten = feiten
        plaatsgevondenOp = moment
    }

    /// A levering ended `opgegeven` (at `moment`: a levering tried again by hand and given up
    /// again is told again).
    public static func leveringOpgegeven(
        levering: UUID, gemeente: Gemeentecode, gemeenteNaam: String, leverancier: String, stroom: String,
        periode: String, pogingen: Int, foutcode: String, at moment: Date
    ) -> Melding {
        Melding(
            .leveringOpgegeven, [levering.uuidString.lowercased(), Self.stamp(moment)], gemeente: gemeente,
            gemeenteNaam: gemeenteNaam, leverancier: leverancier,
            feiten: MeldingFeiten(levering: levering, stroom: stroom, periode: periode, pogingen: pogingen, foutcode: foutcode),
            at: moment)
    }

    /// A levering was `geannuleerd` by a revocation.
    public static func leveringGeannuleerd(
        levering: UUID, gemeente: Gemeentecode, gemeenteNaam: String, leverancier: String, stroom: String,
        periode: String, at moment: Date
    ) -> Melding {
        Melding(
            .leveringGeannuleerd, [levering.uuidString.lowercased()], gemeente: gemeente, gemeenteNaam: gemeenteNaam,
            leverancier: leverancier, feiten: MeldingFeiten(levering: levering, stroom: stroom, periode: periode), at: moment)
    }

    /// A supplier's service failed `pogingen` attempts in a row since `sinds` (one melding per
    /// such series: `sinds` is the first failure after the last success).
    public static func leverancierStoring(
        leverancier: String, stroom: String, pogingen: Int, foutcode: String, sinds: Date, at moment: Date
    ) -> Melding {
        Melding(
            .leverancierStoring, [leverancier, stroom, Self.stamp(sinds)], leverancier: leverancier,
            feiten: MeldingFeiten(stroom: stroom, pogingen: pogingen, foutcode: foutcode, sinds: sinds), at: moment)
    }

    /// A supplier's service had no successful pull for `dagen` days since `laatsteSucces` (nil:
    /// never); one melding per silence.
    public static func leverancierStil(
        leverancier: String, stroom: String, dagen: Int, laatsteSucces: Date?, at moment: Date
    ) -> Melding {
        Melding(
            .leverancierStil, [leverancier, stroom, laatsteSucces.map(Self.stamp) ?? "nooit"], leverancier: leverancier,
            feiten: MeldingFeiten(stroom: stroom, dagen: dagen, sinds: laatsteSucces), at: moment)
    }

    /// A gemeente became overdue for `mijlpaal` (a phase code of the plan); once per milestone.
    public static func gemeenteAchterstand(
        gemeente: Gemeentecode, gemeenteNaam: String, mijlpaal: String, uiterlijk: KalenderDag, at moment: Date
    ) -> Melding {
        Melding(
            .gemeenteAchterstand, [gemeente.rawValue, mijlpaal], gemeente: gemeente, gemeenteNaam: gemeenteNaam,
            feiten: MeldingFeiten(mijlpaal: mijlpaal, datum: uiterlijk.description), at: moment)
    }

    /// A consent of `gemeente` for `leverancier` ends on `geldigTot`, within 30 days (`verlopen`
    /// false) or already (`verlopen` true); once per consent and end date.
    public static func toestemmingEinde(
        toestemming: UUID, gemeente: Gemeentecode, gemeenteNaam: String, leverancier: String, geldigTot: KalenderDag,
        verlopen: Bool, at moment: Date
    ) -> Melding {
        Melding(
            verlopen ? .toestemmingVerlopen : .toestemmingVerloopt,
            [toestemming.uuidString.lowercased(), geldigTot.description], gemeente: gemeente, gemeenteNaam: gemeenteNaam,
            leverancier: leverancier, feiten: MeldingFeiten(toestemming: toestemming, datum: geldigTot.description), at: moment)
    }

    /// A consent was revoked.
    public static func toestemmingIngetrokken(
        toestemming: UUID, gemeente: Gemeentecode, gemeenteNaam: String, leverancier: String, at moment: Date
    ) -> Melding {
        Melding(
            .toestemmingIngetrokken, [toestemming.uuidString.lowercased(), Self.stamp(moment)], gemeente: gemeente,
            gemeenteNaam: gemeenteNaam, leverancier: leverancier, feiten: MeldingFeiten(toestemming: toestemming),
            at: moment)
    }

    /// An op-orde-rapport of a levering is above its stream's threshold.
    public static func opOrdeRapportBovenDrempel(
        levering: UUID, gemeente: Gemeentecode, gemeenteNaam: String, leverancier: String, stroom: String,
        periode: String, foutaandeel: Double, drempel: Double, at moment: Date
    ) -> Melding {
        Melding(
            .opOrdeRapportBovenDrempel, [levering.uuidString.lowercased()], gemeente: gemeente,
            gemeenteNaam: gemeenteNaam, leverancier: leverancier,
            feiten: MeldingFeiten(
                levering: levering, stroom: stroom, periode: periode, foutaandeel: foutaandeel, drempel: drempel),
            at: moment)
    }

    /// The project team's digest of `dag` (a Dutch calendar day): counts of what changed in the
    /// day before (by a stable name: `levering.geslaagd`, or a melding's soort) and the gemeenten
    /// that are overdue (`naam (code): mijlpaal`); once per day.
    public static func dagoverzicht(dag: KalenderDag, aantallen: [String: Int], achterstanden: [String], at moment: Date) -> Melding {
        Melding(
            .dagoverzicht, [dag.description],
            feiten: MeldingFeiten(datum: dag.description, aantallen: aantallen, achterstanden: achterstanden), at: moment)
    }

    /// How a melding is kept in the outbox (`meldingen.inhoud`) and read back: JSON with ISO 8601
    /// dates and sorted keys, the same in every process.
    public static func encoded(_ melding: Melding) throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(melding)
    }

    /// A melding read back from ``encoded(_:)``.
    public static func decoded(_ data: Data) throws -> Melding {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Melding.self, from: data)
    }

    /// A moment as part of a key: seconds since 1970, so that it is the same in every process.
    private static func stamp(_ moment: Date) -> String { String(Int64(moment.timeIntervalSince1970.rounded(.down))) }
}

/// The facts of a melding: identifiers, codes, counts, dates. Nothing here comes from a
/// delivered payload.
public struct MeldingFeiten: Sendable, Hashable, Codable {
    /// The levering it concerns.
    public var levering: UUID?
    /// The consent it concerns.
    public var toestemming: UUID?
    /// The stream (`VS`, `SHV`).
    public var stroom: String?
    /// The period of the levering (`2026-Q3`, `2026-09`).
    public var periode: String?
    /// A number of attempts.
    public var pogingen: Int?
    /// A stable failure code (`signature_invalid`, `http_503`, ...).
    public var foutcode: String?
    /// A phase code of the plan.
    public var mijlpaal: String?
    /// A number of days.
    public var dagen: Int?
    /// A date (a consent's end, a milestone's deadline), `YYYY-MM-DD`.
    public var datum: String?
    /// Since when (a series of failures, the last success).
    public var sinds: Date?
    /// The share of records with findings, 0 to 1.
    public var foutaandeel: Double?
    /// The threshold it was held against, 0 to 1.
    public var drempel: Double?
    /// Counts by a stable name (the digest).
    public var aantallen: [String: Int]?
    /// Overdue gemeenten, as `naam (code): mijlpaal` (the digest).
    public var achterstanden: [String]?

    init(
        levering: UUID? = nil, toestemming: UUID? = nil, stroom: String? = nil, periode: String? = nil,
        pogingen: Int? = nil, foutcode: String? = nil, mijlpaal: String? = nil, dagen: Int? = nil,
        datum: String? = nil, sinds: Date? = nil, foutaandeel: Double? = nil, drempel: Double? = nil,
        aantallen: [String: Int]? = nil, achterstanden: [String]? = nil
    ) {
        self.levering = levering
        self.toestemming = toestemming
        self.stroom = stroom
        self.periode = periode
        self.pogingen = pogingen
        self.foutcode = foutcode
        self.mijlpaal = mijlpaal
        self.dagen = dagen
        self.datum = datum
        self.sinds = sinds
        self.foutaandeel = foutaandeel
        self.drempel = drempel
        self.aantallen = aantallen
        self.achterstanden = achterstanden
    }
}
