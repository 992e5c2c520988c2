/// The pending deadlines of one instance: at most one of each ``DeadlineKind`` its machine lists.
///
/// A deadline is kept at its kind's *rank*, the kind's place in the machine's
/// ``ReleaseStateMachine/deadlineKinds`` (its same-second firing order). Setting a kind that is already pending
/// replaces it; the machines rely on that for "setting again replaces" rules. Changes are reported as effects so
/// the engine can keep its queue in step.
///
/// There is no fixed number of kinds: the first ``inlineRanks`` ranks are stored in the value itself (every
/// machine of this package has five kinds), and a machine with more keeps the others in an array allocated when
/// one of them is first set.
public struct DeadlineSet: Hashable, Sendable {
    /// How many ranks are stored in the value itself, without an allocation.
    public static let inlineRanks = 5

    // One 32-bit slot per inline rank rather than an array or optionals, so a million instances stay small
    // (Docs/Performance.md, "Deadlines in 32 bits"): 0 means none, `spilledMark` that the instant is in
    // `spilled`, any other value the instant packed (`Instant.packed`, which leaves those two values free). Instants
    // from 1970 to early 2106 fit; any other (the model accepts years to 9999) is kept in `spilled` at its rank.
    private static let noSlot: UInt32 = 0
    private static let spilledMark = UInt32.max
    /// Instants by rank, for ranks from ``inlineRanks`` on and inline ranks whose instant does not fit a slot;
    /// nil for none (an optional, not a sentinel, so every `Int64` is an instant). Nil until one is needed. First,
    /// so that the slots end the value and a machine's next field (4-byte aligned) follows them without padding
    /// (Docs/Performance.md, "A machine in one cache line").
    private var spilled: [Int64?]?
    private var slots: (UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0)

    private func spilledValue(_ rank: Int) -> Int64? {
        guard let spilled, rank < spilled.count else { return nil }
        return spilled[rank]
    }

    private mutating func spill(_ value: Int64?, at rank: Int) {
        if rank >= spilled?.count ?? 0 {
            guard value != nil else { return }
            spilled = (spilled ?? []) + repeatElement(nil, count: rank + 1 - (spilled?.count ?? 0))
        }
        spilled![rank] = value
    }

    private subscript(slot rank: Int) -> Int64? {
        get {
            let slot: UInt32
            switch rank {
            case 0: slot = slots.0
            case 1: slot = slots.1
            case 2: slot = slots.2
            case 3: slot = slots.3
            case 4: slot = slots.4
            default: return spilledValue(rank)
            }
            if slot == Self.noSlot { return nil }
            if slot == Self.spilledMark { return spilledValue(rank) }
            return Instant(packed: slot).secondsSince1970
        }
        set {
            guard rank < Self.inlineRanks else { return spill(newValue, at: rank) }
            let slot: UInt32
            if let newValue, let fits = Instant(secondsSince1970: newValue).packed {
                slot = fits
            } else if newValue != nil {
                slot = Self.spilledMark
            } else {
                slot = Self.noSlot
            }
            // A value that leaves the spilled array leaves no stale copy there, so equal sets stay equal.
            if slot == Self.spilledMark || spilled != nil { spill(slot == Self.spilledMark ? newValue : nil, at: rank) }
            switch rank {
            case 0: slots.0 = slot
            case 1: slots.1 = slot
            case 2: slots.2 = slot
            case 3: slots.3 = slot
            default: slots.4 = slot
            }
        }
    }

    /// No deadline pending.
    public init() {}

    /// When the deadline at `rank` fires, if one is pending.
    public subscript(rank rank: UInt8) -> Instant? {
        self[slot: Int(rank)].map(Instant.init(secondsSince1970:))
    }

    /// When the deadline of `kind` fires, if one is pending; `kinds` is the machine's list
    /// (``ReleaseStateMachine/deadlineKinds``), and a kind it does not list is never pending.
    public subscript(kind: DeadlineKind, in kinds: [DeadlineKind]) -> Instant? {
        guard let rank = kinds.rank(of: kind) else { return nil }
        return self[rank: rank]
    }

    /// Whether no deadline is pending.
    public var isEmpty: Bool {
        slots.0 == Self.noSlot && slots.1 == Self.noSlot && slots.2 == Self.noSlot && slots.3 == Self.noSlot
            && slots.4 == Self.noSlot && (spilled?.allSatisfy { $0 == nil } ?? true)
    }

    /// The pending deadlines of a machine whose kinds are `kinds` (its ``ReleaseStateMachine/deadlineKinds``),
    /// earliest first; at one second, in the machine's order.
    public func all(of kinds: [DeadlineKind]) -> [Deadline] {
        var deadlines: [(rank: Int, deadline: Deadline)] = []
        for (rank, kind) in kinds.enumerated() {
            if let at = self[slot: rank] {
                deadlines.append((rank, Deadline(kind, at: Instant(secondsSince1970: at))))
            }
        }
        return deadlines.sorted { ($0.deadline.at, $0.rank) < ($1.deadline.at, $1.rank) }.map(\.deadline)
    }

