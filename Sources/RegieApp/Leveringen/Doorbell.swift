/// Wakes a waiting worker: rung on a NOTIFY (or by anyone with news), waited on with a
/// timeout so that polling goes on when notifications cannot arrive (a transaction pooler).
actor Doorbell {
    private var rung = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Wakes the waiters, or the next one to wait.
    func ring() {
        if waiters.isEmpty {
            rung = true
        } else {
            let woken = waiters
            waiters.removeAll()
            woken.forEach { $0.resume() }
        }
    }

    /// Returns when rung or after `timeout`, whichever comes first.
    func wait(timeout: Duration) async {
        if rung {
            rung = false
            return
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.ring()
        }
        await withCheckedContinuation { waiters.append($0) }
        timer.cancel()
        rung = false
    }
}
