import ReleaseCore
import Testing

/// Deadlines sort earliest first; within one second, a machine's pending deadlines come in its own order (its
/// `deadlineKinds`, the same-second firing order every engine uses), and a set holds any number of kinds.
@Suite("Deadline order: earliest first, then the machine's order")
struct DeadlineOrderTests {
    static let t0 = Instant(secondsSince1970: 1_767_225_600)

    @Test(
        "Every pair of shared kinds at equal and different times: earliest first, then by name",
        arguments: DeadlineKind.shared
    )
    func pairs(first: DeadlineKind) {
        for second in DeadlineKind.shared {
            for offset in [-1, 0, 1] as [Int64] {
                let a = Deadline(first, at: Self.t0)
                let b = Deadline(second, at: Self.t0 + Seconds(offset))
                let expected =
                    offset != 0 ? offset > 0 : first.rawValue.utf8.lexicographicallyPrecedes(second.rawValue.utf8)
                #expect((a < b) == expected, "\(a) < \(b)")
                #expect([b, a].sorted() == (expected || a == b ? [a, b] : [b, a]), "\(a), \(b)")
            }
        }
    }

    @Test("A set's pending deadlines: earliest first, ties in the machine's order, whatever order they were set in")
    func pendingOrder() {
        // Each rotation is another machine's order of the same kinds: a rank is a place in one machine's list.
        let kinds = DeadlineKind.shared
        for rotation in kinds.indices {
            let machineOrder = Array(kinds[rotation...] + kinds[..<rotation])
            var set = DeadlineSet()
            var effects: [Effect] = []
            for kind in machineOrder.reversed() {
                let listed = set.set(kind, at: Self.t0, in: machineOrder, into: &effects)
                #expect(listed)
            }
            #expect(set.all(of: machineOrder).map(\.kind) == machineOrder)
        }
    }

    /// A machine with more kinds than the set stores inline: twelve made-up kinds.
    static let manyKinds: [DeadlineKind] = [
        DeadlineKind(name: "k0", releasesInstance: false), DeadlineKind(name: "k1", releasesInstance: false),
        DeadlineKind(name: "k2", releasesInstance: false), DeadlineKind(name: "k3", releasesInstance: false),
        DeadlineKind(name: "k4", releasesInstance: false), DeadlineKind(name: "k5", releasesInstance: true),
        DeadlineKind(name: "k6", releasesInstance: false), DeadlineKind(name: "k7", releasesInstance: true),
        DeadlineKind(name: "k8", releasesInstance: false), DeadlineKind(name: "k9", releasesInstance: false),
        DeadlineKind(name: "k10", releasesInstance: false), DeadlineKind(name: "k11", releasesInstance: true),
    ]

