import Foundation

/// One e-mail: envelope, headers, a plain-text and an HTML body (RFC 5322 and MIME, RFC 2045–2047),
/// rendered as 7-bit lines so that every relay carries it unchanged.
public struct MailMessage: Sendable {
    /// The sender's mailbox, in `From` and `MAIL FROM`.
    public let from: String
    /// The sender's display name in `From` (may hold any Unicode).
    public let fromName: String?
    /// The recipients' mailboxes, in `To` and one `RCPT TO` each.
    public let to: [String]
    /// The subject (may hold any Unicode; encoded as RFC 2047 words where needed).
    public let subject: String
    /// The plain-text body.
    public let text: String
    /// The HTML body, sent beside the text as `multipart/alternative`; nil sends the text alone.
    public let html: String?
    /// The `Message-ID` without angle brackets (`local@domain`): the same id every time the same
    /// message is sent again, so that receivers can drop a repeat.
    public let messageID: String
    /// The moment in the `Date` header.
    public let date: Date
    /// Further headers (`List-Unsubscribe`, ...), names and values in ASCII, in this order.
    public let headers: [(name: String, value: String)]

    /// A message.
    /// - Throws: ``SMTPFailure`` (`configuration`) when an address is not a plain mailbox, there is
    ///   no recipient, or a header name or value could end or add a header (line breaks, non-ASCII).
    public init(
        from: String, fromName: String? = nil, to: [String], subject: String, text: String, html: String? = nil,
        messageID: String, date: Date = Date(), headers: [(name: String, value: String)] = []
    ) throws(SMTPFailure) {
        guard SMTPCommand.isMailbox(from) else { throw SMTPFailure(.configuration, "the sender is not a plain mailbox") }
        guard !to.isEmpty else { throw SMTPFailure(.configuration, "a message needs a recipient") }
        guard to.allSatisfy(SMTPCommand.isMailbox) else {
            throw SMTPFailure(.configuration, "a recipient is not a plain mailbox")
        }
        guard SMTPCommand.isMailbox(messageID) else { throw SMTPFailure(.configuration, "the message id is not local@domain") }
        for header in headers {
            let nameIsToken = !header.name.isEmpty && header.name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }
            let valueIsLine = header.value.utf8.allSatisfy { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 }
            guard nameIsToken, valueIsLine else {
                throw SMTPFailure(.configuration, "the header \(nameIsToken ? header.name : "name") is not one line of ASCII")
            }
        }
        self.from = from
        self.fromName = fromName
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.messageID = messageID
        self.date = date
        self.headers = headers
    }

    /// The message as sent after `DATA`: CRLF line ends, 7-bit, not yet dot-stuffed.
    public func rendered() -> [UInt8] {
        var lines: [String] = []
        let fromName = fromName.map { MIMEEncoding.encodedWords($0) + " " } ?? ""
        lines.append("From: \(fromName)<\(from)>")
        lines.append("To: " + to.map { "<\($0)>" }.joined(separator: ", "))
        lines.append("Subject: " + MIMEEncoding.encodedWords(subject))
        lines.append("Date: " + MIMEEncoding.date(date))
        lines.append("Message-ID: <\(messageID)>")
        lines.append("MIME-Version: 1.0")
        for header in headers { lines.append("\(header.name): \(header.value)") }
        if let html {
            let boundary =
                "=_ddas_"
                + String(
                    messageID.utf8.reduce(into: UInt64(1_469_598_103_934_665_603)) { $0 = ($0 ^ UInt64($1)) &* 1_099_511_628_211 },
                    radix: 36)
            lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
            lines.append("")
            lines.append("--\(boundary)")
            lines += MIMEEncoding.part(contentType: "text/plain; charset=utf-8", body: text)
            lines.append("--\(boundary)")
            lines += MIMEEncoding.part(contentType: "text/html; charset=utf-8", body: html)
            lines.append("--\(boundary)--")
        } else {
            lines += MIMEEncoding.part(contentType: "text/plain; charset=utf-8", body: text)
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }
}

/// The encodings that keep a message 7-bit: RFC 2047 words for headers, quoted-printable for bodies.
enum MIMEEncoding {
    /// `text` as it may stand in a header: itself when it is printable ASCII of a modest length,
    /// otherwise RFC 2047 `B` words short enough for 78-character lines, folded onto continuation lines.
    static func encodedWords(_ text: String) -> String {
        let plain = text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } && !text.contains("=?") && text.utf8.count <= 900
        if plain { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 39, !chunk.isEmpty {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    /// The headers and quoted-printable lines of one body part.
    static func part(contentType: String, body: String) -> [String] {
        ["Content-Type: \(contentType)", "Content-Transfer-Encoding: quoted-printable", ""] + quotedPrintable(body)
    }

    /// `text` in quoted-printable (RFC 2045 §6.7): its line breaks kept as CRLF, every line at most
    /// 76 characters (soft breaks `=`), bytes outside printable ASCII and `=` as `=XX`, white space
    /// before a line end encoded.
    static func quotedPrintable(_ text: String) -> [String] {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [String] = []
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        for line in normalised.split(separator: "\n", omittingEmptySubsequences: false) {
            var current: [UInt8] = []
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let literal = (byte >= 0x21 && byte <= 0x7E && byte != UInt8(ascii: "=")) || ((byte == 0x20 || byte == 0x09) && !isLast)
                let token: [UInt8] = literal ? [byte] : [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                if current.count + token.count > 75 {
                    output.append(String(decoding: current + [UInt8(ascii: "=")], as: UTF8.self))
                    current = []
                }
                current += token
            }
            output.append(String(decoding: current, as: UTF8.self))
        }
        return output
    }

    /// `date` as RFC 5322 writes it, in UTC: `Sun, 06 Dec 2026 13:20:00 +0000`.
    static func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(days[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
