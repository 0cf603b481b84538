/// Small-cell suppression for what is shown outside the project team: a count from 1 to 4 is
/// not shown (`nil`), and where a group's total is shown and exactly one of its cells was
/// suppressed, the next smallest non-zero cell is suppressed as well, so that no suppressed
/// count can be worked out by subtraction. Zero is shown: it describes no one.
struct SmallCells {
    /// Counts below this (and above 0) are suppressed.
    static let threshold = 5

    /// Whether counts are suppressed at all (not for the project team).
    let applies: Bool

    /// One count on its own.
    func cell(_ count: Int) -> Int? {
        applies && count > 0 && count < Self.threshold ? nil : count
    }

    /// A group of counts whose total is shown elsewhere.
    func group(_ counts: [Int]) -> [Int?] {
        var cells = counts.map(cell)
        guard applies else { return cells }
        let suppressed = cells.indices.filter { cells[$0] == nil }
        if suppressed.count == 1 {
            let candidates = cells.indices.filter { cells[$0] != nil && counts[$0] > 0 }
            if let smallest = candidates.min(by: { counts[$0] < counts[$1] }) { cells[smallest] = nil }
        }
        return cells
    }
}