    @Test("A machine with more kinds than are stored inline keeps them all, in its order")
    func beyondInline() {
        let kinds = Self.manyKinds
        #expect(kinds.count > DeadlineSet.inlineRanks)
        var set = DeadlineSet()
        var effects: [Effect] = []
        for (offset, kind) in kinds.enumerated().reversed() {
            let listed = set.set(kind, at: Self.t0 + Seconds(Int64(offset % 3)), in: kinds, into: &effects)
            #expect(listed)
        }
        let expected = kinds.enumerated().sorted { ($0.offset % 3, $0.offset) < ($1.offset % 3, $1.offset) }
            .map { Deadline($0.element, at: Self.t0 + Seconds(Int64($0.offset % 3))) }
        #expect(set.all(of: kinds) == expected)
        for kind in kinds { #expect(set[kind, in: kinds] != nil, "\(kind)") }
        // Cancelling the kinds past the inline ranks leaves a set equal to one that never held them, hash too.
        var inlineOnly = DeadlineSet()
        for (offset, kind) in kinds.enumerated().prefix(DeadlineSet.inlineRanks) {
            let listed = inlineOnly.set(kind, at: Self.t0 + Seconds(Int64(offset % 3)), in: kinds, into: &effects)
            #expect(listed)
        }
        #expect(set != inlineOnly)
        effects.removeAll()
        for kind in kinds.dropFirst(DeadlineSet.inlineRanks) { set.cancel(kind, in: kinds, into: &effects) }
        #expect(effects == kinds.dropFirst(DeadlineSet.inlineRanks).map { .deadlineCancelled($0) })
        #expect(set == inlineOnly)
        #expect(set.hashValue == inlineOnly.hashValue)
        set.cancelAll(of: kinds, into: &effects)
        #expect(set.isEmpty)
        #expect(set == DeadlineSet())
    }

    /// Instants on both sides of what a 32-bit slot holds (seconds since 1970 plus one, below `UInt32.max`).
    static let edgeSeconds: [Int64] = [
        0, 1, 1_767_225_600, Int64(UInt32.max) - 3, Int64(UInt32.max) - 2, Int64(UInt32.max) - 1,
        Int64(UInt32.max), Int64(UInt32.max) + 1, 253_402_300_799, -1, Int64.min, Int64.max,
    ]

    @Test(
        "Every instant is kept exactly at every rank, inline or not, and a replaced one leaves no trace",
        arguments: edgeSeconds
    )
    func instantsAtEveryRank(seconds: Int64) {
        let kinds = Self.manyKinds
        let at = Instant(secondsSince1970: seconds)
        for (rank, kind) in kinds.enumerated() {
            var set = DeadlineSet()
            var effects: [Effect] = []
            set.set(kind, rank: UInt8(rank), at: at, into: &effects)
            #expect(set[rank: UInt8(rank)] == at, "rank \(rank)")
            #expect(set.all(of: kinds) == [Deadline(kind, at: at)])
            #expect(set.isPending(Deadline(kind, at: at), rank: UInt8(rank)))
            // Replaced by an instant that fits a slot: equal, hash too, to a set that only ever held that one.
            set.set(kind, rank: UInt8(rank), at: Self.t0, into: &effects)
            var fresh = DeadlineSet()
            fresh.set(kind, rank: UInt8(rank), at: Self.t0, into: &effects)
            #expect(set == fresh, "rank \(rank)")
            #expect(set.hashValue == fresh.hashValue, "rank \(rank)")
            let taken = set.take(Deadline(kind, at: Self.t0), rank: UInt8(rank))
            #expect(taken)
            #expect(set.isEmpty)
            #expect(set == DeadlineSet())
            #expect(set.hashValue == DeadlineSet().hashValue)
        }
    }

    @Test("Random sets, cancels and takes over twelve ranks agree with a dictionary, near and far instants alike")
    func agreesWithDictionary() {
        let kinds = Self.manyKinds
        var state: UInt64 = 0x5EED_DEAD_11E5
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for _ in 0..<200 {
            var set = DeadlineSet()
            var model: [Int: Int64] = [:]
            var effects: [Effect] = []
            for _ in 0..<40 {
                let rank = Int(next() % UInt64(kinds.count))
                let seconds = Self.edgeSeconds[Int(next() % UInt64(Self.edgeSeconds.count))] &+ Int64(next() % 3)
                switch next() % 3 {
                case 0:
                    set.set(kinds[rank], rank: UInt8(rank), at: Instant(secondsSince1970: seconds), into: &effects)
                    model[rank] = seconds
                case 1:
                    set.cancel(kinds[rank], rank: UInt8(rank), into: &effects)
                    model[rank] = nil
                default:
                    let pending = model[rank].map { Deadline(kinds[rank], at: Instant(secondsSince1970: $0)) }
                    if let pending {
                        let taken = set.take(pending, rank: UInt8(rank))
                        #expect(taken)
                        model[rank] = nil
                    }
                }
                var rebuilt = DeadlineSet()
                for (rank, seconds) in model {
                    rebuilt.set(kinds[rank], rank: UInt8(rank), at: Instant(secondsSince1970: seconds), into: &effects)
                }
                for rank in kinds.indices {
                    #expect(set[rank: UInt8(rank)] == model[rank].map(Instant.init(secondsSince1970:)))
                }
                #expect(set == rebuilt)
                #expect(set.hashValue == rebuilt.hashValue)
                #expect(set.isEmpty == model.isEmpty)
            }
        }
    }

    @Test("A kind the machine does not list is never set nor pending, and cancelling it does nothing")
    func unlistedKind() {
        var set = DeadlineSet()
        var effects: [Effect] = []
        let kinds = Array(Self.manyKinds.prefix(2))
        let listed = set.set(kinds[0], at: Self.t0, in: kinds, into: &effects)
        #expect(listed)
        let unlisted = set.set(Self.manyKinds[5], at: Self.t0, in: kinds, into: &effects)
        #expect(!unlisted)
        #expect(set[Self.manyKinds[5], in: kinds] == nil)
        set.cancel(Self.manyKinds[5], in: kinds, into: &effects)
        #expect(effects == [.deadlineSet(Deadline(kinds[0], at: Self.t0))])
    }
}
