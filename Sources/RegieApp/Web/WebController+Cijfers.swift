import Foundation
import Hummingbird

extension WebController {
    /// `/cijfers`: "Vroegsignalering in cijfers" for the project team and the gemeenten (a
    /// gemeente its own figures and the country's, suppressed); `formaat=csv` downloads the
    /// same figures as CSV. Empty fields of the filter form count as not given.
    @Sendable func cijfers(_ request: Request, context: RegieRequestContext) async throws -> Response {
        guard let visitor = context.visitor else { return Self.redirect("/aanmelden") }
        var values: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where !value.isEmpty && values[String(name)] == nil {
            values[String(name)] = String(value)
        }
        var check = FieldCheck(code: "invalid-parameters")
        let vraag = try await CijfersVraag.read(values, check: &check, gemeenten: figures.gemeenten)
        if let format = values["formaat"], format != "csv" { check.add("formaat", "must be csv") }
        if !check.invalid.isEmpty {
            let reasons = check.invalid.map { "\($0.name) \($0.reason)" }.joined(separator: "; ")
            return HTMLPage.response(
                WebPages.message(title: "Onjuiste keuze", text: "Deze keuze kan niet: \(reasons).", visitor: visitor), status: .badRequest)
        }
        if visitor.principal.role == .gemeente, let provincie = vraag.provincie {
            return try await refuse(
                visitor, context: context, action: "cijfers.read", objectType: "provincie", objectID: provincie.code,
                text: "Een gemeente ziet haar eigen cijfers en die van het hele land.")
        }
        let cijfers = try await figures.cijfers(
            vraag, team: visitor.principal.role == .projectteam, own: context.callerScope.gemeente)
        if values["formaat"] == "csv" {
            return CijfersCSV.table(cijfers).response(filename: CijfersCSV.filename(cijfers))
        }
        let query = values.filter { CijfersController.parameters.contains($0.key) }.sorted { $0.key < $1.key }.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }
        return HTMLPage.response(CijfersPage.render(cijfers, vraag: vraag, query: query.joined(separator: "&"), visitor: visitor))
    }
}
