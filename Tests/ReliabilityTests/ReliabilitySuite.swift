import Testing

/// The reliability suite (README, "Reliability"): the real service in one or more processes,
/// a real PostgreSQL, the supplier simulator and the CBS sink, under crashes, a database
/// restart, supplier faults, consent races, two schedulers, hostile input, every role,
/// and load; then a privacy scan of everything they left and an audit tamper check; and
/// a SIGKILL of the service on its embedded PostgreSQL.
/// Scenarios run one at a time, in this order (the privacy scan reads what the others
/// left), and the suite prints one summary block of their figures at the end.
@Suite(
    "Reliability", .serialized,
    ReliabilitySummary(scenarios: [
        Scenario.crash, Scenario.databaseRestart, Scenario.supplierFaults, Scenario.slowCBS, Scenario.hugeBody, Scenario.consentRaces,
        Scenario.schedulers, Scenario.hostileInput, Scenario.edges, Scenario.schemathesis, Scenario.authorisation, Scenario.meldingen,
        Scenario.privacy,
        Scenario.auditTamper, Scenario.load, Scenario.embeddedKill, Scenario.demoStart,
    ]))
struct ReliabilitySuite {
    @Test("1. crash: two worker processes, one killed with SIGKILL three times and restarted; every delivery handed over exactly once")
    func crash() async throws { try await CrashScenario.run() }

    @Test("2. database restart: PostgreSQL restarted twice during 200 deliveries; the service recovers on its own")
    func databaseRestart() async throws { try await DatabaseRestartScenario.run() }

    @Test(
        "3. supplier faults: 5xx, 429, truncated and stalled bodies are retried to success; bad signature, foreign data, schema end opgegeven"
    )
    func supplierFaults() async throws { try await LeverancierFaultScenario.run() }

    @Test(
        "3b. a slow CBS intake (30 s a page): the API answers as before, a revocation commits within a second and discards the staged pages"
    )
    func slowCBS() async throws { try await SlowCBSScenario.run() }

    @Test("3c. suppliers that send 1 GiB, declared and stalled or streamed: refused at the limit within seconds, memory bounded")
    func hugeBody() async throws { try await HugeBodyScenario.run() }

    @Test("4. consent races: consent revoked for 25 of 50 gemeenten with pulls in flight; nothing handed over after a revocation committed")
    func consentRaces() async throws { try await ToestemmingRaceScenario.run() }

    @Test("10. load: mixed reads and consent writes for 60 seconds while deliveries run; no errors, no delivery starved")
    func load() async throws { try await LoadScenario.run() }

    @Test("5. two schedulers: a clock moved across 12 monthly runs; exactly one delivery per gemeente, stream and period")
    func schedulers() async throws { try await SchedulerScenario.run() }

    @Test("6a. hostile input: each gets a clean problem+json 4xx and changes nothing")
    func hostileInput() async throws { try await HostileInputScenario.run() }

    @Test(
        "6c. integer edges: every integer parameter at 0, -1, 1, max, max+1, Int64.max, Int64.min and 10^20, for every role; 400 outside the bounds"
    )
    func edges() async throws { try await EdgesScenario.run() }

    @Test("6b. schemathesis against /v1/openapi.json as every role: no 5xx, 4xx are problem+json, responses match the document")
    func schemathesis() async throws { try await SchemathesisScenario.run() }

    @Test("7. authorisation: every API route of the route table × every caller × own and other scope answers as the table declares")
    func authorisation() async throws { try await AuthorisationScenario.run() }

    @Test(
        "7b. meldingen: two worker replicas send webhooks and mails, one killed with SIGKILL mid-send; every message arrives, repeats only of what it held, with the same id"
    )
    func meldingen() async throws { try await MeldingenScenario.run() }

    @Test("8. privacy: no BSN, postcode with huisnummer or e-mail from the pulled pages in pg_dump, logs, /metrics or API responses")
    func privacy() async throws { try await PrivacyScenario.run() }

    @Test("9. audit tamper: an altered, a deleted and a reordered event, and a trail cut short, are each named as the first broken link")
    func auditTamper() async throws { try await AuditTamperScenario.run() }

    @Test(
        "11. embedded kill: serve on the embedded default killed with SIGKILL; its PostgreSQL is gone within 5 seconds and the next start becomes ready"
    )
    func embeddedKill() async throws { try await EmbeddedKillScenario.run() }

    @Test("12. the demonstration's start, five times on a fresh data folder: no deadlock in the PostgreSQL log, no internal failure")
    func demoStart() async throws { try await DemoStartScenario.run() }
}

/// The scenarios' names in the summary.
enum Scenario {
    static let crash = "1 crash"
    static let databaseRestart = "2 database restart"
    static let supplierFaults = "3 supplier faults"
    static let consentRaces = "4 consent races"
    static let schedulers = "5 two schedulers"
    static let hostileInput = "6 hostile input"
    static let schemathesis = "6 schemathesis"
    static let authorisation = "7 authorisation"
    static let meldingen = "7b meldingen"
    static let privacy = "8 privacy"
    static let auditTamper = "9 audit tamper"
    static let load = "10 load"
    static let embeddedKill = "11 embedded kill"
    static let slowCBS = "3b slow CBS"
    static let hugeBody = "3c huge bodies"
    static let edges = "6c integer edges"
    static let demoStart = "12 demo start"
}
