/// A timer kind. Each instance holds at most one pending deadline of each kind.
///
/// Extensible like ``ProviderID`` and ``ReleaseError/Code``: the core declares the kinds every provider shares
/// (a scheduled release, the arrears and subscription clocks), and a provider module declares its own as static
/// members (a recycle bin's expiry, the release of an expired subscription). A kind is its name and whether it
/// releases the instance; it carries no number. Where it fires among one instance's same-second deadlines is its
/// *rank*: its place in that machine's ``ReleaseStateMachine/deadlineKinds``, which each machine lists in its own
/// firing order (Docs/Traces.md, "The engine's order"). Kinds matter only within one instance (same-second
/// deadlines of different instances fire in launch order), so a shared kind may have one rank in one machine and
/// another in the next.
public struct DeadlineKind: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The kind's name in reports, scenario files and the emulator (`scheduledRelease`, `recycleBinExpiry`).
    public let name: StaticString
    /// Whether the deadline releases the instance when it fires (protection never blocks it).
    public let releasesInstance: Bool

    /// A kind named `name`: the core's shared kinds below, a provider module's own, or one of a provider defined
    /// outside this package. A provider's registration refuses a name another provider uses with another effect.
    public init(name: StaticString, releasesInstance: Bool) {
        self.name = name
        self.releasesInstance = releasesInstance
    }

    /// The user's scheduled release (an auto-release time, a scheduled destruction).
    public static let scheduledRelease = DeadlineKind(name: "scheduledRelease", releasesInstance: true)
    /// Arrears: the instance is shut down and stops being billed.
    public static let arrearsShutdown = DeadlineKind(name: "arrearsShutdown", releasesInstance: false)
    /// Arrears: the instance is released.
    public static let arrearsRelease = DeadlineKind(name: "arrearsRelease", releasesInstance: true)
    /// The subscription runs out.
    public static let subscriptionExpiry = DeadlineKind(name: "subscriptionExpiry", releasesInstance: false)

    /// The kinds every provider may use; providers add their own (``ReleaseStateMachine/deadlineKinds``).
    public static let shared: [DeadlineKind] = [
        .scheduledRelease, .arrearsShutdown, .arrearsRelease, .subscriptionExpiry,
    ]

    /// The name as a String.
    public var rawValue: String { name.description }
    public var description: String { name.description }

    /// The same kind: the same name and effect. Inlinable, so that a machine's lookup of its own kinds (a fleet ranks
    /// every deadline set) compares two pointers in place rather than calling across modules.
    @inlinable public static func == (lhs: DeadlineKind, rhs: DeadlineKind) -> Bool {
        lhs.releasesInstance == rhs.releasesInstance && lhs.hasName(of: rhs)
    }
    public func hash(into hasher: inout Hasher) {
        name.withUTF8Buffer { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
    /// The order of the names' bytes, so that any list of kinds sorts the same way; the order in which one
    /// machine's kinds fire is its ``ReleaseStateMachine/deadlineKinds``, not this.
    public static func < (lhs: DeadlineKind, rhs: DeadlineKind) -> Bool {
        guard !lhs.hasName(of: rhs) else { return !lhs.releasesInstance && rhs.releasesInstance }
        return lhs.name.withUTF8Buffer { mine in
            rhs.name.withUTF8Buffer { theirs in mine.lexicographicallyPrecedes(theirs) }
        }
    }

    /// Whether both kinds have one name: the same literal is the same pointer, so equal kinds compare no bytes, and
    /// names of different lengths compare none either (a machine finds a kind among its own this way).
    @inlinable func hasName(of other: DeadlineKind) -> Bool {
        guard name.hasPointerRepresentation && other.name.hasPointerRepresentation else {
            return name.withUTF8Buffer { mine in other.name.withUTF8Buffer { theirs in mine.elementsEqual(theirs) } }
        }
        let count = name.utf8CodeUnitCount
        guard count == other.name.utf8CodeUnitCount else { return false }
        let (mine, theirs) = (name.utf8Start, other.name.utf8Start)
        if mine == theirs { return true }
        for index in 0..<count where mine[index] != theirs[index] { return false }
        return true
    }

    private enum CodingKeys: String, CodingKey { case name, releasesInstance }

    /// Encoded as `{"name", "releasesInstance"}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rawValue, forKey: .name)
        try container.encode(releasesInstance, forKey: .releasesInstance)
    }

    /// Decodes a shared kind by name (a provider's own kinds come from its module, not from data).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .name)
        guard let kind = DeadlineKind.shared.first(where: { $0.rawValue == name }) else {
            throw DecodingError.dataCorruptedError(
                forKey: .name,
                in: container,
                debugDescription: "\(name.prefix(40)) is not a shared deadline kind"
            )
        }
        self = kind
    }
}

