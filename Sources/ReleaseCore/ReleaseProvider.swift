/// One instance's release lifecycle on one provider: the seam every provider implements.
///
/// Conformers follow the SwiftNIO state-machine pattern: a value type with a private state enum whose
/// transitions take `now`, change the state, and return ``Effect``s. They do no I/O and never read a
/// clock. A refused command throws ``ReleaseError`` and leaves the machine exactly as it was (`==` to
/// its value before), which the laws in ReleaseTestKit check.
public protocol ReleaseStateMachine: ReleaseLifecycle {
    /// What a ``Fleet`` stores for the machine: the machine without its instance id, which the fleet keeps apart
    /// (an index's keys, a replay's reader, hold the ids already). A machine that keeps its id itself is its own
    /// lifecycle, the default.
    associatedtype Lifecycle: ReleaseLifecycle = Self

    /// The instance's description: as launched, with a subscription's expiry moved by renewals.
    var instance: InstanceDescription { get }
    /// Whether release protection is on now.
    var isProtected: Bool { get }
    /// Pending deadlines, earliest first.
    var pendingDeadlines: [Deadline] { get }
    /// Every deadline kind the machine may set: the shared ones it uses and its provider's own.
    static var deadlineKinds: [DeadlineKind] { get }
    /// While in ``Phase/recycleBin``: when the bin lets go of the instance unless it is restored (nil otherwise).
    var restorableUntil: Instant? { get }
    /// Meters billing now.
    var runningMeters: RunningMeters { get }
    /// Each resource's fate; empty until the instance is released.
    var resourceFates: [ResourceOutcome] { get }
    /// What `resource` is now: with the instance while it lives (unless the provider's rules say otherwise, e.g. a
    /// fixed public IP given up by a no-charge stop), its fate once the instance is released.
    func resourceState(of resource: Resource) -> ResourceState
    /// The provider's own name for the current state (e.g. `Stopped`, `SHUTDOWN`).
    var apiStatus: String { get }

    /// The machine without its instance id: what a ``Fleet`` stores.
    var lifecycle: Lifecycle { get }
    /// The machine of instance `id` whose lifecycle is `lifecycle`: how a ``Fleet`` hands a machine out. A machine
    /// that is its own lifecycle holds its id already: it is `lifecycle` itself, and `id` must be its id.
    init(id: String, lifecycle: Lifecycle)
}

/// The part of a release state machine an engine drives: its provider, its phase, its deadlines' kinds and its
/// transitions, without the instance's id (``ReleaseStateMachine/Lifecycle``).
public protocol ReleaseLifecycle: Hashable, Sendable {
    /// The provider whose rules the machine follows.
    var provider: ProviderID { get }
    /// The current phase.
    var phase: Phase { get }
    /// The kind of rank `rank` among the kinds this instance's machine sets: how an engine that queues a deadline
    /// by its rank names it when it fires (ranks are unique within a machine, not across providers). A state
    /// machine's default searches its ``ReleaseStateMachine/deadlineKinds``; a value that holds several providers'
    /// machines answers with the one it holds.
    func deadlineKind(rank: UInt8) -> DeadlineKind?
    /// The rank of `kind` in this instance's machine: its place in its kinds, the machine's same-second firing order
    /// (nil for a kind the machine never sets). How an engine queues a deadline the machine set.
    func deadlineRank(of kind: DeadlineKind) -> UInt8?

    /// Applies a user command at `now`, appending its effects to `effects`.
    ///
    /// This is the engine's form: the caller owns the buffer and reuses it (`removeAll(keepingCapacity:)`),
    /// so a transition allocates nothing. A refused command throws before it appends anything, leaving the
    /// machine and `effects` as they were. The state machine's `perform(_:at:)` is the simple form that returns a
    /// new array.
    mutating func perform(_ command: Command, at now: Instant, into effects: inout [Effect]) throws(ReleaseError)
    /// Applies an event at `now`, appending its effects to `effects`. Events are never refused; one that no
    /// longer applies (a stale deadline, a repeated arrears notice) appends nothing.
    mutating func handle(_ event: Event, at now: Instant, into effects: inout [Effect])
}

extension ReleaseStateMachine where Lifecycle == Self {
    /// A machine that keeps its instance id is its own lifecycle.
    @inlinable public var lifecycle: Self { self }
    /// A machine that keeps its instance id is its own lifecycle: `id` is already in it (and must be its id).
    @inlinable public init(id: String, lifecycle: Self) {
        assert(lifecycle.instance.id == id, "a machine that keeps its id was given another")
        self = lifecycle
    }
}

extension ReleaseStateMachine {
    /// The kind of `rank`: the place `rank` of ``deadlineKinds``.
    @inlinable
    public func deadlineKind(rank: UInt8) -> DeadlineKind? {
        let kinds = Self.deadlineKinds
        return Int(rank) < kinds.count ? kinds[Int(rank)] : nil
    }

    /// The place of `kind` in ``deadlineKinds`` (at most a handful: a search).
    @inlinable
    public func deadlineRank(of kind: DeadlineKind) -> UInt8? {
        Self.deadlineKinds.rank(of: kind)
    }

