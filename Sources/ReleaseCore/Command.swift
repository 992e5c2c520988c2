/// Whether a stopped instance keeps being charged for compute.
public enum StopChargingMode: String, Hashable, Sendable, Codable, CaseIterable {
    /// `KeepCharging` / `KEEP_CHARGING` in the providers' APIs.
    case keepCharging
    /// `StopCharging` (economical mode) / `STOP_CHARGING` in the providers' APIs.
    case stopCharging
}

/// A parameter of a manual release, named by its word in scenario files, traces and the CLI (`force`,
/// `immediately`).
///
/// Open like ``ProviderEvent``: each provider module declares the parameters its release API has as static
/// members (``ReleaseProvider/releaseFlags`` lists them), and a provider refuses a release that names a flag it
/// does not have with its own parameter error. A flag is its word, so no number is assigned to it anywhere and a
/// registry holds any number of them; registration refuses a word two providers declare
/// (Docs/Architecture.md, "Adding a provider").
public struct ReleaseFlag: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The flag's word (`terminate-subscription`).
    public let word: String

    public init(_ word: String) { self.word = word }

    public init(from decoder: any Decoder) throws {
        word = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(word)
    }

    public var description: String { word }

    /// Whether `word` can name a flag: one to 64 printable ASCII characters without a space, comma or quote, so
    /// a trace line's field and a scenario file's string carry it unchanged.
    public static func isWritable(_ word: String) -> Bool {
        !word.isEmpty && word.utf8.count <= 64
            && word.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: "\"") }
    }

    /// Byte order of the words, so that `<` and `==` agree for any word (String's own order treats canonically
    /// equivalent spellings as one, which `==` on bytes does not).
    public static func < (lhs: ReleaseFlag, rhs: ReleaseFlag) -> Bool {
        lhs.word.utf8.lexicographicallyPrecedes(rhs.word.utf8)
    }

    /// The same word, byte for byte; words of different lengths are told apart without reading them (a provider
    /// checks each flag of a release against its list).
    ///
    /// A word's bytes are compared as one buffer where the string holds them so (nearly always): element by element
    /// through the UTF-8 views took about 500 instructions a compare (Docs/Performance.md, "The usual lines read
    /// quickly").
    @inlinable
    public static func == (lhs: ReleaseFlag, rhs: ReleaseFlag) -> Bool {
        let (left, right) = (lhs.word.utf8, rhs.word.utf8)
        guard left.count == right.count else { return false }
        let same = left.withContiguousStorageIfAvailable { mine in
            right.withContiguousStorageIfAvailable { theirs in mine.elementsEqual(theirs) }
        }
        return (same ?? nil) ?? left.elementsEqual(right)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(word) }
}

/// The flags of one release: a set of ``ReleaseFlag``, with no capacity.
///
/// Kept sorted by word (byte order), so two sets of the same flags are equal and hash alike whatever order
/// they were named in; the registry writes them in its own order (`ProviderModel.words(of:)`). The first flag is
/// held inline and the rest in an array, so a release with no flag or one (nearly every release a trace or a
/// tool sends) allocates nothing.
public struct ReleaseFlags: Hashable, Sendable, Codable, Sequence, ExpressibleByArrayLiteral,
    CustomStringConvertible
{
    /// The flag with the smallest word, if any.
    @usableFromInline var head: ReleaseFlag?
    /// The other flags, sorted by word; empty while `head` is nil.
    @usableFromInline var tail: [ReleaseFlag]

    /// No flags.
    @inlinable
    public init() {
        head = nil
        tail = []
    }

    public init(arrayLiteral elements: ReleaseFlag...) { self.init(elements) }

    /// The set of `flags` (a flag named twice is in it once).
    public init(_ flags: some Sequence<ReleaseFlag>) {
        self.init()
        for flag in flags { insert(flag) }
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([ReleaseFlag].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Array(self))
    }

    /// The flags in word order.
    public struct Iterator: IteratorProtocol {
        var head: ReleaseFlag?
        var tail: IndexingIterator<[ReleaseFlag]>

        public mutating func next() -> ReleaseFlag? {
            if let flag = head {
                head = nil
                return flag
            }
            return tail.next()
        }
    }

    public func makeIterator() -> Iterator { Iterator(head: head, tail: tail.makeIterator()) }

    /// Whether no flag is set.
    @inlinable
    public var isEmpty: Bool { head == nil }

    /// How many flags are set.
    public var count: Int { head == nil ? 0 : 1 + tail.count }

    /// Whether `flag` is set.
    @inlinable
    public func contains(_ flag: ReleaseFlag) -> Bool {
        guard let head else { return false }
        return head == flag || (!tail.isEmpty && tail.contains(flag))
    }

    /// Whether every flag set is one of `known`: a provider's check that its release API has each parameter,
    /// without building the set of those it lacks.
    @inlinable
    public func isSubset(of known: [ReleaseFlag]) -> Bool {
        guard let head else { return true }
        guard known.contains(head) else { return false }
        for flag in tail where !known.contains(flag) { return false }
        return true
    }

    /// Sets `flag`; false if it was set already.
    @discardableResult
    public mutating func insert(_ flag: ReleaseFlag) -> Bool {
        guard let first = head else {
            head = flag
            return true
        }
        if first == flag { return false }
        if flag < first {
            tail.insert(first, at: 0)
            head = flag
            return true
        }
        var index = 0
        while index < tail.count, tail[index] < flag { index += 1 }
        if index < tail.count, tail[index] == flag { return false }
        tail.insert(flag, at: index)
        return true
    }

    /// These flags and `other`'s.
    public func union(_ other: ReleaseFlags) -> ReleaseFlags {
        var union = self
        for flag in other { union.insert(flag) }
        return union
    }

    /// These flags but those in `known`: for a provider, the flags its release API has no parameter for.
    public func subtracting(_ known: [ReleaseFlag]) -> ReleaseFlags {
        var rest = ReleaseFlags()
        for flag in self where !known.contains(flag) { rest.insert(flag) }
        return rest
    }

    /// Whether no flag is in both sets.
    public func isDisjoint(with other: ReleaseFlags) -> Bool { !contains { other.contains($0) } }

    /// The words, separated by spaces (`force terminate-subscription`), or `none`: how traces and scenario
    /// files write a release's flags.
    public var words: String { isEmpty ? "none" : map(\.word).joined(separator: " ") }

    /// The words, separated by commas, or `no flags`, for messages.
    public var description: String { isEmpty ? "no flags" : map(\.word).joined(separator: ", ") }
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
/// the test kit writes. One table, next to the providers' ``ReleaseFlag``s and ``Event/shared``; the trace format keeps its
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
