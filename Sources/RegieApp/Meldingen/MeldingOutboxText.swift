import Foundation
import RegieDomain
import RegieStore

/// The outbox's messages for a terminal (`ddas-regie meldingen list`): an aligned table with
/// ISO 8601 times, or JSON. Both show the address: the command is for operators of the machine.
public enum MeldingOutboxText {
    /// One message as JSON.
    struct Item: Encodable {
        let id: String
        let meldingId: String
        let soort: String
        let sleutel: String
        let gemeentecode: String?
        let leverancier: String?
        let abonnementId: String
        let partij: String
        let kanaal: String
        let adres: String
        let status: String
        let pogingen: Int
        let volgendePogingOp: Date
        let laatsteFout: String?
        let aangemaaktOp: Date
        let afgerondOp: Date?

        init(_ bericht: MeldingBericht) {
            id = bericht.id.uuidString.lowercased()
            meldingId = bericht.meldingID.uuidString.lowercased()
            soort = bericht.soort
            sleutel = bericht.sleutel
            gemeentecode = bericht.gemeente?.rawValue
            leverancier = bericht.leverancier
            abonnementId = bericht.abonnementID.uuidString.lowercased()
            partij = bericht.partij.notatie
            kanaal = bericht.kanaal.rawValue
            adres = bericht.adres
            status = bericht.status.rawValue
            pogingen = bericht.pogingen
            volgendePogingOp = bericht.volgendePogingOp
            laatsteFout = bericht.laatsteFout
            aangemaaktOp = bericht.aangemaaktOp
            afgerondOp = bericht.afgerondOp
        }
    }

    /// The messages as an aligned table, a header and a rule first; a line saying so when there are none.
    public static func table(_ berichten: [MeldingBericht]) -> String {
        guard !berichten.isEmpty else { return "geen berichten\n" }
        var rows = [
            [
                "id", "aangemaakt", "soort", "gemeente", "leverancier", "partij", "kanaal", "adres", "status", "pogingen",
                "volgende poging", "afgerond", "laatste fout", "sleutel",
            ]
        ]
        for bericht in berichten {
            rows.append([
                bericht.id.uuidString.lowercased(), iso(bericht.aangemaaktOp), bericht.soort, bericht.gemeente?.rawValue ?? "-",
                bericht.leverancier ?? "-", bericht.partij.notatie, bericht.kanaal.rawValue, bericht.adres, bericht.status.rawValue,
                String(bericht.pogingen), bericht.status == .wachtend ? iso(bericht.volgendePogingOp) : "-",
                bericht.afgerondOp.map(iso) ?? "-", bericht.laatsteFout.map(oneLine) ?? "-", bericht.sleutel,
            ])
        }
        return TerminalReport.table(rows, numeric: [9])
    }

    /// The messages as a JSON array (ISO 8601 times, sorted keys).
    public static func json(_ berichten: [MeldingBericht]) throws -> String {
        String(decoding: try JSONBody.encoder.encode(berichten.map(Item.init)), as: UTF8.self) + "\n"
    }

    /// `moment` as ISO 8601 in UTC, to the second.
    static func iso(_ moment: Date) -> String {
        ISO8601DateFormatter().string(from: moment)
    }

    /// `text` on one line, so that a reason cannot break the table.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}

extension MeldingPartij {
    /// The party as an operator writes it: `projectteam`, `gemeente:GM0363` or `leverancier:<id>`.
    public var notatie: String {
        let stored = opgeslagen
        return self == .projectteam ? stored.partij : "\(stored.soort):\(stored.partij)"
    }

    /// A party written as ``notatie``; nil for anything else.
    public init?(notatie: String) {
        if notatie == "projectteam" {
            self = .projectteam
            return
        }
        let parts = notatie.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts[0] != "projectteam", let party = MeldingPartij(soort: parts[0], partij: parts[1]) else {
            return nil
        }
        self = party
    }
}
