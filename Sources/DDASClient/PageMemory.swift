/// The memory all pulls of a process may use for pages at once.
///
/// A page is streamed to disk as it arrives (``LeverancierTransport``); to be checked it is read
/// back and parsed, which takes about `factor` times its size while it is checked (the body
/// and the parsed document). Before that, a pull reserves that much from this budget and
/// waits, first come first served, while the pulls running now hold too much of it. A page
/// larger than the whole budget reserves all of it, so it is checked alone. With the
/// defaults (1 GiB, factor 4) the pages being checked hold at most about 1 GiB, whatever
/// the number of pulls and the size suppliers send.
public actor PageMemory {
    /// The budget of this process, in bytes.
    public let budget: Int
    /// Bytes reserved per byte of page.
    public let factor: Int
    private var reserved = 0
    private var waiting: [(bytes: Int, continuation: CheckedContinuation<Void, Never>)] = []

    /// A budget of `budget` bytes.
    public init(budget: Int = 1 << 30, factor: Int = 4) {
        precondition(budget > 0 && factor > 0, "a positive budget")
        self.budget = budget
        self.factor = factor
    }

    /// The budget every pull of the process shares.
    public static let shared = PageMemory()

    /// What a page of `pageBytes` reserves.
    public func cost(ofPage pageBytes: Int) -> Int {
        let (product, overflow) = pageBytes.multipliedReportingOverflow(by: factor)
        return overflow ? budget : min(max(product, 1), budget)
    }

    /// Waits until the page fits, then holds its room; give it back with `release`.
    public func reserve(page pageBytes: Int) async -> Int {
        let bytes = cost(ofPage: pageBytes)
        if waiting.isEmpty && reserved + bytes <= budget {
            reserved += bytes
            return bytes
        }
        await withCheckedContinuation { continuation in
            waiting.append((bytes, continuation))
        }
        return bytes
    }

    /// Gives back what `reserve` returned, and lets waiting pages in, in order.
    public func release(_ bytes: Int) {
        reserved -= bytes
        while let first = waiting.first, reserved + first.bytes <= budget {
            waiting.removeFirst()
            reserved += first.bytes
            first.continuation.resume()
        }
    }

    /// Bytes held now (for tests and metrics).
    public var inUse: Int { reserved }
    /// Pages waiting for room now.
    public var waitingCount: Int { waiting.count }
}
