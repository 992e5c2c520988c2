/// Where an instance is in its release lifecycle, in the same words for every provider.
///
/// `Phase` carries no payload, so it can be compared, counted and printed. Each provider maps its own API
/// states onto it (see `apiStatus` in the provider modules): for example an API state `SHUTDOWN` may be
/// ``recycleBin`` while a console's "Shutdown" is ``stopped``.
public enum Phase: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    /// Being created.
    case pending
    /// Booting.
    case starting
    /// Running.
    case running
    /// Shutting down.
    case stopping
    /// Stopped by the user.
    case stopped
    /// Stopped by the provider for non-payment or expiry; the user cannot start it.
    case suspended
    /// Destroyed but restorable until the recycle bin lets go of it.
    case recycleBin
    /// Gone. Every later command is refused and no event changes it.
    case released

    public static func < (lhs: Phase, rhs: Phase) -> Bool {
        lhs.ordinal < rhs.ordinal
    }

    /// The case's place in ``allCases`` (declaration order), read without building that array: counting a
    /// million instances by phase indexes with it.
    @inlinable package var ordinal: Int {
        switch self {
        case .pending: return 0
        case .starting: return 1
        case .running: return 2
        case .stopping: return 3
        case .stopped: return 4
        case .suspended: return 5
        case .recycleBin: return 6
        case .released: return 7
        }
    }
}

/// The phase a newly described instance starts in: running by default, or a phase observed mid-flight so
/// a user can ask what a command does to an instance that is still booting or stopping.
public enum LaunchPhase: String, Hashable, Sendable, Codable, CaseIterable {
    case pending, starting, running, stopping, stopped

    /// The same phase as a ``Phase``.
    public var phase: Phase { LiveState(self).phase }
}

/// The phases every provider's instance passes through while it lives: the part of a machine's state the
/// providers share (each machine adds its own: suspended, a recycle bin, released).
public enum LiveState: Hashable, Sendable {
    case pending
    case starting
    case running
    /// Shutting down, in the stop mode it will keep.
    case stopping(StopChargingMode)
    /// Stopped by the user, in its stop mode.
    case stopped(StopChargingMode)

    /// The state of an instance launched (or observed) in `phase`; a stopping or stopped one keeps charging, the
    /// providers' documented default.
    public init(_ phase: LaunchPhase) {
        switch phase {
        case .pending: self = .pending
        case .starting: self = .starting
        case .running: self = .running
        case .stopping: self = .stopping(.keepCharging)
        case .stopped: self = .stopped(.keepCharging)
        }
    }

    /// The same phase as a ``Phase``.
    public var phase: Phase {
        switch self {
        case .pending: return .pending
        case .starting: return .starting
        case .running: return .running
        case .stopping: return .stopping
        case .stopped: return .stopped
        }
    }

    /// Where a transitional state settles (`transitionCompleted`): pending and starting to running, stopping to
    /// stopped in its mode; nil for a settled state.
    public var settled: LiveState? {
        switch self {
        case .pending, .starting: return .running
        case .stopping(let mode): return .stopped(mode)
        case .running, .stopped: return nil
        }
    }

    /// The stop mode of a stopping or stopped instance.
    public var stopMode: StopChargingMode? {
        switch self {
        case .stopping(let mode), .stopped(let mode): return mode
        case .pending, .starting, .running: return nil
        }
    }
}
