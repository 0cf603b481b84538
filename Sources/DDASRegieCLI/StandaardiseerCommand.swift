import ArgumentParser
import Foundation
import RegieApp
import RegieStore
import Standardisation

/// `ddas-regie standaardiseer --lijst eindresultaat`: maps free texts, one per line on standard
/// input, to the official values of a code list, and writes CSV `tekst,waarde` on standard
/// output in the same order. It uses the table the project team maintains (hence the
/// database options) and the shipped reference data; it never guesses: what no rule or entry
/// explains is `ONBEKEND`, an empty line `LEEG`.
struct StandaardiseerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standaardiseer",
        abstract: "Maps free texts (one per line on standard input) to the official values of a code list; writes CSV tekst,waarde.")

    @Option(help: "The code list: \(CodeList.allCases.map(\.rawValue).joined(separator: ", ")).")
    var lijst: String

    @Flag(help: "Also write the rule that decided each value, as a third column regel.")
    var regel = false

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard CodeList(rawValue: lijst) != nil else {
            throw ValidationError("--lijst must be one of " + CodeList.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    func run() async throws {
        guard let list = CodeList(rawValue: lijst) else { return }
        let texts = Self.lines(FileHandle.standardInput.readDataToEndOfFile())
        let resources = try Resources.locate()
        let values = try await withStores(database) { stores, _ in
            let service = try StandardisationService(store: stores.standardisation, referenceDirectory: resources.standaardisatie)
            return try await service.current().standardiser.standardise(texts, in: list)
        }
        var output = regel ? "tekst,waarde,regel\n" : "tekst,waarde\n"
        for (text, value) in zip(texts, values) {
            output += Self.field(text) + "," + Self.field(value.waarde)
            if regel { output += "," + Self.field(value.regel) }
            output += "\n"
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    /// The lines of `data`: split at LF (a CR before it dropped); a last line without LF counts,
    /// an LF at the very end does not start another.
    static func lines(_ data: Data) -> [String] {
        guard !data.isEmpty else { return [] }
        // Bytes, not Characters: "\r\n" is one Character in Swift.
        var lines = Array(data).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...], as: UTF8.self)
        }
        if data.last == UInt8(ascii: "\n") { lines.removeLast() }
        return lines
    }

    /// A CSV field (RFC 4180): defused where a spreadsheet would read a formula, as every
    /// CSV of the service is, and quoted when it holds a comma, a quote or a line break.
    static func field(_ text: String) -> String {
        let text = CSVTable.defused(text)
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
