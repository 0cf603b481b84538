import Foundation
import Testing

@testable import Standardisation

/// The files the tests read: the reference data in `Data/standaardisatie` and the held-out set.
enum TestData {
    /// `Data/standaardisatie` of the package (the main project has the same files at that path).
    static let referenceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Data").appendingPathComponent("standaardisatie")

    /// `Exchange/` of the package: the JSON Schemas of the exchange models.
    static let exchangeDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Exchange")

    /// `Fixtures/` beside the tests.
    static let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A test file that cannot be read.
    struct Unreadable: Error, CustomStringConvertible {
        let file: String
        var description: String { "cannot read \(file)" }
    }

    /// The full standardiser: reference data and rules.
    static func full() throws -> Standardiser {
        Standardiser(reference: try ReferenceTable.load(directory: referenceDirectory))
    }

    /// The rules alone.
    static let rulesOnly = Standardiser()

    /// One text of a test file and the values it may map to (`LEEG`, `ONBEKEND` included).
    struct Variant: Sendable, CustomTestStringConvertible {
        let lijst: CodeList
        let tekst: String
        let acceptable: Set<String>
        let file: String
        let line: Int
        var testDescription: String { "\(file):\(line)" }
    }

    /// The rows of a `variant,waarde` reference file.
    static func variants(_ file: ReferenceFile) throws -> [Variant] {
        try rows(referenceDirectory.appendingPathComponent(file.fileName)).map { fields, line in
            Variant(lijst: file.lijst, tekst: fields[0], acceptable: acceptable(fields[1]), file: file.fileName, line: line)
        }
    }

    /// The held-out rows (`lijst,variant,waarde`), written before the rules.
    static func heldOut() throws -> [Variant] {
        try rows(fixturesDirectory.appendingPathComponent("heldout-varianten.csv")).map { fields, line in
            guard let lijst = CodeList(rawValue: fields[0]) else { throw Unreadable(file: "heldout-varianten.csv:\(line)") }
            return Variant(lijst: lijst, tekst: fields[1], acceptable: acceptable(fields[2]), file: "heldout-varianten.csv", line: line)
        }
    }

    private static func acceptable(_ field: String) -> Set<String> {
        Set(field.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) })
    }

    private static func rows(_ url: URL) throws -> [(fields: [String], line: Int)] {
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8),
            let records = try? csvRecords(text)
        else { throw Unreadable(file: url.lastPathComponent) }
        return records.dropFirst().map { ($0.fields, $0.line) }
    }

    /// How a standardiser did on a set of variants.
    struct Score: CustomStringConvertible {
        var correct = 0
        /// Not acceptable and `ONBEKEND`: a human would map it.
        var unknown = 0
        /// Not acceptable and not `ONBEKEND`: a wrong answer given with confidence.
        var guesses: [Variant] = []
        var total: Int { correct + unknown + guesses.count }
        var description: String { "\(correct) of \(total) correct, \(unknown) ONBEKEND, \(guesses.count) wrong guesses" }
    }

    static func score(_ standardiser: Standardiser, _ variants: [Variant]) -> Score {
        var score = Score()
        for variant in variants {
            let result = standardiser.standardise(variant.tekst, in: variant.lijst)
            if variant.acceptable.contains(result.waarde) {
                score.correct += 1
            } else if result.waarde == StandardisedValue.onbekend {
                score.unknown += 1
            } else {
                score.guesses.append(variant)
            }
        }
        return score
    }
}
