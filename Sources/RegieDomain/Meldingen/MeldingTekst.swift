import Foundation

/// A melding as people read it, in Dutch: a subject, a plain text and the same as HTML, with a
/// link into ddas-regie. Only the melding's own facts appear; names are escaped in HTML.
public struct MeldingTekst: Sendable, Hashable {
    /// The subject line.
    public let onderwerp: String
    /// The body as plain text.
    public let tekst: String
    /// The body as HTML.
    public let html: String

    /// The text of `melding`, with links under `basis` (the service's public address, e.g.
    /// `https://regie.ddas.nl`).
    public init(_ melding: Melding, basis: String) {
        let basis = basis.hasSuffix("/") ? String(basis.dropLast()) : basis
        let wie = melding.gemeenteNaam.map { "\($0) (\(melding.gemeente?.digits ?? ""))" } ?? ""
        let feiten = melding.feiten
        let stroom = feiten.stroom.map(Self.stroomNaam) ?? ""
        var regels: [String] = []
        var link: String?
        switch melding.soort {
        case .leveringOpgegeven:
            onderwerp = "Levering opgegeven: \(wie), \(stroom) \(feiten.periode ?? "")"
            regels.append(
                "De levering \(stroom) over \(feiten.periode ?? "") van \(wie) via \(melding.leverancier ?? "") is opgegeven na \(feiten.pogingen ?? 0) poging(en)."
            )
            regels.append("Laatste fout: \(feiten.foutcode ?? "onbekend").")
            link = feiten.levering.map { "\(basis)/v1/leveringen/\($0.uuidString.lowercased())" }
        case .leveringGeannuleerd:
            onderwerp = "Levering geannuleerd: \(wie), \(stroom) \(feiten.periode ?? "")"
            regels.append(
                "De levering \(stroom) over \(feiten.periode ?? "") van \(wie) via \(melding.leverancier ?? "") is geannuleerd: de toestemming geldt niet meer (ingetrokken, verlopen of een andere leverancier)."
            )
            link = feiten.levering.map { "\(basis)/v1/leveringen/\($0.uuidString.lowercased())" }
        case .leverancierStoring:
            onderwerp = "Storing bij \(melding.leverancier ?? ""): \(stroom)"
            regels.append(
                "De laatste \(feiten.pogingen ?? 0) pogingen bij \(melding.leverancier ?? "") (\(stroom)) zijn mislukt. Laatste fout: \(feiten.foutcode ?? "onbekend")."
            )
            link = "\(basis)/v1/leveringen?leverancier=\(melding.leverancier ?? "")"
        case .leverancierStil:
            onderwerp = "Geen geslaagde levering van \(melding.leverancier ?? "") in \(feiten.dagen ?? 0) dagen"
            regels.append(
                "Van \(melding.leverancier ?? "") (\(stroom)) is al \(feiten.dagen ?? 0) dagen geen levering geslaagd.")
            link = "\(basis)/v1/leveringen?leverancier=\(melding.leverancier ?? "")"
        case .gemeenteAchterstand:
            onderwerp = "Achterstand: \(wie), mijlpaal \(feiten.mijlpaal ?? "")"
            regels.append(
                "\(wie) heeft de mijlpaal \(feiten.mijlpaal ?? "") niet bereikt; de planning gaf uiterlijk \(feiten.datum ?? "").")
            link = melding.gemeente.map { "\(basis)/v1/gemeenten/\($0.digits)" }
        case .toestemmingVerloopt:
            onderwerp = "Toestemming verloopt op \(feiten.datum ?? ""): \(wie)"
            regels.append(
                "De toestemming van \(wie) voor \(melding.leverancier ?? "") verloopt op \(feiten.datum ?? ""). Verleng haar op tijd, anders stoppen de leveringen."
            )
            link = melding.gemeente.map { "\(basis)/v1/gemeenten/\($0.digits)/toestemmingen" }
        case .toestemmingVerlopen:
            onderwerp = "Toestemming verlopen: \(wie)"
            regels.append(
                "De toestemming van \(wie) voor \(melding.leverancier ?? "") is verlopen op \(feiten.datum ?? ""). Er wordt niet meer geleverd tot er een nieuwe is."
            )
            link = melding.gemeente.map { "\(basis)/v1/gemeenten/\($0.digits)/toestemmingen" }
        case .toestemmingIngetrokken:
            onderwerp = "Toestemming ingetrokken: \(wie)"
            regels.append(
                "\(wie) heeft de toestemming voor \(melding.leverancier ?? "") ingetrokken. Lopende leveringen worden geannuleerd.")
            link = melding.gemeente.map { "\(basis)/v1/gemeenten/\($0.digits)/toestemmingen" }
        case .opOrdeRapportBovenDrempel:
            let aandeel = Self.procent(feiten.foutaandeel ?? 0)
            let drempel = Self.procent(feiten.drempel ?? 0)
            onderwerp = "Op-orde-rapport boven de drempel: \(wie), \(stroom) \(feiten.periode ?? "")"
            regels.append(
                "In de levering \(stroom) over \(feiten.periode ?? "") van \(wie) heeft \(aandeel) van de records een bevinding; de drempel is \(drempel)."
            )
            link = feiten.levering.map { "\(basis)/leveringen/\($0.uuidString.lowercased())/op-orde-rapport" }
        case .dagoverzicht:
            onderwerp = "DDAS dagoverzicht \(feiten.datum ?? "")"
            regels.append("Wat er in de afgelopen dag veranderde:")
            let aantallen = feiten.aantallen ?? [:]
            if aantallen.values.allSatisfy({ $0 == 0 }) {
                regels.append("- niets")
            } else {
                for (naam, aantal) in aantallen.sorted(by: { $0.key < $1.key }) where aantal > 0 {
                    regels.append("- \(Self.overzichtNaam(naam)): \(aantal)")
                }
            }
            regels.append("")
            let achterstanden = feiten.achterstanden ?? []
            regels.append(achterstanden.isEmpty ? "Geen gemeente loopt achter." : "Gemeenten die achterlopen (\(achterstanden.count)):")
            regels += achterstanden.prefix(Self.overzichtRegels).map { "- \($0)" }
            if achterstanden.count > Self.overzichtRegels {
                regels.append("- en nog \(achterstanden.count - Self.overzichtRegels) (zie het dashboard)")
            }
            link = "\(basis)/"
        }
        regels.append("")
        regels.append(melding.soort.omschrijving)
        let tekstLink = link.map { "\n\nBekijk het in ddas-regie: \($0)" } ?? ""
        tekst = regels.joined(separator: "\n") + tekstLink + "\n"
        let alinea = regels.filter { !$0.isEmpty }.map { "<p>\(Self.escaped($0))</p>" }.joined()
        let htmlLink = link.map { "<p><a href=\"\(Self.escaped($0))\">Bekijk het in ddas-regie</a></p>" } ?? ""
        html =
            "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>\(Self.escaped(onderwerp))</title></head><body>"
            + alinea + htmlLink + "</body></html>"
    }

    /// Most overdue gemeenten listed in a digest; the rest are counted.
    static let overzichtRegels = 50

    /// What a digest's count is of, in Dutch.
    static func overzichtNaam(_ naam: String) -> String {
        switch naam {
        case "levering.geslaagd": "leveringen geslaagd"
        case "levering.mislukt": "mislukte pogingen (worden opnieuw geprobeerd)"
        default: MeldingSoort(rawValue: naam).map { "meldingen '\($0.omschrijving)'" } ?? naam
        }
    }

    /// The stream's name as people say it.
    static func stroomNaam(_ code: String) -> String {
        switch code {
        case "VS": "vroegsignalering"
        case "SHV": "schuldhulpverlening"
        default: code
        }
    }

    /// A share as a Dutch percentage with one decimal (`12,5%`).
    static func procent(_ share: Double) -> String {
        let tenths = Int((max(0, min(1, share)) * 1_000).rounded())
        return "\(tenths / 10),\(tenths % 10)%"
    }

    /// `text` safe inside HTML text and attribute values.
    static func escaped(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.append(character)
            }
        }
        return output
    }
}
