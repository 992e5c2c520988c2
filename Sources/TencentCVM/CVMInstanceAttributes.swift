public import ReleaseCore

/// A CVM instance as DescribeInstances (2017-03-12) and DescribeInstancesActionTimer show it (TD9, TD7): the
/// provider's own fields, typed, so that an API answer can be produced from a machine exactly.
public struct CVMInstanceAttributes: Hashable, Sendable {
    /// `InstanceState` (TD9). `SHUTDOWN` is isolation (recycle bin or arrears), not the console's
    /// "Shutdown", which is `STOPPED` (edge case 33).
    public enum InstanceState: String, Hashable, Sendable, CaseIterable {
        case pending = "PENDING"
        case running = "RUNNING"
        case starting = "STARTING"
        case stopping = "STOPPING"
        case stopped = "STOPPED"
        case shutdown = "SHUTDOWN"
    }

    /// `IsolatedSource` (TD9).
    public enum IsolatedSource: String, Hashable, Sendable, CaseIterable {
        case notIsolated = "NOTISOLATED"
        case arrear = "ARREAR"
        case expire = "EXPIRE"
        case manmade = "MANMADE"
    }

    /// `RestrictState` (TD9).
    public enum RestrictState: String, Hashable, Sendable, CaseIterable {
        case normal = "NORMAL"
        case expired = "EXPIRED"
        case protectivelyIsolated = "PROTECTIVELY_ISOLATED"
    }

    /// `StopChargingMode` (TD9).
    public enum StopChargingMode: String, Hashable, Sendable, CaseIterable {
        case keepCharging = "KEEP_CHARGING"
        case stopCharging = "STOP_CHARGING"
        case notApplicable = "NOT_APPLICABLE"
    }

    /// `InstanceChargeType`.
    public enum ChargeType: String, Hashable, Sendable, CaseIterable {
        case prepaid = "PREPAID"
        case postpaidByHour = "POSTPAID_BY_HOUR"
    }

    /// A scheduled destruction as DescribeInstancesActionTimer lists it (TD7): one `UNDO` timer (Q14).
    public struct ActionTimer: Hashable, Sendable {
        /// `TimerAction`: always `TerminateInstances`.
        public var timerAction = "TerminateInstances"
        /// `ActionTime`, to the second (T2).
        public var actionTime: Instant
        /// `Status`: `UNDO` while pending (a fired timer has released the instance).
        public var status = "UNDO"
    }

    public var instanceID: String
    public var instanceState: InstanceState
    public var isolatedSource: IsolatedSource
    public var restrictState: RestrictState
    public var stopChargingMode: StopChargingMode
    /// `DisableApiTermination`.
    public var disableApiTermination: Bool
    public var chargeType: ChargeType
    /// `ExpiredTime`: a subscription's expiry, null for pay-as-you-go.
    public var expiredTime: Instant?
    /// The pending scheduled destruction, if any.
    public var actionTimer: ActionTimer?
    /// When the recycle bin lets go of the instance, while it is in the bin.
    public var recycleBinExpiry: Instant?

    /// The short form the reports print: `InstanceState`, with `IsolatedSource` when isolated.
    public var summary: String {
        instanceState == .shutdown ? "SHUTDOWN (IsolatedSource=\(isolatedSource.rawValue))" : instanceState.rawValue
    }
}

extension CVMInstanceAttributes.InstanceState {
    /// The launch phase of a live instance; nil for `SHUTDOWN` (isolation: the recycle bin or arrears).
    public var launchPhase: LaunchPhase? {
        switch self {
        case .pending: return .pending
        case .starting: return .starting
        case .running: return .running
        case .stopping: return .stopping
        case .stopped: return .stopped
        case .shutdown: return nil
        }
    }
}
