import Foundation
import RegieDomain
import Testing

@Suite("Delivery schedule file")
struct DeliveryScheduleTests {
    @Test("the shipped leveringen.yaml loads: VS quarterly, on the first of each quarter's month")
    func shipped() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Workflows")
        let schedule = try DeliverySchedule.load(from: folder)
        let vs = try #require(schedule.streams["VS"])
        #expect(vs.granularity == .kwartaal)
        #expect(vs.retry.maxAttempts == 5)
        #expect(schedule.catchUpDays == 7)
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
        let error = #expect(throws: WorkflowDefinition.Invalid.self) { try DeliverySchedule(yaml: yaml, file: "leveringen.yaml") }
        let lines = error?.problems.compactMap(\.line).sorted() ?? []
        #expect(lines == [1, 3, 4, 5, 11, 12])
        #expect(error?.description.contains("leveringen.yaml:4:") == true)
    }
}
