import Foundation
import RegieDomain
import Testing

@Suite("Overdue: past the due month of the next phase not reached")
struct WorkflowOverdueTests {
    let workflows: Workflows

    init() throws {
        workflows = try WorkflowFixtures.shipped()
    }

    @Test("api_getest is due 2026-04: late from 1 May 00:00 Amsterdam summer time")
    func summerMonthEnd() throws {
        let engine = WorkflowEngine(workflows.gemeente)
        #expect(engine.nextDeadline(after: "toestemming_gegeven")?.name == "api_getest")
        #expect(!engine.overdue(phase: "toestemming_gegeven", now: try WorkflowFixtures.instant("2026-04-30T21:59:59Z")))
        #expect(engine.overdue(phase: "toestemming_gegeven", now: try WorkflowFixtures.instant("2026-04-30T22:00:00Z")))
        // Having reached api_getest, the next deadline is eerste_levering, 2026-07.
        #expect(!engine.overdue(phase: "api_getest", now: try WorkflowFixtures.instant("2026-07-31T21:59:59Z")))
        #expect(engine.overdue(phase: "api_getest", now: try WorkflowFixtures.instant("2026-07-31T22:00:00Z")))
    }

    @Test("dpia_akkoord is due 2025-12: late from 1 January 00:00 Amsterdam winter time")
    func winterMonthEnd() throws {
        let engine = WorkflowEngine(workflows.gemeente)
        #expect(!engine.overdue(phase: "aangemeld", now: try WorkflowFixtures.instant("2025-12-31T22:59:59Z")))
        #expect(engine.overdue(phase: "aangemeld", now: try WorkflowFixtures.instant("2025-12-31T23:00:00Z")))
        #expect(engine.overdue(phase: "dpia_akkoord", now: try WorkflowFixtures.instant("2026-01-01T00:00:00Z")))
        #expect(!engine.overdue(phase: "toestemming_gegeven", now: try WorkflowFixtures.instant("2026-01-01T00:00:00Z")))
    }

    @Test("the last phase and side states are never overdue")
    func never() throws {
        let engine = WorkflowEngine(workflows.gemeente)
        let late = try WorkflowFixtures.instant("2030-01-01T00:00:00Z")
        #expect(engine.nextDeadline(after: "actief") == nil)
        #expect(!engine.overdue(phase: "actief", now: late))
        #expect(!engine.overdue(phase: "opgeschort", now: late))
        #expect(engine.overdue(phase: "eerste_levering", now: late))
    }

    @Test("a supplier service still on acceptance is late for its CBS test after April 2026")
    func leverancier() throws {
        let engine = WorkflowEngine(workflows.leverancier)
        #expect(engine.nextDeadline(after: "fsc_acceptatie")?.due == DueMonth("2026-04"))
        #expect(!engine.overdue(phase: "fsc_acceptatie", now: try WorkflowFixtures.instant("2026-04-15T12:00:00Z")))
        #expect(engine.overdue(phase: "fsc_acceptatie", now: try WorkflowFixtures.instant("2026-05-01T00:00:00Z")))
        #expect(engine.overdue(phase: "aangemeld", now: try WorkflowFixtures.instant("2025-09-01T00:00:00Z")))
    }

    @Test("a phase without a due month is skipped: the next one with a month counts")
    func skipsUndated() throws {
        let yaml = """
            subject: leverancier
            initial: a
            phases:
              - name: a
              - name: b
              - name: c
                due: 2026-01
            transitions:
              - from: a
                to: b
                roles: [leverancier]
              - from: b
                to: c
                roles: [system]
            """
        let engine = WorkflowEngine(try WorkflowDefinition(yaml: yaml, file: "wf.yaml"))
        #expect(engine.nextDeadline(after: "a")?.name == "c")
        #expect(engine.overdue(phase: "a", now: try WorkflowFixtures.instant("2026-02-01T00:00:00Z")))
    }

    @Test("due months: YYYY-MM only, and their end", arguments: ["2026-04", "2025-12"])
    func dueMonth(text: String) throws {
        let month = try #require(DueMonth(text))
        #expect(month.description == text)
        #expect(DueMonth("2026-4") == nil && DueMonth("2026-00") == nil && DueMonth("26-04") == nil && DueMonth("2026-04 ") == nil)
        let end = month.end(in: .gmt)
        #expect(ISO8601DateFormatter().string(from: end) == (text == "2026-04" ? "2026-05-01T00:00:00Z" : "2026-01-01T00:00:00Z"))
    }
}