/// A deadline: when the engine must feed `Event.deadlineReached` back to the instance.
public struct Deadline: Hashable, Sendable, Codable, Comparable {
    /// What the deadline is for.
    public var kind: DeadlineKind {
        didSet { rank = nil }
    }
    /// When it fires.
    public var at: Instant
    /// The kind's rank in the machine that set the deadline or whose queue fires it, when that machine gave it
    /// (``DeadlineSet/set(_:rank:at:into:)``, a fleet's queue): an engine that has it does not ask the machine for it
    /// again (Docs/Performance.md, "A deadline's rank carried"). Not part of the deadline's value: equality, hashing
    /// and coding leave it out, and changing the kind forgets it. A machine checks that it names the kind before it
    /// uses it (`MachineTransitions.rank(of:)`).
    @usableFromInline package private(set) var rank: UInt8?

    /// Creates a deadline.
    public init(_ kind: DeadlineKind, at: Instant) {
        self.kind = kind
        self.at = at
    }

    /// Creates a deadline of `kind`, whose rank in its machine is `rank`.
    @inlinable package init(_ kind: DeadlineKind, at: Instant, rank: UInt8) {
        self.kind = kind
        self.at = at
        self.rank = rank
    }

    public static func == (lhs: Deadline, rhs: Deadline) -> Bool { lhs.kind == rhs.kind && lhs.at == rhs.at }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(at)
    }

    private enum CodingKeys: String, CodingKey { case kind, at }

    /// Earlier deadlines first; at the same second, in `DeadlineKind` order (by name: one machine's own order is
    /// its ``ReleaseStateMachine/deadlineKinds``, which ``DeadlineSet/all(of:)`` follows).
    public static func < (lhs: Deadline, rhs: Deadline) -> Bool {
        (lhs.at, lhs.kind) < (rhs.at, rhs.kind)
    }
}

/// One billing meter of an instance. Disks and snapshots are named by their index in the description.
public enum Meter: Hashable, Sendable, Codable, Comparable {
    /// vCPU and memory.
    case compute
    /// The disk at this index of `InstanceDescription.disks`.
    case disk(Int)
    /// The elastic IP.
    case elasticIP
    /// The snapshot at this index of `InstanceDescription.snapshots`.
    case snapshot(Int)

    /// The meter's family, for per-provider totals.
    public var family: MeterFamily {
        switch self {
        case .compute: return .compute
        case .disk: return .disk
        case .elasticIP: return .elasticIP
        case .snapshot: return .snapshot
        }
    }
}

/// A meter without its resource index.
public enum MeterFamily: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case compute, disk, elasticIP, snapshot

    public static func < (lhs: MeterFamily, rhs: MeterFamily) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A resource that has a fate when its instance is released.
public enum Resource: Hashable, Sendable, Codable, Comparable {
    /// The disk at this index of `InstanceDescription.disks`.
    case disk(Int)
    /// The snapshot at this index of `InstanceDescription.snapshots`.
    case snapshot(Int)
    /// The instance's public address (fixed public IP or EIP, per the description).
    case publicAddress
}

/// What became of a resource when its instance was released.
public enum ResourceFate: String, Hashable, Sendable, Codable, CaseIterable {
    /// Released with the instance; its data is gone.
    case released
    /// Kept as a resource of its own and still billed.
    case retained
    /// Detached and moved to the provider's disk recycle bin.
    case movedToDiskRecycleBin

    /// The case's place in ``allCases`` (declaration order), read without building that array.
    @inlinable package var ordinal: Int {
        switch self {
        case .released: return 0
        case .retained: return 1
        case .movedToDiskRecycleBin: return 2
        }
    }
}

/// What a resource is at a moment: with the instance while it lives, or its fate once the instance is released.
/// Scenario files check it at any step (`resources`, Docs/Scenarios.md).
public enum ResourceState: String, Hashable, Sendable, Codable, CaseIterable {
    /// With the instance: a disk attached, a snapshot beside its disk, a public IP or EIP bound to it.
    case attached
    /// A fixed public IP given up while the instance holds a no-charge stop (each provider's own rule says when);
    /// the instance gets a public IP again when it starts.
    case givenUp
    /// Released; its data is gone.
    case released
    /// Kept as a resource of its own and billed on its own (a kept disk, an idle EIP, a kept snapshot).
    case retained
    /// Detached and moved to the provider's disk recycle bin.
    case movedToDiskRecycleBin

    /// The state of a resource whose fate on release is `fate`.
    public init(_ fate: ResourceFate) {
        switch fate {
        case .released: self = .released
        case .retained: self = .retained
        case .movedToDiskRecycleBin: self = .movedToDiskRecycleBin
        }
    }
}

