import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Server-rendered HTML: escaping, the shared style sheet and the response with its own
/// Content-Security-Policy (no script at all; the one inline style sheet allowed by its hash).
enum HTMLPage {
    /// The style of every page: readable, high contrast, visible focus.
    static let style = """
        body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1a1a1a;background:#fff;line-height:1.5}
        h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}
        table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}
        th,td{border:1px solid #8a8a8a;padding:.3rem .5rem;text-align:left;vertical-align:top}
        td.getal,th.getal{text-align:right;font-variant-numeric:tabular-nums}
        caption{text-align:left;font-weight:bold;padding:.25rem 0}
        .oordeel{padding:.5rem .75rem;border:2px solid #1a1a1a;display:inline-block}
        .boven_drempel{border-color:#a00000}.onder_drempel{border-color:#8a5a00}.in_orde{border-color:#006000}
        a{color:#0b4f9c}a:focus,button:focus{outline:3px solid #0b4f9c;outline-offset:2px}
        dl{display:grid;grid-template-columns:max-content auto;gap:.25rem 1rem}dt{font-weight:bold}dd{margin:0}
        header{display:flex;justify-content:space-between;align-items:center;border-bottom:2px solid #1a1a1a;margin-bottom:1rem}
        .merk{font-weight:bold;font-size:1.1rem}.menu{list-style:none;display:flex;gap:1rem;margin:0;padding:0;align-items:center}
        .skip{position:absolute;left:-10000px}.skip:focus{position:static}
        button{font:inherit;padding:.35rem .8rem;border:2px solid #0b4f9c;background:#0b4f9c;color:#fff;border-radius:3px;cursor:pointer}
        label{font-weight:bold;display:block;margin-top:.5rem}input,select{font:inherit;padding:.3rem;border:1px solid #555}
        .filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end}.melding{border-left:4px solid #a00000;padding:.5rem .75rem}.gelukt{border-left:4px solid #006000;padding:.5rem .75rem}
        figure{margin:1rem 0}figcaption{font-weight:bold}
        """

    /// `Content-Security-Policy` of the pages: nothing but the inline style sheet above.
    static let contentSecurityPolicy: String = {
        let digest = Data(SHA256.hash(data: Data(style.utf8))).base64EncodedString()
        return
            "default-src 'none'; style-src 'sha256-\(digest)'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }()

    /// Whether the request asks for HTML rather than JSON.
    static func isPreferred(by request: Request) -> Bool {
        let accept = request.headers[.accept] ?? ""
        return accept.contains("text/html")
    }

    /// A page: `title` and `body` (already escaped HTML) in the shared frame.
    static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="nl">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) – DDAS regie</title>
        <style>\(style)</style>
        </head>
        <body>
        <main>
        \(body)
        </main>
        </body>
        </html>
        """
    }

    /// The response for a page.
    static func response(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        let data = Data(html.utf8)
        var buffer = ByteBuffer()
        buffer.writeBytes(data)
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .contentLength: String(data.count)]
        headers[HTTPField.Name("Content-Security-Policy")!] = contentSecurityPolicy
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }

    /// `text` with `& < > " '` escaped, for element content and quoted attributes.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A count as Dutch text (`12.345`), or `< 5` when suppressed.
    static func count(_ value: Int?) -> String {
        guard let value else { return "&lt; 5" }
        let digits = String(value)
        var grouped = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { grouped.append(".") }
            grouped.append(digit)
        }
        return grouped
    }

    /// A share as a Dutch percentage (`4,2%`), or `niet getoond` when suppressed.
    static func percentage(_ share: Double?) -> String {
        guard let share else { return "niet getoond" }
        return String(format: "%.1f%%", share * 100).replacingOccurrences(of: ".", with: ",")
    }
}
