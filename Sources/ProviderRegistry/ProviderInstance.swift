public import AliyunECS
public import ReleaseCore
public import TencentCVM

/// An instance of any registered provider, so one fleet, scenario or table can hold several: an instance of
/// one of this package's providers or of a provider registered at run time (``ProviderModel/Kind/registered(_:)``).
public typealias AnyInstance = ProviderInstance<RegisteredMachine>

/// An instance of one of this package's providers only: the replay's engine holds these (the trace format names
/// this package's providers), so that a value is plain bytes, copied and moved without a reference to count.
public typealias BuiltInInstance = ProviderInstance<NoRegisteredMachine>

/// An instance of one of this package's providers, each a case of its own, or a machine `Registered` holds.
///
/// Forwarding only: every rule stays in its provider module. This package's providers are closed cases, reached
/// through a switch the compiler sees whole (no existential, no box), and a new case makes it list every place to
/// fill. A provider registered at run time is held in ``registered(_:)`` by ``RegisteredMachine`` (``AnyInstance``)
/// and reached through its protocol; ``BuiltInInstance`` holds none (``NoRegisteredMachine`` has no value), which
/// keeps the enum trivially copyable: a counted reference in it cost the replay 7% of its instructions
/// (Docs/Performance.md, "A registry that is open"). Members are inlinable so that each fleet specialises them.
public enum ProviderInstance<Registered: RegisteredMachineSlot>: ReleaseStateMachine {
    case aliyun(AliyunInstance)
    case tencent(TencentInstance)
    /// A machine of a provider registered at run time.
    case registered(Registered)

    public typealias Lifecycle = ProviderMachine<Registered>

    /// The machine without its id: a package provider's own lifecycle, or the registered machine whole (it keeps
    /// its id itself).
    @inlinable public var lifecycle: ProviderMachine<Registered> {
        switch self {
        case .aliyun(let machine): return .aliyun(machine.lifecycle)
        case .tencent(let machine): return .tencent(machine.lifecycle)
        case .registered(let machine): return .registered(machine)
        }
    }

    /// Instance `id` whose machine is `lifecycle` (a registered machine keeps its id: `id` must be its own).
    @inlinable public init(id: String, lifecycle: ProviderMachine<Registered>) {
        switch lifecycle {
        case .aliyun(let machine): self = .aliyun(AliyunInstance(id: id, lifecycle: machine))
        case .tencent(let machine): self = .tencent(TencentInstance(id: id, lifecycle: machine))
        case .registered(let machine):
            assert(machine.instance.id == id, "a registered machine keeps its id and was given another")
            self = .registered(machine)
        }
    }

    @inlinable public var provider: ProviderID { lifecycle.provider }
    @inlinable public var instance: InstanceDescription {
        switch self {
        case .aliyun(let machine): return machine.instance
        case .tencent(let machine): return machine.instance
        case .registered(let machine): return machine.instance
        }
    }
    @inlinable public var phase: Phase { lifecycle.phase }
    @inlinable public var isProtected: Bool {
        switch self {
        case .aliyun(let machine): return machine.isProtected
        case .tencent(let machine): return machine.isProtected
        case .registered(let machine): return machine.isProtected
        }
    }
    /// This package's providers' deadline kinds, once each, each machine's in its order (the instance's own machine
    /// ranks and names its kinds: ``deadlineRank(of:)``, ``deadlineKind(rank:)``).
    @inlinable public static var deadlineKinds: [DeadlineKind] { builtInDeadlineKinds }

    @inlinable public func deadlineKind(rank: UInt8) -> DeadlineKind? { lifecycle.deadlineKind(rank: rank) }

    @inlinable public func deadlineRank(of kind: DeadlineKind) -> UInt8? { lifecycle.deadlineRank(of: kind) }

