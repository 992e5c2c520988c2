package import ListingCodec
public import ReleaseCore

/// What ``ProviderInstance/registered(_:)`` holds: a registered provider's machine (``RegisteredMachine``), or
/// nothing at all (``NoRegisteredMachine``, for fleets of this package's providers only).
public protocol RegisteredMachineSlot: ReleaseStateMachine {
    /// Holds `machine`, or nil when this slot holds no registered provider's machine.
    init?(holding machine: RegisteredMachine)
}

/// The machine of a provider registered at run time, held through its protocol in ``AnyInstance``.
///
/// Two are equal when they hold machines of one type that are equal, as `AnyHashable` compares. The machine sits in
/// a box of its own, copied on write, so that ``AnyInstance`` stays a fixed size with one reference in it.
public struct RegisteredMachine: RegisteredMachineSlot {
    /// The box; never mutated while another value shares it (copy on write), hence unchecked.
    private final class Box: @unchecked Sendable {
        var base: any ReleaseStateMachine
        init(_ base: any ReleaseStateMachine) { self.base = base }
    }

    private var box: Box

    /// The machine.
    public private(set) var base: any ReleaseStateMachine {
        get { box.base }
        set {
            if isKnownUniquelyReferenced(&box) {
                box.base = newValue
            } else {
                box = Box(newValue)
            }
        }
    }

    /// Holds `machine`.
    public init(_ machine: some ReleaseStateMachine) { box = Box(machine) }

    public init?(holding machine: RegisteredMachine) { self = machine }

    public static func == (lhs: RegisteredMachine, rhs: RegisteredMachine) -> Bool {
        func equals<Machine: ReleaseStateMachine>(_ machine: Machine) -> Bool { (rhs.base as? Machine) == machine }
        return equals(lhs.base)
    }

    public func hash(into hasher: inout Hasher) { base.hash(into: &hasher) }

    public var provider: ProviderID { base.provider }
    public var instance: InstanceDescription { base.instance }
    public var phase: Phase { base.phase }
    public var isProtected: Bool { base.isProtected }
    public var pendingDeadlines: [Deadline] { base.pendingDeadlines }
    /// None of its own: the machine it holds names its kinds (``deadlineKind(rank:)``).
    public static var deadlineKinds: [DeadlineKind] { [] }
    public func deadlineKind(rank: UInt8) -> DeadlineKind? { base.deadlineKind(rank: rank) }
    public func deadlineRank(of kind: DeadlineKind) -> UInt8? { base.deadlineRank(of: kind) }
    public var restorableUntil: Instant? { base.restorableUntil }
    public var runningMeters: RunningMeters { base.runningMeters }
    public var resourceFates: [ResourceOutcome] { base.resourceFates }
    public func resourceState(of resource: Resource) -> ResourceState { base.resourceState(of: resource) }
    public var apiStatus: String { base.apiStatus }

    public mutating func perform(_ command: Command, at now: Instant, into effects: inout [Effect]) throws(ReleaseError)
    {
        try base.perform(command, at: now, into: &effects)
    }

    public mutating func handle(_ event: Event, at now: Instant, into effects: inout [Effect]) {
        base.handle(event, at: now, into: &effects)
    }
}

/// No registered provider's machine: a ``BuiltInInstance`` holds this package's providers only. It has no value, so
/// ``ProviderInstance/registered(_:)`` never occurs and the enum stays plain bytes.
public enum NoRegisteredMachine: RegisteredMachineSlot {
    public init?(holding machine: RegisteredMachine) { return nil }

    public var provider: ProviderID { switch self {} }
    public var instance: InstanceDescription { switch self {} }
    public var phase: Phase { switch self {} }
    public var isProtected: Bool { switch self {} }
    public var pendingDeadlines: [Deadline] { switch self {} }
    public static var deadlineKinds: [DeadlineKind] { [] }
    public var restorableUntil: Instant? { switch self {} }
    public var runningMeters: RunningMeters { switch self {} }
    public var resourceFates: [ResourceOutcome] { switch self {} }
    public func resourceState(of resource: Resource) -> ResourceState { switch self {} }
    public var apiStatus: String { switch self {} }
    public mutating func perform(_ command: Command, at now: Instant, into effects: inout [Effect]) throws(ReleaseError)
    {}
    public mutating func handle(_ event: Event, at now: Instant, into effects: inout [Effect]) {}
}

