import DDASExchange
import Foundation
import Hummingbird
import RegieDomain
import RegieStore

/// What a caller asks of "Vroegsignalering in cijfers": the stream, the herkomst, the periods
/// and the area.
struct CijfersVraag {
    /// `VS` (the default) or `SHV`.
    var stroom = "VS"
    /// One herkomst (VS only); nil: both, side by side.
    var herkomst: Herkomst?
    /// The first and last period, when narrowed.
    var van: Rapportageperiode?
    var tot: Rapportageperiode?
    /// One gemeente, or one province; neither: the whole country.
    var gemeente: Gemeente?
    var provincie: (code: String, name: String)?

    /// The parameters in `query`, each checked; what is wrong is added to `check`.
    static func read(_ query: [String: String], check: inout FieldCheck, gemeenten: any GemeenteStore) async throws -> CijfersVraag {
        var vraag = CijfersVraag()
        if let stroom = query["stroom"] {
            if ["VS", "SHV"].contains(stroom) { vraag.stroom = stroom } else { check.add("stroom", "must be VS or SHV") }
        }
        if let text = query["herkomst"] {
            let names = Herkomst.allCases.map(\.rawValue)
            if let herkomst = Herkomst(rawValue: text) {
                vraag.herkomst = herkomst
                if vraag.stroom != "VS" { check.add("herkomst", "applies to stroom VS only") }
            } else {
                check.add("herkomst", "must be " + names.joined(separator: " or "))
            }
        }
        func period(_ name: String) -> Rapportageperiode? {
            guard let text = query[name] else { return nil }
            guard let period = Rapportageperiode(key: text) else {
                check.add(name, "must be a period: 2026-03, 2026-Q1 or 2026-H1 (year 1000 to 9999)")
                return nil
            }
            return period
        }
        if let periode = period("periode") {
            if query["van"] != nil || query["tot"] != nil { check.add("periode", "cannot be combined with van or tot") }
            (vraag.van, vraag.tot) = (periode, periode)
        } else {
            (vraag.van, vraag.tot) = (period("van"), period("tot"))
            if let van = vraag.van, let tot = vraag.tot, tot.lastDay < van.firstDay { check.add("tot", "must not be before van") }
        }
        if let text = query["gemeente"] {
            if let code = Gemeentecode(text), let gemeente = try await gemeenten.find(code) {
                vraag.gemeente = gemeente
            } else {
                check.add("gemeente", "is not a gemeente of the register (GM0363 or 0363)")
            }
        }
        if let wanted = query["provincie"] {
            if query["gemeente"] != nil { check.add("provincie", "cannot be combined with gemeente") }
            let provinces = try await gemeenten.provinces()
            if let match = provinces.first(where: {
                $0.code.caseInsensitiveCompare(wanted) == .orderedSame || $0.name.caseInsensitiveCompare(wanted) == .orderedSame
            }) {
                vraag.provincie = match
            } else {
                check.add("provincie", "is not a province; known: " + provinces.map(\.name).joined(separator: ", "))
            }
        }
        return vraag
    }
}

/// `GET /v1/cijfers`: "Vroegsignalering in cijfers" as JSON, or with `Accept: text/csv` as a
/// table. The project team sees exact counts and the breakdown per province or gemeente; a
/// gemeente sees its own figures and the country's, with small cells suppressed (and the
/// country's where what remains besides its own share is small).
struct CijfersController {
    let reports: OpOrdeRapportStore
    /// The register, for the gemeente and province asked for.
    let gemeenten: any GemeenteStore
    let codeLists: [String: CodeListValues]
    let refusals: Refusals

    /// The query parameters.
    static let parameters: Set<String> = ["stroom", "herkomst", "periode", "van", "tot", "gemeente", "provincie"]

    func addRoutes(to routes: APIRoutes) {
        routes.get("/v1/cijfers", use: show)
    }

    /// The figures as JSON, or as CSV when the request prefers it.
    @Sendable func show(_ request: Request, context: RegieRequestContext) async throws -> Response {
        var query = ListQuery(request, known: Self.parameters)
        let names = request.uri.queryParameters.map { String($0.key) }
        for name in Set(names) where Self.parameters.contains(name) && names.count(where: { $0 == name }) > 1 {
            query.invalid(name, "must be given once")
        }
        try query.finish()
        var check = FieldCheck(code: "invalid-parameters")
        let vraag = try await CijfersVraag.read(query.values, check: &check, gemeenten: gemeenten)
        try check.finish()
        guard let principal = context.principal else { throw Problem.unauthorized }
        if principal.role == .gemeente, let provincie = vraag.provincie {
            try await refusals.forbid(
                principal, context: context, action: "cijfers.read", objectType: "provincie", objectID: provincie.code,
                detail: "A gemeente sees its own figures and the country's.")
        }
        let cijfers = try await cijfers(vraag, team: principal.role == .projectteam, own: context.callerScope.gemeente)
        if CSVTable.isPreferred(by: request) {
            return CijfersCSV.table(cijfers).response(filename: CijfersCSV.filename(cijfers))
        }
        return JSONBody.response(cijfers)
    }

