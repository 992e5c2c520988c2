/// The pending deadlines of one instance: at most one of each ``DeadlineKind``.
///
/// Setting a kind that is already pending replaces it; the machines rely on that for "setting again
/// replaces" rules. Changes are reported as effects so the engine can keep its queue in step.
public struct DeadlineSet: Hashable, Sendable {
    // One stored optional per kind rather than an array, so a million instances allocate nothing here.
    private var scheduledRelease: Int64?
    private var recycleBinExpiry: Int64?
    private var arrearsShutdown: Int64?
    private var arrearsRelease: Int64?
    private var subscriptionExpiry: Int64?
    private var expiredRelease: Int64?

    private subscript(raw kind: DeadlineKind) -> Int64? {
        get {
            switch kind {
            case .scheduledRelease: return scheduledRelease
            case .recycleBinExpiry: return recycleBinExpiry
            case .arrearsShutdown: return arrearsShutdown
            case .arrearsRelease: return arrearsRelease
            case .subscriptionExpiry: return subscriptionExpiry
            case .expiredRelease: return expiredRelease
            }
        }
        set {
            switch kind {
            case .scheduledRelease: scheduledRelease = newValue
            case .recycleBinExpiry: recycleBinExpiry = newValue
            case .arrearsShutdown: arrearsShutdown = newValue
            case .arrearsRelease: arrearsRelease = newValue
            case .subscriptionExpiry: subscriptionExpiry = newValue
            case .expiredRelease: expiredRelease = newValue
            }
        }
    }

    /// No deadline pending.
    public init() {}

    /// When the deadline of `kind` fires, if one is pending.
    public subscript(kind: DeadlineKind) -> Instant? {
        self[raw: kind].map(Instant.init(secondsSince1970:))
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

    /// Forgets the deadline of `kind` without an effect: used when that deadline has just fired.
    public mutating func consume(_ kind: DeadlineKind) {
        self[raw: kind] = nil
    }

    /// Cancels every pending deadline.
    public mutating func cancelAll(into effects: inout [Effect]) {
        for kind in DeadlineKind.allCases { cancel(kind, into: &effects) }
    }
}
