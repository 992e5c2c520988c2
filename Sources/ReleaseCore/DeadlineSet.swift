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

    // One stored Int64 per inline rank rather than an array or optionals, so a million instances stay small;
    // `Int64.min` means "none".
    private static let none = Int64.min
    private var slots: (Int64, Int64, Int64, Int64, Int64) = (none, none, none, none, none)
    /// Ranks from ``inlineRanks`` on, by rank minus ``inlineRanks``; nil until one is set.
    private var spilled: [Int64]?

    private subscript(slot rank: Int) -> Int64? {
        get {
            let value: Int64
            switch rank {
            case 0: value = slots.0
            case 1: value = slots.1
            case 2: value = slots.2
            case 3: value = slots.3
            case 4: value = slots.4
            default:
                let index = rank - Self.inlineRanks
                guard let spilled, index < spilled.count else { return nil }
                value = spilled[index]
            }
            return value == Self.none ? nil : value
        }
        set {
            let value = newValue ?? Self.none
            switch rank {
            case 0: slots.0 = value
            case 1: slots.1 = value
            case 2: slots.2 = value
            case 3: slots.3 = value
            case 4: slots.4 = value
            default:
                let index = rank - Self.inlineRanks
                if index >= spilled?.count ?? 0 {
                    guard newValue != nil else { return }
                    spilled = (spilled ?? []) + repeatElement(Self.none, count: index + 1 - (spilled?.count ?? 0))
                }
                spilled![index] = value
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
        slots.0 == Self.none && slots.1 == Self.none && slots.2 == Self.none && slots.3 == Self.none
            && slots.4 == Self.none && (spilled?.allSatisfy { $0 == Self.none } ?? true)
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
        effects.append(.deadlineSet(Deadline(kind, at: at)))
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

    /// Every rank's value, with the spilled ones that are set: what `==` and `hash` compare, so that an array
    /// allocated and emptied again does not make two equal sets differ.
    private var values: [Int64] {
        var values = [slots.0, slots.1, slots.2, slots.3, slots.4]
        if let spilled, let last = spilled.lastIndex(where: { $0 != Self.none }) {
            values += spilled[...last]
        }
        return values
    }

    public static func == (lhs: DeadlineSet, rhs: DeadlineSet) -> Bool {
        guard lhs.spilled != nil || rhs.spilled != nil else { return lhs.slots == rhs.slots }
        return lhs.values == rhs.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(slots.0)
        hasher.combine(slots.1)
        hasher.combine(slots.2)
        hasher.combine(slots.3)
        hasher.combine(slots.4)
        if let spilled {
            for (index, value) in spilled.enumerated() where value != Self.none {
                hasher.combine(index)
                hasher.combine(value)
            }
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