    /// Applies a user command at `now` and returns its effects: the simple form, for scripts and tests. An
    /// engine that applies many commands uses ``ReleaseLifecycle/perform(_:at:into:)`` with one reused buffer instead.
    @inlinable
    public mutating func perform(_ command: Command, at now: Instant) throws(ReleaseError) -> [Effect] {
        // Room for a whole release, so an accepted command allocates once.
        var effects: [Effect] = []
        effects.reserveCapacity(16)
        try perform(command, at: now, into: &effects)
        return effects
    }

    /// Applies an event at `now` and returns its effects (empty when it no longer applies): the simple form of
    /// ``ReleaseLifecycle/handle(_:at:into:)``.
    @inlinable
    public mutating func handle(_ event: Event, at now: Instant) -> [Effect] {
        var effects: [Effect] = []
        handle(event, at: now, into: &effects)
        return effects
    }
}

/// A provider: makes instances that follow one dated rule profile, and says what the rest of the package
/// needs to know about it (its API's names and codes, its profiles, its sources, its rule boundaries), so that
/// nothing outside the provider's module names a provider's fact.
///
/// Adding a provider is one module that conforms to this protocol, plus one case in the registry of the
/// comparison layer (`ProviderModel.Kind`); the compiler then points at every exhaustive switch that must
/// decide something for it.
public protocol ReleaseProvider: Sendable {
    /// The state machine the provider makes.
    associatedtype Machine: ReleaseStateMachine
    /// The provider's rule values, one instance per dated profile.
    associatedtype Rules: RuleProfile

    /// The rules in force.
    var rules: Rules { get }

    /// The provider's identifier: its word in traces, scenario files and the CLI.
    static var id: ProviderID { get }
    /// The provider under each dated profile, the seed profile (the default everywhere) first.
    static var profiles: [Self] { get }
    /// The manual release API's name, with the document that names it.
    static var releaseAPI: Sourced<String> { get }
    /// The code for an instance the provider does not know (e.g. released).
    static var notFoundCode: ReleaseError.Code { get }
    /// The code a manual release of a protected instance is refused with.
    static var protectionCode: ReleaseError.Code { get }
    /// The flags of the most direct manual release of a running instance (one provider may need a force flag).
    static var directReleaseFlags: ReleaseFlags { get }
    /// The release parameters the provider's API has (words unique across a registry).
    static var releaseFlags: [ReleaseFlag] { get }
    /// The events only this provider has, by name (its machine ignores other providers' events).
    static var providerEvents: [ProviderEvent] { get }
    /// Every citation the provider's rules use, by source code.
    static var sourceCatalogue: [String: Citation] { get }
    /// The provider's own Chinese words for releasing, as its documents write them (`--lang zh`).
    static var chineseReleaseWords: ChineseReleaseWords { get }

    /// The precision of a scheduled release under this profile (a minute or a second).
    var scheduledReleasePrecision: Sourced<Seconds> { get }
    /// Durations at which this profile's rules change their answer (lead-time windows, bin retention,
    /// arrears phases): property tests probe each side of them.
    var ruleBoundaries: [Sourced<Seconds>] { get }

    /// Launches an instance observed in `phase` at `now` for an account in `standing`; returns the machine
    /// and the effects of the launch (meters, timers). A provider refuses a launch into an account in
    /// arrears with its own code: arrears is the account's state, so a new instance cannot escape it.
    func launch(
        _ instance: InstanceDescription,
        in phase: LaunchPhase,
        standing: AccountStanding,
        at now: Instant
    ) throws(ReleaseError) -> (Machine, [Effect])

    /// Releases several instances in one request, all or nothing: if any member would be refused, the whole
    /// request fails with that error and nothing changes (see ``performAtomically(_:on:at:)``).
    func releaseBatch(
        _ machines: inout [Machine],
        flags: ReleaseFlags,
        at now: Instant
    ) throws(ReleaseError)
        -> [[Effect]]
}

/// A provider's own Chinese words for releasing an instance, as its documents write them (释放 and 释放保护, or
/// 销毁 and 实例销毁保护). Chinese output builds its phrases from them (已释放, 定时销毁, …).
public struct ChineseReleaseWords: Hashable, Sendable {
    /// The verb: 释放 or 销毁.
    public var verb: String
    /// The protection's name: 释放保护, 实例销毁保护.
    public var protection: String
    /// Cancelling a scheduled release: 取消定时释放, 撤销定时销毁.
    public var cancelSchedule: String
    /// The document the words are from.
    public var source: Citation

    public init(verb: String, protection: String, cancelSchedule: String, source: Citation) {
        self.verb = verb
        self.protection = protection
        self.cancelSchedule = cancelSchedule
        self.source = source
    }
}

/// Whether an account pays its bills: the account-level state that decides whether it may launch.
public enum AccountStanding: String, Hashable, Sendable, Codable, CaseIterable {
    /// The balance is positive (or the bill is paid).
    case inGoodStanding
    /// The balance fell below zero (or a bill is overdue) and has not been restored.
    case inArrears
}

