public import ReleaseCore

/// The release vocabulary only CVM has: declared here, not in the core.
extension DeadlineKind {
    /// The recycle bin lets go of a destroyed instance (T2: 2 h pay-as-you-go; TD6: 7 days for an expired
    /// subscription). At the same second, after a scheduled release and before the arrears clocks
    /// (``TencentDeadline``).
    public static let recycleBinExpiry = DeadlineKind(name: "recycleBinExpiry", releasesInstance: true)
}

/// TerminateInstances's parameters and the console's release-now, as ``ReleaseFlag``s.
extension ReleaseFlag {
    /// Release at once instead of parking in the recycle bin (the console's "立即释放", T2).
    public static let immediately = ReleaseFlag("immediately")
    /// `ReleaseAddress=true`: also release the bound elastic IP (TD1).
    public static let releaseAddress = ReleaseFlag("release-address")
}

/// The deadline kinds a CVM instance sets, as a closed enum. ``DeadlineKind`` is open (the core's shared kinds
/// and each provider's own), so the machine reads a kind into this enum once and switches over it exhaustively:
/// a kind listed here and not handled is a compile error, and the machine's ``TencentInstance/deadlineKinds``
/// are these (a test checks that they include every shared kind, so a new shared kind cannot be ignored).
///
/// The cases are declared in the machine's same-second firing order (Docs/Traces.md, "The engine's order"): a
/// case's raw value, which Swift numbers in declaration order, is its rank.
enum TencentDeadline: UInt8, MachineDeadlineKinds {
    case scheduledRelease, recycleBinExpiry, arrearsShutdown, arrearsRelease, subscriptionExpiry

    /// The open kind.
    var kind: DeadlineKind {
        switch self {
        case .scheduledRelease: return .scheduledRelease
        case .arrearsShutdown: return .arrearsShutdown
        case .arrearsRelease: return .arrearsRelease
        case .subscriptionExpiry: return .subscriptionExpiry
        case .recycleBinExpiry: return .recycleBinExpiry
        }
    }
}

/// The events only CVM has: none. No CVM source describes a provider-side event of its own (returning a
/// subscription, 退还, is TerminateInstances itself: T2, TD1), so another provider's event changes nothing.
enum TencentEvent: MachineProviderEvents {
    /// The open event.
    var event: ProviderEvent {
        switch self {}
    }
}