    @inlinable public var pendingDeadlines: [Deadline] {
        switch self {
        case .aliyun(let machine): return machine.pendingDeadlines
        case .tencent(let machine): return machine.pendingDeadlines
        case .registered(let machine): return machine.pendingDeadlines
        }
    }
    @inlinable public var restorableUntil: Instant? {
        switch self {
        case .aliyun(let machine): return machine.restorableUntil
        case .tencent(let machine): return machine.restorableUntil
        case .registered(let machine): return machine.restorableUntil
        }
    }
    @inlinable public var runningMeters: RunningMeters {
        switch self {
        case .aliyun(let machine): return machine.runningMeters
        case .tencent(let machine): return machine.runningMeters
        case .registered(let machine): return machine.runningMeters
        }
    }
    @inlinable public var resourceFates: [ResourceOutcome] {
        switch self {
        case .aliyun(let machine): return machine.resourceFates
        case .tencent(let machine): return machine.resourceFates
        case .registered(let machine): return machine.resourceFates
        }
    }

    @inlinable public func resourceState(of resource: Resource) -> ResourceState {
        switch self {
        case .aliyun(let machine): return machine.resourceState(of: resource)
        case .tencent(let machine): return machine.resourceState(of: resource)
        case .registered(let machine): return machine.resourceState(of: resource)
        }
    }
    @inlinable public var apiStatus: String {
        switch self {
        case .aliyun(let machine): return machine.apiStatus
        case .tencent(let machine): return machine.apiStatus
        case .registered(let machine): return machine.apiStatus
        }
    }

    // `consume self` moves the payload out, so the machine is mutated in place rather than copied.
    @inlinable public mutating func perform(
        _ command: Command,
        at now: Instant,
        into effects: inout [Effect]
    ) throws(ReleaseError) {
        switch consume self {
        case .aliyun(var machine):
            defer { self = .aliyun(machine) }
            try machine.perform(command, at: now, into: &effects)
        case .tencent(var machine):
            defer { self = .tencent(machine) }
            try machine.perform(command, at: now, into: &effects)
        case .registered(var machine):
            defer { self = .registered(machine) }
            try machine.perform(command, at: now, into: &effects)
        }
    }

    @inlinable public mutating func handle(_ event: Event, at now: Instant, into effects: inout [Effect]) {
        switch consume self {
        case .aliyun(var machine):
            machine.handle(event, at: now, into: &effects)
            self = .aliyun(machine)
        case .tencent(var machine):
            machine.handle(event, at: now, into: &effects)
            self = .tencent(machine)
        case .registered(var machine):
            machine.handle(event, at: now, into: &effects)
            self = .registered(machine)
        }
    }
}

/// The machine of an instance of any registered provider without its id: what a `Fleet` of ``ProviderInstance``s
/// stores (`ReleaseStateMachine.Lifecycle`).
///
/// Forwarding only, as ``ProviderInstance`` is. A registered provider's machine is held whole: it keeps its id.
public enum ProviderMachine<Registered: RegisteredMachineSlot>: ReleaseLifecycle {
    case aliyun(AliyunMachine)
    case tencent(TencentMachine)
    /// A machine of a provider registered at run time, id and all.
    case registered(Registered)

    @inlinable public var provider: ProviderID {
        switch self {
        case .aliyun(let machine): return machine.provider
        case .tencent(let machine): return machine.provider
        case .registered(let machine): return machine.provider
        }
    }
    @inlinable public var phase: Phase {
        switch self {
        case .aliyun(let machine): return machine.phase
        case .tencent(let machine): return machine.phase
        case .registered(let machine): return machine.phase
        }
    }
    /// The instance as launched, with a subscription's expiry moved by renewals.
    @inlinable public var launch: InstanceLaunch {
        switch self {
        case .aliyun(let machine): return machine.launch
        case .tencent(let machine): return machine.launch
        case .registered(let machine): return machine.instance.launch
        }
    }

