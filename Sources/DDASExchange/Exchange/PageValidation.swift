extension GegevensPage {
    /// The problems of this page as the answer to `request` in a pull for `gemeenten`: a bad
    /// `paginering`, data of other (or unknown) gemeenten, another page than asked for, and
    /// more records than the page size allows.
    public func problems(answering request: GegevensRequest, for gemeenten: Set<ExchangeGemeentecode>) -> [PageProblem] {
        var problems: [PageProblem] = []
        if let pagineringFault { problems.append(.invalidPaginering(pagineringFault)) }
        let foreign = recordsPerGemeente.filter { !gemeenten.contains($0.key) }
        if !foreign.isEmpty {
            problems.append(.foreignGemeente(codes: foreign.keys.sorted(), recordCount: foreign.values.reduce(0, +)))
        }
        if unidentifiedGemeenteCount > 0 { problems.append(.unidentifiedGemeente(count: unidentifiedGemeenteCount)) }
        let requestedPage = request.page ?? 1
        var limit = stream.maxPageSize
        if let paginering {
            if paginering.currentPage != requestedPage {
                problems.append(.wrongPage(requested: requestedPage, received: paginering.currentPage))
            }
            if paginering.currentPage > paginering.totalPages {
                problems.append(.pageBeyondTotal(currentPage: paginering.currentPage, totalPages: paginering.totalPages))
            }
            if paginering.pageSize > stream.maxPageSize {
                problems.append(.pageSizeAboveMaximum(pageSize: paginering.pageSize, maximum: stream.maxPageSize))
            }
            limit = min(limit, paginering.pageSize)
        } else if pagineringFault == nil, requestedPage != 1 {
            problems.append(.missingPaginering(requestedPage: requestedPage))
        }
        if let requestedSize = request.pageSize { limit = min(limit, requestedSize) }
        if recordCount > limit { problems.append(.tooManyRecords(recordCount: recordCount, limit: limit)) }
        return problems
    }
}

extension ExchangeModel {
    /// Checks a page completely: its `gegevens` against this model's schema, and the page
    /// against the request (see ``GegevensPage/problems(answering:for:)``).
    public func validate(
        _ page: GegevensPage, answering request: GegevensRequest, for gemeenten: Set<ExchangeGemeentecode>,
        options: SchemaValidationOptions = .init()
    ) -> PageValidation {
        var problems: [PageProblem] = []
        if page.stream != stream { problems.append(.streamMismatch(expected: stream, found: page.stream)) }
        problems += page.problems(answering: request, for: gemeenten)
        return PageValidation(
            schema: schema.validate(page.gegevensOnTape, options: options), problems: problems, recordCount: page.recordCount,
            recordsPerGemeente: page.recordsPerGemeente)
    }
}

/// The verdict on one page: schema violations (pointers relative to `gegevens`), page
/// problems, and the counts a delivery keeps. Free of payload values.
public struct PageValidation: Sendable, Hashable {
    /// The schema validation of `gegevens`.
    public let schema: SchemaValidationResult
    /// The problems beyond the schema.
    public let problems: [PageProblem]
    /// The records on the page.
    public let recordCount: Int
    /// The records per gemeente on the page.
    public let recordsPerGemeente: [ExchangeGemeentecode: Int]

    /// A verdict.
    public init(
        schema: SchemaValidationResult, problems: [PageProblem], recordCount: Int,
        recordsPerGemeente: [ExchangeGemeentecode: Int]
    ) {
        self.schema = schema
        self.problems = problems
        self.recordCount = recordCount
        self.recordsPerGemeente = recordsPerGemeente
    }

    /// Whether the page may be handed over: it satisfies the schema and has no problems.
    public var isAcceptable: Bool { schema.isValid && problems.isEmpty }

    /// Whether the page holds data of a gemeente the pull did not ask for (or of an unknown
    /// one): such a page is rejected whole and is never worth retrying.
    public var holdsForeignData: Bool {
        problems.contains { problem in
            switch problem {
            case .foreignGemeente, .unidentifiedGemeente: true
            default: false
            }
        }
    }
}
