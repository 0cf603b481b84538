/// Something wrong with a page beyond its schema: its pagination, or whose data it holds.
/// It carries counts, page numbers and gemeentecodes (public), never payload values.
public enum PageProblem: Sendable, Hashable, CustomStringConvertible {
    /// `paginering` is present but incomplete or wrong.
    case invalidPaginering(PagineringFault)
    /// Data of gemeenten the pull did not ask for (there is no consent for it): the codes and
    /// how many records they have on the page. The page must be rejected whole.
    case foreignGemeente(codes: [ExchangeGemeentecode], recordCount: Int)
    /// Leveringen (VS) or schuldhulptrajecten (SHV) whose `gemeentecode` is missing or not a
    /// gemeentecode, so whose gemeente is unknown.
    case unidentifiedGemeente(count: Int)
    /// The page is not the one asked for (the API answers a page that does not exist with page 1).
    case wrongPage(requested: Int, received: Int)
    /// A page after the first was asked for, but the answer is not paginated.
    case missingPaginering(requestedPage: Int)
    /// `currentPage` is beyond `totalPages`.
    case pageBeyondTotal(currentPage: Int, totalPages: Int)
    /// `paginering.pageSize` is above the stream's maximum.
    case pageSizeAboveMaximum(pageSize: Int, maximum: Int)
    /// More records on the page than the page size allows (the smallest of the stream's
    /// maximum, `paginering.pageSize` and the requested `pageSize`).
    case tooManyRecords(recordCount: Int, limit: Int)
    /// The page was read for another stream than the model it is checked against.
    case streamMismatch(expected: ExchangeStroom, found: ExchangeStroom)

    /// A stable code: `foreign_gemeente`, `wrong_page`, ….
    public var code: String {
        switch self {
        case .invalidPaginering: "invalid_paginering"
        case .foreignGemeente: "foreign_gemeente"
        case .unidentifiedGemeente: "unidentified_gemeente"
        case .wrongPage: "wrong_page"
        case .missingPaginering: "missing_paginering"
        case .pageBeyondTotal: "page_beyond_total"
        case .pageSizeAboveMaximum: "page_size_above_maximum"
        case .tooManyRecords: "too_many_records"
        case .streamMismatch: "stream_mismatch"
        }
    }

    public var description: String {
        switch self {
        case .invalidPaginering(let fault):
            let field = fault.field.map { "paginering.\($0)" } ?? "paginering"
            return "\(field): \(fault.reason.rawValue.replacingUnderscores) (\(code))"
        case .foreignGemeente(let codes, let recordCount):
            let list = codes.map(\.cbsCode).joined(separator: ", ")
            return "the page holds \(recordCount) records of gemeenten not asked for: \(list) (\(code))"
        case .unidentifiedGemeente(let count):
            return "\(count) parts of the page have no valid gemeentecode (\(code))"
        case .wrongPage(let requested, let received):
            return "page \(requested) was asked for, page \(received) was received (\(code))"
        case .missingPaginering(let requestedPage):
            return "page \(requestedPage) was asked for, but the answer has no paginering (\(code))"
        case .pageBeyondTotal(let currentPage, let totalPages):
            return "currentPage \(currentPage) is beyond totalPages \(totalPages) (\(code))"
        case .pageSizeAboveMaximum(let pageSize, let maximum):
            return "pageSize \(pageSize) is above the maximum of \(maximum) (\(code))"
        case .tooManyRecords(let recordCount, let limit):
            return "the page holds \(recordCount) records, at most \(limit) allowed (\(code))"
        case .streamMismatch(let expected, let found):
            return "a \(found.key) page checked against the \(expected.key) model (\(code))"
        }
    }
}

extension String {
    fileprivate var replacingUnderscores: String {
        String(unicodeScalars.map { $0 == "_" ? " " : Character($0) })
    }
}
