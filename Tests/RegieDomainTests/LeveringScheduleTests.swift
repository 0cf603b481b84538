import Foundation
import RegieDomain
import Testing

@Suite("Delivery schedule file")
struct LeveringScheduleTests {
    @Test("the shipped leveringen.yaml loads: VS quarterly, on the first of each quarter's month")
    func shipped() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Workflows")
        let schedule = try LeveringSchedule.load(from: folder)
        let vs = try #require(schedule.streams["VS"])
        #expect(vs.granularity == .kwartaal)
        #expect(vs.retry.maxAttempts == 5)
        #expect(schedule.catchUpDays == 7)
        #expect(vs.maxErrorShare == 0.05)
        #expect(schedule.maxErrorShares == ["VS": 0.05])
    }

    @Test("max_error_share: a share from 0 to 1, 5% when left out, anything else refused with its line")
    func errorShare() throws {
        func yaml(_ line: String) -> String {
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
            \(line)
            """
        }
        #expect(try LeveringSchedule(yaml: yaml(""), file: "l.yaml").streams["VS"]?.maxErrorShare == 0.05)
        #expect(try LeveringSchedule(yaml: yaml("    max_error_share: 0.2"), file: "l.yaml").streams["VS"]?.maxErrorShare == 0.2)
        #expect(try LeveringSchedule(yaml: yaml("    max_error_share: 0"), file: "l.yaml").streams["VS"]?.maxErrorShare == 0)
        for bad in ["1.5", "-0.1", "vijf procent", "5%"] {
            let error = #expect(throws: WorkflowDefinition.Invalid.self) {
                try LeveringSchedule(yaml: yaml("    max_error_share: \(bad)"), file: "l.yaml")
            }
            #expect(error?.description.contains("l.yaml:10: max_error_share must be a number from 0 to 1") == true, "\(bad)")
        }
    }

    @Test("every problem is reported with its line")
    func problems() {
        let yaml = """
            catch_up_days: -1
            streams:
              VS:
                cron: "0 25 * * *"
                period: week
                max_attempts: 5
                backoff_base_seconds: 60
                backoff_max_seconds: 30
                lease_seconds: 300
                per_supplier: 4
                colour: blue
              XX:
                cron: "* * * * *"
            """
        let error = #expect(throws: WorkflowDefinition.Invalid.self) { try LeveringSchedule(yaml: yaml, file: "leveringen.yaml") }
        let lines = error?.problems.compactMap(\.line).sorted() ?? []
        #expect(lines == [1, 3, 4, 5, 11, 12])
        #expect(error?.description.contains("leveringen.yaml:4:") == true)
    }
}
