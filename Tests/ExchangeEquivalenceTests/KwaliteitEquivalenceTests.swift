import Foundation
import SupplierSimulator
import Testing

/// The product's reading and checking of pages (rewritten for speed in issue 21) against a
/// frozen copy of it as it was before (`DDASExchangeReference`): over the same bytes, every
/// finding (code, count, distribution), schema violation (pointer, keyword, rule), page
/// problem and parse error must be the same.
@Suite("Validation before and after the speed-up")
struct KwaliteitEquivalenceTests {
    /// Both implementations over one delivery: the same outcome, line for line.
    @discardableResult
    func expectSameDelivery(_ delivery: SimulatedDelivery, _ context: String, sourceLocation: SourceLocation = #_sourceLocation)
        -> Outcome
    {
        let product = ProductSide.delivery(delivery.pages, pull: delivery.pull)
        let reference = ReferenceSide.delivery(delivery.pages, pull: delivery.pull)
        let difference = product.firstDifference(from: reference)
        #expect(difference == nil, "\(context): \(difference ?? "")", sourceLocation: sourceLocation)
        return product
    }

    /// Both implementations over one document checked as `ddas-regie valideer` checks it.
    @discardableResult
    func expectSameDocument(
        _ bytes: [UInt8], stroom: String, gemeenten: [String]? = nil, _ context: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Outcome {
        let product = ProductSide.document(bytes, stroom: stroom, gemeenten: gemeenten, today: "2026-12-06")
        let reference = ReferenceSide.document(bytes, stroom: stroom, gemeenten: gemeenten, today: "2026-12-06")
        let difference = product.firstDifference(from: reference)
        #expect(difference == nil, "\(context): \(difference ?? "")", sourceLocation: sourceLocation)
        return product
    }

    @Test(
        "A generated delivery of either stream gets the same findings as before, page by page and across pages",
        arguments: [Stroom.vroegsignalering, .schuldhulpverlening],
        [(seed: UInt64(1), pageSize: 80), (seed: 7, pageSize: 130), (seed: 2026, pageSize: 400)])
    func generatedDeliveries(stroom: Stroom, setting: (seed: UInt64, pageSize: Int)) {
        let delivery = SimulatedPages.delivery(stroom, seed: setting.seed, pageSize: setting.pageSize)
        let outcome = expectSameDelivery(delivery, "\(stroom.rawValue) seed \(setting.seed) pages of \(setting.pageSize)")
        #expect(outcome.lines.contains("page 1"))
        #expect(!outcome.lines.contains { $0.hasPrefix("read error") })
        #expect(delivery.pages.count >= 2 || setting.pageSize >= 400, "the delivery has no second page to check across")
    }

    @Test("A delivery with no records at all gets the same findings as before", arguments: [Stroom.vroegsignalering, .schuldhulpverlening])
    func emptyDelivery(stroom: Stroom) {
        expectSameDelivery(SimulatedPages.delivery(stroom, seed: 3, pageSize: 100, recordsPerMonth: 0), "\(stroom.rawValue) empty")
    }

    @Test(
        "Every content fault the simulator injects gets the same findings and page problems as before",
        arguments: [Stroom.vroegsignalering, .schuldhulpverlening])
    func contentFaults(stroom: Stroom) {
        for (name, tampering) in SimulatedPages.contentFaults {
            for faultyPage in [1, 2] {
                let delivery = SimulatedPages.delivery(stroom, seed: 11, pageSize: 100, recordsPerMonth: 80) {
                    $0 == faultyPage ? tampering : .none
                }
                let outcome = expectSameDelivery(delivery, "\(stroom.rawValue) \(name) on page \(faultyPage)")
                // The fault shows: as a schema violation or as a page problem.
                #expect(
                    outcome.lines.contains { $0.hasPrefix("violation") || $0.hasPrefix("problem") },
                    "\(name) leaves no trace")
            }
        }
    }

    @Test(
        "Pages with about 1% of their records broken get the same findings as before",
        arguments: [Stroom.vroegsignalering, .schuldhulpverlening], [UInt64(5), 42, 977])
    func mutatedRecords(stroom: Stroom, seed: UInt64) {
        let clean = SimulatedPages.delivery(stroom, seed: seed, pageSize: 120)
        var mutator = PageMutator(seed: seed)
        let donor = clean.pages.first.flatMap(PageMutator.firstRecord)
        let pages = clean.pages.enumerated().map { number, body in
            mutator.mutateRecords(of: body, perMille: 10, donor: number == 0 ? nil : donor)
        }
        let outcome = expectSameDelivery(SimulatedDelivery(pull: clean.pull, pages: pages), "\(stroom.rawValue) mutated, seed \(seed)")
        #expect(outcome.lines.contains { $0.hasPrefix("violation") }, "the mutations break no rule")
        // Each page also checked alone as a supplier's export, with every finding at its place.
        for (number, body) in pages.enumerated() {
            expectSameDocument(body, stroom: stroom.rawValue, gemeenten: ["0363"], "\(stroom.rawValue) page \(number + 1), seed \(seed)")
        }
    }

    @Test("Bytes that are not a readable page give the same parse error, at the same byte, as before")
    func damagedBytes() {
        var mutator = PageMutator(seed: 99)
        for stroom in [Stroom.vroegsignalering, .schuldhulpverlening] {
            let delivery = SimulatedPages.delivery(
                stroom, seed: 4, pageSize: 50, gemeenten: [SimulatedPages.amsterdam], recordsPerMonth: 40)
            for (name, bytes) in mutator.damageBytes(of: delivery.pages[0]) {
                let outcome = expectSameDelivery(SimulatedDelivery(pull: delivery.pull, pages: [bytes]), "\(stroom.rawValue) \(name)")
                expectSameDocument(bytes, stroom: stroom.rawValue, "\(stroom.rawValue) \(name) as a document")
                // A stray byte may land inside a string, and 400 levels may be within the depth limit: those may read.
                if name != "stray byte" && name != "deep nesting" {
                    #expect(outcome.lines.contains { $0.hasPrefix("read error") }, "\(name) was read")
                }
            }
        }
    }

    @Test("The official example files and the exchange's own documents get the same report as before")
    func officialExamples() throws {
        let root = exchangeDirectory.deletingLastPathComponent()
        let examples = root.appendingPathComponent("Tests/DDASExchangeTests/Fixtures/Voorbeelden")
        let names = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names.count == 3)
        for name in names {
            let bytes = try [UInt8](Data(contentsOf: examples.appendingPathComponent(name)))
            let outcome = expectSameDocument(bytes, stroom: "VS", name)
            #expect(outcome.lines.contains { $0.hasPrefix("rapport") }, "\(name) was not checked")
            expectSameDocument(bytes, stroom: "VS", gemeenten: ["0363"], "\(name) for Amsterdam")
            expectSameDocument(bytes, stroom: "SHV", "\(name) as SHV")
            let page =
                Array("{\"gegevens\":".utf8) + bytes
                + Array(",\"paginering\":{\"pageSize\":10,\"currentPage\":1,\"totalPages\":1,\"totalRecords\":1}}".utf8)
            expectSameDocument(page, stroom: "VS", "\(name) as a page")
        }
        // The schema documents and spec files are JSON but no Uitwisselmodel: many findings.
        let spec = URL(fileURLWithPath: "/work/shared/spec")
        let documents = [exchangeDirectory] + (FileManager.default.fileExists(atPath: spec.path) ? [spec] : [])
        for folder in documents {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).filter({ $0.hasSuffix(".json") }).sorted() {
                let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
                for stroom in ["VS", "SHV"] {
                    expectSameDocument(bytes, stroom: stroom, "\(folder.lastPathComponent)/\(name) as \(stroom)")
                }
            }
        }
    }

    @Test("One date made impossible shows as a difference between the outcomes: the comparison can fail")
    func comparisonSeesOneChange() throws {
        let delivery = SimulatedPages.delivery(
            .vroegsignalering, seed: 8, pageSize: 100, gemeenten: [SimulatedPages.amsterdam], recordsPerMonth: 60)
        var bytes = delivery.pages[0]
        let date = Array("\"2026-10-".utf8)
        let at = try #require(
            (bytes.startIndex..<(bytes.endIndex - date.count)).first { bytes[$0..<($0 + date.count)].elementsEqual(date) })
        bytes.replaceSubrange(at..<(at + date.count), with: Array("\"2026-13-".utf8))
        let product = ProductSide.delivery(delivery.pages, pull: delivery.pull)
        let reference = ReferenceSide.delivery([bytes], pull: delivery.pull)
        #expect(product.firstDifference(from: reference) != nil)
        #expect(ReferenceSide.delivery([bytes], pull: delivery.pull).lines.contains { $0.hasPrefix("violation") })
    }

    @Test("The reference side is the product side with only its import changed")
    func sidesInStep() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        func body(_ name: String) throws -> [Substring] {
            try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8).split(
                separator: "\n", omittingEmptySubsequences: false
            )
            .dropFirst(6).map { $0 }
        }
        #expect(try body("ProductSide.swift") == body("ReferenceSide.swift"))
    }
}
