import Foundation
import Synchronization

/// One response body of `POST /gegevens`, read in one pass into a ``JSONTape``:
/// `{"gegevens": <Uitwisselmodel>, "paginering": {pageSize, currentPage, totalPages, totalRecords}}`.
///
/// It gives what a pull needs to decide about the page (its pagination, whose data it holds,
/// how many records), read from the tape without building a tree, and keeps the tape for
/// schema validation and the checks. Nothing here is checked against the schema; the counts
/// follow the data where it has the expected shape and skip what does not (the schema
/// reports that).
public struct GegevensPage: Sendable {
    /// The stream the page was read for.
    public let stream: ExchangeStroom
    /// The whole response body as a tape.
    public let tape: JSONTape
    /// The payload (`Uitwisselmodel`) on the tape, to validate against the stream's schema.
    public let gegevensOnTape: JSONTapeValue
    /// The pagination, when present and complete.
    public let paginering: Paginering?
    /// What is wrong with `paginering`, when it is present but not complete and valid.
    public let pagineringFault: PagineringFault?
    /// The number of `leveringen`.
    public let leveringCount: Int
    /// The records on this page: vroegsignalen (VS) or schuldhulptrajecten (SHV), over all
    /// leveringen.
    public let recordCount: Int
    /// Per gemeente found on the page, its records: VS counts the vroegsignalen of each
    /// `leveringen[].gemeentecode` (a levering without records still names its gemeente);
    /// SHV counts the schuldhulptrajecten by their own `gemeentecode`.
    public let recordsPerGemeente: [ExchangeGemeentecode: Int]
    /// Leveringen (VS) or schuldhulptrajecten (SHV) whose `gemeentecode` is missing or not a
    /// gemeentecode.
    public let unidentifiedGemeenteCount: Int
    /// SHV only: the `aanleverende_organisatie.gemeentecode` values, when the delivering
    /// organisation is a gemeente. It may differ from the trajecten's gemeente (a gemeente can
    /// carry out debt counselling for another), so it does not decide whose data this is.
    public let organisationGemeentecodes: Set<ExchangeGemeentecode>
    /// The tree of `gegevens`, built on first use.
    private let tree: GegevensTree

    /// The gemeenten whose data is on the page, in order.
    public var gemeentecodes: [ExchangeGemeentecode] { recordsPerGemeente.keys.sorted() }

    /// The payload (`Uitwisselmodel`) as a tree, for callers that need a ``JSONValue``; built
    /// from the tape on first use (the page's own checks read ``gegevensOnTape``).
    public var gegevens: JSONValue { tree.value(of: gegevensOnTape) }

    /// Reads a response body (copied once into the tape).
    public init(body: Data, stream: ExchangeStroom, keys: JSONKeyTable = JSONKeyTable(), options: JSONParseOptions = .init())
        throws(PageReadError)
    {
        try self.init(body: [UInt8](body), stream: stream, keys: keys, options: options)
    }

    /// Reads a response body (kept as it is, without a copy); keys named in `keys` get their
    /// positions there as ids on the tape.
    public init(body: [UInt8], stream: ExchangeStroom, keys: JSONKeyTable = JSONKeyTable(), options: JSONParseOptions = .init())
        throws(PageReadError)
    {
        let tape: JSONTape
        do {
            tape = try JSONTape(parsing: body, keys: keys, options: options)
        } catch {
            throw PageReadError(.invalidJSON, jsonError: error)
        }
        try self.init(tape: tape, stream: stream)
    }

    /// Reads a response that is already parsed.
    public init(response: JSONValue, stream: ExchangeStroom) throws(PageReadError) {
        guard case .object = response else { throw PageReadError(.notAnObject) }
        let tape: JSONTape
        do {
            tape = try JSONTape(parsing: response.jsonBytes(), options: JSONParseOptions(maxDepth: .max))
        } catch {
            throw PageReadError(.invalidJSON, jsonError: error)
        }
        try self.init(tape: tape, stream: stream)
    }

