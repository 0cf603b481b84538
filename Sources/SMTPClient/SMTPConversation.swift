import Foundation
import NIOCore
import NIOSSL

/// One message's conversation with the server, step by step; every reply is checked before the
/// next command goes out (no pipelining: the replies' codes decide what is safe to send).
struct SMTPConversation<Inbound: AsyncSequence> where Inbound.Element == ByteBuffer {
    let channel: any Channel
    var reader: SMTPReplyReader<Inbound>
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let configuration: SMTPConfiguration
    /// The handshake of a connection that started with TLS.
    let implicitHandshake: EventLoopFuture<Void>?
    private var secured: Bool

    init(
        channel: any Channel, reader: SMTPReplyReader<Inbound>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        configuration: SMTPConfiguration, implicitHandshake: EventLoopFuture<Void>?
    ) {
        self.implicitHandshake = implicitHandshake
        self.channel = channel
        self.reader = reader
        self.outbound = outbound
        self.configuration = configuration
        secured = configuration.security == .implicitTLS
    }

    /// Greeting to `QUIT`.
    mutating func deliver(_ message: MailMessage) async throws {
        try await implicitHandshake?.handshake()
        try await expect(220, at: "the greeting")
        var extensions = try await hello()
        if configuration.security == .startTLS {
            guard extensions["STARTTLS"] != nil else {
                throw SMTPFailure(.protocolViolation, "the server does not offer STARTTLS")
            }
            try await command("STARTTLS", expecting: 220)
            let channel = channel
            let configuration = configuration
            try await channel.eventLoop.submit { try TLSHandshakeWaiter.secure(channel, configuration) }.get().handshake()
            secured = true
            extensions = try await hello()
        }
        if let credentials = configuration.credentials {
            guard secured else { throw SMTPFailure(.configuration, "SMTP credentials are only sent over TLS") }
            try await authenticate(credentials, mechanisms: extensions["AUTH"] ?? [])
        }
        try await command("MAIL FROM:<\(message.from)>", expecting: 250)
        for recipient in message.to {
            let reply = try await send("RCPT TO:<\(recipient)>")
            guard reply.code == 250 || reply.code == 251 else { throw SMTPFailure.unexpected(reply, at: "RCPT TO") }
        }
        try await command("DATA", expecting: 354)
        try await outbound.write(ByteBuffer(bytes: Self.dotStuffed(message.rendered())))
        try await expect(250, at: "the end of the data")
        // The message is accepted; a failing QUIT changes nothing.
        _ = try? await send("QUIT")
    }

    /// `EHLO`, and the extensions the server offers.
    private mutating func hello() async throws -> [String: [String]] {
        let reply = try await send("EHLO \(configuration.clientName)")
        guard reply.is(250) else { throw SMTPFailure.unexpected(reply, at: "EHLO") }
        return SMTPCommand.extensions(of: reply)
    }

    private mutating func authenticate(_ credentials: SMTPConfiguration.Credentials, mechanisms: [String]) async throws {
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        if mechanisms.contains("PLAIN") {
            // RFC 4616: authorisation identity (empty), NUL, user name, NUL, password.
            let reply = try await send("AUTH PLAIN " + base64("\u{0}\(credentials.username)\u{0}\(credentials.password)"))
            guard reply.is(235) else { throw SMTPFailure.unexpected(reply, at: "AUTH PLAIN") }
        } else if mechanisms.contains("LOGIN") {
            try await command("AUTH LOGIN", expecting: 334)
            try await command(base64(credentials.username), expecting: 334, step: "AUTH LOGIN (user name)")
            try await command(base64(credentials.password), expecting: 235, step: "AUTH LOGIN (password)")
        } else {
            throw SMTPFailure(.protocolViolation, "the server offers neither AUTH PLAIN nor AUTH LOGIN")
        }
    }

    private mutating func command(_ line: String, expecting code: Int, step: String? = nil) async throws {
        let reply = try await send(line)
        guard reply.is(code) else { throw SMTPFailure.unexpected(reply, at: step ?? Self.verb(of: line)) }
    }

    private mutating func expect(_ code: Int, at step: String) async throws {
        let reply = try await reader.next()
        guard reply.is(code) else { throw SMTPFailure.unexpected(reply, at: step) }
    }

    private mutating func send(_ line: String) async throws -> SMTPReply {
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
        return try await reader.next()
    }

    /// The command's verb (its arguments may hold credentials, so they never go into a failure).
    private static func verb(of line: String) -> String {
        let words = line.split(separator: " ")
        return words.first.map(String.init) ?? line
    }

    /// The data with every line that starts with `.` given a second one (RFC 5321 §4.5.2), and the
    /// closing `CRLF . CRLF`.
    static func dotStuffed(_ data: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(data.count + data.count / 64 + 5)
        var atLineStart = true
        for byte in data {
            if atLineStart, byte == UInt8(ascii: ".") { output.append(UInt8(ascii: ".")) }
            output.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        if !atLineStart { output += [13, 10] }
        output += Array(".\r\n".utf8)
        return output
    }
}
