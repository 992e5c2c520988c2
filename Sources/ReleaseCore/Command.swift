/// Whether a stopped instance keeps being charged for compute.
public enum StopChargingMode: String, Hashable, Sendable, Codable, CaseIterable {
    /// `KeepCharging` / `KEEP_CHARGING` in the providers' APIs.
    case keepCharging
    /// `StopCharging` (economical mode) / `STOP_CHARGING` in the providers' APIs.
    case stopCharging
}

/// The parameters of a manual release, named after what they do.
///
/// A provider that has no such parameter refuses a command that sets it with its own parameter error.
public struct ReleaseFlags: OptionSet, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Release even if the instance is running (`Force`).
    public static let force = ReleaseFlags(rawValue: 1 << 0)
    /// With `force`, shut the OS down normally first (`ForceStop=false`).
    public static let graceful = ReleaseFlags(rawValue: 1 << 1)
    /// Release at once instead of parking in the recycle bin (a console's "release now").
    public static let immediately = ReleaseFlags(rawValue: 1 << 2)
    /// Release an expired subscription instance (`TerminateSubscription`).
    public static let terminateSubscription = ReleaseFlags(rawValue: 1 << 3)
    /// Only check whether the release would be accepted (`DryRun`).
    public static let dryRun = ReleaseFlags(rawValue: 1 << 4)
    /// Also release the bound elastic IP (`ReleaseAddress`).
    public static let releaseAddress = ReleaseFlags(rawValue: 1 << 5)

    /// Every flag with its trace/CLI word, in a fixed order.
    public static let words: [(flag: ReleaseFlags, word: String)] = [
        (.force, "force"), (.graceful, "graceful"), (.immediately, "immediately"),
        (.terminateSubscription, "terminate-subscription"), (.dryRun, "dry-run"),
        (.releaseAddress, "release-address"),
    ]

    /// The flags' words separated by spaces, or `none`.
    public var description: String {
        let words = Self.words.filter { contains($0.flag) }.map(\.word)
        return words.isEmpty ? "none" : words.joined(separator: " ")
    }
}

/// What a user asks a provider to do to one instance.
public enum Command: Hashable, Sendable, Codable {
    /// Stop a running instance; `chargingMode` nil means the provider's documented default.
    case stop(force: Bool = false, chargingMode: StopChargingMode? = nil)
    /// Start a stopped instance.
    case start
    /// The provider's manual release (`DeleteInstance`, `TerminateInstances`).
    case release(ReleaseFlags = [])
    /// Set (or replace) the automatic release time.
    case scheduleRelease(at: Instant)
    /// Cancel the automatic release time.
    case cancelScheduledRelease
    /// Turn release protection on or off.
    case setProtection(Bool)
    /// Restore an instance from the recycle bin.
    case restore
    /// Renew a subscription until `until` (its new expiry).
    case renew(until: Instant)

    /// The command's name without its parameters, for tables and error messages.
    public var kind: CommandKind {
        switch self {
        case .stop: return .stop
        case .start: return .start
        case .release: return .release
        case .scheduleRelease: return .scheduleRelease
        case .cancelScheduledRelease: return .cancelScheduledRelease
        case .setProtection: return .setProtection
        case .restore: return .restore
        case .renew: return .renew
        }
    }

    /// Whether the command is a user's manual release, the only kind release protection blocks.
    public var isManualRelease: Bool {
        if case .release = self { return true }
        return false
    }
}

/// The words users write for commands: in scenario files, `cloud-release explain --command`, and the scenarios
/// the test kit writes. One table, next to ``ReleaseFlags/words`` and ``Event/named``; the trace format keeps its
/// own fixed ops (Docs/Traces.md), which map onto the same commands.
public enum CommandWord: String, Hashable, Sendable, CaseIterable {
    case stop, start, release
    case scheduleRelease = "schedule-release"
    case cancelSchedule = "cancel-schedule"
    case protect, unprotect, restore, renew

    /// The command's word (its parameters are written separately).
    public init(_ command: Command) {
        switch command {
        case .stop: self = .stop
        case .start: self = .start
        case .release: self = .release
        case .scheduleRelease: self = .scheduleRelease
        case .cancelScheduledRelease: self = .cancelSchedule
        case .setProtection(let on): self = on ? .protect : .unprotect
        case .restore: self = .restore
        case .renew: self = .renew
        }
    }

    /// Which parameters the command takes: a time (`schedule-release`, `renew`), release flags, a stop mode.
    public var takesTime: Bool { self == .scheduleRelease || self == .renew }
}

extension StopChargingMode {
    /// The mode's word in scenario files, traces and the CLI.
    public var word: String {
        switch self {
        case .keepCharging: return "keep-charging"
        case .stopCharging: return "stop-charging"
        }
    }
}

/// A command's name without its parameters.
public enum CommandKind: String, Hashable, Sendable, Codable, CaseIterable {
    case stop, start, release, scheduleRelease, cancelScheduledRelease, setProtection, restore, renew, launch
}

/// Why the provider itself releases an instance outside its timers.
public enum SystemReleaseReason: String, Hashable, Sendable, Codable, CaseIterable {
    /// A security or compliance violation.
    case security
    /// An auto-scaling group scaled in.
    case scaleIn
}

extension Event {
    /// The events a user can send (in scenario files, traces and the test kit), by name.
    public static let named: [(name: String, event: Event)] = [
        ("arrears", .arrearsBegan), ("topup", .balanceRestored), ("settle", .transitionCompleted),
        ("security-lock", .securityLocked), ("security-release", .systemRelease(.security)),
        ("scale-in-release", .systemRelease(.scaleIn)), ("refund", .subscriptionRefunded),
    ]

    /// The event's name in scenario files, or nil for `deadlineReached` (deadlines fire; nobody sends them).
    public var name: String? {
        Event.named.first { $0.event == self }?.name
    }
}

/// Something that happens to an instance without a user command.
public enum Event: Hashable, Sendable, Codable {
    /// A deadline the instance set earlier has come.
    case deadlineReached(Deadline)
    /// The owning account's balance fell below zero (or its bill is overdue).
    case arrearsBegan
    /// The owning account's balance is positive again.
    case balanceRestored
    /// A transitional phase (pending, starting, stopping) settled.
    case transitionCompleted
    /// The provider locked the instance for security reasons.
    case securityLocked
    /// The provider released the instance itself.
    case systemRelease(SystemReleaseReason)
    /// The user unsubscribed (refunded) a subscription early.
    case subscriptionRefunded
}
