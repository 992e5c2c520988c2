public import AliyunECS
package import ListingCodec
public import ReleaseCore
public import TencentCVM

/// One provider under one dated rule profile: the unit `compare`, `simulate` and `replay` run.
public struct ProviderModel: Hashable, Sendable, CustomStringConvertible {
    /// The registry of providers: one case per provider module of this package, and the providers registered at
    /// run time (``registering(_:among:)``). Every value the CLI, the trace and scenario formats and the reports
    /// accept is derived from a list of kinds (``allCases`` unless a caller passes its own); a new case makes the
    /// compiler point at each exhaustive switch below that must name the new module (`providerType`, `launch`,
    /// `releaseBatch`) and at ``AnyInstance``.
    public enum Kind: Hashable, Sendable, CaseIterable, RawRepresentable, Codable, CustomStringConvertible {
        case aliyun, tencent
        /// A provider from outside this package (a test target's, a library user's), reached through its protocol.
        case registered(ProviderRegistration)

        /// This package's providers, in registry order: the registry every default reads.
        public static let allCases: [Kind] = [.aliyun, .tencent]

        /// The kind's place in ``allCases``; nil for a registered provider. An engine of this package's providers
        /// (the replay's) indexes its tables by it rather than comparing kinds (a test checks it against
        /// ``allCases``).
        package var builtInIndex: Int? {
            switch self {
            case .aliyun: return 0
            case .tencent: return 1
            case .registered: return nil
            }
        }

        /// The provider's id: its word in traces, scenario files and the CLI.
        public var rawValue: String { providerType.id.rawValue }
        public var description: String { rawValue }

        /// One of this package's providers by its word.
        public init?(rawValue: String) { self.init(rawValue: rawValue, among: Self.allCases) }

        /// The provider of `providers` with this word.
        public init?(rawValue: String, among providers: [Kind]) {
            guard let kind = providers.first(where: { $0.rawValue == rawValue }) else { return nil }
            self = kind
        }

        /// The release parameters the provider's API has.
        public var releaseFlags: [ReleaseFlag] { providerType.releaseFlags }

        /// The deadline kinds the provider's machine may set.
        public var deadlineKinds: [DeadlineKind] {
            switch self {
            case .aliyun: return AliyunInstance.deadlineKinds
            case .tencent: return TencentInstance.deadlineKinds
            case .registered(let registration): return registration.deadlineKinds
            }
        }

        /// The provider module's type: the one place that maps a registry case to its module.
        public var providerType: any ReleaseProvider.Type {
            switch self {
            case .aliyun: return AliyunECS.self
            case .tencent: return TencentCVM.self
            case .registered(let registration): return registration.providerType
            }
        }

        /// The provider whose module has this id, if one is registered.
        public init?(id: ProviderID) { self.init(id: id, among: Self.allCases) }

        /// The provider of `providers` whose module has this id.
        public init?(id: ProviderID, among providers: [Kind]) {
            guard let kind = providers.first(where: { $0.providerType.id == id }) else { return nil }
            self = kind
        }

        /// How the inventory reads the provider's answers (DescribeInstances and the listings around it); nil for a
        /// registered provider that brought no codec.
        package var inventoryCodec: (any InventoryCodec.Type)? {
            switch self {
            case .aliyun: return ECSInventoryCodec.self
            case .tencent: return CVMInventoryCodec.self
            case .registered(let registration): return registration.inventoryCodec
            }
        }

        /// A provider from outside this package, checked against the `providers` it joins: its id, its release
        /// flags (each one word of a trace line, listed once, and no other provider's word, so each provider can
        /// refuse another's), its events' names and its deadline kinds
        /// (ranks unique within its machine; a name another provider uses only for the same kind).
        public static func registering<Provider: ReleaseProvider>(
            _ provider: Provider.Type,
            among providers: [Kind] = Kind.allCases
        ) throws(ProviderRegistrationError) -> Kind {
            try registering(provider, inventoryCodec: nil, among: providers)
        }

        /// A provider from outside this package with its inventory codec (see ``registering(_:among:)``).
        package static func registering<Provider: ReleaseProvider>(
            _ provider: Provider.Type,
            inventoryCodec: (any InventoryCodec.Type)?,
            among providers: [Kind] = Kind.allCases
        ) throws(ProviderRegistrationError) -> Kind {
            let facts = ProviderRegistration.Facts(
                id: Provider.id,
                flags: Provider.releaseFlags,
                deadlineKinds: Provider.Machine.deadlineKinds,
                eventNames: Provider.providerEvents.map(\.name)
            )
            if let problem = facts.problem(among: providers) { throw problem }
            return .registered(ProviderRegistration(provider, inventoryCodec: inventoryCodec))
        }
    }

