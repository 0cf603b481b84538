import Foundation
import Yams

/// When a supplier service's trouble becomes a melding: the `meldingen:` block of
/// `Workflows/leveringen.yaml`, read and checked with the rest of that file.
///
/// ```yaml
/// meldingen:
///   storing_na_pogingen: 3   # leverancier.storing after this many failed attempts in a row
///   stil_na_dagen: 14        # leverancier.stil after this many days without a success
/// ```
public struct MeldingDrempels: Sendable, Hashable {
    /// `leverancier.storing` once a supplier service's last this-many attempts (across its
    /// gemeenten, since its last success) all failed at the supplier: 1 to 100.
    public let storingNaPogingen: Int
    /// `leverancier.stil` once a supplier service that was tried has had no successful pull
    /// for this many days: 1 to 366.
    public let stilNaDagen: Int

    /// The values when the file says nothing: three attempts, fourteen days.
    public static let standaard = MeldingDrempels(storingNaPogingen: 3, stilNaDagen: 14)

    /// The range `storing_na_pogingen` must lie in.
    public static let pogingenBereik = 1...100
    /// The range `stil_na_dagen` must lie in.
    public static let dagenBereik = 1...366

    /// Thresholds within ``pogingenBereik`` and ``dagenBereik`` (a value outside is clamped).
    public init(storingNaPogingen: Int, stilNaDagen: Int) {
        self.storingNaPogingen = min(max(storingNaPogingen, Self.pogingenBereik.lowerBound), Self.pogingenBereik.upperBound)
        self.stilNaDagen = min(max(stilNaDagen, Self.dagenBereik.lowerBound), Self.dagenBereik.upperBound)
    }

    /// The block `node`, each key optional (its default when absent); a problem with its line
    /// for anything else.
    static func read(_ node: Node, reader: inout WorkflowFileReader) -> MeldingDrempels {
        var pogingen = standaard.storingNaPogingen
        var dagen = standaard.stilNaDagen
        guard let entries = reader.entries(of: node, known: ["storing_na_pogingen", "stil_na_dagen"], in: "meldingen") else {
            return standaard
        }
        if let entry = entries["storing_na_pogingen"] {
            pogingen = LeveringSchedule.integer(entry, in: pogingenBereik, what: "storing_na_pogingen", reader: &reader) ?? pogingen
        }
        if let entry = entries["stil_na_dagen"] {
            dagen = LeveringSchedule.integer(entry, in: dagenBereik, what: "stil_na_dagen", reader: &reader) ?? dagen
        }
        return MeldingDrempels(storingNaPogingen: pogingen, stilNaDagen: dagen)
    }
}

extension LeveringFailure.Klasse {
    /// Whether an attempt that failed with this class counts toward `leverancier.storing`: the
    /// supplier's side of the link failed (unreachable, refusing, answering wrongly or with
    /// pages that do not check out).
    ///
    /// Our own failures (configuration, staging, the hand-over to CBS, the database, an
    /// internal error), a cancellation, a lapsed consent and the validation verdict (the link
    /// worked; the data quality has its own melding) neither count nor break a series: they
    /// say nothing about whether the supplier's service works.
    public var isStoringBijLeverancier: Bool {
        switch self {
        case .network, .timeout, .serverError, .tooManyRequests, .brokenPage, .unauthorized, .forbidden, .notFound, .unprocessable,
            .rejected, .responseTooLarge, .fscTokenExpired, .fscUnreachable, .fscConfiguration, .signature, .schema, .foreignGemeente,
            .paginering:
            true
        case .validation, .configuration, .staging, .sink, .database, .internal, .cancelled, .consentWithdrawn, .leaseVerlopen:
            false
        }
    }
}
