import Foundation

/// Where one message of the outbox stands (one melding for one subscription): waiting to be
/// sent, being sent by one dispatcher under a lease, sent, or given up with its reason.
public enum MeldingBezorgStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// Queued; due at `volgendePogingOp`.
    case wachtend
    /// A dispatcher holds it until its lease ends.
    case bezig
    /// The mail server or the endpoint accepted it.
    case verzonden
    /// Given up: a final refusal, or the last attempt failed.
    case mislukt
}

/// One message's sending state, as the outbox row holds it.
public struct MeldingBezorging: Sendable, Hashable {
    /// Where it stands.
    public var status: MeldingBezorgStatus
    /// Attempts made so far.
    public var pogingen: Int
    /// When it may be sent (again).
    public var volgendePogingOp: Date
    /// The dispatcher holding it, while `bezig`.
    public var houder: String?
    /// Until when that dispatcher holds it.
    public var leaseTot: Date?
    /// Why the last attempt failed (a code and a line, never the message).
    public var laatsteFout: String?

    /// A new message, due at once.
    public init(due moment: Date) {
        status = .wachtend
        pogingen = 0
        volgendePogingOp = moment
    }

    /// What happened to it.
    public enum Gebeurtenis: Sendable, Hashable {
        /// A dispatcher took it.
        case genomen(houder: String, leaseTot: Date)
        /// The server or endpoint accepted it.
        case verzonden(houder: String)
        /// The attempt failed; `tijdelijk` when trying later may help. `jitter` in `0...1`.
        case mislukt(houder: String, tijdelijk: Bool, reden: String, jitter: Double)
        /// Its dispatcher's lease ended without an outcome (the process died): it waits again,
        /// the attempt counted, because the message may have gone out.
        case leaseVerlopen
        /// Someone of the project team sends a given-up message again: it waits, due at once,
        /// with a fresh set of attempts; the last reason stays until the next attempt ends.
        case opnieuw
    }

    /// Why a change is not allowed.
    public enum Weigering: Error, Sendable, Hashable {
        /// The change does not apply in this status.
        case nietToegestaan(MeldingBezorgStatus)
        /// Another dispatcher holds it, or the lease ended.
        case leaseKwijt
        /// It is not due yet.
        case nogNiet(Date)
    }

    /// The state after `gebeurtenis` at `moment`, with `policy` deciding the retries.
    public func na(_ gebeurtenis: Gebeurtenis, at moment: Date, policy: RetryPolicy) throws(Weigering) -> MeldingBezorging {
        var next = self
        switch gebeurtenis {
        case .genomen(let houder, let leaseTot):
            guard status == .wachtend else { throw .nietToegestaan(status) }
            guard volgendePogingOp <= moment else { throw .nogNiet(volgendePogingOp) }
            next.status = .bezig
            next.pogingen += 1
            next.houder = houder
            next.leaseTot = leaseTot
        case .verzonden(let houder):
            try holds(houder, at: moment)
            next.status = .verzonden
            next.houder = nil
            next.leaseTot = nil
            next.laatsteFout = nil
        case .mislukt(let houder, let tijdelijk, let reden, let jitter):
            try holds(houder, at: moment)
            next.houder = nil
            next.leaseTot = nil
            next.laatsteFout = reden
            if tijdelijk, !policy.isLast(attempt: pogingen) {
                next.status = .wachtend
                next.volgendePogingOp = moment.addingTimeInterval(policy.delay(afterAttempt: pogingen, unitRandom: { jitter }))
            } else {
                next.status = .mislukt
            }
        case .leaseVerlopen:
            guard status == .bezig else { throw .nietToegestaan(status) }
            guard let leaseTot, leaseTot <= moment else { throw .leaseKwijt }
            next.houder = nil
            next.leaseTot = nil
            next.laatsteFout = "lease_verlopen"
            if policy.isLast(attempt: pogingen) {
                next.status = .mislukt
            } else {
                next.status = .wachtend
                next.volgendePogingOp = moment
            }
        case .opnieuw:
            guard status == .mislukt else { throw .nietToegestaan(status) }
            next.status = .wachtend
            next.pogingen = 0
            next.volgendePogingOp = moment
        }
        return next
    }

    private func holds(_ houder: String, at moment: Date) throws(Weigering) {
        guard status == .bezig else { throw .nietToegestaan(status) }
        guard self.houder == houder, let leaseTot, leaseTot > moment else { throw .leaseKwijt }
    }
}
