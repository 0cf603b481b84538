import SupplierSimulator

/// The response bodies of one simulated delivery, in page order, with the pull they answer.
struct SimulatedDelivery: Sendable {
    let pull: PullCase
    let pages: [[UInt8]]
}

/// Deliveries written by the supplier simulator's generator (`SyntheticPayload`), the bytes a
/// pull receives from it.
enum SimulatedPages {
    static let amsterdam = SimulatedGemeente(code: "0363", organisatie: "Gemeente Amsterdam")!
    static let rotterdam = SimulatedGemeente(code: "0599", organisatie: "Gemeente Rotterdam")!
    static let utrecht = SimulatedGemeente(code: "0344", organisatie: "Gemeente Utrecht")!
    /// October 2026.
    static let period = Aanleverperiode.month(containing: KalenderDatum(year: 2026, month: 10, day: 1)!)

    /// Every page of a delivery of `gemeenten` in October 2026, with `recordsPerMonth` records
    /// a gemeente, `pageSize` to a page; page `n` damaged as `tampering(n)` says.
    static func delivery(
        _ stroom: Stroom, seed: UInt64, pageSize: Int, gemeenten: [SimulatedGemeente] = [amsterdam, rotterdam],
        recordsPerMonth: Int = 150, tampering: (Int) -> PayloadTampering = { _ in .none }
    ) -> SimulatedDelivery {
        let payload = SyntheticPayload(
            stroom: stroom, seed: seed, volume: SyntheticVolume(recordsPerMonth: recordsPerMonth), codeGegevensleverancier: "test")
        let totalPages = payload.plan(gemeenten: gemeenten, period: period, page: nil, pageSize: pageSize).paginering.totalPages
        let pages = (1...totalPages).map { number in
            payload.responseBody(
                plan: payload.plan(gemeenten: gemeenten, period: period, page: number, pageSize: pageSize), period: period,
                tampering: tampering(number))
        }
        let pull = PullCase(
            stroom: stroom.rawValue, periodeStart: period.start.description, periodeEind: period.end.description,
            pageSize: pageSize, gemeenten: gemeenten.map(\.code))
        return SimulatedDelivery(pull: pull, pages: pages)
    }

    /// The content faults of `FaultKind` (the others break the transport or the signature, not
    /// the bytes that are read), as the simulator damages a page for them.
    static var contentFaults: [(name: String, tampering: PayloadTampering)] {
        let violations: [SchemaViolation] = [
            .missingRequiredField, .valueOutsideCodeList, .valueOutsideCodeListInEveryRecord, .missingSupplierCode,
        ]
        return violations.map { ("schemaViolation \($0.rawValue)", PayloadTampering(schemaViolation: $0)) } + [
            ("foreignLevering", PayloadTampering(foreignGemeente: utrecht)),
            ("wrongCurrentPage", PayloadTampering(currentPage: 7)),
        ]
    }
}