/// A provider outside this package, registered at run time: its module's `ReleaseProvider` and what the layers
/// above the machine read from it (the inventory's codec).
///
/// Made by ``ProviderModel/Kind/registering(_:among:)``, which checks it against the providers it joins. The
/// closures are the provider's generic operations, opened once here so that ``ProviderModel`` reaches them
/// without knowing the type.
///
/// A registration is held by a reference that is never released: registrations are few and made once, and a
/// reference the kind does not count keeps ``ProviderModel/Kind`` plain bytes, which the replay's reader copies
/// with every launch record (a counted reference there cost 8% of the 20k trace's instructions; Docs/Performance.md).
public struct ProviderRegistration: Hashable, Sendable {
    /// What the registry keeps of the provider, made once and never freed.
    @usableFromInline final class Entry: Sendable {
        let providerType: any ReleaseProvider.Type
        let deadlineKinds: [DeadlineKind]
        let inventoryCodec: (any InventoryCodec.Type)?
        @usableFromInline let launch:
            @Sendable (Int, InstanceDescription, LaunchPhase, AccountStanding, Instant) throws(ReleaseError) -> (
                AnyInstance, [Effect]
            )
        let releaseBatch:
            @Sendable (Int, inout [AnyInstance], ReleaseFlags, Instant) throws(ReleaseError) -> [[Effect]]?
        let consoleRelease:
            @Sendable (Int, inout [AnyInstance], ReleaseFlags, Instant) -> [Result<[Effect], ReleaseError>]?

        init<Provider: ReleaseProvider>(_ provider: Provider.Type, inventoryCodec: (any InventoryCodec.Type)?) {
            providerType = provider
            deadlineKinds = Provider.Machine.deadlineKinds
            self.inventoryCodec = inventoryCodec
            launch = { profile, instance, phase, standing, now throws(ReleaseError) in
                let (machine, effects) = try Provider.profiles[profile]
                    .launch(instance, in: phase, standing: standing, at: now)
                return (.registered(RegisteredMachine(machine)), effects)
            }
            releaseBatch = { profile, machines, flags, now throws(ReleaseError) in
                guard var members = ProviderRegistration.members(of: machines, as: Provider.Machine.self) else {
                    return nil
                }
                let effects = try Provider.profiles[profile].releaseBatch(&members, flags: flags, at: now)
                machines = members.map { .registered(RegisteredMachine($0)) }
                return effects
            }
            consoleRelease = { profile, machines, flags, now in
                guard var members = ProviderRegistration.members(of: machines, as: Provider.Machine.self) else {
                    return nil
                }
                let results = Provider.profiles[profile].consoleRelease(&members, flags: flags, at: now)
                machines = members.map { .registered(RegisteredMachine($0)) }
                return results
            }
        }
    }

    /// The entry, retained once when it was made and never released.
    private let unmanaged: Unmanaged<Entry>
    @usableFromInline var entry: Entry { unmanaged.takeUnretainedValue() }

    /// The provider's module type.
    public var providerType: any ReleaseProvider.Type { entry.providerType }
    /// Every deadline kind its machine may set.
    public var deadlineKinds: [DeadlineKind] { entry.deadlineKinds }
    /// How the inventory reads its answers, if it has a codec.
    package var inventoryCodec: (any InventoryCodec.Type)? { entry.inventoryCodec }

    init<Provider: ReleaseProvider>(_ provider: Provider.Type, inventoryCodec: (any InventoryCodec.Type)?) {
        unmanaged = Unmanaged.passRetained(Entry(provider, inventoryCodec: inventoryCodec))
    }

    /// The machines as the provider's own type; nil when one is another provider's.
    fileprivate static func members<Machine: ReleaseStateMachine>(
        of machines: [AnyInstance],
        as _: Machine.Type
    ) -> [Machine]? {
        var members: [Machine] = []
        members.reserveCapacity(machines.count)
        for machine in machines {
            guard case .registered(let held) = machine, let member = held.base as? Machine else { return nil }
            members.append(member)
        }
        return members
    }

