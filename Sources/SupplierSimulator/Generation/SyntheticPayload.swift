/// How many records a gemeente has per period.
public struct SyntheticVolume: Hashable, Sendable, Codable {
    /// Records per month for a gemeente without its own figure.
    public var recordsPerMonth: Int
    /// Records per month for particular gemeenten, by code (`0363` or `GM0363`).
    public var recordsPerMonthByGemeente: [String: Int]
    /// How far the count of a (gemeente, period) strays from the figure, as a fraction
    /// (0.1: ±10%), fixed by the seed. 0 gives the figure exactly.
    public var variation: Double

    /// A volume; by default a few hundred records a month, ±10%.
    public init(recordsPerMonth: Int = 300, recordsPerMonthByGemeente: [String: Int] = [:], variation: Double = 0.1) {
        self.recordsPerMonth = recordsPerMonth
        self.recordsPerMonthByGemeente = recordsPerMonthByGemeente
        self.variation = variation
    }

    /// Records per month for `gemeente` (four digits).
    func recordsPerMonth(for gemeente: String) -> Int {
        for (code, count) in recordsPerMonthByGemeente where SimulatedGemeente.digits(of: code) == gemeente {
            return count
        }
        return recordsPerMonth
    }
}

/// The synthetic data of one supplier service: deterministic in (seed, gemeente, period,
/// record index), produced page by page on demand.
///
/// `responseBody(plan:period:tampering:)` writes the whole `200` body,
/// `{"gegevens": <Uitwisselmodel>, "paginering": {...}}`, as JSON bytes. Record `i` of a
/// gemeente is the same whichever page it lands on; the `vroegsignaalzaken` of a page group
/// the vroegsignalen of the same resident that are on that page.
public struct SyntheticPayload: Sendable {
    /// The stream, which decides the payload's schema.
    public let stroom: Stroom
    /// The seed everything is drawn from.
    public let seed: UInt64
    /// How many records there are.
    public let volume: SyntheticVolume
    /// `codeGegevensleverancier` in every payload.
    public let codeGegevensleverancier: String

    /// A generator.
    public init(stroom: Stroom, seed: UInt64, volume: SyntheticVolume = SyntheticVolume(), codeGegevensleverancier: String) {
        self.stroom = stroom
        self.seed = seed
        self.volume = volume
        self.codeGegevensleverancier = codeGegevensleverancier
    }

    /// The number of records of `gemeente` (four digits) in `period`: the monthly figure for each
    /// calendar month the period covers (in proportion for a part of a month), varied by the seed.
    public func totalRecords(gemeente: String, period: Aanleverperiode) -> Int {
        let perMonth = Double(volume.recordsPerMonth(for: gemeente))
        // Each calendar month the period touches counts for the share of its days inside the period.
        var expected = 0.0
        var month = period.start.firstOfMonth
        while month <= period.end {
            let last = month.lastOfMonth
            let overlap = min(last, period.end).dayNumber - max(month, period.start).dayNumber + 1
            expected += perMonth * Double(overlap) / Double(last.dayNumber - month.dayNumber + 1)
            month = last.adding(days: 1)
        }
        var random = RecordRandom(
            seed, RecordRandom.hash(gemeente), UInt64(bitPattern: Int64(period.start.dayNumber)),
            UInt64(bitPattern: Int64(period.end.dayNumber)), 0x746F_7461_6C)
        let spread = max(0, min(volume.variation, 1))
        let factor = 1 + spread * (Double(random.below(2_000_001)) / 1_000_000 - 1)
        return max(0, Int((expected * factor).rounded()))
    }

    /// Plans page `page` (nil: 1) of `pageSize` records of `gemeenten` in `period`.
    public func plan(gemeenten: [SimulatedGemeente], period: Aanleverperiode, page: Int?, pageSize: Int) -> PagePlan {
        PagePlan(totals: gemeenten.map { ($0, totalRecords(gemeente: $0.code, period: period)) }, page: page, pageSize: pageSize)
    }

    /// The response body of `plan` for `period`, damaged as `tampering` says.
    public func responseBody(plan: PagePlan, period: Aanleverperiode, tampering: PayloadTampering = .none) -> [UInt8] {
        let recordCount = plan.parts.reduce(0) { $0 + $1.records.count }
        var writer = JSONByteWriter(capacity: 4_096 + recordCount * (stroom == .vroegsignalering ? 420 : 900))
        writer.append("{\"gegevens\":{\"startdatumLevering\":")
        writer.writeDate(period.start)
        writer.append(",\"einddatumLevering\":")
        writer.writeDate(period.end)
        writer.append(",\"aanleverdatumEnTijd\":\"")
        // The day after the period at a seeded minute past two, so that the same request gives the same bytes.
        writer.writeDigits(of: period.end.adding(days: 1))
        writer.append("T02:")
        writer.writeDigits(Int(seed % 60), width: 2)
        writer.append(":00Z\"")
        let violation = tampering.schemaViolation
        if !(violation == .missingRequiredField && recordCount == 0) && violation != .missingSupplierCode {
            writer.append(",\"codeGegevensleverancier\":")
            writer.writeString(codeGegevensleverancier)
        }
        writer.append(",\"leveringen\":[")
        var teller = 0
        for part in plan.parts {
            teller += 1
            let damage = teller == 1 && part.records.count > 0 ? violation : nil
            writeLevering(teller: teller, gemeente: part.gemeente, records: part.records, period: period, violation: damage, into: &writer)
            writer.append(byte: UInt8(ascii: ","))
        }
        if let foreign = tampering.foreignGemeente {
            teller += 1
            writeLevering(teller: teller, gemeente: foreign, records: 0..<3, period: period, violation: nil, into: &writer)
            writer.append(byte: UInt8(ascii: ","))
        }
        writer.dropTrailing(UInt8(ascii: ","))
        writer.append("]},\"paginering\":{\"pageSize\":")
        writer.writeInteger(plan.paginering.pageSize)
        writer.append(",\"currentPage\":")
        writer.writeInteger(tampering.currentPage ?? plan.paginering.currentPage)
        writer.append(",\"totalPages\":")
        writer.writeInteger(plan.paginering.totalPages)
        writer.append(",\"totalRecords\":")
        writer.writeInteger(plan.paginering.totalRecords)
        writer.append("}}")
        return writer.bytes
    }

    private func writeLevering(
        teller: Int, gemeente: SimulatedGemeente, records: Range<Int>, period: Aanleverperiode, violation: SchemaViolation?,
        into writer: inout JSONByteWriter
    ) {
        switch stroom {
        case .vroegsignalering:
            let levering = VroegsignaleringLevering(seed: seed, gemeente: gemeente, period: period)
            levering.write(teller: teller, records: records, violation: violation, into: &writer)
        case .schuldhulpverlening:
            let levering = SchuldhulpLevering(seed: seed, gemeente: gemeente, period: period)
            levering.write(teller: teller, records: records, violation: violation, into: &writer)
        }
    }
}
