import DDASExchangeReference
import Foundation

/// The frozen reference's reading and checking (`DDASExchangeReference`, the product at 4af1eff),
/// projected to the same ``Outcome`` as ``ProductSide``.
enum ReferenceSide {
    /// The shipped models, compiled once.
    static let models: [String: ExchangeModel] = {
        var models: [String: ExchangeModel] = [:]
        for stream in ExchangeStroom.allCases {
            models[stream.key] = try? ExchangeSchemas(directory: exchangeDirectory).latestModel(stream)
        }
        return models
    }()

    /// A delivery of `pages` (response bodies, in order) for `pull`, as a pull checks it.
    static func delivery(_ pages: [[UInt8]], pull: PullCase) -> Outcome {
        var outcome = Outcome()
        guard let model = models[pull.stroom] else { return Outcome(lines: ["no model for \(pull.stroom)"]) }
        let gemeenten = Set(pull.gemeenten.compactMap { ExchangeGemeentecode($0) })
        var analysis = LeveringKwaliteitAnalysis(
            model: model, periodeStart: pull.periodeStart, periodeEind: pull.periodeEind, today: pull.today)
        for (index, body) in pages.enumerated() {
            outcome.add("page \(index + 1)")
            let page: GegevensPage
            do {
                page = try GegevensPage(body: Data(body), stream: model.stream)
            } catch {
                outcome.add("read error \(error.code.rawValue) \(error.jsonError.map(\.description) ?? "-") \(error)")
                continue
            }
            outcome.add(
                "read records \(page.recordCount) leveringen \(page.leveringCount) unidentified \(page.unidentifiedGemeenteCount)")
            if let paginering = page.paginering {
                outcome.add(
                    "read paginering \(paginering.pageSize) \(paginering.currentPage) \(paginering.totalPages) \(paginering.totalRecords)")
            }
            if let fault = page.pagineringFault { outcome.add("read paginering fault \(fault.field ?? "-") \(fault.reason.rawValue)") }
            outcome.add("read gemeenten \(page.recordsPerGemeente.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })")
            outcome.add("read organisaties \(page.organisationGemeentecodes.sorted().map(\.description))")
            let request: GegevensRequest
            do {
                request = try GegevensRequest(
                    aanleverperiodeStartdatum: pull.periodeStart, aanleverperiodeEinddatum: pull.periodeEind, page: index + 1,
                    pageSize: pull.pageSize)
            } catch {
                outcome.add("request error \(error)")
                continue
            }
            let validation = model.validate(page, answering: request, for: gemeenten)
            add(validation.schema, to: &outcome)
            for problem in validation.problems { outcome.add("problem \(problem.code) \(problem)") }
            outcome.add(
                "validation records \(validation.recordCount) acceptable \(validation.isAcceptable) foreign \(validation.holdsForeignData)")
            outcome.add("validation gemeenten \(validation.recordsPerGemeente.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })")
            if let structural = analysis.add(page, schema: validation.schema) {
                outcome.add(
                    "structural \(structural.count) \(structural.first.map { "\($0.instancePointer) \($0.keyword.rawValue)" } ?? "-")")
            }
        }
        let quality = analysis.finish()
        outcome.add("findings", json: quality.findings)
        for (list, counts) in quality.invalidValues.counts.sorted(by: { $0.key < $1.key }) {
            outcome.add("invalid \(list) \(counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })")
        }
        outcome.add("uncounted \(quality.invalidValues.uncounted.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })")
        return outcome
    }

    /// One document checked as `ddas-regie valideer` checks it, for `gemeenten` when given.
    static func document(_ bytes: [UInt8], stroom: String, gemeenten: [String]?, today: String) -> Outcome {
        guard let model = models[stroom] else { return Outcome(lines: ["no model for \(stroom)"]) }
        let check = ExchangeDocumentCheck(
            model: model, gemeenten: gemeenten.map { Set($0.compactMap { ExchangeGemeentecode($0) }) }, today: today)
        var outcome = Outcome()
        switch check.check(bytes) {
        case .success(let rapport): outcome.add("rapport", json: rapport)
        case .failure(let fout): outcome.add("fout \(fout.code) \(fout)")
        }
        // The schema alone with a short list of violations: the count stays whole when the list is cut.
        if let page = try? GegevensPage(body: Data(bytes), stream: model.stream), let request = try? GegevensRequest() {
            let validation = model.validate(
                page, answering: request, for: [], options: SchemaValidationOptions(maxViolations: 20, namesUnknownMembers: true))
            add(validation.schema, to: &outcome)
        }
        return outcome
    }

    private static func add(_ schema: SchemaValidationResult, to outcome: inout Outcome) {
        outcome.add("schema total \(schema.totalViolationCount) valid \(schema.isValid) truncated \(schema.isTruncated)")
        outcome.add("schema counts \(schema.countsByKeywordLocation.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })")
        for violation in schema.violations {
            outcome.add("violation \(violation.instancePointer) \(violation.keyword.rawValue) \(violation.keywordLocation)")
        }
    }
}