    /// What a registration is checked on: the provider's id, release flags, events and deadline kinds.
    public struct Facts: Hashable, Sendable {
        public var id: ProviderID
        public var flags: [ReleaseFlag]
        public var deadlineKinds: [DeadlineKind]
        /// The names of the events only it has.
        public var eventNames: [String]

        public init(
            id: ProviderID,
            flags: [ReleaseFlag],
            deadlineKinds: [DeadlineKind],
            eventNames: [String] = []
        ) {
            self.id = id
            self.flags = flags
            self.deadlineKinds = deadlineKinds
            self.eventNames = eventNames
        }

        /// Why a provider with these facts cannot join `providers`, or nil: its id is taken; one of its flags is
        /// not one word of a trace line, is listed twice, or has another provider's flag's word (a flag is its
        /// word, and each provider refuses the others' flags); one of its events has another's name; its machine lists a deadline kind
        /// twice or more kinds than a rank's byte numbers (a kind's rank is its place in that list); or one has the
        /// name of another provider's kind with another effect (scenario files name kinds).
        public func problem(among providers: [ProviderModel.Kind]) -> ProviderRegistrationError? {
            if providers.contains(where: { $0.providerType.id == id }) { return .idTaken(id) }
            let taken = providers.releaseFlags
            for (index, flag) in flags.enumerated() {
                if !ReleaseFlag.isWritable(flag.word) { return .flagWordUnwritable(flag.word) }
                if flags[..<index].contains(flag) { return .flagListedTwice(flag.word) }
                if taken.contains(flag) { return .flagWordTaken(flag.word) }
            }
            let events = providers.namedEvents.map(\.name)
            for name in eventNames where events.contains(name) { return .eventNameTaken(name) }
            if deadlineKinds.count > Int(UInt8.max) + 1 { return .tooManyDeadlineKinds(deadlineKinds.count) }
            for (index, kind) in deadlineKinds.enumerated()
            where deadlineKinds[..<index].contains(where: { $0.rawValue == kind.rawValue }) {
                return .deadlineKindListedTwice(kind.rawValue)
            }
            let others = providers.flatMap(\.deadlineKinds)
            for kind in deadlineKinds
            where others.contains(where: {
                $0.rawValue == kind.rawValue && $0.releasesInstance != kind.releasesInstance
            }) {
                return .deadlineNameTaken(kind.rawValue)
            }
            return nil
        }
    }

    /// The same provider: one id.
    public static func == (lhs: ProviderRegistration, rhs: ProviderRegistration) -> Bool {
        lhs.providerType.id == rhs.providerType.id
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(providerType.id) }
}

/// Why a provider cannot join a registry: each reason names the value that clashes.
public enum ProviderRegistrationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Another provider of the registry has this id.
    case idTaken(ProviderID)
    /// A release flag's word is empty or has a character a trace or scenario word cannot (a space, a comma, a
    /// quote, a control character).
    case flagWordUnwritable(String)
    /// The provider lists a release flag (this word) twice.
    case flagListedTwice(String)
    /// Another provider's release flag has this word (scenario files and traces name flags by word).
    case flagWordTaken(String)
    /// A shared event or another provider's event has this name.
    case eventNameTaken(String)
    /// The machine lists a deadline kind (this name) twice: a kind's rank is its one place in the list.
    case deadlineKindListedTwice(String)
    /// The machine lists more deadline kinds than a rank's byte numbers (256).
    case tooManyDeadlineKinds(Int)
    /// A deadline kind has the name of another provider's kind with another effect (scenario files name kinds).
    case deadlineNameTaken(String)

    public var description: String {
        switch self {
        case .idTaken(let id): return "a provider with id \(id) is already registered"
        case .flagWordUnwritable(let word): return "release flag \"\(word)\" is not one word of a trace line"
        case .flagListedTwice(let word): return "the provider lists release flag \(word) twice"
        case .flagWordTaken(let word): return "release flag \(word) has another provider's flag's word"
        case .eventNameTaken(let name): return "event \(name) has the name of a shared or another provider's event"
        case .deadlineKindListedTwice(let name): return "the machine lists deadline kind \(name) twice"
        case .tooManyDeadlineKinds(let count): return "the machine lists \(count) deadline kinds, more than 256"
        case .deadlineNameTaken(let name):
            return "deadline kind \(name) has the name of another provider's kind with another effect"
        }
    }
}
