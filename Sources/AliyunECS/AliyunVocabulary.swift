public import ReleaseCore

/// The release vocabulary only ECS has: declared here, not in the core.
extension DeadlineKind {
    /// An expired subscription is released (AD7: 15 days after expiry; seed 000). Last at a second
    /// (``AliyunDeadline``).
    public static let expiredRelease = DeadlineKind(name: "expiredRelease", releasesInstance: true)
}

/// DeleteInstance's parameters (AD1), as ``ReleaseFlag``s.
extension ReleaseFlag {
    /// `Force=true`: release even if the instance is running.
    public static let force = ReleaseFlag("force")
    /// `ForceStop=false` with `Force`: shut the OS down normally first.
    public static let graceful = ReleaseFlag("graceful")
    /// `TerminateSubscription=true`: release an expired subscription instance.
    public static let terminateSubscription = ReleaseFlag("terminate-subscription")
    /// `DryRun=true`: only check whether the release would be accepted.
    public static let dryRun = ReleaseFlag("dry-run")
}

/// Events only ECS has.
extension ProviderEvent {
    /// The provider locked the instance for security (`OperationLocks.LockReason=security`, AD1).
    public static let securityLocked = ProviderEvent("security-lock")
    /// The user unsubscribed (refunded) a subscription early (seeds 000/001, AD8).
    public static let subscriptionRefunded = ProviderEvent("refund")
}

extension Event {
    /// The provider locked the instance for security (ECS).
    public static let securityLocked = Event.provider(.securityLocked)
    /// The user unsubscribed (refunded) a subscription early (ECS).
    public static let subscriptionRefunded = Event.provider(.subscriptionRefunded)
}

/// The deadline kinds an ECS instance sets, as a closed enum. ``DeadlineKind`` is open (the core's shared kinds
/// and each provider's own), so the machine reads a kind into this enum once and switches over it exhaustively:
/// a kind listed here and not handled is a compile error, and the machine's ``AliyunInstance/deadlineKinds``
/// are these (a test checks that they include every shared kind, so a new shared kind cannot be ignored).
///
/// The cases are declared in the machine's same-second firing order (Docs/Traces.md, "The engine's order"): a
/// case's raw value, which Swift numbers in declaration order, is its rank.
enum AliyunDeadline: UInt8, MachineDeadlineKinds {
    case scheduledRelease, arrearsShutdown, arrearsRelease, subscriptionExpiry, expiredRelease

    /// The open kind.
    var kind: DeadlineKind {
        switch self {
        case .scheduledRelease: return .scheduledRelease
        case .arrearsShutdown: return .arrearsShutdown
        case .arrearsRelease: return .arrearsRelease
        case .subscriptionExpiry: return .subscriptionExpiry
        case .expiredRelease: return .expiredRelease
        }
    }
}

/// The events only ECS has, as a closed enum the machine switches over exhaustively (see ``AliyunDeadline``).
enum AliyunEvent: MachineProviderEvents {
    case securityLocked, subscriptionRefunded

    /// The open event.
    var event: ProviderEvent {
        switch self {
        case .securityLocked: return .securityLocked
        case .subscriptionRefunded: return .subscriptionRefunded
        }
    }
}