    /// The figures `vraag` asks for, exact for the project team (`team`), suppressed for a
    /// gemeente that knows its `own` counts.
    func cijfers(_ vraag: CijfersVraag, team: Bool, own: Gemeentecode?) async throws -> Cijfers {
        let rows = try await reports.latestPerPeriode(
            stroom: vraag.stroom, gemeente: vraag.gemeente?.code.rawValue, provinciecode: vraag.provincie?.code,
            vanaf: vraag.van?.firstDay.description, tot: vraag.tot?.lastDay.description)
        let cells = SmallCells(applies: !team)
        let totals = try CijfersTelling.perPeriode(rows)
        var ownPerPeriode: [String: CijfersTelling] = [:]
        if let own, vraag.gemeente == nil {
            ownPerPeriode = try CijfersTelling.perPeriode(rows.filter { $0.gemeentecode == own.rawValue })
        }
        // The database holds valid period keys only.
        let keys = totals.keys.compactMap { Rapportageperiode(key: $0) }.sorted().map(\.key)
        let perioden = try keys.map { key in
            var breakdown: [Cijfers.Gebied] = []
            if team && vraag.gemeente == nil {
                let inPeriod = rows.filter { $0.periode == key }
                let byProvince = vraag.provincie == nil
                let groups = Dictionary(grouping: inPeriod) { byProvince ? $0.provinciecode : $0.gemeentecode }
                breakdown = try groups.keys.sorted().map { code in
                    let members = groups[code] ?? []
                    let name = byProvince ? members.first?.provincie ?? code : members.first?.gemeentenaam ?? code
                    let telling = try CijfersTelling.perPeriode(members)[key] ?? CijfersTelling()
                    return Cijfers.Gebied(
                        code: code, naam: name, cijfers: telling.figuur(cells: cells, codeLists: codeLists, herkomst: vraag.herkomst))
                }
            }
            return Cijfers.Periode(
                periode: key,
                totaal: (totals[key] ?? CijfersTelling()).figuur(
                    cells: cells, codeLists: codeLists, besides: ownPerPeriode[key], herkomst: vraag.herkomst),
                perGebied: breakdown)
        }
        let (niveau, code, naam): (String, String?, String) =
            if let gemeente = vraag.gemeente {
                ("gemeente", gemeente.code.rawValue, gemeente.name)
            } else if let provincie = vraag.provincie {
                ("provincie", provincie.code, provincie.name)
            } else {
                ("land", nil, "Nederland")
            }
        return Cijfers(
            stroom: vraag.stroom, herkomst: vraag.herkomst?.rawValue, niveau: niveau, code: code, naam: naam,
            kleineAantallenOnderdrukt: cells.applies, perioden: perioden)
    }
}

/// "Vroegsignalering in cijfers" as a spreadsheet: one row per period, area, herkomst and
/// figure (herkomst `alle` for the total, or the herkomst asked for); a suppressed count is `x`
/// (as CBS writes it).
enum CijfersCSV {
    /// The table of `cijfers`.
    static func table(_ cijfers: Cijfers) -> CSVTable {
        var table = CSVTable(header: ["stroom", "periode", "gebied", "naam", "herkomst", "cijfer", "waarde", "aantal"])
        for periode in cijfers.perioden {
            let areas = [(cijfers.code ?? "NL", cijfers.naam, periode.totaal)] + periode.perGebied.map { ($0.code, $0.naam, $0.cijfers) }
            for (code, naam, figuur) in areas {
                func row(_ herkomst: String, _ cijfer: String, _ waarde: String, _ aantal: Int?) {
                    table.rows.append([
                        cijfers.stroom, periode.periode, code, naam, herkomst, cijfer, waarde, aantal.map(String.init) ?? "x",
                    ])
                }
                let herkomst = cijfers.herkomst ?? Cijfers.alle
                row(herkomst, "gemeenten", "", figuur.gemeenten)
                if figuur.perHerkomst != nil { row(herkomst, "zonderHerkomst", "", figuur.zonderHerkomst) }
                let delen = cijfers.herkomst == nil ? figuur.perHerkomst ?? [] : []
                let columns =
                    [
                        Cijfers.Herkomstdeel(
                            herkomst: herkomst, records: figuur.records, zaken: figuur.zaken, verdelingen: figuur.verdelingen)
                    ] + delen
                for deel in columns {
                    row(deel.herkomst, "records", "", deel.records)
                    row(deel.herkomst, "zaken", "", deel.zaken)
                    for verdeling in deel.verdelingen {
                        row(deel.herkomst, verdeling.lijst, "totaal", verdeling.totaal)
                        for waarde in verdeling.waarden { row(deel.herkomst, verdeling.lijst, waarde.waarde, waarde.aantal) }
                    }
                }
            }
        }
        return table
    }

    /// The download's name.
    static func filename(_ cijfers: Cijfers) -> String {
        "ddas-cijfers-\(cijfers.stroom)-\(cijfers.code ?? "NL")\(cijfers.herkomst.map { "-" + $0 } ?? "").csv"
    }
}
