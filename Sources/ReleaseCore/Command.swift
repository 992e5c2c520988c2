/// Whether a stopped instance keeps being charged for compute.
public enum StopChargingMode: String, Hashable, Sendable, Codable, CaseIterable {
    /// `KeepCharging` / `KEEP_CHARGING` in the providers' APIs.
    case keepCharging
    /// `StopCharging` (economical mode) / `STOP_CHARGING` in the providers' APIs.
    case stopCharging
}

/// The parameters of a manual release, named after what they do.
///
/// Extensible like ``DeadlineKind``: each provider module declares the parameters its release API has as
/// static members with their own bit (``ReleaseProvider/releaseFlagWords`` lists them with their words), and a
/// provider refuses a command that sets a flag it does not have with its own parameter error. Bits are unique
/// across the providers of one registry (a test checks).
public struct ReleaseFlags: OptionSet, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The bits set (`flag bits 2, 5`), for messages from code that does not know other providers' words; the
    /// registry turns flags into words (`ProviderModel.words(of:)`).
    public var description: String {
        var bits: [String] = []
        for bit in 0..<UInt32.bitWidth where rawValue & (1 << bit) != 0 { bits.append(String(bit)) }
        return bits.isEmpty ? "no flags" : (bits.count == 1 ? "flag bit " : "flag bits ") + bits.joined(separator: ", ")
    }
}

/// A release parameter with its word in scenario files, traces and the CLI (`force`, `immediately`).
public struct ReleaseFlagWord: Hashable, Sendable {
    /// The flag (one bit).
    public let flag: ReleaseFlags
    /// Its word.
    public let word: String

    public init(_ flag: ReleaseFlags, _ word: String) {
        self.flag = flag
        self.word = word
    }
}

extension Array where Element == ReleaseFlagWord {
    /// The words of `flags` separated by spaces, or `none`; bits without a word here are written as `bit-N`.
    public func words(of flags: ReleaseFlags) -> String {
        var words: [String] = []
        for bit in 0..<UInt32.bitWidth {
            let flag = ReleaseFlags(rawValue: 1 << bit)
            guard flags.contains(flag) else { continue }
            words.append(first { $0.flag == flag }?.word ?? "bit-\(bit)")
        }
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
    /// Convert a subscription to pay-as-you-go (seed 000: 也可以将计费方式转为按量付费后释放实例), so it can be
    /// released like one.
    case convertToPayAsYouGo
    /// Convert the instance's fixed public IP to an elastic IP, so the address outlives the release (seed 001:
    /// 将固定公网IP转为弹性公网IP).
    case convertPublicIPToElasticIP
    /// Unsubscribe (退订) an unexpired subscription early, to release it (seeds 000/001; each provider says how:
    /// a refund, or a return that is a release).
    case unsubscribe

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
        case .convertToPayAsYouGo: return .convertToPayAsYouGo
        case .convertPublicIPToElasticIP: return .convertPublicIPToElasticIP
        case .unsubscribe: return .unsubscribe
        }
    }

    /// Whether the command is a user's manual release, the only kind release protection blocks.
    public var isManualRelease: Bool {
        if case .release = self { return true }
        return false
    }
}

/// The words users write for commands: in scenario files, `cloud-release explain --command`, and the scenarios
/// the test kit writes. One table, next to the providers' ``ReleaseFlagWord``s and ``Event/shared``; the trace format keeps its
/// own fixed ops (Docs/Traces.md), which map onto the same commands.
public enum CommandWord: String, Hashable, Sendable, CaseIterable {
    case stop, start, release
    case scheduleRelease = "schedule-release"
    case cancelSchedule = "cancel-schedule"
    case protect, unprotect, restore, renew
    case convertToPostpaid = "convert-to-postpaid"
    case convertIPToEIP = "convert-ip-to-eip"
    case unsubscribe

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
        case .convertToPayAsYouGo: self = .convertToPostpaid
        case .convertPublicIPToElasticIP: self = .convertIPToEIP
        case .unsubscribe: self = .unsubscribe
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
    case convertToPayAsYouGo, convertPublicIPToElasticIP, unsubscribe
}

/// Why the provider itself releases an instance outside its timers.
public enum SystemReleaseReason: String, Hashable, Sendable, Codable, CaseIterable {
    /// A security or compliance violation.
    case security
    /// An auto-scaling group scaled in.
    case scaleIn
}

/// An event only some providers have, declared by the provider module as a static member (e.g. a security
/// lock); its name is its word in scenario files and the test kit. A machine ignores another provider's events.
public struct ProviderEvent: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The event's word (`security-lock`).
    public let name: String

    public init(_ name: String) { self.name = name }

    public var description: String { name }
}

extension Event {
    /// The events every provider has that a user can send (in scenario files, traces and the test kit), by
    /// name; each provider adds its own (``ReleaseProvider/providerEvents``).
    public static let shared: [(name: String, event: Event)] = [
        ("arrears", .arrearsBegan), ("topup", .balanceRestored), ("settle", .transitionCompleted),
        ("security-release", .systemRelease(.security)), ("scale-in-release", .systemRelease(.scaleIn)),
    ]

    /// Whether the event is the account's rather than one instance's: it reaches every instance of the account
    /// (arrears and top-up are the account's standing, seeds 000 and 002).
    public var isAccountEvent: Bool {
        switch self {
        case .arrearsBegan, .balanceRestored: return true
        case .deadlineReached, .transitionCompleted, .systemRelease, .provider: return false
        }
    }

    /// The event's name in scenario files, or nil for `deadlineReached` (deadlines fire; nobody sends them).
    public var name: String? {
        if case .provider(let event) = self { return event.name }
        return Event.shared.first { $0.event == self }?.name
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
    /// The provider released the instance itself.
    case systemRelease(SystemReleaseReason)
    /// An event only some providers have (declared in their modules).
    case provider(ProviderEvent)
}
