import Foundation
import Standardisation
import Testing

/// Throughput, printed for the report; never asserted (machines differ).
@Suite("Performance")
struct PerformanceTests {
    @Test("100,000 texts, one by one and as a batch")
    func hundredThousand() throws {
        let standardiser = try TestData.full()
        let samples =
            try (TestData.variants(.eindresultaatVarianten) + TestData.variants(.contactvormVarianten)).map(\.tekst)
            + ["Klant nam telefonisch contact op n.a.v. een brief, kaart of e-mail van de gemeente", "Cliënt wenst géén hulp"]
        let texts = (0..<100_000).map { "\(samples[$0 % samples.count]) \($0 % 7 == 0 ? "extra toelichting \($0)" : "")" }
        let clock = ContinuousClock()
        var official = 0
        let single = clock.measure {
            for text in texts where standardiser.standardise(text, in: .eindresultaat).isOfficial { official += 1 }
        }
        var batchResults: [StandardisedValue] = []
        let batch = clock.measure { batchResults = standardiser.standardise(texts, in: .contactsoort) }
        print("performance: 100,000 texts one by one in \(single), as a batch in \(batch) (\(official) official)")
        #expect(batchResults.count == texts.count)
        #expect(official > 0)
    }

    @Test("normalisation is linear: a 1,000,000-character text")
    func longText() {
        let text = String(repeating: "Huisbezoek, géén contact; ", count: 40_000)
        let clock = ContinuousClock()
        var words = 0
        let elapsed = clock.measure { words = TextNormalisation.words(text).count }
        print("performance: \(text.count) characters normalised in \(elapsed)")
        #expect(words == 120_000)
    }
}
