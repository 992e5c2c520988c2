import ReleaseCore
import Testing

/// Deadlines sort earliest first and, within one second, in kind order (the same-second firing order every
/// engine and `pendingDeadlines` use): checked on every pair of kinds and times.
@Suite("Deadline order: earliest first, then kind order")
struct DeadlineOrderTests {
    static let t0 = Instant(secondsSince1970: 1_767_225_600)

    @Test("Every pair of shared kinds at equal and different times", arguments: DeadlineKind.shared)
    func pairs(first: DeadlineKind) {
        for second in DeadlineKind.shared {
            for offset in [-1, 0, 1] as [Int64] {
                let a = Deadline(first, at: Self.t0)
                let b = Deadline(second, at: Self.t0 + Seconds(offset))
                let expected = offset != 0 ? offset > 0 : first.rank < second.rank
                #expect((a < b) == expected, "\(a) < \(b)")
                #expect([b, a].sorted() == (expected || a == b ? [a, b] : [b, a]), "\(a), \(b)")
            }
        }
    }

    @Test("A set's pending deadlines: earliest first, ties in kind order, whatever order they were set in")
    func pendingOrder() {
        let kinds = DeadlineKind.shared
        for rotation in kinds.indices {
            var set = DeadlineSet()
            var effects: [Effect] = []
            let order = Array(kinds[rotation...] + kinds[..<rotation]).reversed()
            for kind in order { set.set(kind, at: Self.t0, into: &effects) }
            #expect(set.all(of: kinds).map(\.kind) == kinds.sorted())
        }
    }
}
