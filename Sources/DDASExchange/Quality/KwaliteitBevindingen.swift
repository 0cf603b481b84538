/// The figures of a delivery's op-orde-rapport, counted over all its pages: records, findings
/// per check, the distribution of each code list and the monthly volume. Counts only: no
/// identifier, value or text of any person or case.
public struct KwaliteitBevindingen: Sendable, Hashable, Codable {
    /// The stream (`VS`, `SHV`).
    public var stroom: String
    /// The exchange model version the data was checked against.
    public var modelVersie: String
    /// Vroegsignalen (VS) or schuldhulptrajecten (SHV).
    public var records: Int = 0
    /// Vroegsignaalzaken (VS; 0 for SHV).
    public var zaken: Int = 0
    /// Records and zaken with at least one error.
    public var eenhedenMetFouten: Int = 0
    /// Records and zaken with at least one warning.
    public var eenhedenMetWaarschuwingen: Int = 0
    /// Per check code: how many times it found something.
    public var bevindingen: [String: Int] = [:]
    /// Per check code: how many records and zaken it found something in.
    public var eenhedenPerControle: [String: Int] = [:]
    /// Per schema rule (keyword location in the model), the record-level violations other than
    /// code-list values.
    public var schemaRegels: [String: Int] = [:]
    /// Per code list (`eindresultaat`, `contactsoort`, …): per value, how often it occurs.
    /// `LEEG` counts absent values, `ONGELDIG` values outside the list.
    public var verdelingen: [String: [String: Int]] = [:]
    /// Per month (`2026-04`, by signaaldatum or startdatum; `onbekend` without a valid date):
    /// how many records.
    public var volumePerMaand: [String: Int] = [:]
    /// Every violation of the exchange model's JSON Schema, code-list values included, over
    /// all pages (nil in reports made before it was counted).
    public var schemaOvertredingenTotaal: Int?
    /// The violations by page, JSON pointer and rule (never the value): the first
    /// ``schemaViolationListLimit``.
    public var schemaOvertredingen: [SchemaOvertreding]?
    /// Which readings of DDAS signing the supplier signed the pages in (`kp-apis`, `body`).
    public var ondertekening: [String]?
    /// What the stream does with schema violations: `reject` or `count`.
    public var schemaBeleid: String?
    /// VS: per ``Herkomst`` (by its `rawValue`), the records, zaken and distributions of the
    /// signals and zaken of that origin, adding up to the totals above. Nil for SHV, and in
    /// reports made before herkomst was counted: they have no split.
    public var perHerkomst: [String: HerkomstAantallen]?

    /// The most schema violations listed one by one; beyond it they are only counted.
    public static let schemaViolationListLimit = 1_000

    /// Empty findings for a stream and model version.
    public init(stroom: String, modelVersie: String) {
        self.stroom = stroom
        self.modelVersie = modelVersie
    }

    /// Records and zaken: what the error share is a share of.
    public var eenheden: Int { records + zaken }

    /// The share of records and zaken with at least one error (0 when there are none).
    public var foutaandeel: Double { eenheden == 0 ? 0 : Double(eenhedenMetFouten) / Double(eenheden) }

    /// The bucket of absent code-list values.
    public static let absentValue = "LEEG"
    /// The bucket of values outside their code list.
    public static let invalidValue = "ONGELDIG"
    /// The month of records without a valid date.
    public static let unknownMonth = "onbekend"
}

/// One violation of the exchange model's JSON Schema, where and which rule: no value.
public struct SchemaOvertreding: Sendable, Hashable, Codable {
    /// The page it was on, from 1.
    public var pagina: Int
    /// Where in the page's `gegevens`: `/leveringen/0/vroegsignalen/12/signaaldatum`.
    public var pointer: String
    /// The rule: the failing keyword's location in the model, `/$defs/datum/format`.
    public var regel: String

    public init(pagina: Int, pointer: String, regel: String) {
        self.pagina = pagina
        self.pointer = pointer
        self.regel = regel
    }
}

/// The values found outside their code list, with how often each occurred, for the
/// standardisation to suggest official values. It holds payload text: it lives in memory for
/// the length of one pull and is never stored, logged or shown as such.
public struct InvalidCodeValues: Sendable {
    /// Most distinct texts kept per list; beyond it, occurrences are only counted.
    public static let distinctLimit = 5_000
    /// Most characters of a kept text.
    public static let lengthLimit = 200

    /// Per code list: per text, its occurrences.
    public private(set) var counts: [String: [String: Int]] = [:]
    /// Per code list: occurrences not kept (too many distinct texts, too long, or not text).
    public private(set) var uncounted: [String: Int] = [:]

    /// Nothing yet.
    public init() {}

    /// Counts one occurrence of `value` in `list`.
    mutating func add(_ value: JSONValue, list: String) {
        guard case .string(let text) = value, text.utf8.count <= Self.lengthLimit * 4, text.count <= Self.lengthLimit else {
            uncounted[list, default: 0] += 1
            return
        }
        if counts[list]?[text] != nil || (counts[list]?.count ?? 0) < Self.distinctLimit {
            counts[list, default: [:]][text, default: 0] += 1
        } else {
            uncounted[list, default: 0] += 1
        }
    }
}

/// The outcome of a delivery's quality analysis: the findings to keep, and the invalid
/// code-list values to standardise (not to keep).
public struct LeveringKwaliteit: Sendable {
    /// The figures of the op-orde-rapport.
    public var findings: KwaliteitBevindingen
    /// The invalid code-list values, in memory only.
    public let invalidValues: InvalidCodeValues
    /// The findings at their place, when the analysis listed them (the first
    /// ``KwaliteitBevindingen/schemaViolationListLimit``).
    public var geplaatst: [Bevinding]? = nil
    /// Every finding at its place, beyond the list too (0 when not listed).
    public var geplaatstTotaal: Int = 0
}

/// Schema violations of a page outside its records (the document, a levering): the page
/// cannot be read as the model says and is rejected whole.
public struct StructuralViolations: Error, Sendable, Hashable {
    /// How many.
    public let count: Int
    /// The first, when it was kept.
    public let first: SchemaViolation?
}
