import DDASExchange
import Foundation
import RegieDomain
import RegieStore
import Standardisation

/// Turns the quality analysis of a pull into the op-orde-rapport that is kept: the verdict
/// against the stream's threshold, the findings as counts, and for the invalid code-list
/// values the official values the standardisation suggests, grouped and counted. The text of
/// an invalid value is kept only where it equals an entry of the curated tables (regel
/// `officieel`, `tabel` or `referentie`), and then in its normalised form; any other text is
/// dropped here, after the counting.
struct OpOrdeRapportering {
    /// The suggestions of one code list.
    struct ListSuggestions: Codable, Equatable {
        /// Invalid values in all.
        var ongeldig: Int
        /// Invalid values that could not be read as text or were beyond the limits.
        var nietGelezen: Int
        var voorstellen: [Suggestion]
    }

    /// Official value suggested for a group of invalid values.
    struct Suggestion: Codable, Equatable {
        let waarde: String
        let regel: String
        /// The (normalised) curated text, for `officieel`, `tabel` and `referentie`.
        let tekst: String?
        var aantal: Int
    }

    /// What is kept beside the findings.
    struct Suggestions: Codable, Equatable {
        let tabelversie: Int64
        let lijsten: [String: ListSuggestions]
    }

    static let curatedRules: Set<String> = ["officieel", "tabel", "referentie"]

    /// The suggestions for `invalid`, by `standardiser` at `tabelversie`.
    static func suggestions(for invalid: InvalidCodeValues, standardiser: Standardiser, tabelversie: Int64) -> Suggestions {
        var lists: [String: ListSuggestions] = [:]
        let names = Set(invalid.counts.keys).union(invalid.uncounted.keys)
        for name in names {
            var groups: [String: Suggestion] = [:]
            var total = invalid.uncounted[name] ?? 0
            if let list = CodeList(rawValue: name) {
                for (text, count) in invalid.counts[name] ?? [:] {
                    total += count
                    let value = standardiser.standardise(text, in: list)
                    let curated = curatedRules.contains(value.regel) ? TextNormalisation.normalise(text) : nil
                    let key = [value.waarde, value.regel, curated ?? ""].joined(separator: "\u{1F}")
                    groups[key, default: Suggestion(waarde: value.waarde, regel: value.regel, tekst: curated, aantal: 0)].aantal += count
                }
            } else {
                total += (invalid.counts[name] ?? [:]).values.reduce(0, +)
            }
            let ordered = groups.values.sorted { ($0.aantal, $1.waarde, $1.tekst ?? "") > ($1.aantal, $0.waarde, $0.tekst ?? "") }
            lists[name] = ListSuggestions(ongeldig: total, nietGelezen: invalid.uncounted[name] ?? 0, voorstellen: ordered)
        }
        return Suggestions(tabelversie: tabelversie, lijsten: lists)
    }

    /// The report to keep for delivery `id`, attempt `poging`, judged against `threshold`.
    static func report(
        _ quality: LeveringKwaliteit, suggestions: Suggestions, levering id: UUID, poging: Int, threshold: Double, now: Date
    ) throws -> StoredOpOrdeRapport {
        let findings = quality.findings
        let oordeel: StoredOpOrdeRapport.Oordeel =
            findings.eenhedenMetFouten == 0
            ? .inOrde
            : LeveringLifecycle.failsValidation(errorShare: findings.foutaandeel, maxErrorShare: threshold) ? .bovenDrempel : .onderDrempel
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return StoredOpOrdeRapport(
            leveringID: id, poging: poging, gemaaktOp: now, eenheden: findings.eenheden, eenhedenMetFouten: findings.eenhedenMetFouten,
            drempel: threshold, oordeel: oordeel, bevindingen: String(decoding: try encoder.encode(findings), as: UTF8.self),
            suggesties: String(decoding: try encoder.encode(suggestions), as: UTF8.self))
    }
}
