import Foundation
import SMTPClient
import Testing

/// What the client refuses before it connects, and how a message is written.
@Suite("SMTP configuration and message")
struct SMTPMessageTests {
    @Test("Ports outside 1–65535 are refused", arguments: [0, -1, 65_536, Int.max, Int.min])
    func portEdges(port: Int) {
        #expect(throws: SMTPFailure.self) { try SMTPConfiguration(host: "smtp.example", port: port) }
    }

    @Test("Credentials never travel without TLS, and plain SMTP stays on this machine")
    func plainOnlyLocal() throws {
        #expect(throws: SMTPFailure.self) { try SMTPConfiguration(host: "smtp.example", port: 25, security: .none) }
        #expect(throws: SMTPFailure.self) {
            try SMTPConfiguration(host: "127.0.0.1", port: 25, security: .none, credentials: .init(username: "a", password: "b"))
        }
        _ = try SMTPConfiguration(host: "127.0.0.1", port: 25, security: .none)
        _ = try SMTPConfiguration(host: "smtp.example", port: 587, credentials: .init(username: "a", password: "b"))
    }

    @Test("An address or header that could add a command or a header is refused")
    func injection() {
        let bad = ["a@b.nl\r\nRCPT TO:<x@y.nl>", "a@b.nl>", "geen-apenstaartje", "@b.nl", "a@", "a b@c.nl", ""]
        for address in bad {
            #expect(throws: SMTPFailure.self) {
                try MailMessage(from: "a@b.nl", to: [address], subject: "s", text: "t", messageID: "m@b.nl")
            }
            #expect(throws: SMTPFailure.self) {
                try MailMessage(from: address, to: ["a@b.nl"], subject: "s", text: "t", messageID: "m@b.nl")
            }
        }
        #expect(throws: SMTPFailure.self) {
            try MailMessage(from: "a@b.nl", to: [], subject: "s", text: "t", messageID: "m@b.nl")
        }
        #expect(throws: SMTPFailure.self) {
            try MailMessage(
                from: "a@b.nl", to: ["c@d.nl"], subject: "s", text: "t", messageID: "m@b.nl",
                headers: [("List-Unsubscribe", "<https://x>\r\nBcc: e@f.nl")])
        }
    }

    @Test("A subject with line breaks stays one header")
    func subjectLineBreaks() throws {
        let message = try MailMessage(
            from: "a@b.nl", to: ["c@d.nl"], subject: "één\r\nBcc: e@f.nl", text: "t", messageID: "m@b.nl")
        let lines = String(decoding: message.rendered(), as: UTF8.self).components(separatedBy: "\r\n")
        #expect(!lines.contains { $0.hasPrefix("Bcc:") })
    }

    @Test("The same message renders the same bytes but for its date, so a resend is recognisably the same")
    func stableRendering() throws {
        let date = Date(timeIntervalSince1970: 1_796_000_000)
        let first = try MailMessage(
            from: "a@b.nl", to: ["c@d.nl"], subject: "s", text: "t", html: "<p>t</p>", messageID: "m@b.nl", date: date)
        let second = try MailMessage(
            from: "a@b.nl", to: ["c@d.nl"], subject: "s", text: "t", html: "<p>t</p>", messageID: "m@b.nl", date: date)
        #expect(first.rendered() == second.rendered())
        #expect(String(decoding: first.rendered(), as: UTF8.self).contains("Date: Mon, 30 Nov 2026 "))
    }
}
