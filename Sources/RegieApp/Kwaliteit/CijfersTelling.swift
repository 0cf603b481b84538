import DDASExchange
import Foundation
import RegieStore

/// The counts of some deliveries added up, in total and (VS) per herkomst.
struct CijfersTelling: Equatable {
    var gemeenten = 0
    var records = 0
    var zaken = 0
    /// Per code list, per value.
    var verdelingen: [String: [String: Int]] = [:]
    /// VS: per herkomst (``Herkomst`` by `rawValue`, and ``Cijfers/onbekend`` for the reports
    /// without the split), the counts of that origin; together they make the totals above.
    var perHerkomst: [String: HerkomstAantallen] = [:]
    /// How many of the deliveries have a report without the herkomst split (made before it was
    /// counted): their counts are under ``Cijfers/onbekend``.
    var zonderHerkomst = 0

    /// Adds one delivery's findings.
    mutating func add(_ findings: KwaliteitBevindingen) {
        gemeenten += 1
        records += findings.records
        zaken += findings.zaken
        for (list, counts) in findings.verdelingen {
            verdelingen[list, default: [:]].merge(counts, uniquingKeysWith: +)
        }
        guard findings.stroom == ExchangeStroom.vroegsignalering.key else { return }
        if let split = findings.perHerkomst {
            for (herkomst, counts) in split { perHerkomst[herkomst, default: HerkomstAantallen()].add(counts) }
        } else {
            zonderHerkomst += 1
            perHerkomst[Cijfers.onbekend, default: HerkomstAantallen()].add(
                HerkomstAantallen(records: findings.records, zaken: findings.zaken, verdelingen: findings.verdelingen))
        }
    }

    /// The counts of `rows`, per period.
    static func perPeriode(_ rows: [CijfersLevering]) throws -> [String: CijfersTelling] {
        let decoder = JSONDecoder()
        var tellingen: [String: CijfersTelling] = [:]
        for row in rows {
            tellingen[row.periode, default: CijfersTelling()].add(
                try decoder.decode(KwaliteitBevindingen.self, from: Data(row.bevindingen.utf8)))
        }
        return tellingen
    }

    /// The columns of the figures: the total, then each herkomst counted (VS).
    var columns: [String] {
        [Cijfers.alle] + (Herkomst.allCases.map(\.rawValue) + [Cijfers.onbekend]).filter { perHerkomst[$0] != nil }
    }

    /// The counts of one column.
    func column(_ name: String) -> HerkomstAantallen {
        name == Cijfers.alle
            ? HerkomstAantallen(records: records, zaken: zaken, verdelingen: verdelingen) : perHerkomst[name] ?? HerkomstAantallen()
    }

    /// The figures as `cells` shows them, of every herkomst side by side, or of `herkomst`
    /// only. Where the viewer knows `known` of each count (a gemeente its own share of the
    /// country), a count is also suppressed where what remains besides it is small; every
    /// count is suppressed together with the others it adds up with (``CijfersTabel``).
    func figuur(
        cells: SmallCells, codeLists: [String: CodeListValues], besides known: CijfersTelling? = nil, herkomst: Herkomst? = nil
    ) -> Cijfers.Figuur {
        let known = known ?? CijfersTelling()
        let lists = verdelingen.keys.sorted().map {
            ($0, OpOrdeRapport.Verdeling.values(of: $0, counted: verdelingen[$0] ?? [:], codeLists: codeLists))
        }
        let columns = columns
        let tabel = CijfersTabel(columns: columns, lists: lists)
        let shown = cells.table(
            tabel.counts(columns.map(column)), besides: tabel.counts(columns.map(known.column)), sums: tabel.sums)
        let delen = columns.indices.map { tabel.deel(columns[$0], at: $0, shown) }
        let splits = columns.count > 1 || herkomst != nil
        guard let herkomst else {
            let all = delen[0]
            return Cijfers.Figuur(
                gemeenten: gemeenten, records: all.records, zaken: all.zaken, verdelingen: all.verdelingen,
                perHerkomst: splits ? Array(delen.dropFirst()) : nil, zonderHerkomst: zonderHerkomst)
        }
        let deel =
            delen.first { $0.herkomst == herkomst.rawValue }
            ?? tabel.deel(herkomst.rawValue, at: nil, shown)
        return Cijfers.Figuur(
            gemeenten: gemeenten - zonderHerkomst, records: deel.records, zaken: deel.zaken, verdelingen: deel.verdelingen,
            perHerkomst: [deel], zonderHerkomst: zonderHerkomst)
    }
}

/// The counts of a figure laid out flat, per column (the total, then each herkomst): records,
/// zaken, then per code list its total and each value; with the sums that bind them, so that
/// ``SmallCells/table(_:besides:sums:)`` hides no count that the others give away.
struct CijfersTabel {
    let columns: [String]
    /// Per code list, its values in the order shown.
    let lists: [(lijst: String, waarden: [String])]

    /// Counts per column.
    var width: Int { 2 + lists.reduce(0) { $0 + 1 + $1.waarden.count } }

    /// The counts of `columns`, one after the other.
    func counts(_ columns: [HerkomstAantallen]) -> [Int] {
        columns.flatMap { column in
            var counts = [column.records, column.zaken]
            for (lijst, waarden) in lists {
                let values = column.verdelingen[lijst] ?? [:]
                counts.append(values.values.reduce(0, +))
                counts += waarden.map { values[$0] ?? 0 }
            }
            return counts
        }
    }

    /// Within each column, a list's values add up to its total; across columns, each count of
    /// the herkomsten adds up to the total's.
    var sums: [SmallCells.Sum] {
        var sums: [SmallCells.Sum] = []
        var offset = 2
        for (_, waarden) in lists {
            for column in columns.indices {
                let start = column * width + offset
                sums.append(SmallCells.Sum(parts: Array((start + 1)...(start + waarden.count)), whole: start))
            }
            offset += 1 + waarden.count
        }
        if columns.count > 1 {
            for position in 0..<width {
                sums.append(SmallCells.Sum(parts: columns.indices.dropFirst().map { $0 * width + position }, whole: position))
            }
        }
        return sums
    }

    /// Column `index` of `shown` as a herkomst's figures; zero counts when there is no such column.
    func deel(_ herkomst: String, at index: Int?, _ shown: [Int?]) -> Cijfers.Herkomstdeel {
        let cell: (Int) -> Int? = { position in index.map { shown[$0 * width + position] } ?? 0 }
        var position = 2
        let verdelingen = lists.map { lijst, waarden in
            defer { position += 1 + waarden.count }
            return OpOrdeRapport.Verdeling(
                lijst: lijst, totaal: cell(position),
                waarden: waarden.enumerated().map { OpOrdeRapport.Aantal(waarde: $1, aantal: cell(position + 1 + $0)) })
        }
        return Cijfers.Herkomstdeel(herkomst: herkomst, records: cell(0), zaken: cell(1), verdelingen: verdelingen)
    }
}
