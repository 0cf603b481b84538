import ArgumentParser
import DDASExchange
import Foundation
import RegieApp
import RegieDomain

/// `ddas-regie valideer FILE...`: the check a supplier runs on its export before the FSC
/// acceptance test. Each file (a bare `Uitwisselmodel` or a page `{gegevens, paginering}`) is
/// checked against the chosen exchange model and by every semantic check, as a pull checks
/// its pages; each finding is printed with its file, JSON pointer, rule code and Dutch
/// explanation, never with the value. Exit 0: nothing found; 1: findings; 2: a file (or an
/// option) cannot be used. It needs no database.
struct ValideerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "valideer",
        abstract: "Checks export files against the DDAS exchange model and the semantic checks, before they go live.",
        discussion: """
            Exit status: 0 nothing found, 1 findings, 2 a file or option cannot be used
            (not JSON, cut off, larger than 256 MiB, a folder, missing, an unknown version).
            Findings name the file, the JSON pointer, the rule code and what is wrong, in
            Dutch; never the value itself.
            """)

    @Option(help: "The stream: VS (vroegsignalering, the default) or SHV (schuldhulpverlening).")
    var stroom: String = "VS"

    @Option(help: "The model version (default: the newest shipped for the stream).")
    var versie: String?

    @Option(help: "The period the export covers (2026-Q1, 2026-03, 2026-H1); default: the file's startdatumLevering to einddatumLevering.")
    var periode: String?

    @Option(help: "The gemeente the export is for (GM0363); repeat for several. Leveringen of others are findings.")
    var gemeente: [String] = []

    @Option(help: "tekst (the default) or json.")
    var formaat: Formaat = .tekst

    @Argument(help: "The files to check.")
    var bestanden: [String]

    enum Formaat: String, ExpressibleByArgument, CaseIterable {
        case tekst, json
    }

    func validate() throws {
        guard ExchangeStroom(rawValue: stroom) != nil else { throw ValidationError("--stroom must be VS or SHV, not '\(stroom)'") }
        if let periode, Rapportageperiode(key: periode) == nil {
            throw ValidationError("--periode must be a period such as 2026-Q1, 2026-03 or 2026-H1, not '\(periode)'")
        }
        for code in gemeente where ExchangeGemeentecode(code) == nil {
            throw ValidationError("--gemeente must be a gemeentecode such as GM0363, not '\(code)'")
        }
        guard !bestanden.isEmpty else { throw ValidationError("name at least one file to check") }
    }

    func run() throws {
        guard let stream = ExchangeStroom(rawValue: stroom) else { throw ExitCode(2) }
        let check: ExchangeDocumentCheck
        do {
            check = try makeCheck(stream)
        } catch let message as UsageError {
            FileHandle.standardError.write(Data("Error: \(message.description)\n".utf8))
            throw ExitCode(2)
        }
        // The stream's schema policy, as the pulls apply it (reject when the file cannot be read).
        let policy =
            ((try? Resources.locate()).flatMap { try? LeveringSchedule.load(from: $0.workflows) }?.schemaViolationPolicies[stream.key]
                ?? .reject)
        var outcomes: [ValideerUitkomst] = []
        for path in bestanden {
            let uitkomst = Self.read(path).flatMap { check.check($0) }.map { rapport in
                var rapport = rapport
                rapport.telling.schemaBeleid = policy.rawValue
                return rapport
            }
            outcomes.append(ValideerUitkomst(bestand: path, uitkomst: uitkomst))
        }
        let output =
            formaat == .json ? ValideerUitvoer.json(outcomes, model: check.model) : ValideerUitvoer.tekst(outcomes, model: check.model)
        FileHandle.standardOutput.write(Data(output.utf8))
        for outcome in outcomes {
            if case .failure(let error) = outcome.uitkomst {
                FileHandle.standardError.write(Data("Error: \(outcome.bestand): \(error)\n".utf8))
            }
        }
        let status = ValideerUitvoer.status(outcomes)
        if status != 0 { throw ExitCode(status) }
    }

    /// The check the options choose.
    private func makeCheck(_ stream: ExchangeStroom) throws -> ExchangeDocumentCheck {
        let resources: Resources
        do {
            resources = try Resources.locate()
        } catch {
            throw UsageError(description: "the exchange models cannot be found (\(error)); set DDAS_RESOURCES_DIR")
        }
        let schemas = ExchangeSchemas(directory: resources.exchangeModels)
        let model: ExchangeModel
        do {
            if let versie {
                guard let version = ExchangeModelVersion(versie), try schemas.versions(of: stream).contains(version) else {
                    let known = (try? schemas.versions(of: stream).map(\.text).joined(separator: ", ")) ?? ""
                    throw UsageError(description: "no \(stream.key) model of version '\(versie)'; known: \(known)")
                }
                model = try schemas.model(stream, version: version)
            } else {
                model = try schemas.latestModel(stream)
            }
        } catch let error as ExchangeSchemaError {
            throw UsageError(description: error.description)
        }
        let period = periode.flatMap { Rapportageperiode(key: $0) }.map { ($0.firstDay.description, $0.lastDay.description) }
        let gemeenten = gemeente.isEmpty ? nil : Set(gemeente.compactMap { ExchangeGemeentecode($0) })
        return ExchangeDocumentCheck(
            model: model, periode: period, gemeenten: gemeenten,
            today: KalenderDag.containing(Date(), in: TimeZone(identifier: "Europe/Amsterdam") ?? .current).description)
    }

    /// The bytes of a file: a regular file of at most ``ExchangeDocumentCheck/maximumBytes``,
    /// its size looked at before anything is read.
    static func read(_ path: String) -> Result<[UInt8], ValideerLeesfout> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .failure(.ontbreekt) }
        guard !isDirectory.boolValue else { return .failure(.map) }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = (attributes[.size] as? NSNumber)?.intValue
        else { return .failure(.onleesbaar) }
        guard size <= ExchangeDocumentCheck.maximumBytes else { return .failure(.invoer(.tooLarge)) }
        guard let handle = FileHandle(forReadingAtPath: path) else { return .failure(.onleesbaar) }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: ExchangeDocumentCheck.maximumBytes + 1) else {
            return size == 0 ? .success([]) : .failure(.onleesbaar)
        }
        guard data.count <= ExchangeDocumentCheck.maximumBytes else { return .failure(.invoer(.tooLarge)) }
        return .success(Array(data))
    }
}

