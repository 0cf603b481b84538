/// Small-cell suppression for what is shown outside the project team: a count from 1 to 4 is
/// not shown (`nil`), and where a group's total is shown and exactly one of its cells was
/// suppressed, the next smallest non-zero cell is suppressed as well, so that no suppressed
/// count can be worked out by subtraction. Zero is shown: it describes no one.
struct SmallCells {
    /// Counts below this (and above 0) are suppressed.
    static let threshold = 5

    /// Whether counts are suppressed at all (not for the project team).
    let applies: Bool

    /// Whether a count describes so few that it is not shown.
    func isSmall(_ count: Int) -> Bool { count > 0 && count < Self.threshold }

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

    /// Counts that add up: the counts at `parts` (positions in a table) make the one at `whole`.
    struct Sum {
        let parts: [Int]
        let whole: Int
    }

    /// A table of counts bound by `sums`, for a viewer who knows `known` of each: a count is
    /// hidden where it or what remains besides the viewer's share is small; then, while some
    /// sum has exactly one hidden member (which the others would give away by subtraction),
    /// the part beside it with the smallest remaining share is hidden as well, or the whole
    /// when no part is left to hide. Zero is shown, and a count the viewer knows whole is
    /// never hidden to protect another.
    func table(_ counts: [Int], besides known: [Int], sums: [Sum]) -> [Int?] {
        guard applies else { return counts }
        let rest = zip(counts, known).map { $0 - $1 }
        var hidden = zip(counts, rest).map { isSmall($0) || isSmall($1) }
        var changed = true
        while changed {
            changed = false
            for sum in sums where (sum.parts + [sum.whole]).count(where: { hidden[$0] }) == 1 {
                let open = sum.parts.filter { !hidden[$0] && rest[$0] > 0 }
                if let smallest = open.min(by: { rest[$0] < rest[$1] }) {
                    hidden[smallest] = true
                } else if !hidden[sum.whole] && rest[sum.whole] > 0 {
                    hidden[sum.whole] = true
                } else {
                    continue
                }
                changed = true
            }
        }
        return zip(counts, hidden).map { $1 ? nil : $0 }
    }
}