    /// Whether `deadline` is exactly the one pending at `rank` (a stale timer is not).
    public func isPending(_ deadline: Deadline, rank: UInt8) -> Bool {
        self[rank: rank] == deadline.at
    }

    /// Sets (or replaces) the deadline of `kind`, at `rank` in its machine's list.
    public mutating func set(_ kind: DeadlineKind, rank: UInt8, at: Instant, into effects: inout [Effect]) {
        self[slot: Int(rank)] = at.secondsSince1970
        effects.append(.deadlineSet(Deadline(kind, at: at, rank: rank)))
    }

    /// Sets (or replaces) the deadline of `kind`, one of `kinds` (the machine's list). Returns false, setting
    /// nothing and appending no effect, when `kinds` does not list `kind`: a machine sets only its own kinds.
    public mutating func set(
        _ kind: DeadlineKind,
        at: Instant,
        in kinds: [DeadlineKind],
        into effects: inout [Effect]
    ) -> Bool {
        guard let rank = kinds.rank(of: kind) else { return false }
        set(kind, rank: rank, at: at, into: &effects)
        return true
    }

    /// Cancels the deadline of `kind`, at `rank` in its machine's list, if one is pending.
    public mutating func cancel(_ kind: DeadlineKind, rank: UInt8, into effects: inout [Effect]) {
        guard self[slot: Int(rank)] != nil else { return }
        self[slot: Int(rank)] = nil
        effects.append(.deadlineCancelled(kind))
    }

    /// Cancels the deadline of `kind` if one is pending; a kind `kinds` (the machine's list) does not list never is.
    public mutating func cancel(_ kind: DeadlineKind, in kinds: [DeadlineKind], into effects: inout [Effect]) {
        guard let rank = kinds.rank(of: kind) else { return }
        cancel(kind, rank: rank, into: &effects)
    }

    /// Takes a deadline that has come, at `rank` in its machine's list: true (and forgotten) if it is the one
    /// pending there, false for a stale timer (cancelled or replaced since), which the machine then ignores.
    public mutating func take(_ deadline: Deadline, rank: UInt8) -> Bool {
        guard isPending(deadline, rank: rank) else { return false }
        self[slot: Int(rank)] = nil
        return true
    }

    /// Cancels every pending deadline of a machine whose kinds are `kinds` (its list).
    public mutating func cancelAll(of kinds: [DeadlineKind], into effects: inout [Effect]) {
        guard !isEmpty else { return }
        for (rank, kind) in kinds.enumerated() { cancel(kind, rank: UInt8(truncatingIfNeeded: rank), into: &effects) }
    }

    /// The spilled instants up to the last one set: what `==` and `hash` compare beside the slots, so that an
    /// array allocated and emptied again does not make two equal sets differ. (A slot's value is canonical: an
    /// instant is inline exactly when it fits, and leaving the array clears its copy there.)
    private var setSpilled: ArraySlice<Int64?> {
        guard let spilled, let last = spilled.lastIndex(where: { $0 != nil }) else { return [] }
        return spilled[...last]
    }

    public static func == (lhs: DeadlineSet, rhs: DeadlineSet) -> Bool {
        guard lhs.slots == rhs.slots else { return false }
        guard lhs.spilled != nil || rhs.spilled != nil else { return true }
        return lhs.setSpilled == rhs.setSpilled
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(slots.0)
        hasher.combine(slots.1)
        hasher.combine(slots.2)
        hasher.combine(slots.3)
        hasher.combine(slots.4)
        for (index, value) in setSpilled.enumerated() {
            guard let value else { continue }
            hasher.combine(index)
            hasher.combine(value)
        }
    }
}

extension [DeadlineKind] {
    /// The rank of `kind` in this list of a machine's kinds: its place, or nil when the list does not hold it.
    @inlinable
    public func rank(of kind: DeadlineKind) -> UInt8? {
        guard let index = firstIndex(of: kind), index <= Int(UInt8.max) else { return nil }
        return UInt8(index)
    }
}

extension DeadlineSet {
    /// When the deadline of the machine's kind `kind` fires, if one is pending.
    @inlinable @inline(__always)
    package subscript<Kinds: MachineDeadlineKinds>(kind: Kinds) -> Instant? { self[rank: kind.rank] }

    /// Sets (or replaces) the deadline of the machine's kind `kind`.
    @inlinable @inline(__always)
    package mutating func set<Kinds: MachineDeadlineKinds>(_ kind: Kinds, at: Instant, into effects: inout [Effect]) {
        set(kind.kind, rank: kind.rank, at: at, into: &effects)
    }

    /// Cancels the deadline of the machine's kind `kind` if one is pending.
    @inlinable @inline(__always)
    package mutating func cancel<Kinds: MachineDeadlineKinds>(_ kind: Kinds, into effects: inout [Effect]) {
        cancel(kind.kind, rank: kind.rank, into: &effects)
    }
}