    /// Reads a response body already on a tape.
    public init(tape: JSONTape, stream: ExchangeStroom) throws(PageReadError) {
        let body = tape.root
        guard body.tokenKind == .object else { throw PageReadError(.notAnObject) }
        guard let gegevens = body["gegevens"] else { throw PageReadError(.missingGegevens) }
        self.stream = stream
        self.tape = tape
        gegevensOnTape = gegevens
        tree = GegevensTree()
        switch body["paginering"].map({ Paginering.read(JSONValue($0)) }) {
        case .none:
            paginering = nil
            pagineringFault = nil
        case .success(let value):
            paginering = value
            pagineringFault = nil
        case .failure(let fault):
            paginering = nil
            pagineringFault = fault
        }
        var tally = Tally(tape: tape, stream: stream)
        var leveringen = 0
        if let array = gegevens["leveringen"], array.tokenKind == .array {
            for levering in array.elements {
                leveringen += 1
                if levering.tokenKind == .object { tally.add(levering: levering) }
            }
        }
        leveringCount = leveringen
        recordCount = tally.records
        recordsPerGemeente = tally.perGemeente
        unidentifiedGemeenteCount = tally.unidentified
        organisationGemeentecodes = tally.organisations
    }
}

/// The tree of a page's `gegevens`, built once on first use and shared by copies of the page.
private final class GegevensTree: Sendable {
    private let built = Mutex<JSONValue?>(nil)

    func value(of gegevens: JSONTapeValue) -> JSONValue {
        built.withLock { tree in
            if let tree { return tree }
            let value = JSONValue(gegevens)
            tree = value
            return value
        }
    }
}

/// Counts gathered while walking the leveringen on the tape.
private struct Tally {
    /// The key ids the tally reads.
    private let recordArray: JSONKeyID?
    private let gemeentecode: JSONKeyID?
    private let organisation: JSONKeyID?
    private let stream: ExchangeStroom
    /// Records over all leveringen.
    var records = 0
    /// Records per identified gemeente.
    var perGemeente: [ExchangeGemeentecode: Int] = [:]
    /// Parts without a valid gemeentecode.
    var unidentified = 0
    /// SHV: gemeentecodes of delivering organisations.
    var organisations: Set<ExchangeGemeentecode> = []

    init(tape: JSONTape, stream: ExchangeStroom) {
        self.stream = stream
        recordArray = tape.keys.id(of: stream.recordArrayName)
        gemeentecode = tape.keys.id(of: "gemeentecode")
        organisation = tape.keys.id(of: "aanleverende_organisatie")
    }

    /// Counts one levering.
    mutating func add(levering: JSONTapeValue) {
        var entries: JSONTapeValue?
        var code: JSONTapeValue?
        var organisationValue: JSONTapeValue?
        for member in levering.members {
            switch member.key {
            case recordArray: entries = member.value
            case gemeentecode: code = member.value
            case organisation: organisationValue = member.value
            default: break
            }
        }
        let entryCount = entries.flatMap { $0.tokenKind == .array ? $0.count : nil } ?? 0
        records += entryCount
        switch stream {
        case .vroegsignalering:
            count(code, records: entryCount)
        case .schuldhulpverlening:
            if let entries, entries.tokenKind == .array {
                for entry in entries.elements {
                    count(entry.tokenKind == .object ? gemeentecode.flatMap { entry[$0] } : nil, records: 1)
                }
            }
            if let value = gemeentecode.flatMap({ organisationValue?[$0] }), let code = Self.gemeentecode(value) {
                organisations.insert(code)
            }
        }
    }

    private mutating func count(_ value: JSONTapeValue?, records: Int) {
        if let value, let code = Self.gemeentecode(value) {
            perGemeente[code, default: 0] += records
        } else {
            unidentified += 1
        }
    }

    /// The gemeentecode a string value names; nil for other values.
    private static func gemeentecode(_ value: JSONTapeValue) -> ExchangeGemeentecode? {
        value.stringValue.flatMap(ExchangeGemeentecode.init)
    }
}

/// Why a response body cannot be read as a page at all.
public struct PageReadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The body is not strict JSON (see `jsonError`).
        case invalidJSON = "invalid_json"
        /// The body is JSON but not an object.
        case notAnObject = "not_an_object"
        /// The body has no `gegevens` member.
        case missingGegevens = "missing_gegevens"
    }

    /// What is wrong.
    public let code: Code
    /// The reader's error (code and byte offset), for `invalid_json`.
    public let jsonError: JSONParseError?

    /// An error.
    public init(_ code: Code, jsonError: JSONParseError? = nil) {
        self.code = code
        self.jsonError = jsonError
    }

    public var description: String {
        switch code {
        case .invalidJSON: "the response body is not valid JSON: \(jsonError?.description ?? "") (\(code.rawValue))"
        case .notAnObject: "the response body is not a JSON object (\(code.rawValue))"
        case .missingGegevens: "the response body has no 'gegevens' (\(code.rawValue))"
        }
    }
}