/// What follows from a command or an event. Effects are facts for the caller to apply: the engine turns
/// deadlines into timers and meters into billed seconds; the machine has already changed its own state.
public enum Effect: Hashable, Sendable, Encodable {
    /// An empty list of effects with room for a launch's (its phase, citations, meters and deadlines): built once
    /// rather than grown from nothing, which allocated three or four times per launch (Docs/Performance.md,
    /// "Room for a launch's effects").
    package static func launchBuffer() -> [Effect] {
        var effects: [Effect] = []
        effects.reserveCapacity(12)
        return effects
    }

    /// The phase changed.
    case phaseChanged(from: Phase, to: Phase)
    /// A deadline was set (replacing any pending deadline of the same kind).
    case deadlineSet(Deadline)
    /// A pending deadline was cancelled.
    case deadlineCancelled(DeadlineKind)
    /// A meter started billing.
    case meterStarted(Meter)
    /// A meter stopped billing.
    case meterStopped(Meter)
    /// A resource met its fate on release, with the source code of the rule that decided it.
    case resourceFate(Resource, ResourceFate, source: SourceCode)
    /// Release protection was turned on or off.
    case protectionChanged(Bool)
    /// The instance's data can no longer be recovered.
    case dataUnrecoverable
    /// The rule behind the effects that follow, by its source code (`T2`, `A4`, `TD7`, `Q13`, ...); the
    /// provider module's source catalogue turns the code into a full ``Citation``.
    case cited(SourceCode)
}

extension Array where Element == Effect {
    /// The source codes the effects cite (`.cited` effects and each resource fate's source), in order,
    /// without repeats.
    public var citedSources: [String] {
        var codes: [String] = []
        for effect in self {
            switch effect {
            case .cited(let code), .resourceFate(_, _, source: let code):
                if !codes.contains(code.description) { codes.append(code.description) }
            case .phaseChanged, .deadlineSet, .deadlineCancelled, .meterStarted, .meterStopped, .protectionChanged,
                .dataUnrecoverable:
                continue
            }
        }
        return codes
    }

    /// An effect list that starts with up to three citations and has room for a whole release, so a
    /// transition allocates once.
    @inlinable
    public static func citing(_ first: SourceCode, _ second: SourceCode? = nil, _ third: SourceCode? = nil) -> [Effect]
    {
        var effects: [Effect] = []
        effects.reserveCapacity(16)
        effects.append(.cited(first))
        if let second { effects.append(.cited(second)) }
        if let third { effects.append(.cited(third)) }
        return effects
    }
}

/// A machine's own closed list of the deadline kinds it sets, in its same-second firing order. ``DeadlineKind`` is
/// open (the core's shared kinds and each provider's own), so a machine reads a kind into its closed enum once and
/// switches over that exhaustively: a kind it lists and does not handle is a compile error.
///
/// A case's raw value is its rank: Swift numbers the cases 0, 1, 2, … in the order they are declared, so the
/// declaration is the firing order and no rank is typed by hand. The machine's
/// ``ReleaseStateMachine/deadlineKinds`` is `allCases` in that order.
@usableFromInline package protocol MachineDeadlineKinds: CaseIterable, RawRepresentable where RawValue == UInt8 {
    /// The open kind.
    var kind: DeadlineKind { get }
}

extension MachineDeadlineKinds {
    /// The rank: the case's place in the declaration.
    @inlinable @inline(__always)
    package var rank: UInt8 { rawValue }

    /// The case of `kind`; nil for a kind this machine never sets (another provider's), which is never pending
    /// on it. Inlinable and forced inline, so that each machine's module specialises it for its own enum
    /// (unspecialised across modules, a call cost ~650 instructions).
    @inlinable @inline(__always)
    package init?(_ kind: DeadlineKind) {
        var rank: UInt8 = 0
        while let known = Self(rawValue: rank) {
            if known.kind == kind {
                self = known
                return
            }
            rank += 1
        }
        return nil
    }

    /// The case of rank `rank`, if the machine has one.
    @inlinable @inline(__always)
    package init?(rank: UInt8) {
        self.init(rawValue: rank)
    }
}

/// A machine's own closed list of the provider events it has (see ``MachineDeadlineKinds``).
package protocol MachineProviderEvents: CaseIterable {
    /// The open event.
    var event: ProviderEvent { get }
}

extension MachineProviderEvents {
    /// The case of `event`; nil for another provider's event.
    package init?(_ event: ProviderEvent) {
        guard let known = Self.allCases.first(where: { $0.event == event }) else { return nil }
        self = known
    }
}