    /// The provider.
    public var kind: Kind
    /// The index of the profile in the provider's `profiles` (0: the seed profile).
    public private(set) var profileIndex: Int

    /// Whether the provider runs a newer dated profile instead of its seed profile.
    public var usesNewerProfile: Bool { profileIndex > 0 }

    /// The provider under its seed profile (the default everywhere) or its newest profile: a provider with no
    /// newer profile than its seed (a registered one may have only that) runs its seed either way.
    public init(_ kind: Kind, newerProfile: Bool = false) {
        self.kind = kind
        self.profileIndex = newerProfile ? max(0, kind.providerType.profiles.count - 1) : 0
    }

    /// Every provider's release flags, provider by provider in the registry's order: the words scenario files,
    /// traces, the CLI and the JSON Schema accept (words are unique across the registry; registration checks).
    public static let releaseFlags: [ReleaseFlag] = Kind.allCases.releaseFlags

    /// The events a user can send by name: the shared ones, then each provider's own.
    public static let namedEvents: [(name: String, event: Event)] = Kind.allCases.namedEvents

    /// The flag with this word, if a provider has it.
    public static func flag(_ word: String) -> ReleaseFlag? { releaseFlags.first { $0.word == word } }

    /// The words of `flags` (`force terminate-subscription`), or `none`, in the registry's order (see
    /// ``ProviderModel/Kind/releaseFlags``).
    public static func words(of flags: ReleaseFlags) -> String { Kind.allCases.words(of: flags) }

    /// Every provider under its seed profile.
    public static let seedModels: [ProviderModel] = Kind.allCases.seedModels
    /// Every provider under every profile, each provider's profiles together, seed first.
    public static let allModels: [ProviderModel] = Kind.allCases.allModels

    /// The provider under the profile at `index` of its `profiles`, if it has one.
    public init?(_ kind: Kind, profileIndex index: Int) {
        guard kind.providerType.profiles.indices.contains(index) else { return nil }
        self.init(kind)
        profileIndex = index
    }

    /// The provider's module type.
    public var providerType: any ReleaseProvider.Type { kind.providerType }

    /// The provider id.
    public var id: ProviderID { providerType.id }

    /// The profile in force.
    public var profile: ProfileInfo { providerType.profiles[profileIndex].profile }

    /// `aliyun`, `tencent`, or with a newer profile `aliyun@2024`, `tencent@2025`.
    public var description: String { usesNewerProfile ? "\(kind.rawValue)@\(profile.name)" : kind.rawValue }

    /// The release API's name, with the document that names it.
    public var releaseAPI: Sourced<String> { providerType.releaseAPI }

    /// The flags of the most direct manual release of a running instance.
    public var directReleaseFlags: ReleaseFlags { providerType.directReleaseFlags }

    /// Launches an instance for an account in `standing` (the provider refuses one in arrears).
    public func launch(
        _ instance: InstanceDescription,
        in phase: LaunchPhase = .running,
        standing: AccountStanding = .inGoodStanding,
        at now: Instant
    )
        throws(ReleaseError) -> (AnyInstance, [Effect])
    {
        try launch(instance, in: phase, standing: standing, at: now, as: AnyInstance.self)
    }

    /// Launches an instance as a value of `type`: ``BuiltInInstance`` for an engine that holds this package's
    /// providers only, which refuses a registered provider's launch (REG2). Inlinable, so that the replay's engine
    /// specialises it for ``BuiltInInstance``.
    @inlinable
    public func launch<Registered>(
        _ instance: consuming InstanceDescription,
        in phase: LaunchPhase = .running,
        standing: AccountStanding = .inGoodStanding,
        at now: Instant,
        as type: ProviderInstance<Registered>.Type
    )
        throws(ReleaseError) -> (ProviderInstance<Registered>, [Effect])
    {
        switch kind {
        case .aliyun:
            let (machine, effects) = try AliyunECS.profiles[profileIndex]
                .launch(instance, in: phase, standing: standing, at: now)
            return (.aliyun(machine), effects)
        case .tencent:
            let (machine, effects) = try TencentCVM.profiles[profileIndex]
                .launch(instance, in: phase, standing: standing, at: now)
            return (.tencent(machine), effects)
        case .registered(let registration):
            let (launched, effects) = try registration.entry.launch(profileIndex, instance, phase, standing, now)
            guard case .registered(let machine) = launched, let held = Registered(holding: machine) else {
                throw builtInOnlyRefusal(in: phase)
            }
            return (.registered(held), effects)
        }
    }

