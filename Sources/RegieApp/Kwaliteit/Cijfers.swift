import DDASExchange
import Foundation
import RegieStore

/// "Vroegsignalering in cijfers": per period, the figures of the whole country, a province or
/// a gemeente, summed from the op-orde-rapporten of the deliveries that count (the latest
/// successful one per gemeente, stream and period; ``OpOrdeRapportStore/latestPerPeriode``).
/// Counts only, as the reports keep them. For anyone but the project team small cells are
/// suppressed as in the op-orde-rapport (``SmallCells``), and no total over periods or areas
/// is shown beside them, so that no suppressed cell can be worked out by subtraction.
struct Cijfers: Encodable {
    /// The figures of one area in one period.
    struct Figuur: Encodable {
        /// How many gemeenten' deliveries are counted.
        let gemeenten: Int
        /// Vroegsignalen (VS) or schuldhulptrajecten (SHV).
        let records: Int?
        /// Vroegsignaalzaken (VS; 0 for SHV).
        let zaken: Int?
        /// Per code list (`contactsoort`: contact attempts by kind, `eindresultaat`,
        /// `signaalpartner`, …): how often each value occurs.
        let verdelingen: [OpOrdeRapport.Verdeling]
    }

    /// One province or gemeente within the area (the project team's breakdown).
    struct Gebied: Encodable {
        let code: String
        let naam: String
        let cijfers: Figuur
    }

    /// The figures of one period.
    struct Periode: Encodable {
        let periode: String
        let totaal: Figuur
        /// Per province (of the country) or per gemeente (of a province); the project team only.
        let perGebied: [Gebied]
    }

    /// `VS` or `SHV`.
    let stroom: String
    /// `land`, `provincie` or `gemeente`.
    let niveau: String
    /// The province's or gemeente's code; nil for the country.
    let code: String?
    /// `Nederland`, or the province's or gemeente's name.
    let naam: String
    /// Whether small cells were suppressed (everyone but the project team).
    let kleineAantallenOnderdrukt: Bool
    /// Oldest period first.
    let perioden: [Periode]
}

/// The counts of some deliveries added up.
struct CijfersTelling: Equatable {
    var gemeenten = 0
    var records = 0
    var zaken = 0
    /// Per code list, per value.
    var verdelingen: [String: [String: Int]] = [:]

    /// Adds one delivery's findings.
    mutating func add(_ findings: KwaliteitBevindingen) {
        gemeenten += 1
        records += findings.records
        zaken += findings.zaken
        for (list, counts) in findings.verdelingen {
            verdelingen[list, default: [:]].merge(counts, uniquingKeysWith: +)
        }
    }

    /// The counts of `rows`, per period.
    static func perPeriode(_ rows: [CijfersLevering]) throws -> [String: CijfersTelling] {
        let decoder = JSONDecoder()
        var tellingen: [String: CijfersTelling] = [:]
        for row in rows {
            tellingen[row.periode, default: CijfersTelling()].add(
                try decoder.decode(KwaliteitBevindingen.self, from: Data(row.bevindingen.utf8)))
        }
        return tellingen
    }

    /// The figures as `cells` shows them; where the viewer knows `known` of each count (a
    /// gemeente its own share of the country), a count is also suppressed where what remains
    /// besides it is small.
    func figuur(cells: SmallCells, codeLists: [String: CodeListValues], besides known: CijfersTelling? = nil) -> Cijfers.Figuur {
        let known = known ?? CijfersTelling()
        let lists = verdelingen.keys.sorted().map { list in
            let counts = self.verdelingen[list] ?? [:]
            let own = known.verdelingen[list] ?? [:]
            let names = OpOrdeRapport.Verdeling.values(of: list, counted: counts, codeLists: codeLists)
            let shown = cells.group(names.map { counts[$0] ?? 0 }, besides: names.map { own[$0] ?? 0 })
            return OpOrdeRapport.Verdeling(
                lijst: list, totaal: cells.cell(counts.values.reduce(0, +), besides: own.values.reduce(0, +)),
                waarden: zip(names, shown).map { OpOrdeRapport.Aantal(waarde: $0, aantal: $1) })
        }
        return Cijfers.Figuur(
            gemeenten: gemeenten, records: cells.cell(records, besides: known.records), zaken: cells.cell(zaken, besides: known.zaken),
            verdelingen: lists)
    }
}

extension SmallCells {
    /// Whether a count describes so few that it is not shown.
    func isSmall(_ count: Int) -> Bool { count > 0 && count < Self.threshold }

    /// One count on its own, for a viewer who knows `known` of it.
    func cell(_ count: Int, besides known: Int) -> Int? {
        applies && (isSmall(count) || isSmall(count - known)) ? nil : count
    }

    /// A group of counts whose total is shown elsewhere, for a viewer who knows `known` of
    /// each: the rule of ``group(_:)``, applied to what the viewer does not know.
    func group(_ counts: [Int], besides known: [Int]) -> [Int?] {
        var cells = zip(counts, known).map { cell($0, besides: $1) }
        guard applies else { return cells }
        let suppressed = cells.indices.filter { cells[$0] == nil }
        if suppressed.count == 1 {
            let candidates = cells.indices.filter { cells[$0] != nil && counts[$0] - known[$0] > 0 }
            if let smallest = candidates.min(by: { counts[$0] - known[$0] < counts[$1] - known[$1] }) { cells[smallest] = nil }
        }
        return cells
    }
}

extension Cijfers: JSONSchemaDescribed {
    static let schemaName = "Cijfers"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "stroom": Schema.ref(OpenAPIDocument.stroom), "niveau": Schema.enumeration(["land", "provincie", "gemeente"]),
                "naam": Schema.text, "kleineAantallenOnderdrukt": ["type": "boolean"],
                "perioden": Schema.array(Schema.ref(Cijfers.Periode.self)),
            ], optional: ["code": Schema.text])
    }
}

extension Cijfers.Periode: JSONSchemaDescribed {
    static let schemaName = "CijfersPeriode"
    static var jsonSchema: JSONSchema {
        Schema.object([
            "periode": Schema.periode, "totaal": Schema.ref(Cijfers.Figuur.self),
            "perGebied": Schema.array(Schema.ref(Cijfers.Gebied.self)),
        ])
    }
}

extension Cijfers.Figuur: JSONSchemaDescribed {
    static let schemaName = "CijfersFiguur"
    static var jsonSchema: JSONSchema {
        Schema.object(
            ["gemeenten": Schema.count, "verdelingen": Schema.array(Schema.ref(OpOrdeRapport.Verdeling.self))],
            optional: ["records": Schema.count, "zaken": Schema.count],
            description: "Counts of one area in one period; null where a small cell is suppressed.")
    }
}

extension Cijfers.Gebied: JSONSchemaDescribed {
    static let schemaName = "CijfersGebied"
    static var jsonSchema: JSONSchema {
        Schema.object(["code": Schema.text, "naam": Schema.text, "cijfers": Schema.ref(Cijfers.Figuur.self)])
    }
}
