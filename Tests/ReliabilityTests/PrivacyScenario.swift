import Foundation
import RegieTestSupport
import Testing

@testable import EmbeddedPostgres

/// After the other scenarios: every BSN, postcode with its huisnummer and e-mail address in
/// the pages they handed over to the sink is looked for in `pg_dump` of every scenario's
/// database, in every service log, in every `/metrics` answer and in every API answer.
enum PrivacyScenario {
    static func run() async throws {
        var data = PersonalData()
        var pages = 0
        for sink in await ServiceRig.sinks.items {
            pages += try data.collect(fromSink: sink)
        }
        let databases = await ReliabilityCluster.databases.items
        #expect(databases.count >= 8, "the scenarios before this one left their databases: \(databases)")
        #expect(data.bsns.count > 1_000 && data.pairs.count > 1_000 && !data.emails.isEmpty, "\(data.summary)")

        let cluster = try await ReliabilityCluster.shared.value
        let installation = try await PostgresInstallation.find()
        var hits: [String: Int] = [:]
        var places: [String] = []
        // The scan finds a value as it would leak (a JSON value, a log field), not one glued inside another token.
        var control: [String] = []
        let bsn = try #require(data.bsns.first)
        let (postcode, numbers) = try #require(data.pairs.first)
        let number = try #require(numbers.first)
        #expect(data.hits(in: #"{"bsn":"\#(bsn)"} bsn=\#(bsn) "\#(postcode)", "huisnummer": \#(number)"#, places: &control) == 3)
        #expect(data.hits(in: "x\(bsn)y 7f\(bsn)e1 Q\(postcode)Z\(number)", places: &control) == 0)
        var dumpBytes = 0
        for database in databases {
            let dump = try await ProcessRunner.run(
                installation.binDirectory + "/pg_dump", ["--dbname=\(cluster.connectionString(database: database))"])
            #expect(dump.status == 0, "\(dump.output.prefix(300))")
            dumpBytes += dump.output.utf8.count
            hits["pg_dump", default: 0] += data.hits(in: dump.output, places: &places)
        }
        let logs = await ServiceRig.logs.items
        for log in logs { hits["logs", default: 0] += data.hits(in: log, places: &places) }
        let metrics = await ServiceRig.metrics.items
        for answer in metrics { hits["/metrics", default: 0] += data.hits(in: answer, places: &places) }
        let sentMeldingen = await ServiceRig.meldingen.items
        #expect(sentMeldingen.count >= 200, "the mails and webhook bodies of scenario 7b: \(sentMeldingen.count)")
        for text in sentMeldingen { hits["mails and webhooks", default: 0] += data.hits(in: text, places: &places) }
        let responses = await ServiceRig.responses.texts
        let responseCount = await ServiceRig.responses.count
        for answer in responses { hits["API answers", default: 0] += data.hits(in: answer, places: &places) }
        #expect(
            logs.count >= 8 && metrics.count >= 5 && responseCount >= 1_000,
            "\(logs.count) logs, \(metrics.count) scrapes, \(responseCount) answers")
        let total = hits.values.reduce(0, +)
        #expect(total == 0, "personal data found: \(hits)\n\(places.prefix(10).joined(separator: "\n"))")
        func megabytes(_ texts: [String]) -> String { String(format: "%.1f MB", Double(texts.reduce(0) { $0 + $1.utf8.count }) / 1e6) }
        Figures.record(
            Scenario.privacy,
            "looked for \(data.summary) from \(pages) handed-over pages in: pg_dump of \(databases.count) databases (\(String(format: "%.1f MB", Double(dumpBytes) / 1e6))), \(logs.count) service logs (\(megabytes(logs))), \(metrics.count) /metrics answers (\(megabytes(metrics))), \(sentMeldingen.count) sent mails and webhook bodies (\(megabytes(sentMeldingen))), \(responseCount) API answers (\(megabytes(responses)) kept); hits \(total)"
        )
    }
}

/// The identifying values of the pulled pages, and a scan for them in any text.
struct PersonalData {
    var bsns: Set<String> = []
    /// Postcode → the huisnummers seen with it.
    var pairs: [String: Set<String>] = [:]
    var emails: Set<String> = []

    var summary: String {
        "\(bsns.count) BSNs, \(pairs.values.reduce(0) { $0 + $1.count }) postcode+huisnummer pairs, \(emails.count) e-mail addresses"
    }

