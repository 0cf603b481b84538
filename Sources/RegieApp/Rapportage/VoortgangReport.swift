import Foundation
import RegieDomain
import RegieStore

/// Where everyone stands (`GET /v1/voortgang`): the funnel of the gemeenten per phase (also per
/// supplier and per province), the supplier services, progress against each phase's due month,
/// the deliveries of the latest period per state, and the gemeenten that need attention and why.
struct VoortgangReport: Encodable {
    /// A phase: how many gemeenten are in it now, and how many have reached it or a later one.
    struct Fase: Encodable {
        let fase: String
        let aantal: Int
        let bereikt: Int
    }

    /// A group (a supplier, a province): its gemeenten per phase (side states included).
    struct Groep: Encodable {
        let naam: String
        let totaal: Int
        let perFase: [String: Int]
    }

    /// Progress against a phase's due month.
    struct Mijlpaal: Encodable {
        let fase: String
        /// `YYYY-MM`: the phase is due by the end of this month.
        let deadline: String
        let bereikt: Int
        /// Reached by the end of the due month.
        let opTijd: Int
        /// Reached, but after the due month.
        let teLaat: Int
        /// Not reached while the due month is over.
        let achterstallig: Int
        /// Of those overdue, the most days past the due month, and the mean.
        let maxDagenAchterstallig: Int?
        let gemiddeldDagenAchterstallig: Double?
    }

    struct Dienst: Encodable {
        let leverancier: String
        let naam: String
        let stroom: String
        let fase: String
        let faseSinds: Date
        let dagenInFase: Int
    }

    struct Reden: Encodable {
        /// `achterstallig`, `opgeschort`, `geblokkeerd`, `toestemming_ingetrokken`, `levering_opgegeven`.
        let code: String
        let tekst: String
    }

    struct Aandacht: Encodable {
        let gemeentecode: String
        let naam: String
        let provincie: String
        let leveranciers: [String: String]
        let fase: String
        /// Days past the due month of the next phase, when overdue.
        let dagenAchterstallig: Int?
        let redenen: [Reden]
    }

    struct Leveringen: Encodable {
        let stroom: String
        let periode: String
        let totaal: Int
        let perStatus: [String: Int]
    }

    let peildatum: String
    let gemeenten: Int
    let perFase: [Fase]
    let zijstaten: [String: Int]
    let perLeverancier: [Groep]
    let perProvincie: [Groep]
    let diensten: [Dienst]
    let planning: [Mijlpaal]
    let leveringen: [Leveringen]
    let aandacht: [Aandacht]
}

extension VoortgangReport {
    /// The next due phase of a gemeente in `phase` (a main phase) and how many days it is past
    /// its due month (0 before the end of that month); nil when nothing is due anymore.
    static func deadline(after phase: String, engine: WorkflowEngine, now: Date) -> (fase: String, due: String, overdueDays: Int)? {
        guard let next = engine.nextDeadline(after: phase), let due = next.due else { return nil }
        let days = due.hasPassed(at: now) ? Int(now.timeIntervalSince(due.end()) / 86_400) : 0
        return (next.name, due.description, days)
    }

    /// The main phase of a gemeente: its phase, or in a side state the last main phase it entered.
    static func mainPhase(_ row: GemeenteStatusRow, entries: [(fase: String, moment: Date)], definition: WorkflowDefinition) -> String {
        mainPhase(of: row.fase, entries: entries, definition: definition)
    }

    /// The main phase of a gemeente in state `fase` with the phase moves `entries`.
    static func mainPhase(of fase: String, entries: [(fase: String, moment: Date)], definition: WorkflowDefinition) -> String {
        if definition.index(ofPhase: fase) != nil { return fase }
        return entries.last { definition.index(ofPhase: $0.fase) != nil }?.fase ?? definition.initial
    }

