import DDASExchange

extension ValidationBenchmark {
    /// One reading of a page that may have findings (`--findings allowed`, the 1%-invalid
    /// page): the same reading and checks as ``run(_:)``, its violations counted and the
    /// records with them checked as the delivery-quality analysis checks them.
    func runAllowingFindings(_ mode: Mode) throws -> Int {
        guard mode == .schema || mode == .semantic else { return try run(mode) }
        let page = try GegevensPage(body: body, stream: model.stream)
        let schema = model.schema.validate(page.gegevens)
        if mode == .semantic {
            let start = page.gegevens["startdatumLevering"]?.stringValue ?? "2025-01-01"
            let end = page.gegevens["einddatumLevering"]?.stringValue ?? "2025-01-31"
            var analysis = LeveringKwaliteitAnalysis(model: model, periodeStart: start, periodeEind: end, today: "2025-12-01")
            if analysis.add(page, schema: schema) != nil { throw BenchmarkError(message: "the page is unreadable") }
            _ = analysis.finish()
        }
        return page.recordCount
    }
}
