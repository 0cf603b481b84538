import DDASExchange
import Foundation
import RegieStore

/// "Vroegsignalering in cijfers": per period, the figures of the whole country, a province or
/// a gemeente, summed from the op-orde-rapporten of the deliveries that count (the latest
/// successful one per gemeente, stream and period; ``OpOrdeRapportStore/latestPerPeriode``).
/// Counts only, as the reports keep them. For anyone but the project team small cells are
/// suppressed as in the op-orde-rapport (``SmallCells``), and no total over periods or areas
/// is shown beside them, so that no suppressed cell can be worked out by subtraction.
///
/// VS figures come in total and per herkomst side by side (``Herkomst``: vroegsignaal,
/// crisissignaal), as the op-orde-rapport counts them since issue 23; the deliveries whose
/// report was made before have no split and count under ``onbekend`` (and a herkomst filter
/// leaves them out, saying how many).
struct Cijfers: Encodable {
    /// The column of the total of every herkomst.
    static let alle = "alle"
    /// The herkomst of the counts of reports without the split.
    static let onbekend = "onbekend"

    /// The counts of one herkomst in one area and period.
    struct Herkomstdeel: Encodable {
        /// `vroegsignaal`, `crisissignaal`, or ``Cijfers/onbekend``.
        let herkomst: String
        /// Vroegsignalen of this herkomst.
        let records: Int?
        /// Vroegsignaalzaken of this herkomst.
        let zaken: Int?
        /// Per code list, how often each value occurs in the signals and zaken of this herkomst.
        let verdelingen: [OpOrdeRapport.Verdeling]
    }

    /// The figures of one area in one period.
    struct Figuur: Encodable {
        /// How many gemeenten' deliveries are counted (with a herkomst filter: those with the split).
        let gemeenten: Int
        /// Vroegsignalen (VS) or schuldhulptrajecten (SHV).
        let records: Int?
        /// Vroegsignaalzaken (VS; 0 for SHV).
        let zaken: Int?
        /// Per code list (`contactsoort`: contact attempts by kind, `eindresultaat`,
        /// `signaalpartner`, …): how often each value occurs.
        let verdelingen: [OpOrdeRapport.Verdeling]
        /// VS: the same counts per herkomst side by side (``onbekend`` for deliveries without
        /// the split), or of the herkomst asked for only; nil for SHV.
        let perHerkomst: [Herkomstdeel]?
        /// How many of the deliveries counted have a report without the herkomst split.
        let zonderHerkomst: Int
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
    /// The herkomst asked for; nil for every herkomst.
    let herkomst: String?
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

extension Cijfers: JSONSchemaDescribed {
    static let schemaName = "Cijfers"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "stroom": Schema.ref(OpenAPIDocument.stroom), "niveau": Schema.enumeration(["land", "provincie", "gemeente"]),
                "naam": Schema.text, "kleineAantallenOnderdrukt": ["type": "boolean"],
                "perioden": Schema.array(Schema.ref(Cijfers.Periode.self)),
            ], optional: ["code": Schema.text, "herkomst": Schema.enumeration(Herkomst.allCases.map(\.rawValue))])
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
            [
                "gemeenten": Schema.count, "verdelingen": Schema.array(Schema.ref(OpOrdeRapport.Verdeling.self)),
                "zonderHerkomst": Schema.count,
            ],
            optional: ["records": Schema.count, "zaken": Schema.count, "perHerkomst": Schema.array(Schema.ref(Cijfers.Herkomstdeel.self))],
            description:
                "Counts of one area in one period (of one herkomst when asked); null where a small cell is suppressed. perHerkomst (VS): the same counts per herkomst, 'onbekend' for the zonderHerkomst deliveries whose op-orde-rapport predates the split."
        )
    }
}

extension Cijfers.Herkomstdeel: JSONSchemaDescribed {
    static let schemaName = "CijfersHerkomst"
    static var jsonSchema: JSONSchema {
        Schema.object(
            [
                "herkomst": Schema.enumeration(Herkomst.allCases.map(\.rawValue) + [Cijfers.onbekend]),
                "verdelingen": Schema.array(Schema.ref(OpOrdeRapport.Verdeling.self)),
            ], optional: ["records": Schema.count, "zaken": Schema.count],
            description: "Counts of the signals and zaken of one herkomst; null where a small cell is suppressed.")
    }
}

extension Cijfers.Gebied: JSONSchemaDescribed {
    static let schemaName = "CijfersGebied"
    static var jsonSchema: JSONSchema {
        Schema.object(["code": Schema.text, "naam": Schema.text, "cijfers": Schema.ref(Cijfers.Figuur.self)])
    }
}
