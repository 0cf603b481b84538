/// The check a supplier runs on its export before it goes live (`ddas-regie valideer`,
/// `POST /v1/validaties`): one document, a bare `Uitwisselmodel` or a page
/// `{gegevens, paginering}` (detected), against a model's JSON Schema and every semantic
/// check of ``KwaliteitCheck``, exactly as a pull checks its pages. The answer lists each
/// finding with its JSON pointer, rule code and Dutch explanation, and never a value.
public struct ExchangeDocumentCheck: Sendable {
    /// The largest document checked, in bytes: a page's limit (256 MiB, as
    /// `LeverancierConnection.maxResponseBytes` by default).
    public static let maximumBytes = 256 << 20

    /// The model to check against.
    public let model: ExchangeModel
    /// The period asked for, `YYYY-MM-DD` to `YYYY-MM-DD`; nil takes the document's own
    /// `startdatumLevering` and `einddatumLevering` (and without those, checks no period).
    public let periode: (start: String, eind: String)?
    /// The gemeenten the export is for; nil accepts any.
    public let gemeenten: Set<ExchangeGemeentecode>?
    /// Today, `YYYY-MM-DD`: dates after it are implausible.
    public let today: String

    /// A check of documents against `model`.
    public init(
        model: ExchangeModel, periode: (start: String, eind: String)? = nil, gemeenten: Set<ExchangeGemeentecode>? = nil,
        today: String
    ) {
        self.model = model
        self.periode = periode
        self.gemeenten = gemeenten
        self.today = today
    }

    /// Checks one document. A document that is not JSON, or not an object, cannot be checked.
    /// The document is read onto a tape and checked there, as a pull checks a page.
    public func check(_ bytes: [UInt8]) -> Result<ValidatieRapport, ValidatieInvoerFout> {
        guard bytes.count <= Self.maximumBytes else { return .failure(.tooLarge) }
        let tape: JSONTape
        do {
            tape = try JSONTape(parsing: bytes)
        } catch {
            return .failure(.notJSON(error))
        }
        guard tape.root.tokenKind == .object else { return .failure(.notAnObject) }
        let isPage = tape.root["gegevens"] != nil
        let page: GegevensPage
        do {
            if isPage {
                page = try GegevensPage(tape: tape, stream: model.stream)
            } else {
                // A bare Uitwisselmodel is read as the `gegevens` of a page, so its pointers stay
                // its own. It parsed above, so only the added level of depth could fail: allowed.
                var wrapped = Array(#"{"gegevens":"#.utf8)
                wrapped.reserveCapacity(bytes.count + 13)
                wrapped += bytes
                wrapped.append(UInt8(ascii: "}"))
                page = try GegevensPage(body: wrapped, stream: model.stream, options: JSONParseOptions(maxDepth: .max))
            }
        } catch {
            return .failure(.notAnObject)
        }
        return .success(check(page, isPage: isPage))
    }

    /// Checks one parsed document.
    public func check(_ document: JSONValue) -> Result<ValidatieRapport, ValidatieInvoerFout> {
        guard case .object = document else { return .failure(.notAnObject) }
        return check(document.jsonBytes())
    }

    private func check(_ page: GegevensPage, isPage: Bool) -> ValidatieRapport {
        let period = periode ?? Self.period(of: page.gegevensOnTape)
        var analysis = LeveringKwaliteitAnalysis(
            model: model, periodeStart: period.start, periodeEind: period.eind, today: today, listsPlaces: true)
        let schema = model.schema.validate(page.gegevensOnTape, options: SchemaValidationOptions(namesUnknownMembers: true))
        _ = analysis.add(page, schema: schema)
        if let gemeenten { analysis.foreignGemeenten(page, allowed: gemeenten) }
        let quality = analysis.finish()
        let prefix = isPage ? "/gegevens" : ""
        var bevindingen = quality.geplaatst ?? []
        for index in bevindingen.indices { bevindingen[index].pointer = prefix + bevindingen[index].pointer }
        return ValidatieRapport(
            vorm: isPage ? .pagina : .uitwisselmodel, telling: quality.findings, bevindingen: bevindingen,
            bevindingenTotaal: quality.geplaatstTotaal)
    }

    /// The period a document says it covers, or every day when it says none.
    static func period(of gegevens: JSONTapeValue) -> (start: String, eind: String) {
        let start = gegevens["startdatumLevering"]?.stringValue.flatMap(FieldRules.date)
        let end = gegevens["einddatumLevering"]?.stringValue.flatMap(FieldRules.date)
        guard let start, let end, start <= end else { return ("0000-01-01", "9999-12-31") }
        return (start, end)
    }
}

extension LeveringKwaliteitAnalysis {
    /// Lists each levering of a gemeente outside `allowed` (or without a readable gemeentecode).
    mutating func foreignGemeenten(_ page: GegevensPage, allowed: Set<ExchangeGemeentecode>) {
        let leveringen = page.gegevensOnTape["leveringen"].flatMap { $0.tokenKind == .array ? $0 : nil }
        for (index, levering) in (leveringen?.elements.map { $0 } ?? []).enumerated() {
            let code = levering["gemeentecode"]?.stringValue.flatMap { ExchangeGemeentecode($0) }
            if code.map({ !allowed.contains($0) }) ?? true {
                place(.foreignGemeente, Place(pagina: currentPage, pointer: "/leveringen/\(index)/gemeentecode"))
            }
        }
    }
}

/// The answer of ``ExchangeDocumentCheck``: the counts of the op-orde-rapport (the same
/// ``KwaliteitBevindingen``) and each finding at its place.
public struct ValidatieRapport: Sendable, Hashable, Codable {
    /// What the document was.
    public enum Vorm: String, Sendable, Hashable, Codable {
        /// A bare `Uitwisselmodel`: pointers are into the document.
        case uitwisselmodel
        /// A page `{gegevens, paginering}`: pointers start with `/gegevens`.
        case pagina
    }

    /// What the document was.
    public var vorm: Vorm
    /// The counts, as the op-orde-rapport of a delivery shows them.
    public var telling: KwaliteitBevindingen
    /// The findings at their place, the first ``KwaliteitBevindingen/schemaViolationListLimit``.
    public var bevindingen: [Bevinding]
    /// Every finding, beyond the list too.
    public var bevindingenTotaal: Int

    /// A report.
    public init(vorm: Vorm, telling: KwaliteitBevindingen, bevindingen: [Bevinding], bevindingenTotaal: Int) {
        self.vorm = vorm
        self.telling = telling
        self.bevindingen = bevindingen
        self.bevindingenTotaal = bevindingenTotaal
    }

    /// Whether nothing was found (warnings included).
    public var isClean: Bool { bevindingenTotaal == 0 }
}

/// Why a document could not be checked at all.
public enum ValidatieInvoerFout: Error, Sendable, Hashable, CustomStringConvertible {
    /// It is larger than ``ExchangeDocumentCheck/maximumBytes``.
    case tooLarge
    /// It is not JSON (or is cut off).
    case notJSON(JSONParseError)
    /// It is JSON but not an object.
    case notAnObject

    /// A stable code.
    public var code: String {
        switch self {
        case .tooLarge: "te_groot"
        case .notJSON: "geen_json"
        case .notAnObject: "geen_object"
        }
    }

    public var description: String {
        switch self {
        case .tooLarge: "groter dan \(ExchangeDocumentCheck.maximumBytes >> 20) MiB, de grens van een pagina"
        case .notJSON(let error): "geen geldige JSON (\(error))"
        case .notAnObject: "geen JSON-object: verwacht een Uitwisselmodel of een pagina {gegevens, paginering}"
        }
    }
}
