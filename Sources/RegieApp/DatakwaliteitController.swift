import Foundation
import HTTPTypes
import Hummingbird
import RegieDomain
import RegieStore
import Standardisation

/// Data quality beyond one delivery: a gemeente's error share over time
/// (`GET /v1/gemeenten/{gemeentecode}/datakwaliteit`), the standardisation of free text
/// (`POST /v1/standaardisaties`), and the table the project team maintains for it
/// (`/v1/vertalingen`).
struct DatakwaliteitController {
    let reports: OpOrdeRapportStore
    let standardisation: StandardisationService
    /// Most texts in one standardisation request.
    static let batchLimit = 10_000
    /// Most characters of one text.
    static let textLimit = 1_000

    func addRoutes(to routes: APIRoutes) {
        routes.get("/v1/gemeenten/:gemeentecode/datakwaliteit", use: trend)
        routes.on("/v1/standaardisaties", method: .post, use: standardise)
        routes.get("/v1/vertalingen", use: listEntries)
        routes.on("/v1/vertalingen", method: .post, use: putEntry)
        routes.get("/v1/vertalingen/:id", use: showEntry)
        routes.on("/v1/vertalingen/:id", method: .delete, use: deleteEntry)
    }

    // MARK: - Trend

    struct TrendItem: Encodable {
        let levering: String
        let leverancier: String
        let stroom: String
        let periode: String
        let doel: String
        let status: String
        let oordeel: String
        let eenheden: Int?
        let eenhedenMetFouten: Int?
        let foutaandeel: Double?
        let gemaaktOp: Date
    }

    struct Trend: Encodable {
        let gemeentecode: String
        let leveringen: [TrendItem]
        let kleineAantallenOnderdrukt: Bool
    }

    @Sendable func trend(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let code = try context.gemeentecode()
        let query = ListQuery(request, known: [])
        try query.finish()
        let supplier = context.callerScope.leverancier
        let cells = SmallCells(applies: context.principal?.role != .projectteam)
        let points = try await reports.trend(gemeente: code, leverancier: supplier)
        let items = points.map { point in
            let units = cells.cell(point.eenheden)
            let errors = cells.cell(point.eenhedenMetFouten)
            let share: Double? =
                units == nil || errors == nil ? nil : point.eenheden == 0 ? 0 : Double(point.eenhedenMetFouten) / Double(point.eenheden)
            return TrendItem(
                levering: point.leveringID.uuidString.lowercased(), leverancier: point.leverancierID, stroom: point.stroom,
                periode: point.periode, doel: point.doel, status: point.status, oordeel: point.oordeel.rawValue, eenheden: units,
                eenhedenMetFouten: errors, foutaandeel: share, gemaaktOp: point.gemaaktOp)
        }
        return JSONBody.response(Trend(gemeentecode: code.rawValue, leveringen: items, kleineAantallenOnderdrukt: cells.applies))
    }

    // MARK: - Standardisation

    struct StandardiseBody: Decodable {
        let lijst: String?
        let teksten: [String]?
    }

    struct StandardisedItem: Encodable {
        let tekst: String
        let waarde: String
        let regel: String
    }

    struct Standardised: Encodable {
        let lijst: String
        let tabelversie: Int64
        let resultaten: [StandardisedItem]
    }

    @Sendable func standardise(_ request: Request, context: RegieRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(StandardiseBody.self, from: request, context: context)
        var check = FieldCheck()
        let list = Self.codeList(body.lijst, check: &check)
        let texts = body.teksten ?? []
        if body.teksten == nil {
            check.add("teksten", "is required: a list of 1 to \(Self.batchLimit) texts")
        } else if texts.isEmpty || texts.count > Self.batchLimit {
            check.add("teksten", "must hold 1 to \(Self.batchLimit) texts")
        }
        if let index = texts.firstIndex(where: { $0.count > Self.textLimit }) {
            check.add("teksten/\(index)", "must be at most \(Self.textLimit) characters")
        }
        try check.finish()
        guard let list else { throw Problem(.badRequest, code: "invalid-body", detail: "lijst is required.") }
        let (standardiser, version) = try await standardisation.current()
        let results = zip(texts, standardiser.standardise(texts, in: list)).map {
            StandardisedItem(tekst: $0, waarde: $1.waarde, regel: $1.regel)
        }
        return JSONBody.response(Standardised(lijst: list.rawValue, tabelversie: version, resultaten: results))
    }

    /// The code list named `name`, or a 400 entry.
    static func codeList(_ name: String?, check: inout FieldCheck) -> CodeList? {
        let known = CodeList.allCases.map(\.rawValue).joined(separator: ", ")
        guard let name else {
            check.add("lijst", "is required: one of \(known)")
            return nil
        }
        guard let list = CodeList(rawValue: name) else {
            check.add("lijst", "must be one of \(known)")
            return nil
        }
        return list
    }
}
