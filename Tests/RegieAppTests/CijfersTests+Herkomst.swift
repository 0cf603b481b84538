import DDASExchange
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import RegieStore
import RegieTestSupport
import Testing

@testable import RegieApp

/// "Vroegsignalering in cijfers" per herkomst: vroegsignalen and crisissignalen side by side.
extension CijfersTests {
    /// Every count of a figure's herkomst `deel` and of its total, by name (`records`,
    /// `contactsoort/Brief`, `contactsoort/totaal`).
    static func cells(_ verdelingen: [RapportBody.Verdeling], records: Int?, zaken: Int?) -> [String: Int?] {
        var cells: [String: Int?] = ["records": records, "zaken": zaken]
        for verdeling in verdelingen {
            cells[verdeling.lijst + "/totaal"] = verdeling.totaal
            for waarde in verdeling.waarden { cells[verdeling.lijst + "/" + waarde.waarde] = waarde.aantal }
        }
        return cells
    }

    @Test("the country's figures per herkomst are the sums of the latest deliveries' split counts, and the filter gives one of them")
    func countryPerHerkomst() async throws {
        try await Self.delivered { fixture, app in
            var sums: [String: HerkomstAantallen] = [:]
            for code in fixture.codes {
                let found = try await Self.findings(fixture, code)
                let latest = try #require(found["herlevering"] ?? found["regulier"])
                for (herkomst, counts) in try #require(latest.perHerkomst) { sums[herkomst, default: HerkomstAantallen()].add(counts) }
            }
            let expected = sums
            let crisis = try #require(expected["crisissignaal"])
            let plain = try #require(expected["vroegsignaal"])
            #expect(crisis.records > 0 && crisis.zaken > 0, "the simulator sends some crisissignalen")
            #expect(plain.records > 10 * crisis.records)
            let team = try await app.headers(.projectteam)
            try await app.application().test(.router) { client in
                let body = try #require(try await Self.get(client, "/v1/cijfers", team))
                let totaal = try #require(body.perioden.first?.totaal)
                #expect(body.herkomst == nil && totaal.zonderHerkomst == 0)
                #expect(totaal.perHerkomst?.map(\.herkomst) == ["vroegsignaal", "crisissignaal"])
                for (name, counts) in expected {
                    let deel = try #require(totaal.deel(name))
                    let shown = Self.cells(deel.verdelingen, records: deel.records, zaken: deel.zaken)
                    #expect(deel.records == counts.records && deel.zaken == counts.zaken, "\(name)")
                    for (list, values) in counts.verdelingen {
                        for (value, count) in values { #expect(shown["\(list)/\(value)"] == count, "\(name) \(list) \(value)") }
                    }
                }
                #expect(totaal.records == plain.records + crisis.records && totaal.zaken == plain.zaken + crisis.zaken)
                for herkomst in ["vroegsignaal", "crisissignaal"] {
                    let filtered = try #require(try await Self.get(client, "/v1/cijfers?herkomst=\(herkomst)", team))
                    let figuur = try #require(filtered.perioden.first?.totaal)
                    let counts = try #require(expected[herkomst])
                    #expect(filtered.herkomst == herkomst && figuur.gemeenten == 3)
                    #expect(figuur.records == counts.records && figuur.zaken == counts.zaken)
                    for (list, values) in counts.verdelingen {
                        for (value, count) in values { #expect(figuur.aantal(list, value) == count, "\(herkomst) \(list) \(value)") }
                    }
                    #expect(figuur.perHerkomst?.map(\.herkomst) == [herkomst])
                    let breakdown = filtered.perioden.first?.perGebied.compactMap(\.cijfers.records).reduce(0, +)
                    #expect(breakdown == counts.records)
                }
                let page = try await client.execute(uri: "/v1/openapi.json", method: .get, headers: team) { String(buffer: $0.body) }
                #expect(page.contains("\"crisissignaal\"") && !page.contains("no filter on herkomst"))
            }
        }
    }

    @Test("a gemeente sees small herkomst cells suppressed, and none follows from the total minus the other herkomst or its list")
    func suppressedPerHerkomst() async throws {
        try await Self.delivered { fixture, app in
            let code = fixture.codes[1]
            let team = try await app.headers(.projectteam)
            let gemeente = try await app.headers(.gemeente, scope: code.rawValue)
            try await app.application().test(.router) { client in
                var hiddenCrisis = 0
                for uri in ["/v1/cijfers?gemeente=\(code.rawValue)", "/v1/cijfers"] {
                    let exact = try #require(try await Self.get(client, uri, team)?.perioden.first?.totaal)
                    let shown = try #require(try await Self.get(client, uri, gemeente)?.perioden.first?.totaal)
                    let total = Self.cells(shown.verdelingen, records: shown.records, zaken: shown.zaken)
                    let exactTotal = Self.cells(exact.verdelingen, records: exact.records, zaken: exact.zaken)
                    let parts = try ["vroegsignaal", "crisissignaal"].map { name in
                        let deel = try #require(shown.deel(name))
                        return Self.cells(deel.verdelingen, records: deel.records, zaken: deel.zaken)
                    }
                    let exactParts = try ["vroegsignaal", "crisissignaal"].map { name in
                        let deel = try #require(exact.deel(name))
                        return Self.cells(deel.verdelingen, records: deel.records, zaken: deel.zaken)
                    }
                    for (name, cell) in total {
                        let hidden = ([cell] + parts.map { $0[name] ?? nil }).count(where: { $0 == nil })
                        #expect(hidden != 1, "\(uri) \(name): one hidden beside its total and the other herkomst")
                        for (index, part) in parts.enumerated() {
                            if let count = part[name] ?? nil {
                                #expect(count == exactParts[index][name] ?? -1, "\(uri) \(name) is exact where shown")
                            } else if index == 1, let exactCount = exactParts[1][name] ?? nil, (1...4).contains(exactCount) {
                                hiddenCrisis += 1
                            }
                        }
                        if let shownTotal = cell { #expect(shownTotal == exactTotal[name] ?? -1) }
                    }
                    // Within each herkomst, a list's total beside exactly one hidden value would give it away.
                    for part in parts {
                        let lists = Set(part.keys.filter { $0.contains("/") }.map { String($0.prefix { $0 != "/" }) })
                        for list in lists where part[list + "/totaal"] ?? nil != nil {
                            let values = part.filter { $0.key.hasPrefix(list + "/") && $0.key != list + "/totaal" }
                            #expect(values.values.count(where: { $0 == nil }) != 1, "\(uri) \(list)")
                        }
                    }
                    // The filter shows the same cells: it gives nothing away either.
                    let filtered = try #require(
                        try await Self.get(client, uri + (uri.contains("?") ? "&" : "?") + "herkomst=crisissignaal", gemeente))
                    let crisis = try #require(filtered.perioden.first?.totaal)
                    #expect(Self.cells(crisis.verdelingen, records: crisis.records, zaken: crisis.zaken) == parts[1])
                }
                #expect(hiddenCrisis > 0, "small crisissignaal counts are hidden")
            }
        }
    }

    @Test("an op-orde-rapport stored before the split still counts, as herkomst onbekend, and the filter says it left it out")
    func reportWithoutSplit() async throws {
        try await Self.delivered { fixture, app in
            let old = fixture.codes[2]
            let findings = try #require(try await Self.findings(fixture, old)["regulier"])
            let updated = try await fixture.pool.query(
                """
                UPDATE op_orde_rapporten SET bevindingen = bevindingen - 'perHerkomst'
                WHERE levering_id IN (SELECT id FROM leveringen WHERE gemeente_code = $1) RETURNING levering_id
                """, [old.rawValue])
            #expect(updated.count == 1)
            #expect(try await Self.findings(fixture, old)["regulier"]?.perHerkomst == nil, "the old form decodes")
            let team = try await app.headers(.projectteam)
            try await app.application().test(.router) { client in
                let totaal = try #require(try await Self.get(client, "/v1/cijfers", team)?.perioden.first?.totaal)
                #expect(totaal.zonderHerkomst == 1 && totaal.gemeenten == 3)
                #expect(totaal.perHerkomst?.map(\.herkomst) == ["vroegsignaal", "crisissignaal", "onbekend"])
                #expect(totaal.deel("onbekend")?.records == findings.records && totaal.deel("onbekend")?.zaken == findings.zaken)
                let summed = totaal.perHerkomst?.compactMap(\.records).reduce(0, +)
                #expect(summed == totaal.records)
                let filtered = try #require(try await Self.get(client, "/v1/cijfers?herkomst=vroegsignaal", team)?.perioden.first?.totaal)
                #expect(filtered.gemeenten == 2 && filtered.zonderHerkomst == 1)
                #expect(filtered.records == totaal.deel("vroegsignaal")?.records)
                let secret = try await app.dependencies.tokens.issue(
                    role: .projectteam, scope: nil, expiresAt: nil, description: "web", by: .commandLine
                ).secret
                let principal = try #require(try await app.dependencies.tokens.authenticate(secret: secret))
                let session = WebPagesTests.cookie(try await app.dependencies.webSessions.start(for: principal))
                let page = try await client.execute(uri: "/cijfers", method: .get, headers: session) { String(buffer: $0.body) }
                #expect(page.contains("id=\"zonder-herkomst-2026-Q1\"") && page.contains("herkomst onbekend"))
                #expect(page.contains("id=\"herkomst-2026-Q1\"") && page.contains("<th scope=\"col\" class=\"getal\">Crisissignalen</th>"))
                #expect(!page.contains("kan nog niet"))
                let crisisPage = try await client.execute(uri: "/cijfers?herkomst=crisissignaal", method: .get, headers: session) {
                    String(buffer: $0.body)
                }
                #expect(crisisPage.contains("<dt>Crisissignalen</dt>") && crisisPage.contains("<option value=\"crisissignaal\" selected>"))
                #expect(crisisPage.contains("niet meegeteld") && !crisisPage.contains("id=\"herkomst-2026-Q1\""))
                try await client.execute(uri: "/cijfers?herkomst=CRISIS", method: .get, headers: session) { response in
                    #expect(response.status == .badRequest)
                }
                let csv = try await client.execute(uri: "/cijfers?formaat=csv&herkomst=crisissignaal", method: .get, headers: session) {
                    String(buffer: $0.body)
                }
                #expect(csv.contains(";NL;Nederland;crisissignaal;zonderHerkomst;;1\r\n") && !csv.contains(";alle;"))
            }
        }
    }

    @Test("suppression besides what the viewer knows: a cell whose rest is small is hidden, and never one cell alone beside its total")
    func suppressionRule() {
        let cells = SmallCells(applies: true)
        // Three parts and their total, at position 3 (4 for four parts).
        func group(_ counts: [Int], besides known: [Int]) -> [Int?] {
            let sum = SmallCells.Sum(parts: Array(counts.indices), whole: counts.count)
            return Array(
                cells.table(counts + [counts.reduce(0, +)], besides: known + [known.reduce(0, +)], sums: [sum]).dropLast())
        }
        #expect(group([100, 3, 50, 0], besides: [0, 0, 0, 0]) == [100, nil, nil, 0])
        #expect(group([100, 30, 50], besides: [97, 0, 0]) == [nil, nil, 50], "100 − 97 = 3 is small; 30 is hidden beside it")
        #expect(group([100, 30, 50], besides: [100, 0, 0]) == [100, 30, 50], "the viewer's own counts give nothing away")
        #expect(cells.table([12, 12, 0], besides: [10, 7, 0], sums: []) == [nil, 12, 0])
        #expect(SmallCells(applies: false).table([3, 1, 4], besides: [0, 0, 0], sums: []) == [3, 1, 4])
        // A 2×2 table with margins (rows: two values and their total; columns: total, vroeg, crisis):
        // 3 crisissignalen hide their row and column neighbours, so no subtraction recovers them.
        let table = [
            40, 30, 10,  // value A: total, vroegsignaal, crisissignaal
            63, 60, 3,  // value B
            103, 90, 13,  // the list's totals
        ]
        let sums = [
            SmallCells.Sum(parts: [1, 2], whole: 0), SmallCells.Sum(parts: [4, 5], whole: 3), SmallCells.Sum(parts: [7, 8], whole: 6),
            SmallCells.Sum(parts: [0, 3], whole: 6), SmallCells.Sum(parts: [1, 4], whole: 7), SmallCells.Sum(parts: [2, 5], whole: 8),
        ]
        let shown = cells.table(table, besides: [Int](repeating: 0, count: 9), sums: sums)
        #expect(shown == [40, nil, nil, 63, nil, nil, 103, 90, 13])
    }
}