    /// Reads every page in a sink folder; returns how many.
    mutating func collect(fromSink sink: URL) throws -> Int {
        var pages = 0
        for delivery in (try? FileManager.default.contentsOfDirectory(atPath: sink.path)) ?? [] where !delivery.hasPrefix(".") {
            let folder = sink.appendingPathComponent(delivery)
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path)
            where file.hasPrefix("pagina-") && !file.hasSuffix(".headers.json") {
                let object = try JSONSerialization.jsonObject(with: try Data(contentsOf: folder.appendingPathComponent(file)))
                walk(object)
                pages += 1
            }
        }
        return pages
    }

    private mutating func walk(_ value: Any) {
        if let object = value as? [String: Any] {
            if let bsn = object["burgerservicenummer"] as? String { bsns.insert(bsn) }
            if let postcode = object["postcode"] as? String, let number = object["huisnummer"] {
                pairs[postcode, default: []].insert("\(number)")
            }
            if let email = object["email"] as? String { emails.insert(email) }
            for child in object.values { walk(child) }
        } else if let array = value as? [Any] {
            for child in array { walk(child) }
        }
    }

    /// How many of the values occur in `text`: a BSN as a run of nine digits, a postcode
    /// followed within 40 characters by one of its huisnummers, an e-mail address whole.
    ///
    /// A BSN or postcode counts where it stands as a value of its own: not where its digits
    /// are glued to letters, inside a longer token such as a UUID, a hash or base64, in
    /// which any nine-digit run matches one of 100,000 BSNs now and then by chance. A value
    /// that leaked from a page stands between quotes, spaces, separators or line ends.
    /// Each hit is described in `places` with its source's context, digits masked.
    func hits(in text: String, places: inout [String]) -> Int {
        let bytes = Array(text.utf8)
        var found = 0
        var index = 0
        func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
        func isUpper(_ byte: UInt8) -> Bool { (65...90).contains(byte) }
        func isLetterOrDigit(_ byte: UInt8) -> Bool { isDigit(byte) || isUpper(byte) || (97...122).contains(byte) }
        func standsAlone(_ start: Int, _ end: Int) -> Bool {
            (start == 0 || !isLetterOrDigit(bytes[start - 1])) && (end >= bytes.count || !isLetterOrDigit(bytes[end]))
        }
        func place(_ start: Int, _ kind: String) -> String {
            let context = bytes[max(0, start - 40)..<min(bytes.count, start + 40)].map { isDigit($0) ? UInt8(ascii: "#") : $0 }
            return "\(kind) in …\(String(decoding: context, as: UTF8.self))…"
        }
        while index < bytes.count {
            guard isDigit(bytes[index]) else {
                index += 1
                continue
            }
            var end = index
            while end < bytes.count && isDigit(bytes[end]) { end += 1 }
            let run = String(decoding: bytes[index..<end], as: UTF8.self)
            if end - index == 9 && standsAlone(index, end) && bsns.contains(run) {
                found += 1
                places.append(place(index, "BSN"))
            }
            if end - index == 4 && end + 2 <= bytes.count && isUpper(bytes[end]) && isUpper(bytes[end + 1])
                && standsAlone(index, end + 2)
            {
                let postcode = run + String(decoding: bytes[end..<end + 2], as: UTF8.self)
                if let numbers = pairs[postcode] {
                    let window = String(decoding: bytes[(end + 2)..<min(bytes.count, end + 42)], as: UTF8.self)
                    let runs = window.split { !$0.isNumber }.map(String.init)
                    if runs.contains(where: numbers.contains) {
                        found += 1
                        places.append(place(index, "postcode with huisnummer"))
                    }
                }
            }
            index = end
        }
        // An e-mail address: the run of address characters around each '@'.
        func isAddress(_ byte: UInt8) -> Bool {
            isDigit(byte) || isUpper(byte) || (97...122).contains(byte) || [46, 95, 37, 43, 45].contains(byte)
        }
        for at in bytes.indices where bytes[at] == 64 {
            var start = at
            while start > 0 && isAddress(bytes[start - 1]) { start -= 1 }
            var end = at + 1
            while end < bytes.count && isAddress(bytes[end]) { end += 1 }
            if emails.contains(String(decoding: bytes[start..<end], as: UTF8.self)) {
                found += 1
                places.append(place(start, "e-mail address"))
            }
        }
        return found
    }
}