    // A package machine's kinds are its type's, so these read only the case, never copy the machine out.
    @inlinable public func deadlineKind(rank: UInt8) -> DeadlineKind? {
        switch self {
        case .aliyun: return AliyunMachine.deadlineKind(rank: rank)
        case .tencent: return TencentMachine.deadlineKind(rank: rank)
        case .registered(let machine): return machine.deadlineKind(rank: rank)
        }
    }

    @inlinable public func deadlineRank(of kind: DeadlineKind) -> UInt8? {
        switch self {
        case .aliyun: return AliyunMachine.deadlineRank(of: kind)
        case .tencent: return TencentMachine.deadlineRank(of: kind)
        case .registered(let machine): return machine.deadlineRank(of: kind)
        }
    }

    /// Calls `body` with each resource's fate, as the machine's `resourceFates` lists them, without building the
    /// list (a replay counts the fates of a million released instances).
    @inlinable package func forEachResourceFate(_ body: (ResourceFate) -> Void) {
        switch self {
        case .aliyun(let machine): machine.forEachResourceFate(body)
        case .tencent(let machine): machine.forEachResourceFate(body)
        case .registered(let machine): for outcome in machine.resourceFates { body(outcome.fate) }
        }
    }

    /// The phase, whether billed pay-as-you-go, and (when released) each resource's fate, read where the machine
    /// lies: the payload is moved out and back, never copied (a borrowed payload was copied through the type's value
    /// witnesses, about 180 instructions a machine at the end of a replay: Docs/Performance.md, "Machines counted in
    /// place").
    @inlinable package mutating func census(
        _ releasedFate: (ResourceFate) -> Void
    ) -> (phase: Phase, isPayAsYouGo: Bool) {
        switch consume self {
        case .aliyun(let machine):
            defer { self = .aliyun(machine) }
            if machine.phase == .released { machine.forEachResourceFate(releasedFate) }
            return (machine.phase, machine.isPayAsYouGo)
        case .tencent(let machine):
            defer { self = .tencent(machine) }
            if machine.phase == .released { machine.forEachResourceFate(releasedFate) }
            return (machine.phase, machine.isPayAsYouGo)
        case .registered(let machine):
            defer { self = .registered(machine) }
            if machine.phase == .released { for outcome in machine.resourceFates { releasedFate(outcome.fate) } }
            return (machine.phase, machine.instance.charge.isPayAsYouGo)
        }
    }

    // `consume self` moves the payload out, so the machine is mutated in place rather than copied.
    @inlinable public mutating func perform(
        _ command: Command,
        at now: Instant,
        into effects: inout [Effect]
    ) throws(ReleaseError) {
        switch consume self {
        case .aliyun(var machine):
            defer { self = .aliyun(machine) }
            try machine.perform(command, at: now, into: &effects)
        case .tencent(var machine):
            defer { self = .tencent(machine) }
            try machine.perform(command, at: now, into: &effects)
        case .registered(var machine):
            defer { self = .registered(machine) }
            try machine.perform(command, at: now, into: &effects)
        }
    }

    @inlinable public mutating func handle(_ event: Event, at now: Instant, into effects: inout [Effect]) {
        switch consume self {
        case .aliyun(var machine):
            machine.handle(event, at: now, into: &effects)
            self = .aliyun(machine)
        case .tencent(var machine):
            machine.handle(event, at: now, into: &effects)
            self = .tencent(machine)
        case .registered(var machine):
            machine.handle(event, at: now, into: &effects)
            self = .registered(machine)
        }
    }
}

/// This package's providers' deadline kinds, built once.
@usableFromInline let builtInDeadlineKinds = ProviderModel.Kind.allCases.deadlineKinds

extension ProviderInstance where Registered == RegisteredMachine {
    /// The same machine as a value that may also hold a registered provider's: a replayed instance in a mixed fleet.
    @inlinable public init(_ instance: BuiltInInstance) {
        switch instance {
        case .aliyun(let machine): self = .aliyun(machine)
        case .tencent(let machine): self = .tencent(machine)
        case .registered(let none): switch none {}
        }
    }
}
