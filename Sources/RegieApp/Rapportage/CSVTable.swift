import Foundation
import HTTPTypes
import Hummingbird

/// A table as CSV that Dutch Excel opens correctly: UTF-8 with a byte order mark, `;` between
/// fields, CRLF between rows, fields quoted where needed, and any field that a spreadsheet
/// would read as a formula (`=`, `+`, `-`, `@` first) prefixed with `'`.
public struct CSVTable {
    let header: [String]
    var rows: [[String]] = []

    /// Whether the request asks for CSV.
    static func isPreferred(by request: Request) -> Bool {
        (request.headers[.accept] ?? "").contains("text/csv")
    }

    /// The text, BOM included.
    var text: String {
        var text = "\u{FEFF}"
        for row in [header] + rows {
            text += row.map(Self.field).joined(separator: ";") + "\r\n"
        }
        return text
    }

    /// One field, quoted and defused as needed.
    static func field(_ value: String) -> String {
        let value = defused(value)
        guard value.unicodeScalars.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `value`, prefixed with `'` when a spreadsheet would read it as a formula (`=`, `+`,
    /// `-`, `@`, or a tab or carriage return first): every CSV the service writes does this.
    public static func defused(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }

    /// The response: `text/csv; charset=utf-8`, offered as a download named `filename`.
    func response(filename: String) -> Response {
        Self.response(Data(text.utf8), filename: filename)
    }

    /// The response for an encoded table (``text`` as UTF-8), offered as a download named `filename`.
    static func response(_ data: Data, filename: String) -> Response {
        var buffer = ByteBuffer()
        buffer.writeBytes(data)
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .contentLength: String(data.count),
                .contentDisposition: "attachment; filename=\"\(filename)\"",
            ],
            body: ResponseBody(byteBuffer: buffer))
    }
}
