import Crypto
import Foundation
import RegieDomain

/// The days of the demonstration's onboarding history, along the programme's plan (the due
/// months of `Workflows/gemeente.yaml`): the register in april 2025, the suppliers' APIs in
/// june, their acceptance services in october, the DPIAs from september to november, consent
/// from december to january. A day is never after `now` (the seed of a test that sets its
/// own clock).
struct DemoHistorie {
    let now: Date

    /// Ten in the morning, Dutch time, of a day of the plan (or `now`, when that is earlier).
    func day(_ year: Int, _ month: Int, _ day: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam") ?? .gmt
        let date = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 10)) ?? now
        return min(date, now)
    }

    /// The inventory: every gemeente in the register with its suppliers.
    var register: Date { day(2025, 4, 1) }
    /// The suppliers report their APIs built.
    var apiGebouwd: Date { day(2025, 6, 2) }
    /// The suppliers publish their acceptance services.
    var acceptatie: Date { day(2025, 10, 1) }
    /// A gemeente's DPIA: a day from september to november 2025, by a hash of its code.
    func dpia(_ code: Gemeentecode) -> Date { day(2025, 9, 1).addingTimeInterval(Double(Self.draw(code, 4) % 85) * 86_400) }
    /// A gemeente's consent: a day from december 2025 to january 2026, by a hash of its code.
    func toestemming(_ code: Gemeentecode) -> Date { day(2025, 12, 1).addingTimeInterval(Double(Self.draw(code, 5) % 60) * 86_400) }
    /// The consent that was revoked: given, revoked, given again.
    var eersteToestemming: Date { day(2025, 12, 1) }
    var intrekking: Date { day(2026, 2, 10) }
    var nieuweToestemming: Date { day(2026, 3, 2) }

    /// A byte of the hash of a gemeente's code, as a number.
    static func draw(_ code: Gemeentecode, _ index: Int) -> Int {
        Int(Array(SHA256.hash(data: Data("demonstratie-\(code.rawValue)".utf8)))[index])
    }
}

/// Who plays which part in the demonstration's history, the same on every run. Every one
/// of them consents, and none is among the gemeenten whose test pull is made to fail.
struct DemoRollen {
    /// The gemeenten that deliver regularly: about one in ten of those that consent.
    let levend: [Gemeentecode]
    /// A gemeente of xxllnc with both streams that also backfills earlier quarters (herlevering).
    let herlevering: Gemeentecode?
    /// The gemeente whose consent was revoked and given again (xxllnc).
    let ingetrokken: Gemeentecode?
    /// A gemeente of xxllnc with VS only whose oldest quarter is refused for its data, so that
    /// it stays at `eerste_levering`.
    let geweigerd: Gemeentecode?

    init(register: GemeentenRegister) {
        let consenting = register.gemeenten.map(\.code).filter { DemoSeed.plan($0).stage == .consent }
        // The first eight have the demonstration's faults (``DemoLeveranciers/faults(for:)``).
        let live = consenting.dropFirst(8).filter { DemoHistorie.draw($0, 3) % 100 < 10 }
        levend = live
        let xxllnc = live.filter { DemoSeed.plan($0).leverancier == "xxllnc" }
        let backfilling = xxllnc.first { DemoSeed.offersSHV($0) }
        herlevering = backfilling
        let revoked = xxllnc.first { $0 != backfilling }
        ingetrokken = revoked
        geweigerd = xxllnc.first { $0 != backfilling && $0 != revoked && !DemoSeed.offersSHV($0) }
    }
}