extension Result where Success == [UInt8], Failure == ValideerLeesfout {
    /// The check of the bytes read, or why they were not.
    func flatMap(_ check: ([UInt8]) -> Result<ValidatieRapport, ValidatieInvoerFout>) -> Result<ValidatieRapport, ValideerLeesfout> {
        switch self {
        case .success(let bytes): check(bytes).mapError { .invoer($0) }
        case .failure(let error): .failure(error)
        }
    }
}

/// Why a file could not be checked.
enum ValideerLeesfout: Error, CustomStringConvertible {
    /// There is no such file.
    case ontbreekt
    /// It is a folder.
    case map
    /// It cannot be read.
    case onleesbaar
    /// Its contents cannot be checked.
    case invoer(ValidatieInvoerFout)

    /// A stable code.
    var code: String {
        switch self {
        case .ontbreekt: "ontbreekt"
        case .map: "map"
        case .onleesbaar: "onleesbaar"
        case .invoer(let fout): fout.code
        }
    }

    var description: String {
        switch self {
        case .ontbreekt: "bestand bestaat niet"
        case .map: "is een map, geen bestand"
        case .onleesbaar: "bestand is niet te lezen"
        case .invoer(let fout): fout.description
        }
    }
}

/// One file and what its check gave.
struct ValideerUitkomst {
    let bestand: String
    let uitkomst: Result<ValidatieRapport, ValideerLeesfout>
}

/// What `ddas-regie valideer` prints, and its exit status.
enum ValideerUitvoer {
    /// 2 when a file could not be checked, else 1 when anything was found, else 0.
    static func status(_ outcomes: [ValideerUitkomst]) -> Int32 {
        var status: Int32 = 0
        for outcome in outcomes {
            switch outcome.uitkomst {
            case .failure: status = 2
            case .success(let rapport) where !rapport.isClean: status = max(status, 1)
            case .success: break
            }
        }
        return status
    }

    /// One line per finding, `FILE:POINTER: fout [code] explanation`, and a summary per file.
    static func tekst(_ outcomes: [ValideerUitkomst], model: ExchangeModel) -> String {
        var text = ""
        for outcome in outcomes {
            guard case .success(let rapport) = outcome.uitkomst else {
                if case .failure(let error) = outcome.uitkomst { text += "\(outcome.bestand): onbruikbaar [\(error.code)] \(error)\n" }
                continue
            }
            for bevinding in rapport.bevindingen {
                let pointer = bevinding.pointer.isEmpty ? "/" : bevinding.pointer
                text += "\(outcome.bestand):\(pointer): \(bevinding.ernst.rawValue) [\(bevinding.code)] \(bevinding.uitleg)"
                if let regel = bevinding.regel { text += " (regel \(regel))" }
                text += "\n"
            }
            if rapport.bevindingenTotaal > rapport.bevindingen.count {
                text +=
                    "\(outcome.bestand): en nog \(rapport.bevindingenTotaal - rapport.bevindingen.count) bevindingen, niet afzonderlijk getoond\n"
            }
            let units = rapport.telling.records + rapport.telling.zaken
            text += "\(outcome.bestand): \(model.stream.key) \(model.version.text), \(rapport.vorm.rawValue), \(units) records en zaken: "
            text += rapport.isClean ? "geen bevindingen\n" : "\(rapport.bevindingenTotaal) bevindingen\n"
            if let total = rapport.telling.schemaOvertredingenTotaal, total > 0 {
                text +=
                    rapport.telling.schemaBeleid == "count"
                    ? "\(outcome.bestand): schemabeleid count: de \(total) schemaovertredingen tellen als fouten van hun records\n"
                    : "\(outcome.bestand): schemabeleid reject: met \(total) schemaovertredingen wordt de levering afgekeurd\n"
            }
        }
        return text
    }

    /// The same as JSON: per file its report (counts and findings) or why it could not be checked.
    static func json(_ outcomes: [ValideerUitkomst], model: ExchangeModel) -> String {
        struct Bestand: Encodable {
            var bestand: String
            var rapport: ValidatieRapport?
            var fout: String?
            var melding: String?
        }
        struct Uitvoer: Encodable {
            var stroom: String
            var modelVersie: String
            var bestanden: [Bestand]
        }
        let bestanden = outcomes.map { outcome in
            switch outcome.uitkomst {
            case .success(let rapport): Bestand(bestand: outcome.bestand, rapport: rapport)
            case .failure(let error): Bestand(bestand: outcome.bestand, fout: error.code, melding: error.description)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Uitvoer(stroom: model.stream.key, modelVersie: model.version.text, bestanden: bestanden))) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
