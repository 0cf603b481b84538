import Foundation
import Postgres
import RegieDomain
import Synchronization

/// Everything the reports (voortgang, the CSVs) show, read in one snapshot, with the data
/// version of that snapshot and the Amsterdam day it was read for.
public struct StatusSnapshot: Sendable {
    /// `sum(versie)` of `data_versies` in the snapshot the data were read in.
    public let dataVersie: Int64
    /// The day consent was judged on (`toestemming_actief`).
    public let day: PostgresDate
    /// Every active gemeente with its status, by code.
    public let rows: [GemeenteStatusRow]
    /// The phase moves of each gemeente, as ``StatusStore/phaseEntries()`` gives them.
    public let entries: [String: [(fase: String, moment: Date)]]
    /// Every supplier with its services.
    public let suppliers: [Leverancier]
    /// Per stream, the deliveries of its latest period per state.
    public let deliveries: [PeriodeLeveringen]
}

/// The newest snapshot and the reports encoded from it. A snapshot only replaces one with a
/// lower version (or of another day), so a slow reader never puts back an older one; the
/// reports of an older snapshot go with it.
final class StatusCache: Sendable {
    struct ReportKey: Hashable {
        let variant: String
        let dataVersie: Int64
        let day: PostgresDate
        let clock: [Int]
    }

    private struct State {
        var snapshot: StatusSnapshot?
        var reports: [ReportKey: Data] = [:]
    }

    private let state = Mutex(State())

    /// The newest snapshot kept.
    var snapshot: StatusSnapshot? { state.withLock { $0.snapshot } }

    func keep(_ snapshot: StatusSnapshot) {
        state.withLock { state in
            if let kept = state.snapshot, kept.day == snapshot.day, kept.dataVersie >= snapshot.dataVersie { return }
            state.snapshot = snapshot
            state.reports = state.reports.filter { $0.key.dataVersie == snapshot.dataVersie && $0.key.day == snapshot.day }
        }
    }

    func report(_ key: ReportKey) -> Data? {
        state.withLock { $0.reports[key] }
    }

    /// Keeps a report of the newest snapshot; one of an older snapshot is not kept. Reports
    /// whose clock reading passed are dropped when their variant is kept again.
    func keep(_ data: Data, for key: ReportKey) {
        state.withLock { state in
            guard let kept = state.snapshot, kept.dataVersie == key.dataVersie, kept.day == key.day else { return }
            state.reports = state.reports.filter { $0.key.variant != key.variant }
            state.reports[key] = data
        }
    }
}
