/// The pending deadlines of one instance: at most one of each ``DeadlineKind``.
///
/// Setting a kind that is already pending replaces it; the machines rely on that for "setting again
/// replaces" rules. Changes are reported as effects so the engine can keep its queue in step.
public struct DeadlineSet: Hashable, Sendable {
    // One stored Int64 per kind rather than an array or optionals, so a million instances stay small;
    // `Int64.min` means "none".
    private static let none = Int64.min
    private var scheduledRelease = none
    private var recycleBinExpiry = none
    private var arrearsShutdown = none
    private var arrearsRelease = none
    private var subscriptionExpiry = none
    private var expiredRelease = none

    private subscript(raw kind: DeadlineKind) -> Int64? {
        get {
            let value: Int64
            switch kind {
            case .scheduledRelease: value = scheduledRelease
            case .recycleBinExpiry: value = recycleBinExpiry
            case .arrearsShutdown: value = arrearsShutdown
            case .arrearsRelease: value = arrearsRelease
            case .subscriptionExpiry: value = subscriptionExpiry
            case .expiredRelease: value = expiredRelease
            }
            return value == Self.none ? nil : value
        }
        set {
            let value = newValue ?? Self.none
            switch kind {
            case .scheduledRelease: scheduledRelease = value
            case .recycleBinExpiry: recycleBinExpiry = value
            case .arrearsShutdown: arrearsShutdown = value
            case .arrearsRelease: arrearsRelease = value
            case .subscriptionExpiry: subscriptionExpiry = value
            case .expiredRelease: expiredRelease = value
            }
        }
    }

    /// No deadline pending.
    public init() {}

    /// When the deadline of `kind` fires, if one is pending.
    public subscript(kind: DeadlineKind) -> Instant? {
        self[raw: kind].map(Instant.init(secondsSince1970:))
    }

    /// Whether no deadline is pending.
    public var isEmpty: Bool {
        scheduledRelease == Self.none && recycleBinExpiry == Self.none && arrearsShutdown == Self.none
            && arrearsRelease == Self.none && subscriptionExpiry == Self.none && expiredRelease == Self.none
    }

    /// Pending deadlines, earliest first (ties in ``DeadlineKind`` order).
    public var all: [Deadline] {
        var deadlines: [Deadline] = []
        for kind in DeadlineKind.allCases {
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
        self[raw: kind] = at.secondsSince1970
        effects.append(.deadlineSet(Deadline(kind, at: at)))
    }

    /// Cancels the deadline of `kind` if one is pending.
    public mutating func cancel(_ kind: DeadlineKind, into effects: inout [Effect]) {
        guard self[raw: kind] != nil else { return }
        self[raw: kind] = nil
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
        self[raw: kind] = nil
    }

    /// Cancels every pending deadline.
    public mutating func cancelAll(into effects: inout [Effect]) {
        for kind in DeadlineKind.allCases { cancel(kind, into: &effects) }
    }
}
