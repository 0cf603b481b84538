import Foundation

/// One response body of `POST /gegevens`, read in one pass:
/// `{"gegevens": <Uitwisselmodel>, "paginering": {pageSize, currentPage, totalPages, totalRecords}}`.
///
/// It gives what a pull needs to decide about the page (its pagination, whose data it holds,
/// how many records) and the parsed `gegevens` for schema validation. Nothing here is checked
/// against the schema; the counts follow the data where it has the expected shape and skip
/// what does not (the schema reports that).
public struct GegevensPage: Sendable {
    /// The stream the page was read for.
    public let stream: ExchangeStroom
    /// The payload (`Uitwisselmodel`), to validate against the stream's schema.
    public let gegevens: JSONValue
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

    /// The gemeenten whose data is on the page, in order.
    public var gemeentecodes: [ExchangeGemeentecode] { recordsPerGemeente.keys.sorted() }

    /// Reads a response body.
    public init(body: Data, stream: ExchangeStroom, options: JSONParseOptions = .init()) throws(PageReadError) {
        let response: JSONValue
        do {
            response = try JSONValue(parsing: body, options: options)
        } catch {
            throw PageReadError(.invalidJSON, jsonError: error)
        }
        try self.init(response: response, stream: stream)
    }

    /// Reads a response body.
    public init(body: [UInt8], stream: ExchangeStroom, options: JSONParseOptions = .init()) throws(PageReadError) {
        let response: JSONValue
        do {
            response = try JSONValue(parsing: body, options: options)
        } catch {
            throw PageReadError(.invalidJSON, jsonError: error)
        }
        try self.init(response: response, stream: stream)
    }

    /// Reads a response that is already parsed.
    public init(response: JSONValue, stream: ExchangeStroom) throws(PageReadError) {
        guard case .object(let body) = response else { throw PageReadError(.notAnObject) }
        guard let gegevens = body["gegevens"] else { throw PageReadError(.missingGegevens) }
        self.stream = stream
        self.gegevens = gegevens
        switch body["paginering"].map(Paginering.read) {
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
        var tally = Tally()
        let leveringen = gegevens["leveringen"]?.arrayValue ?? []
        for case .object(let levering) in leveringen {
            tally.add(levering: levering, stream: stream)
        }
        leveringCount = leveringen.count
        recordCount = tally.records
        recordsPerGemeente = tally.perGemeente
        unidentifiedGemeenteCount = tally.unidentified
        organisationGemeentecodes = tally.organisations
    }
}

/// Counts gathered while walking the leveringen.
private struct Tally {
    /// Records over all leveringen.
    var records = 0
    /// Records per identified gemeente.
    var perGemeente: [ExchangeGemeentecode: Int] = [:]
    /// Parts without a valid gemeentecode.
    var unidentified = 0
    /// SHV: gemeentecodes of delivering organisations.
    var organisations: Set<ExchangeGemeentecode> = []

    /// Counts one levering.
    mutating func add(levering: JSONObject, stream: ExchangeStroom) {
        let entries = levering[stream.recordArrayName]?.arrayValue ?? []
        records += entries.count
        switch stream {
        case .vroegsignalering:
            count(levering["gemeentecode"], records: entries.count)
        case .schuldhulpverlening:
            for entry in entries {
                count(entry["gemeentecode"], records: 1)
            }
            if let text = levering["aanleverende_organisatie"]?["gemeentecode"]?.stringValue,
                let code = ExchangeGemeentecode(text)
            {
                organisations.insert(code)
            }
        }
    }

    private mutating func count(_ value: JSONValue?, records: Int) {
        if let text = value?.stringValue, let code = ExchangeGemeentecode(text) {
            perGemeente[code, default: 0] += records
        } else {
            unidentified += 1
        }
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
