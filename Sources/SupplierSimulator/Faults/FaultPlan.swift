/// The faults in force, changeable while the simulator runs.
///
/// Rules are tried in order; the first that matches a request and fires decides its fault.
/// A rule with a `limit` stops firing after that many faults; one with a `rate` fires at
/// random (seeded, so a run is repeatable given the same order of requests).
public actor FaultPlan {
    private struct Entry {
        let rule: FaultRule
        var fired: Int
    }

    private var entries: [Entry] = []
    private var random: RecordRandom
    private let signers: [String: Set<SignerRole>]

    /// A plan for suppliers with the given extra signers (by supplier name), which decides
    /// whether signer faults can be planned; `seed` fixes the draws of rules with a rate.
    init(rules: [FaultRule], signers: [String: Set<SignerRole>], seed: UInt64) throws(SimulatorConfigurationError) {
        self.signers = signers
        random = RecordRandom(seed, 0x6661_756C_74)
        for rule in rules { try Self.check(rule, signers: signers) }
        entries = rules.map { Entry(rule: $0, fired: 0) }
    }

    /// The rules, in order.
    public var rules: [FaultRule] { entries.map(\.rule) }

    /// How many times each rule has fired, in the order of `rules`.
    public var firedCounts: [Int] { entries.map(\.fired) }

    /// Adds a rule after the others.
    public func add(_ rule: FaultRule) throws(SimulatorConfigurationError) {
        try Self.check(rule, signers: signers)
        entries.append(Entry(rule: rule, fired: 0))
    }

    /// Replaces every rule with `rules`, or, when `supplier` is given, only the rules of that
    /// supplier (each of `rules` is then bound to it).
    public func replace(with rules: [FaultRule], supplier: String? = nil) throws(SimulatorConfigurationError) {
        let bound = rules.map { rule in
            var rule = rule
            if let supplier { rule.supplier = supplier }
            return rule
        }
        for rule in bound { try Self.check(rule, signers: signers) }
        if let supplier {
            entries.removeAll { $0.rule.supplier == supplier }
        } else {
            entries.removeAll()
        }
        entries.append(contentsOf: bound.map { Entry(rule: $0, fired: 0) })
    }

    /// Removes every rule.
    public func removeAll() {
        entries.removeAll()
    }

    /// The fault for a request of `supplier` for `gemeenten` (four-digit codes) and `page`, if
    /// any rule fires; counts the firing.
    func draw(supplier: String, gemeenten: [String], page: Int) -> Fault? {
        for position in entries.indices {
            let rule = entries[position].rule
            if let limit = rule.limit, entries[position].fired >= limit { continue }
            if let wanted = rule.supplier, wanted != supplier { continue }
            if let wanted = rule.page, wanted != page { continue }
            if let code = rule.gemeentecode, !gemeenten.contains(SimulatedGemeente.digits(of: code) ?? code) { continue }
            if let rate = rule.rate, Double(random.below(1_000_000)) >= rate * 1_000_000 { continue }
            entries[position].fired += 1
            return rule.fault
        }
        return nil
    }

    private static func check(_ rule: FaultRule, signers: [String: Set<SignerRole>]) throws(SimulatorConfigurationError) {
        if let code = rule.gemeentecode, SimulatedGemeente.digits(of: code) == nil {
            throw SimulatorConfigurationError(code: "invalid-gemeentecode", message: "a fault rule names gemeentecode '\(code)'")
        }
        if let supplier = rule.supplier, signers[supplier] == nil {
            throw SimulatorConfigurationError(code: "unknown-supplier", message: "a fault rule names supplier '\(supplier)'")
        }
        if let rate = rule.rate, !(0...1).contains(rate) {
            throw SimulatorConfigurationError(code: "invalid-fault-rate", message: "a fault rule has rate \(rate), outside 0...1")
        }
        if let limit = rule.limit, limit < 0 {
            throw SimulatorConfigurationError(code: "invalid-fault-limit", message: "a fault rule has a negative limit")
        }
        if let fraction = rule.fault.sentFraction, !(0..<1).contains(fraction) {
            throw SimulatorConfigurationError(code: "invalid-sent-fraction", message: "sentFraction must be in 0..<1")
        }
        if let role = rule.fault.kind.neededSigner {
            let lacking = signers.filter { name, roles in (rule.supplier == nil || rule.supplier == name) && !roles.contains(role) }
            if let name = lacking.keys.sorted().first {
                throw SimulatorConfigurationError(
                    code: "fault-needs-signer",
                    message: "fault \(rule.fault.kind.rawValue) needs an '\(role.rawValue)' signer, which supplier '\(name)' lacks")
            }
        }
    }
}

/// A configuration the simulator cannot run with; `code` is stable, `message` names the setting.
public struct SimulatorConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable code, e.g. `fault-needs-signer`.
    public let code: String
    /// What is wrong, naming the setting.
    public let message: String

    /// An error as given.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