    /// Launches a machine of one of this package's providers without its id, appending the launch's effects to
    /// `effects`: the replay's form (its partitions keep no id, and reuse one buffer). A registered provider's launch
    /// is refused (REG2) without asking the provider (``launch(_:in:standing:at:as:)`` asks it first, so its own
    /// refusal wins there); a refused launch appends nothing.
    @inlinable
    package func launchMachine(
        _ launch: consuming InstanceLaunch,
        in phase: LaunchPhase = .running,
        standing: AccountStanding,
        at now: Instant,
        into effects: inout [Effect]
    ) throws(ReleaseError) -> ProviderMachine<NoRegisteredMachine> {
        // By the profile's place, not through a provider value: no rules counted twice a launch from every core.
        let place = profileIndex
        switch kind {
        case .aliyun:
            return .aliyun(
                try AliyunECS
                    .launchMachine(launch, profile: place, in: phase, standing: standing, at: now, into: &effects)
            )
        case .tencent:
            return .tencent(
                try TencentCVM
                    .launchMachine(launch, profile: place, in: phase, standing: standing, at: now, into: &effects)
            )
        case .registered:
            throw builtInOnlyRefusal(in: phase)
        }
    }

    /// REG2's refusal: an engine of this package's providers only was asked to launch this registered provider's.
    @usableFromInline func builtInOnlyRefusal(in phase: LaunchPhase) -> ReleaseError {
        ReleaseError(
            code: "InvalidParameter",
            provider: kind.providerType.id,
            phase: phase.phase,
            command: .launch,
            message: "this engine holds this package's providers only, not \(kind.rawValue)",
            chineseMessage: "此引擎只包含本包的云厂商，不包含 \(kind.rawValue)",
            source: Self.builtInOnlySource
        )
    }

    /// The registry's rule for engines of this package's providers only (the replay's: its trace names them).
    public static let builtInOnlySource = Citation.model(
        "REG2",
        "an engine of this package's providers only (the replay's) refuses to launch a provider registered at run time",
        "只包含本包云厂商的引擎（回放引擎）拒绝启动运行时注册的云厂商实例"
    )

    /// Why a batch holding another provider's instance is refused: a batch API releases one provider's instances.
    func mixedBatch(_ machines: [AnyInstance]) -> ReleaseError {
        let stranger = machines.first { $0.provider != kind.providerType.id }
        return ReleaseError(
            code: "InvalidParameter",
            provider: kind.providerType.id,
            phase: stranger?.phase ?? .running,
            command: .release,
            text: .rendered(by: MixedBatchReason(provider: kind.rawValue, stranger: stranger?.instance.id)),
            source: Self.batchSource
        )
    }

    /// REG1's sentence: a batch holding `stranger`, an instance of a provider other than `provider`.
    struct MixedBatchReason: RefusalReason {
        let provider: String
        let stranger: String?

        var english: String {
            "a batch release holds \(provider) instances only; \(stranger ?? "one") is another provider's"
        }
        var chinese: String? { "批量释放只能包含 \(provider) 的实例；\(stranger ?? "其中一个") 属于其他云厂商" }
    }

    /// The registry's own rule for batches (not a provider's): one provider per batch API call.
    public static let batchSource = Citation.model(
        "REG1",
        "a batch release (DeleteInstances, TerminateInstances) holds one provider's instances: each API releases its own",
        "批量释放（DeleteInstances、TerminateInstances）只包含一个云厂商的实例：每个接口只释放自己的实例"
    )

    /// A batch release through the provider's own batch rules.
    public func releaseBatch(
        _ machines: inout [AnyInstance],
        flags: ReleaseFlags,
        at now: Instant
    )
        throws(ReleaseError) -> [[Effect]]
    {
        switch kind {
        case .aliyun:
            var members = machines.compactMap { if case .aliyun(let machine) = $0 { machine } else { nil } }
            guard members.count == machines.count else { throw mixedBatch(machines) }
            let effects = try AliyunECS.profiles[profileIndex].releaseBatch(&members, flags: flags, at: now)
            machines = members.map(AnyInstance.aliyun)
            return effects
        case .tencent:
            var members = machines.compactMap { if case .tencent(let machine) = $0 { machine } else { nil } }
            guard members.count == machines.count else { throw mixedBatch(machines) }
            let effects = try TencentCVM.profiles[profileIndex].releaseBatch(&members, flags: flags, at: now)
            machines = members.map(AnyInstance.tencent)
            return effects
        case .registered(let registration):
            guard let effects = try registration.entry.releaseBatch(profileIndex, &machines, flags, now) else {
                throw mixedBatch(machines)
            }
            return effects
        }
    }

