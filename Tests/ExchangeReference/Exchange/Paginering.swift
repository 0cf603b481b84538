/// The `paginering` of a response: present only when the data is split into pages, and then
/// with all four fields (`Paginering` in the API specification).
public struct Paginering: Sendable, Hashable, Codable {
    /// The records per page (at least 1).
    public let pageSize: Int
    /// This page, from 1.
    public let currentPage: Int
    /// The number of pages (at least 1).
    public let totalPages: Int
    /// The number of records over all pages (at least 0).
    public let totalRecords: Int

    /// A paginering.
    public init(pageSize: Int, currentPage: Int, totalPages: Int, totalRecords: Int) {
        self.pageSize = pageSize
        self.currentPage = currentPage
        self.totalPages = totalPages
        self.totalRecords = totalRecords
    }

    /// The fields and the minimum each must reach, in the order of the specification.
    static let fields: [(name: String, minimum: Int)] = [
        ("pageSize", 1), ("currentPage", 1), ("totalPages", 1), ("totalRecords", 0),
    ]

    /// Reads a `paginering` value; a fault names the first field that is wrong.
    static func read(_ value: JSONValue) -> Result<Paginering, PagineringFault> {
        guard case .object(let object) = value else { return .failure(PagineringFault(field: nil, reason: .notAnObject)) }
        var numbers: [Int] = []
        for field in fields {
            guard let member = object[field.name] else {
                return .failure(PagineringFault(field: field.name, reason: .missing))
            }
            guard let integer = member.integerValue, let number = Int(exactly: integer) else {
                return .failure(PagineringFault(field: field.name, reason: .notAnInteger))
            }
            guard number >= field.minimum else {
                return .failure(PagineringFault(field: field.name, reason: .belowMinimum))
            }
            numbers.append(number)
        }
        return .success(
            Paginering(pageSize: numbers[0], currentPage: numbers[1], totalPages: numbers[2], totalRecords: numbers[3]))
    }
}

/// What is wrong with a `paginering` object.
public struct PagineringFault: Error, Sendable, Hashable, Codable {
    /// The kind of fault.
    public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
        /// `paginering` is not an object.
        case notAnObject = "not_an_object"
        /// A field is absent (when present, all four are required).
        case missing
        /// A field is not an integer.
        case notAnInteger = "not_an_integer"
        /// A field is below its minimum (1, or 0 for `totalRecords`).
        case belowMinimum = "below_minimum"
    }

    /// The field (`pageSize`, `currentPage`, `totalPages`, `totalRecords`), nil for the object.
    public let field: String?
    /// The kind of fault.
    public let reason: Reason

    /// A fault.
    public init(field: String?, reason: Reason) {
        self.field = field
        self.reason = reason
    }
}
