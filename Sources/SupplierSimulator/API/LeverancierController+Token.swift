import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension LeverancierController {
    /// `POST {base}/oauth/token`: the OAuth2 client credentials grant (RFC 6749 §4.4).
    ///
    /// The client authenticates with HTTP Basic or with `client_id` and `client_secret` in the
    /// form. Errors are RFC 6749 JSON (`{"error": "invalid_client"}` with 401, and 400 for the
    /// rest); the 401 also carries `Fsc-Error-Code: ERROR_CODE_ACCESS_TOKEN_INVALID` and the
    /// members of the spec's `FscError` (`code`, `domain`, `title`, `detail`, `status`) beside `error`.
    func token(_ request: Request) async throws -> Response {
        let body = try await readBody(request, limit: 16 * 1024)
        let form = Self.formFields(body)
        guard form["grant_type"] == "client_credentials" else {
            await ledger.record(supplier: service.name, endpoint: .token, gemeenten: [], page: nil, outcome: .refused(status: 400))
            return Self.oauthError(.badRequest, error: form["grant_type"] == nil ? "invalid_request" : "unsupported_grant_type")
        }
        let presented =
            Self.basicCredentials(request.headers[.authorization]) ?? form["client_id"].map { ($0, form["client_secret"] ?? "") }
        guard let presented, service.clients.contains(ClientCredential(id: presented.0, secret: presented.1)) else {
            await ledger.record(supplier: service.name, endpoint: .token, gemeenten: [], page: nil, outcome: .refused(status: 401))
            var response = Self.oauthError(.unauthorized, error: "invalid_client", fscErrorCode: "ERROR_CODE_ACCESS_TOKEN_INVALID")
            response.headers[.wwwAuthenticate] = #"Basic realm="ddas-supplier-sim""#
            return response
        }
        let token = await tokens.issue(supplier: service.name, lifetime: service.tokenLifetimeSeconds)
        await ledger.record(supplier: service.name, endpoint: .token, gemeenten: [], page: nil, outcome: .tokenIssued)
        var writer = JSONByteWriter(capacity: 128)
        writer.append("{\"access_token\":")
        writer.writeString(token)
        writer.append(",\"token_type\":\"Bearer\",\"expires_in\":")
        writer.writeInteger(service.tokenLifetimeSeconds)
        writer.append(",\"scope\":\"read\"}")
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }

    private static func oauthError(_ status: HTTPResponse.Status, error: String, fscErrorCode: String? = nil) -> Response {
        var writer = JSONByteWriter(capacity: 64)
        writer.append("{\"error\":")
        writer.writeString(error)
        var headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
        if let fscErrorCode {
            writer.append(",\"code\":")
            writer.writeString(fscErrorCode)
            writer.append(",\"domain\":")
            writer.writeString(FscErrorDomain.inway.rawValue)
            writer.append(",\"title\":\"Ongeldige client\",\"detail\":\"The client credentials are not valid.\",\"status\":")
            writer.writeInteger(Int(status.code))
            headers[.fscErrorCode] = fscErrorCode
        }
        writer.append("}")
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }

    /// `application/x-www-form-urlencoded` fields; the first of a repeated name wins.
    static func formFields(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = formDecoded(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? formDecoded(parts[1]) : "" }
        }
        return fields
    }

    private static func formDecoded(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Client id and secret from `Authorization: Basic`, each form-decoded (RFC 6749 §2.3.1).
    private static func basicCredentials(_ header: String?) -> (String, String)? {
        guard let header, header.count > 6, header.prefix(6).lowercased() == "basic " else { return nil }
        guard let data = Data(base64Encoded: header.dropFirst(6).trimmingCharacters(in: .whitespaces)),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        return (formDecoded(text[..<colon]), formDecoded(text[text.index(after: colon)...]))
    }
}
