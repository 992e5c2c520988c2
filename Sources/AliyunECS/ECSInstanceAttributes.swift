public import ReleaseCore

/// An ECS instance as DescribeInstances shows it (2014-05-26, AD4 DescribeInstances.md): the provider's own
/// fields, typed, so that an API answer can be produced from a machine exactly.
public struct ECSInstanceAttributes: Hashable, Sendable {
    /// `Status` (AD4: the API's five states; console states such as Expired map onto `Stopped`, AD8).
    public enum Status: String, Hashable, Sendable, CaseIterable {
        case pending = "Pending"
        case starting = "Starting"
        case running = "Running"
        case stopping = "Stopping"
        case stopped = "Stopped"
    }

    /// `StoppedMode` (AD4).
    public enum StoppedMode: String, Hashable, Sendable, CaseIterable {
        case keepCharging = "KeepCharging"
        case stopCharging = "StopCharging"
        case notApplicable = "Not-applicable"
    }

    /// `OperationLocks[].LockReason` (AD4).
    public enum LockReason: String, Hashable, Sendable, CaseIterable {
        /// Overdue payment (AD6).
        case financial
        /// A security lock (AD1).
        case security
        /// A subscription refunded early (AD8 "pending release").
        case refunded
    }

    /// `InstanceChargeType`.
    public enum ChargeType: String, Hashable, Sendable, CaseIterable {
        case postPaid = "PostPaid"
        case prePaid = "PrePaid"
    }

    public var instanceID: String
    public var regionID: String
    public var status: Status
    public var stoppedMode: StoppedMode
    public var operationLocks: [LockReason]
    /// `AutoReleaseTime`: minute precision (seed 004), absent when none is set (Q4).
    public var autoReleaseTime: Instant?
    public var deletionProtection: Bool
    public var chargeType: ChargeType
    /// `ExpiredTime`: a subscription's expiry.
    public var expiredTime: Instant?
    /// `SpotStrategy` is `NoSpot` unless the instance is spot.
    public var isSpot: Bool
    /// Whether the console shows the subscription as Expired (API `Stopped`, AD8).
    public var isExpired: Bool

    /// The short form the reports print: the `Status`, with the console's name for a provider stop.
    public var summary: String {
        if operationLocks.contains(.financial) { return "Stopped (Expired, LockReason=financial)" }
        if operationLocks.contains(.refunded) { return "Stopped (pending release, refunded)" }
        if isExpired { return "Stopped (Expired)" }
        return status.rawValue
    }
}

extension ECSInstanceAttributes.Status {
    /// The launch phase a listed instance is in (every API status is one).
    public var launchPhase: LaunchPhase {
        switch self {
        case .pending: return .pending
        case .starting: return .starting
        case .running: return .running
        case .stopping: return .stopping
        case .stopped: return .stopped
        }
    }
}

extension ECSInstanceAttributes {
    /// An ECS API time: `yyyy-MM-ddTHH:mmZ` (the minute precision DescribeInstances answers, seed 004) or with
    /// seconds (what the SDKs send).
    public static func parseTime(_ text: String) -> Instant? {
        if let instant = Instant(iso8601: text) { return instant }
        guard text.count == 17, text.hasSuffix("Z") else { return nil }
        return Instant(iso8601: String(text.dropLast()) + ":00Z")
    }

    /// An instant as DescribeInstances writes it: to the minute (`2017-12-10T04:04Z`).
    public static func timeText(_ instant: Instant) -> String {
        String(instant.iso8601.prefix(16)) + "Z"
    }
}
