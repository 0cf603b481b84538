import NIOCore

/// One reply of the server (RFC 5321 §4.2): a three-digit code and its text lines.
struct SMTPReply: Sendable, Equatable {
    /// The reply code.
    let code: Int
    /// The text of each line, without the code and separator.
    let lines: [String]

    /// The first line, shortened, for a failure's description (servers put the reason there).
    var summary: String {
        let first = lines.first ?? ""
        let printable = first.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }
        return String(String.UnicodeScalarView(printable.prefix(200)))
    }

    /// Whether the code is `expected`.
    func `is`(_ expected: Int) -> Bool { code == expected }
}

/// Reads replies from the server's bytes as they arrive, one line at a time (CRLF, or a bare LF
/// which some servers send), a multi-line reply joined by its `-` separators.
struct SMTPReplyReader<Bytes: AsyncSequence> where Bytes.Element == ByteBuffer {
    /// The longest line accepted (RFC 5321 §4.5.3.1.5 says 512 with the CRLF; some servers send more).
    static var maximumLineLength: Int { 4_096 }
    /// The most lines one reply may have.
    static var maximumLines: Int { 100 }

    private var iterator: Bytes.AsyncIterator
    private var pending = ByteBuffer()

    init(_ bytes: Bytes) {
        iterator = bytes.makeAsyncIterator()
    }

    /// The next whole reply.
    /// - Throws: ``SMTPFailure`` `connection` when the server closes first, `protocolViolation`
    ///   when a line is not a reply line.
    mutating func next() async throws -> SMTPReply {
        var lines: [String] = []
        var code: Int?
        while true {
            let line = try await nextLine()
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, bytes[0...2].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let lineCode = Int(String(decoding: bytes[0...2], as: UTF8.self)), (200...599).contains(lineCode)
            else {
                throw SMTPFailure(.protocolViolation, "the server sent a line that is not an SMTP reply")
            }
            if let code, code != lineCode {
                throw SMTPFailure(.protocolViolation, "the lines of one reply carry different codes (\(code), \(lineCode))")
            }
            code = lineCode
            let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
            lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            guard lines.count <= Self.maximumLines else {
                throw SMTPFailure(.protocolViolation, "a reply of more than \(Self.maximumLines) lines")
            }
            switch separator {
            case UInt8(ascii: "-"): continue
            case UInt8(ascii: " "): return SMTPReply(code: lineCode, lines: lines)
            default: throw SMTPFailure(.protocolViolation, "a reply line with neither a space nor a dash after its code")
            }
        }
    }

    /// The next line without its line break.
    private mutating func nextLine() async throws -> String {
        while true {
            if let newline = pending.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                let length = newline - pending.readerIndex
                var line = pending.readSlice(length: length)!
                pending.moveReaderIndex(forwardBy: 1)
                if line.readableBytesView.last == UInt8(ascii: "\r") { line.moveWriterIndex(to: line.writerIndex - 1) }
                return String(buffer: line)
            }
            guard pending.readableBytes <= Self.maximumLineLength else {
                throw SMTPFailure(.protocolViolation, "a reply line longer than \(Self.maximumLineLength) bytes")
            }
            guard var chunk = try await iterator.next() else {
                throw SMTPFailure(.connection, "the server closed the connection")
            }
            pending.discardReadBytes()
            pending.writeBuffer(&chunk)
        }
    }
}

/// The commands this client sends, and the checks on what goes into them.
enum SMTPCommand {
    /// Whether `text` may go into a command line: printable ASCII, no line breaks, no angle brackets.
    static func isSafeArgument(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x21 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }
    }

    /// Whether `address` is a mailbox this client will put in `MAIL FROM` or `RCPT TO`: one `@`
    /// with something on either side, and only characters that cannot end or extend the command.
    static func isMailbox(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && address.utf8.count <= 254
            && isSafeArgument(address)
    }

    /// The extension keywords (upper case) and their parameters from an `EHLO` reply.
    static func extensions(of reply: SMTPReply) -> [String: [String]] {
        var found: [String: [String]] = [:]
        for line in reply.lines.dropFirst() {
            let words = line.split(separator: " ").map(String.init)
            guard let keyword = words.first else { continue }
            found[keyword.uppercased()] = words.dropFirst().map { $0.uppercased() }
        }
        return found
    }
}