extension ReleaseProvider {
    /// The provider's identifier.
    public var id: ProviderID { Self.id }
    /// The rule profile in force.
    public var profile: ProfileInfo { rules.info }
    /// How many instances one batch release may name.
    public var batchLimit: Int { rules.batchLimit.value }

    /// Launches a running instance at `now` for an account in good standing.
    public func launch(_ instance: InstanceDescription, at now: Instant) throws(ReleaseError) -> (Machine, [Effect]) {
        try launch(instance, in: .running, standing: .inGoodStanding, at: now)
    }

    /// Applies `command` to every machine as one all-or-nothing request.
    ///
    /// Each member's own transition runs on a copy, in order. The first refusal is thrown and `machines`
    /// is left exactly as it was; otherwise the copies replace the machines and each member's effects are
    /// returned in order. Because the members run their real transitions, a batch can never accept a
    /// member that a single command would refuse: there is no second copy of the checks to drift.
    public func performAtomically(
        _ command: Command,
        on machines: inout [Machine],
        at now: Instant
    ) throws(ReleaseError) -> [[Effect]] {
        var copies = machines
        var allEffects: [[Effect]] = []
        allEffects.reserveCapacity(copies.count)
        for index in copies.indices {
            allEffects.append(try copies[index].perform(command, at: now))
        }
        machines = copies
        return allEffects
    }

    /// The console's batch release: each instance is released on its own, in order; a refused member keeps its
    /// refusal as its result and the others go ahead. This is how every modelled console treats a batch (each
    /// provider documents which refusals it shows); the API batch (`releaseBatch`) is all-or-nothing instead.
    public func consoleRelease(
        _ machines: inout [Machine],
        flags: ReleaseFlags,
        at now: Instant
    )
        -> [Result<[Effect], ReleaseError>]
    {
        machines.indices.map { index in
            do throws(ReleaseError) {
                return .success(try machines[index].perform(.release(flags), at: now))
            } catch {
                return .failure(error)
            }
        }
    }
}

/// What a command would do: the outcome of asking "what happens if ...?".
public struct Outcome: Hashable, Sendable {
    /// The phase before the command.
    public var phaseBefore: Phase
    /// The phase after it (unchanged when refused).
    public var phaseAfter: Phase
    /// The effects, when accepted.
    public var effects: [Effect]
    /// The provider's refusal, when refused.
    public var error: ReleaseError?
    /// Deadlines pending after the command.
    public var pendingDeadlines: [Deadline]

    /// Whether the provider accepted the command.
    public var isAccepted: Bool { error == nil }
}

/// A deadline or command applied while a single instance was advanced through time.
public struct Step: Hashable, Sendable {
    /// When it happened.
    public var at: Instant
    /// The event that fired.
    public var event: Event
    /// What followed.
    public var effects: [Effect]
}

extension ReleaseStateMachine {
    /// Fires every pending deadline up to and including `time`, earliest first, and returns what happened.
    ///
    /// This is the single-instance clock; ``Fleet`` does the same for many instances with one queue.
    @discardableResult
    public mutating func advance(to time: Instant) -> [Step] {
        var steps: [Step] = []
        while let next = pendingDeadlines.first, next.at <= time {
            let effects = handle(.deadlineReached(next), at: next.at)
            steps.append(Step(at: next.at, event: .deadlineReached(next), effects: effects))
        }
        return steps
    }

    /// Answers "what happens if I do `command` at `time`?" without changing this machine: deadlines due by
    /// `time` fire first, then the command is applied.
    public func outcome(of command: Command, at time: Instant) -> Outcome {
        var copy = self
        copy.advance(to: time)
        let before = copy.phase
        do {
            let effects = try copy.perform(command, at: time)
            return Outcome(
                phaseBefore: before,
                phaseAfter: copy.phase,
                effects: effects,
                error: nil,
                pendingDeadlines: copy.pendingDeadlines
            )
        } catch {
            return Outcome(
                phaseBefore: before,
                phaseAfter: copy.phase,
                effects: [],
                error: error,
                pendingDeadlines: copy.pendingDeadlines
            )
        }
    }
}

/// One dated profile's rule values, each with its source.
///
/// A class, shared by reference: a fleet of a million instances holds one copy of the rules. Profiles are
/// compared by identity, since each exists once.
public protocol RuleProfile: AnyObject, Hashable, Sendable, CustomStringConvertible {
    /// Which profile these are.
    var info: ProfileInfo { get }
    /// How many instances one batch release may name.
    var batchLimit: Sourced<Int> { get }
}

extension RuleProfile {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs === rhs }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(self))
    }

    /// The profile's short name (`seed`, `2024`).
    public var description: String { info.name }

    /// This profile's place in `all`, a provider's list of its profiles, which holds every profile it makes (a
    /// provider names a profile by its place where a reference would be counted: Docs/Performance.md, "Rules named
    /// by their place").
    package func place(in all: [Self]) -> Int {
        guard let place = all.firstIndex(where: { $0 === self }) else {
            preconditionFailure("rules \(self) that are not one of their provider's profiles")
        }
        return place
    }
}
