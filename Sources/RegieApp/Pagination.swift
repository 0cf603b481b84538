import Foundation
import HTTPTypes
import Hummingbird

/// The query of a list: known parameters only, `pagina` (from 1 to `maximumPage`) and
/// `paginaGrootte` (from 1 to the list's maximum); every invalid parameter is reported at once
/// in one 400. The bounds keep every offset far inside `Int`, and the OpenAPI document
/// declares them (`OpenAPIDocument.parameterSchema`).
struct ListQuery {
    /// The highest page number any list accepts: with the largest page, 50 million rows.
    static let maximumPage = 100_000
    /// The largest page any list serves.
    static let maximumPageSize = 500

    let values: [String: String]
    let page: Int
    let pageSize: Int
    private var check = FieldCheck(code: "invalid-parameters")

    /// Reads the query, refusing parameters not in `known` (besides the paging ones).
    init(_ request: Request, known: Set<String>, defaultPageSize: Int = 100, maximumPageSize: Int = ListQuery.maximumPageSize) {
        var values: [String: String] = [:]
        for (name, value) in request.uri.queryParameters {
            let key = String(name)
            if known.contains(key) || key == "pagina" || key == "paginaGrootte" {
                values[key] = String(value)
            } else {
                check.add(
                    key,
                    "is not a parameter of this resource; known: " + (known.sorted() + ["pagina", "paginaGrootte"]).joined(separator: ", "))
            }
        }
        self.values = values
        let pages = 1...Self.maximumPage
        let page = values["pagina"].map { Int($0) ?? 0 } ?? 1
        if !pages.contains(page) { check.add("pagina", "must be a whole number from 1 to \(Self.maximumPage)") }
        let size = values["paginaGrootte"].map { Int($0) ?? 0 } ?? defaultPageSize
        if !(1...maximumPageSize).contains(size) { check.add("paginaGrootte", "must be a whole number from 1 to \(maximumPageSize)") }
        self.page = page.clamped(to: pages)
        self.pageSize = size.clamped(to: 1...maximumPageSize)
    }

    subscript(name: String) -> String? { values[name] }

    mutating func invalid(_ name: String, _ reason: String) {
        check.add(name, reason)
    }

    /// Throws the 400 when anything was invalid.
    func finish() throws {
        try check.finish()
    }

    /// The rows before this page; page and size are bounded, so this never overflows, and
    /// the checked multiplication says so.
    var offset: Int {
        let (offset, overflow) = (page - 1).multipliedReportingOverflow(by: pageSize)
        return overflow ? Int.max : offset
    }

    /// One page of `items`.
    func slice<T>(_ items: [T]) -> [T] {
        Array(items.dropFirst(offset).prefix(pageSize))
    }

    /// The paging block of a list response.
    func paging(total: Int) -> Paging {
        Paging(
            pagina: page, paginaGrootte: pageSize, totaal: total, aantalPaginas: max(1, total / pageSize + (total % pageSize == 0 ? 0 : 1)))
    }

    /// A list response: the items under `key`, the paging block, and a `Link` header with
    /// `next`/`prev` (RFC 8288) built from the request's own path.
    func response<T: Encodable>(_ key: String, _ items: [T], total: Int, request: Request) -> Response {
        let paging = paging(total: total)
        var response = JSONBody.response(ListBody(key: key, items: items, paging: paging))
        var links: [String] = []
        func link(_ page: Int, _ relation: String) -> String {
            var parameters = values
            parameters["pagina"] = String(page)
            parameters["paginaGrootte"] = String(pageSize)
            let query = parameters.keys.sorted().map { name in
                "\(name)=\(parameters[name]?.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(.init(charactersIn: "&=+"))) ?? "")"
            }.joined(separator: "&")
            return "<\(request.uri.path)?\(query)>; rel=\"\(relation)\""
        }
        if page < paging.aantalPaginas { links.append(link(page + 1, "next")) }
        if page > 1 { links.append(link(min(page - 1, paging.aantalPaginas), "prev")) }
        if !links.isEmpty, let name = HTTPField.Name("Link") { response.headers[name] = links.joined(separator: ", ") }
        return response
    }

    struct Paging: Encodable {
        let pagina: Int
        let paginaGrootte: Int
        let totaal: Int
        let aantalPaginas: Int
    }

    /// `{"<key>": [...], "paginering": {...}}`.
    struct ListBody<T: Encodable>: Encodable {
        let key: String
        let items: [T]
        let paging: Paging

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(items, forKey: Key(stringValue: key))
            try container.encode(paging, forKey: Key(stringValue: "paginering"))
        }
    }
}

extension Comparable {
    /// The value, or the nearest end of `range`.
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
