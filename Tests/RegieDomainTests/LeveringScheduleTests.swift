import Foundation
import RegieDomain
import Testing

@Suite("Delivery schedule file")
struct LeveringScheduleTests {
    static let workflows = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Workflows")

    @Test("the shipped leveringen.yaml loads: VS quarterly, on the first of each quarter's month")
    func shipped() throws {
        let schedule = try LeveringSchedule.load(from: Self.workflows)
        let vs = try #require(schedule.streams["VS"])
        #expect(vs.granularity == .kwartaal)
        #expect(vs.retry.maxAttempts == 5)
        #expect(schedule.catchUpDays == 7)
        #expect(vs.maxErrorShare == 0.05)
        #expect(schedule.maxErrorShares == ["VS": 0.05, "SHV": 0.05])
    }

    @Test("the shipped SHV stream: quarterly like VS, pulled the day after VS's run, rejecting schema violations")
    func shippedSHV() throws {
        let schedule = try LeveringSchedule.load(from: Self.workflows)
        let shv = try #require(schedule.streams["SHV"])
        #expect(shv.granularity == .kwartaal && shv.retry.maxAttempts == 5 && shv.maxErrorShare == 0.05)
        #expect(shv.schemaViolations == .reject && schedule.schemaViolationPolicies["SHV"] == .reject)
        // 2 April 2026, 06:00 in Amsterdam (04:00 UTC): the SHV run that pulls 2026-Q1; VS ran a day earlier.
        let april = Date(timeIntervalSince1970: 1_775_102_400)
        let runs = shv.cron.runs(after: april.addingTimeInterval(-3 * 86_400), until: april.addingTimeInterval(60))
        #expect(runs == [april])
        #expect(Rapportageperiode.periodBefore(april, granularity: shv.granularity).key == "2026-Q1")
        let vsRuns = try #require(schedule.streams["VS"]).cron.runs(after: april.addingTimeInterval(-3 * 86_400), until: april)
        #expect(vsRuns == [april.addingTimeInterval(-86_400)])
    }

    @Test("bad values of an SHV stream are refused with file:line")
    func badSHV() {
        let yaml = MeldingDrempelsTests().yaml(
            """
              SHV:
                cron: "0 6 2 1,4,7,10"
                period: jaar
                max_attempts: 0
                backoff_base_seconds: 60
                backoff_max_seconds: 3600
                lease_seconds: 300
                per_supplier: 4
                max_error_share: 2
                schema_violations: negeren
            """)
        let error = #expect(throws: WorkflowDefinition.Invalid.self) { try LeveringSchedule(yaml: yaml, file: "leveringen.yaml") }
        let lines = error?.problems.compactMap(\.line).sorted() ?? []
        #expect(lines == [11, 12, 13, 18, 19], "\(error?.description ?? "")")
        #expect(error?.description.contains("leveringen.yaml:18: max_error_share must be a number from 0 to 1") == true)
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
