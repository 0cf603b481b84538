import Foundation
import RegieDomain
import Testing

@Suite("The meldingen block of the delivery schedule file")
struct MeldingDrempelsTests {
    /// A valid schedule file with `block` at its end (from line 10).
    func yaml(_ block: String) -> String {
        """
        streams:
          VS:
            cron: "0 6 1 1,4,7,10 *"
            period: kwartaal
            max_attempts: 5
            backoff_base_seconds: 60
            backoff_max_seconds: 3600
            lease_seconds: 300
            per_supplier: 4
        \(block)
        """
    }

    @Test("the shipped file says 3 attempts and 14 days; a file without the block, or with one key, gets the defaults for the rest")
    func defaults() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Workflows")
        #expect(try LeveringSchedule.load(from: folder).meldingen == MeldingDrempels(storingNaPogingen: 3, stilNaDagen: 14))
        #expect(try LeveringSchedule(yaml: yaml(""), file: "l.yaml").meldingen == .standaard)
        let one = try LeveringSchedule(yaml: yaml("meldingen:\n  stil_na_dagen: 30"), file: "l.yaml").meldingen
        #expect(one == MeldingDrempels(storingNaPogingen: 3, stilNaDagen: 30))
    }

    @Test("each threshold is taken at its edges and refused outside them, with file and line")
    func edges() throws {
        for (key, good, bad) in [
            (
                "storing_na_pogingen", ["1", "100"],
                ["0", "-1", "101", "9223372036854775807", "-9223372036854775808", "1e30", "drie", "2.5"]
            ),
            (
                "stil_na_dagen", ["1", "366"],
                ["0", "-1", "367", "9223372036854775807", "-9223372036854775808", "99999999999999999999", "[]"]
            ),
        ] {
            for value in good {
                let drempels = try LeveringSchedule(yaml: yaml("meldingen:\n  \(key): \(value)"), file: "l.yaml").meldingen
                let number = try #require(Int(value))
                #expect((key == "stil_na_dagen" ? drempels.stilNaDagen : drempels.storingNaPogingen) == number)
            }
            for value in bad {
                let error = #expect(throws: WorkflowDefinition.Invalid.self) {
                    try LeveringSchedule(yaml: yaml("meldingen:\n  \(key): \(value)"), file: "l.yaml")
                }
                #expect(error?.description.contains("l.yaml:11: \(key) must be a whole number from 1 to") == true, "\(key): \(value)")
            }
        }
    }

    @Test("an unknown key, or a block that is not a mapping, is refused with its line")
    func shape() {
        let unknown = #expect(throws: WorkflowDefinition.Invalid.self) {
            try LeveringSchedule(yaml: yaml("meldingen:\n  storing_na_dagen: 3"), file: "l.yaml")
        }
        #expect(unknown?.description.contains("l.yaml:11: unknown key 'storing_na_dagen' in meldingen") == true)
        let scalar = #expect(throws: WorkflowDefinition.Invalid.self) { try LeveringSchedule(yaml: yaml("meldingen: 3"), file: "l.yaml") }
        #expect(scalar?.description.contains("l.yaml:10: meldingen must be a mapping") == true)
    }

    @Test("only failures on the supplier's side count toward a storing")
    func storingKlassen() {
        #expect(LeveringFailure.Klasse.serverError.isStoringBijLeverancier)
        #expect(LeveringFailure.Klasse.unauthorized.isStoringBijLeverancier)
        #expect(!LeveringFailure.Klasse.database.isStoringBijLeverancier)
        #expect(!LeveringFailure.Klasse.validation.isStoringBijLeverancier)
        #expect(!LeveringFailure.Klasse.consentWithdrawn.isStoringBijLeverancier)
    }
}