    /// The report over `rows`.
    static func build(
        rows: [GemeenteStatusRow], entries: [String: [(fase: String, moment: Date)]], suppliers: [Leverancier],
        deliveries: [PeriodeLeveringen], definition: WorkflowDefinition, now: Date
    ) -> VoortgangReport {
        let engine = WorkflowEngine(definition)
        let phases = definition.phases.map(\.name)
        let main = Dictionary(
            uniqueKeysWithValues: rows.map {
                ($0.gemeente.code.rawValue, mainPhase($0, entries: entries[$0.gemeente.code.rawValue] ?? [], definition: definition))
            })
        func reachedIndex(_ row: GemeenteStatusRow) -> Int { definition.index(ofPhase: main[row.gemeente.code.rawValue] ?? "") ?? 0 }

        let perFase = phases.enumerated().map { index, name in
            Fase(
                fase: name, aantal: rows.filter { $0.fase == name }.count, bereikt: rows.filter { reachedIndex($0) >= index }.count)
        }
        var sideStates: [String: Int] = [:]
        for state in definition.sideStates { sideStates[state.name] = rows.filter { $0.fase == state.name }.count }

        func groups(_ key: (GemeenteStatusRow) -> [String]) -> [Groep] {
            var grouped: [String: [GemeenteStatusRow]] = [:]
            for row in rows {
                for name in key(row) { grouped[name, default: []].append(row) }
            }
            return grouped.keys.sorted().map { name in
                let members = grouped[name] ?? []
                var counts: [String: Int] = [:]
                for member in members { counts[member.fase, default: 0] += 1 }
                return Groep(naam: name, totaal: members.count, perFase: counts)
            }
        }
        let perSupplier = groups { row in row.leveranciers.isEmpty ? ["(geen)"] : Array(Set(row.leveranciers.values)) }
        let perProvince = groups { [$0.gemeente.province] }

        let planning = definition.phases.enumerated().compactMap { index, phase -> Mijlpaal? in
            guard let due = phase.due else { return nil }
            let end = due.end()
            var reached = 0
            var onTime = 0
            var overdueDays: [Int] = []
            for row in rows {
                if reachedIndex(row) >= index {
                    reached += 1
                    // The initial phase is reached at registration; a later one by the first move to it or beyond.
                    let moment =
                        phase.name == definition.initial
                        ? nil
                        : (entries[row.gemeente.code.rawValue] ?? []).first { (definition.index(ofPhase: $0.fase) ?? -1) >= index }?.moment
                    if moment.map({ $0 <= end }) ?? true { onTime += 1 }
                } else if due.hasPassed(at: now) {
                    overdueDays.append(Int(now.timeIntervalSince(end) / 86_400))
                }
            }
            return Mijlpaal(
                fase: phase.name, deadline: due.description, bereikt: reached, opTijd: onTime, teLaat: reached - onTime,
                achterstallig: overdueDays.count, maxDagenAchterstallig: overdueDays.max(),
                gemiddeldDagenAchterstallig: overdueDays.isEmpty
                    ? nil : (Double(overdueDays.reduce(0, +)) / Double(overdueDays.count) * 10).rounded() / 10)
        }

        let services = suppliers.flatMap { supplier in
            supplier.diensten.map {
                Dienst(
                    leverancier: supplier.id, naam: supplier.naam, stroom: $0.stroom.rawValue, fase: $0.fase, faseSinds: $0.faseSinds,
                    dagenInFase: max(0, Int(now.timeIntervalSince($0.faseSinds) / 86_400)))
            }
        }

        // Most reasons first, then the longest overdue, then by code.
        let attention = rows.compactMap { row -> Aandacht? in
            let phase = main[row.gemeente.code.rawValue] ?? row.fase
            let reasons = Self.reasons(row, mainPhase: phase, engine: engine, now: now)
            guard !reasons.isEmpty else { return nil }
            let overdue = engine.overdue(phase: phase, now: now) ? deadline(after: phase, engine: engine, now: now)?.overdueDays : nil
            return Aandacht(
                gemeentecode: row.gemeente.code.rawValue, naam: row.gemeente.name, provincie: row.gemeente.province,
                leveranciers: Dictionary(uniqueKeysWithValues: row.leveranciers.map { ($0.key.rawValue, $0.value) }), fase: row.fase,
                dagenAchterstallig: overdue, redenen: reasons)
        }.sorted {
            ($0.redenen.count, $0.dagenAchterstallig ?? 0, $1.gemeentecode) > (
                $1.redenen.count, $1.dagenAchterstallig ?? 0, $0.gemeentecode
            )
        }

        return VoortgangReport(
            peildatum: amsterdamDay(now).description, gemeenten: rows.count, perFase: perFase, zijstaten: sideStates,
            perLeverancier: perSupplier, perProvincie: perProvince, diensten: services, planning: planning,
            leveringen: deliveries.map {
                Leveringen(stroom: $0.stroom, periode: $0.periode, totaal: $0.perStatus.values.reduce(0, +), perStatus: $0.perStatus)
            },
            aandacht: attention)
    }

    /// Why a gemeente needs attention, in Dutch; empty when it does not.
    static func reasons(_ row: GemeenteStatusRow, mainPhase: String, engine: WorkflowEngine, now: Date) -> [Reden] {
        var reasons: [Reden] = []
        if let deadline = deadline(after: mainPhase, engine: engine, now: now), engine.overdue(phase: mainPhase, now: now) {
            reasons.append(
                Reden(
                    code: "achterstallig",
                    tekst: "\(deadline.fase) had eind \(deadline.due) bereikt moeten zijn; \(deadline.overdueDays) dagen achterstallig"))
        }
        switch row.fase {
        case "opgeschort": reasons.append(Reden(code: "opgeschort", tekst: "opgeschort door het projectteam"))
        case "geblokkeerd": reasons.append(Reden(code: "geblokkeerd", tekst: "geblokkeerd door het projectteam"))
        case "toestemming_ingetrokken":
            let since = row.laatstIngetrokkenOp.map { " op \(GemeentenCSV.day($0))" } ?? ""
            reasons.append(Reden(code: "toestemming_ingetrokken", tekst: "toestemming ingetrokken\(since)"))
        default: break
        }
        for last in row.laatsteLeveringen where last.status == "opgegeven" {
            reasons.append(
                Reden(
                    code: "levering_opgegeven",
                    tekst:
                        "laatste levering (\(last.stroom) \(last.periode)) opgegeven: \(last.foutKlasse.map(FoutKlasse.label) ?? "onbekende oorzaak")"
                ))
        }
        return reasons
    }
}
