import CoreMetrics
import Foundation

/// The delivery engine's metrics, through swift-metrics (the backend is whatever the process
/// bootstraps; without one they cost nothing). Labels and dimensions carry states, outcomes
/// and error classes only: never a gemeente's data.
///
/// - `ddas_leveringen_afgerond_total{uitkomst}`: ended attempts: `geslaagd`, `mislukt`
///   (retried), `opgegeven`, `geannuleerd` (consent gone at hand-over), `lease_verloren`.
/// - `ddas_levering_pogingen_total{fout}`: attempts by error class (`geen` for a success).
/// - `ddas_levering_pull_duur`: how long pulls take (timer).
/// - `ddas_levering_overdracht_duur`: how long hand-overs take, the consent check and the sink included (timer).
/// - `ddas_leveringen_gered_total`: deliveries returned by the rescuer.
/// - `ddas_levering_ondertekening_total{profiel}`: attempts that read signed pages, by how the
///   supplier signed them: `kp-apis`, `body` or `gemengd`.
/// - `ddas_leveringen{status}`, `ddas_wachtrij_diepte`, `ddas_wachtrij_oudste_seconden`:
///   deliveries per state, how many are due and waiting, how long the oldest has waited.
public struct LeveringMetrics: Sendable {
    let factory: any MetricsFactory

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    func ended(_ outcome: String, errorClass: String?, pullDuration: Duration?) {
        Counter(label: "ddas_leveringen_afgerond_total", dimensions: [("uitkomst", outcome)], factory: factory).increment()
        Counter(label: "ddas_levering_pogingen_total", dimensions: [("fout", errorClass ?? "geen")], factory: factory).increment()
        if let pullDuration {
            Timer(label: "ddas_levering_pull_duur", factory: factory).recordNanoseconds(
                pullDuration.components.seconds * 1_000_000_000 + pullDuration.components.attoseconds / 1_000_000_000)
        }
    }

    func signed(_ signing: String?) {
        guard let signing else { return }
        Counter(label: "ddas_levering_ondertekening_total", dimensions: [("profiel", signing)], factory: factory).increment()
    }

    func handedOver(_ duration: Duration) {
        Timer(label: "ddas_levering_overdracht_duur", factory: factory).recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    func rescued(_ count: Int) {
        guard count > 0 else { return }
        Counter(label: "ddas_leveringen_gered_total", factory: factory).increment(by: count)
    }

    func queue(byState: [String: Int], waiting: Int, oldestWaitingSeconds: Double) {
        for state in ["gepland", "bezig", "geslaagd", "mislukt", "opgegeven", "geannuleerd"] {
            Gauge(label: "ddas_leveringen", dimensions: [("status", state)], factory: factory).record(byState[state] ?? 0)
        }
        Gauge(label: "ddas_wachtrij_diepte", factory: factory).record(waiting)
        Gauge(label: "ddas_wachtrij_oudste_seconden", factory: factory).record(oldestWaitingSeconds)
    }
}
