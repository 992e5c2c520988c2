/// The pending deadlines of one instance: at most one of each ``DeadlineKind``.
///
/// Setting a kind that is already pending replaces it; the machines rely on that for "setting again
/// replaces" rules. Changes are reported as effects so the engine can keep its queue in step.
public struct DeadlineSet: Hashable, Sendable {
    /// How many kinds one instance can hold: the ranks a ``DeadlineKind`` may have.
    public static let capacity = 6

    // One stored Int64 per rank rather than an array or optionals, so a million instances stay small;
    // `Int64.min` means "none".
    private static let none = Int64.min
    private var slots: (Int64, Int64, Int64, Int64, Int64, Int64) = (none, none, none, none, none, none)

    private subscript(rank rank: UInt8) -> Int64? {
        get {
            let value: Int64
            switch rank {
            case 0: value = slots.0
            case 1: value = slots.1
            case 2: value = slots.2
            case 3: value = slots.3
            case 4: value = slots.4
            default: value = slots.5
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
            default: slots.5 = value
            }
        }
    }

    /// No deadline pending.
    public init() {}

    /// When the deadline of `kind` fires, if one is pending.
    public subscript(kind: DeadlineKind) -> Instant? {
        self[rank: kind.rank].map(Instant.init(secondsSince1970:))
    }

    /// Whether no deadline is pending.
    public var isEmpty: Bool {
        slots.0 == Self.none && slots.1 == Self.none && slots.2 == Self.none && slots.3 == Self.none
            && slots.4 == Self.none && slots.5 == Self.none
    }

    /// Pending deadlines of the given kinds (a machine passes all it uses), earliest first (ties in rank order).
    public func all(of kinds: [DeadlineKind]) -> [Deadline] {
        var deadlines: [Deadline] = []
        for kind in kinds {
            if let at = self[kind] { deadlines.append(Deadline(kind, at: at)) }
        }
        return deadlines.sorted()
    }

    /// Whether `deadline` is exactly the one pending for its kind (a stale timer is not).
    public func isPending(_ deadline: Deadline) -> Bool {
        self[deadline.kind] == deadline.at
    }

    /// Sets (or replaces) the deadline of `kind`.
    public mutating func set(_ kind: DeadlineKind, at: Instant, into effects: inout [Effect]) {
        self[rank: kind.rank] = at.secondsSince1970
        effects.append(.deadlineSet(Deadline(kind, at: at)))
    }

    /// Cancels the deadline of `kind` if one is pending.
    public mutating func cancel(_ kind: DeadlineKind, into effects: inout [Effect]) {
        guard self[rank: kind.rank] != nil else { return }
        self[rank: kind.rank] = nil
        effects.append(.deadlineCancelled(kind))
    }

    /// Takes a deadline that has come: true (and forgotten) if it is the one pending for its kind, false for a
    /// stale timer (cancelled or replaced since), which the machine then ignores.
    public mutating func take(_ deadline: Deadline) -> Bool {
        guard isPending(deadline) else { return false }
        consume(deadline.kind)
        return true
    }

    /// Forgets the deadline of `kind` without an effect: used when that deadline has just fired.
    public mutating func consume(_ kind: DeadlineKind) {
        self[rank: kind.rank] = nil
    }

    /// Cancels every pending deadline of the given kinds (a machine passes all it uses).
    public mutating func cancelAll(of kinds: [DeadlineKind], into effects: inout [Effect]) {
        guard !isEmpty else { return }
        for kind in kinds { cancel(kind, into: &effects) }
    }

    public static func == (lhs: DeadlineSet, rhs: DeadlineSet) -> Bool {
        lhs.slots == rhs.slots
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(slots.0)
        hasher.combine(slots.1)
        hasher.combine(slots.2)
        hasher.combine(slots.3)
        hasher.combine(slots.4)
        hasher.combine(slots.5)
    }
}
