import DDASExchange
import Foundation
import RegieStore

/// The op-orde-rapport of one delivery as the API shows it (JSON, and the HTML page): the
/// verdict, counts per check, the distribution of each code list, the monthly volume and the
/// suggested official values for invalid ones. Counts only; for anyone but the project team
/// small cells are suppressed (`null`, see ``SmallCells``).
struct OpOrdeRapport: Encodable {
    struct Controle: Encodable {
        let code: String
        let ernst: String
        let omschrijving: String
        /// How many times the check found something.
        let bevindingen: Int?
        /// In how many records and zaken.
        let eenheden: Int?
    }

    struct Aantal: Encodable {
        let waarde: String
        let aantal: Int?
    }

    struct Verdeling: Encodable {
        let lijst: String
        let totaal: Int?
        let waarden: [Aantal]
    }

    struct SchemaRegel: Encodable {
        let regel: String
        let aantal: Int?
    }

    struct Voorstel: Encodable {
        let waarde: String
        let regel: String
        let tekst: String?
        let aantal: Int?
    }

    struct Suggesties: Encodable {
        let lijst: String
        let ongeldig: Int?
        let nietGelezen: Int?
        let voorstellen: [Voorstel]
    }

    /// The delivery, as `GET /v1/leveringen/{id}` shows it.
    let levering: LeveringenController.Item
    let poging: Int
    let gemaaktOp: Date
    let modelVersie: String
    let oordeel: String
    let drempel: Double
    let records: Int?
    let zaken: Int?
    let eenheden: Int?
    let eenhedenMetFouten: Int?
    let eenhedenMetWaarschuwingen: Int?
    /// nil when the count of records with errors is suppressed.
    let foutaandeel: Double?
    let controles: [Controle]
    let schemaRegels: [SchemaRegel]
    let verdelingen: [Verdeling]
    let volumePerMaand: [Aantal]
    let tabelversie: Int64
    let suggesties: [Suggesties]
    /// Whether small cells were suppressed (everyone but the project team).
    let kleineAantallenOnderdrukt: Bool
    /// How the supplier signed the pages: `kp-apis` (the digest, sigD) or `body`.
    let ondertekening: [String]
    /// What the stream does with schema violations: `reject` or `count`.
    let schemaBeleid: String?
    /// Every violation of the exchange model's JSON Schema, code-list values included.
    let schemaOvertredingenTotaal: Int?
    /// The violations by page, JSON pointer and rule (the first 1,000; never a value).
    let schemaOvertredingen: [SchemaOvertreding]
}

extension OpOrdeRapport {
    /// The report of `record` as kept in `stored`, for a viewer to whom `cells` applies.
    init(stored: StoredOpOrdeRapport, record: LeveringRecord, codeLists: [String: CodeListValues], cells: SmallCells) throws {
        let decoder = JSONDecoder()
        let findings = try decoder.decode(KwaliteitBevindingen.self, from: Data(stored.bevindingen.utf8))
        let suggestions = try decoder.decode(OpOrdeRapportering.Suggestions.self, from: Data(stored.suggesties.utf8))
        levering = LeveringenController.Item(record)
        poging = stored.poging
        gemaaktOp = stored.gemaaktOp
        modelVersie = findings.modelVersie
        oordeel = stored.oordeel.rawValue
        drempel = stored.drempel
        records = cells.cell(findings.records)
        zaken = cells.cell(findings.zaken)
        eenheden = cells.cell(findings.eenheden)
        eenhedenMetFouten = cells.cell(findings.eenhedenMetFouten)
        eenhedenMetWaarschuwingen = cells.cell(findings.eenhedenMetWaarschuwingen)
        foutaandeel = eenhedenMetFouten == nil || eenheden == nil ? nil : findings.foutaandeel
        let stream = ExchangeStroom(rawValue: findings.stroom) ?? .vroegsignalering
        controles = KwaliteitCheck.checks(of: stream).map { check in
            Controle(
                code: check.code, ernst: check.severity.rawValue, omschrijving: check.omschrijving,
                bevindingen: cells.cell(findings.bevindingen[check.code] ?? 0),
                eenheden: cells.cell(findings.eenhedenPerControle[check.code] ?? 0))
        }
        schemaRegels = findings.schemaRegels.sorted { $0.key < $1.key }.map { SchemaRegel(regel: $0.key, aantal: cells.cell($0.value)) }
        verdelingen = findings.verdelingen.keys.sorted().map { list in
            let counts = findings.verdelingen[list] ?? [:]
            let names = Verdeling.values(of: list, counted: counts, codeLists: codeLists)
            let shown = cells.group(names.map { counts[$0] ?? 0 })
            return Verdeling(
                lijst: list, totaal: cells.cell(counts.values.reduce(0, +)),
                waarden: zip(names, shown).map { Aantal(waarde: $0, aantal: $1) })
        }
        let months = findings.volumePerMaand.keys.sorted()
        volumePerMaand = zip(months, cells.group(months.map { findings.volumePerMaand[$0] ?? 0 })).map {
            Aantal(waarde: $0, aantal: $1)
        }
        tabelversie = suggestions.tabelversie
        suggesties = suggestions.lijsten.keys.sorted().map { list in
            let entry = suggestions.lijsten[list]
            let proposals = entry?.voorstellen ?? []
            let shown = cells.group(proposals.map(\.aantal))
            return Suggesties(
                lijst: list, ongeldig: cells.cell(entry?.ongeldig ?? 0), nietGelezen: cells.cell(entry?.nietGelezen ?? 0),
                voorstellen: zip(proposals, shown).map { Voorstel(waarde: $0.waarde, regel: $0.regel, tekst: $0.tekst, aantal: $1) })
        }
        kleineAantallenOnderdrukt = cells.applies
        ondertekening = findings.ondertekening ?? []
        schemaBeleid = findings.schemaBeleid
        schemaOvertredingenTotaal = findings.schemaOvertredingenTotaal.flatMap { cells.cell($0) }
        schemaOvertredingen = findings.schemaOvertredingen ?? []
    }
}

extension OpOrdeRapport.Verdeling {
    /// The values of code list `list` in the order a distribution shows them: the model's list,
    /// then any other value `counted` (sorted), then absent and invalid.
    static func values(of list: String, counted counts: [String: Int], codeLists: [String: CodeListValues]) -> [String] {
        var names = codeLists[list]?.values ?? []
        names += counts.keys.filter {
            !names.contains($0) && $0 != KwaliteitBevindingen.absentValue && $0 != KwaliteitBevindingen.invalidValue
        }
        .sorted()
        return names + [KwaliteitBevindingen.absentValue, KwaliteitBevindingen.invalidValue]
    }
}