    /// The console's batch release through the provider's own console rules (seeds 002, 003): each member on its
    /// own, a refused one keeping its refusal. A batch holding another provider's instance refuses every member
    /// (REG1).
    public func consoleRelease(
        _ machines: inout [AnyInstance],
        flags: ReleaseFlags,
        at now: Instant
    ) -> [Result<[Effect], ReleaseError>] {
        switch kind {
        case .aliyun:
            var members = machines.compactMap { if case .aliyun(let machine) = $0 { machine } else { nil } }
            guard members.count == machines.count else { return machines.map { _ in .failure(mixedBatch(machines)) } }
            let results = AliyunECS.profiles[profileIndex].consoleRelease(&members, flags: flags, at: now)
            machines = members.map(AnyInstance.aliyun)
            return results
        case .tencent:
            var members = machines.compactMap { if case .tencent(let machine) = $0 { machine } else { nil } }
            guard members.count == machines.count else { return machines.map { _ in .failure(mixedBatch(machines)) } }
            let results = TencentCVM.profiles[profileIndex].consoleRelease(&members, flags: flags, at: now)
            machines = members.map(AnyInstance.tencent)
            return results
        case .registered(let registration):
            guard let results = registration.entry.consoleRelease(profileIndex, &machines, flags, now) else {
                return machines.map { _ in .failure(mixedBatch(machines)) }
            }
            return results
        }
    }

    /// The provider's code for an instance it does not know (AD1, TD2).
    public var notFoundCode: String { providerType.notFoundCode.rawValue }

    /// Every citation this provider's rules use, by code.
    public var sourceCatalogue: [String: Citation] { providerType.sourceCatalogue }

    /// The full citation for a source code used by this provider's rules.
    public func citation(_ code: String) -> Citation? { providerType.sourceCatalogue[code] }

    /// Parses a model name: `aliyun`, `tencent`, or `<provider>@<profile>` with a profile's name (`2024`,
    /// `2025`), `seed` or `newer` (its newest profile; nil for a provider that has only its seed); the provider is one
    /// of `providers` (this package's by default).
    public init?(parsing text: String, among providers: [Kind] = Kind.allCases) {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let kind = Kind(rawValue: parts[0], among: providers) else { return nil }
        self.init(kind)
        guard parts.count == 2 else { return }
        let profiles = kind.providerType.profiles
        switch parts[1] {
        case "seed": profileIndex = 0
        case "newer" where profiles.count > 1: profileIndex = profiles.count - 1
        default:
            guard let index = profiles.firstIndex(where: { $0.profile.name == parts[1] }) else { return nil }
            profileIndex = index
        }
    }
}

extension Array where Element == ProviderModel.Kind {
    /// Every provider's release flags, provider by provider (words are distinct across a registry).
    public var releaseFlags: [ReleaseFlag] { flatMap(\.releaseFlags) }

    /// The words of `flags`, separated by spaces, or `none`: these providers' flags in their order (each
    /// provider's as it lists them, as traces and scenario files have always written them), then any flag none
    /// of them has, by word.
    public func words(of flags: ReleaseFlags) -> String {
        let known = releaseFlags
        let words = known.filter(flags.contains).map(\.word) + flags.subtracting(known).map(\.word)
        return words.isEmpty ? "none" : words.joined(separator: " ")
    }

    /// The flag of these providers with this word: the registered value, so a flag read from a file is the
    /// provider's own.
    public func releaseFlag(_ word: String) -> ReleaseFlag? {
        for kind in self {
            for flag in kind.releaseFlags where flag.word == word { return flag }
        }
        return nil
    }

    /// The events a user can send by name: the shared ones, then each provider's own.
    public var namedEvents: [(name: String, event: Event)] {
        Event.shared + flatMap { $0.providerType.providerEvents.map { ($0.name, Event.provider($0)) } }
    }

    /// Every provider's deadline kinds, once each.
    ///
    /// In an order that keeps each machine's own (its same-second order): a kind another machine has not listed
    /// goes right after the kind before it in its own machine's list.
    public var deadlineKinds: [DeadlineKind] {
        var kinds: [DeadlineKind] = []
        for provider in self {
            var previous: Int?
            for kind in provider.deadlineKinds {
                if let known = kinds.firstIndex(of: kind) {
                    previous = known
                } else {
                    let place = previous.map { $0 + 1 } ?? 0
                    kinds.insert(kind, at: place)
                    previous = place
                }
            }
        }
        return kinds
    }

    /// Every provider under its seed profile.
    public var seedModels: [ProviderModel] { map { ProviderModel($0) } }

    /// Every provider under every profile, each provider's profiles together, seed first.
    public var allModels: [ProviderModel] {
        flatMap { kind in kind.providerType.profiles.indices.compactMap { ProviderModel(kind, profileIndex: $0) } }
    }
}
