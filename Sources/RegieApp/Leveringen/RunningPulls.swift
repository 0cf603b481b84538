import Foundation
import RegieDomain
import Synchronization

/// The pulls a worker is running, by delivery, so that a consent revocation (a NOTIFY on
/// `leveringen_annulering` with the gemeentecode) stops the gemeente's pulls at once instead
/// of letting them run to a hand-over that the consent check would refuse anyway.
final class RunningPulls: Sendable {
    private struct Entry {
        let gemeente: Gemeentecode
        let task: Task<PullResult, any Error>
    }

    private let state = Mutex<(running: [UUID: Entry], revoked: Set<UUID>)>(([:], []))

    func register(_ id: UUID, gemeente: Gemeentecode, task: Task<PullResult, any Error>) {
        state.withLock { $0.running[id] = Entry(gemeente: gemeente, task: task) }
    }

    /// Forgets a pull; true when it was stopped by a revocation.
    func finish(_ id: UUID) -> Bool {
        state.withLock { state in
            state.running[id] = nil
            return state.revoked.remove(id) != nil
        }
    }

    /// Stops the running pulls of `gemeente`; returns how many.
    @discardableResult
    func revoke(_ gemeente: Gemeentecode) -> Int {
        let stopped = state.withLock { state -> [Task<PullResult, any Error>] in
            let matching = state.running.filter { $0.value.gemeente == gemeente }
            state.revoked.formUnion(matching.keys)
            return matching.values.map(\.task)
        }
        stopped.forEach { $0.cancel() }
        return stopped.count
    }
}
