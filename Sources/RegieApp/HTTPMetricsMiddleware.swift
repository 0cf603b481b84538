import CoreMetrics
import Foundation
import HTTPTypes
import Hummingbird

/// Counts every HTTP request by route, method and status, and times it by route:
/// `ddas_http_verzoeken_total{route,methode,status}` and `ddas_http_duur{route}`. The route is
/// the matched pattern (`/v1/gemeenten/{gemeentecode}`), never the path itself, so a gemeentecode or
/// an id never becomes a label; an unknown path counts as `onbekend`.
struct HTTPMetricsMiddleware: RouterMiddleware {
    typealias Context = RegieRequestContext

    let factory: any MetricsFactory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath ?? "onbekend"
        Counter(
            label: "ddas_http_verzoeken_total",
            dimensions: [("route", route), ("methode", request.method.rawValue), ("status", String(response.status.code))],
            factory: factory
        ).increment()
        let elapsed = ContinuousClock.now - started
        Timer(label: "ddas_http_duur", dimensions: [("route", route)], factory: factory).recordNanoseconds(
            elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        return response
    }
}
