import Foundation
import HTTPTypes
import Hummingbird

/// JSON in and out, with the checks the API promises: `415` for a body that is not
/// `application/json`, `400` for one that does not decode, both as problems.
enum JSONBody {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// A JSON response.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, contentType: String = "application/json") -> Response {
        response(encoded: (try? encoder.encode(value)) ?? Data("{}".utf8), status: status, contentType: contentType)
    }

    /// A response with JSON that is already encoded.
    static func response(encoded data: Data, status: HTTPResponse.Status = .ok, contentType: String = "application/json") -> Response {
        var buffer = ByteBuffer()
        buffer.writeBytes(data)
        return Response(
            status: status,
            headers: [.contentType: contentType, .contentLength: String(data.count)],
            body: ResponseBody(byteBuffer: buffer))
    }

    /// Decodes a request body, refusing other media types (415) and malformed JSON (400).
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: RegieRequestContext) async throws -> T {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard mediaType == "application/json" else {
            throw Problem(
                .unsupportedMediaType, code: "unsupported-media-type",
                detail: "The body must be application/json.", headers: ["Accept-Post": "application/json"])
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw Problem(.contentTooLarge, code: "content-too-large", detail: "The body is larger than \(context.maxUploadSize) bytes.")
        }
        let data = Data(buffer: buffer)
        let value: T
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            value = try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw Problem(
                .badRequest, code: "invalid-body", detail: "The body is not valid JSON of the expected form.",
                invalidParams: [describe(error)])
        } catch {
            throw Problem(.badRequest, code: "invalid-body", detail: "The body is not valid JSON.")
        }
        try refuseUnknownFields(in: data, of: value)
        try refuseControlCharacters(in: data)
        return value
    }

    /// Refuses a body with a control character in any string (a NUL would silently cut the
    /// text short in the database; the others have no place in a name, reason or code).
    /// Tab, line feed and carriage return are text. Names the fields, never their values.
    static func refuseControlCharacters(in data: Data) throws {
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return }
        var fields: [String] = []
        func visit(_ value: Any, _ path: String) {
            switch value {
            case let text as String where TextInput.hasControlCharacter(text): fields.append(path)
            case let array as [Any]: for (index, element) in array.enumerated() { visit(element, "\(path)[\(index)]") }
            case let object as [String: Any]:
                for (key, element) in object.sorted(by: { $0.key < $1.key }) { visit(element, path.isEmpty ? key : "\(path).\(key)") }
            default: break
            }
        }
        visit(object, "")
        guard fields.isEmpty else {
            throw Problem(
                .badRequest, code: "invalid-body", detail: "The body has text with control characters.",
                invalidParams: fields.prefix(20).map {
                    .init(name: $0.isEmpty ? "body" : $0, reason: "must not contain control characters")
                })
        }
    }

    /// Refuses a body with a field the operation does not know (a misspelt `geldigTot` must
    /// not quietly become consent without an end date). The known fields are the stored
    /// properties of the body type, whose names are its JSON keys (no body type renames them).
    static func refuseUnknownFields<T>(in data: Data, of value: T) throws {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
        let known = Mirror(reflecting: value).children.compactMap(\.label)
        let unknown = object.keys.filter { !known.contains($0) }.count
        guard unknown == 0 else {
            // The unknown names are not echoed: a caller's text is never repeated in an answer or a log.
            throw Problem(
                .badRequest, code: "invalid-body", detail: "The body has \(unknown) field(s) this operation does not know.",
                invalidParams: [.init(name: "body", reason: "may only have the fields \(known.sorted().joined(separator: ", "))")])
        }
    }

    /// Names the field a decoding error is about, without echoing the value.
    static func describe(_ error: DecodingError) -> Problem.InvalidParam {
        func path(_ codingPath: [any CodingKey]) -> String {
            let joined = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return joined.isEmpty ? "body" : joined
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .init(name: path(context.codingPath + [key]), reason: "is required")
        case .typeMismatch(let type, let context):
            return .init(name: path(context.codingPath), reason: "must be \(type)")
        case .valueNotFound(let type, let context):
            return .init(name: path(context.codingPath), reason: "must be \(type), not null")
        case .dataCorrupted(let context):
            return .init(name: path(context.codingPath), reason: context.codingPath.isEmpty ? "is not valid JSON" : "has an invalid value")
        @unknown default:
            return .init(name: "body", reason: "is invalid")
        }
    }
}
