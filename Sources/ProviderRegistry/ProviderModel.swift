public import AliyunECS
package import ListingCodec
public import ReleaseCore
public import TencentCVM

/// An instance of either provider, so one fleet, scenario or table can hold both.
///
/// Forwarding only: every rule stays in its provider module.
public enum AnyInstance: ReleaseStateMachine {
    case aliyun(AliyunInstance)
    case tencent(TencentInstance)

    public var provider: ProviderID {
        switch self {
        case .aliyun(let machine): return machine.provider
        case .tencent(let machine): return machine.provider
        }
    }
    public var instance: InstanceDescription {
        switch self {
        case .aliyun(let machine): return machine.instance
        case .tencent(let machine): return machine.instance
        }
    }
    public var phase: Phase {
        switch self {
        case .aliyun(let machine): return machine.phase
        case .tencent(let machine): return machine.phase
        }
    }
    public var isProtected: Bool {
        switch self {
        case .aliyun(let machine): return machine.isProtected
        case .tencent(let machine): return machine.isProtected
        }
    }
    /// Every provider's deadline kinds, once each, in rank order (ranks are unique across the registry).
    public static let deadlineKinds: [DeadlineKind] = {
        var kinds: [DeadlineKind] = []
        for kind in ProviderModel.Kind.allCases.flatMap(\.deadlineKinds) where !kinds.contains(kind) {
            kinds.append(kind)
        }
        return kinds.sorted()
    }()

    public var pendingDeadlines: [Deadline] {
        switch self {
        case .aliyun(let machine): return machine.pendingDeadlines
        case .tencent(let machine): return machine.pendingDeadlines
        }
    }
    public var restorableUntil: Instant? {
        switch self {
        case .aliyun(let machine): return machine.restorableUntil
        case .tencent(let machine): return machine.restorableUntil
        }
    }
    public var runningMeters: RunningMeters {
        switch self {
        case .aliyun(let machine): return machine.runningMeters
        case .tencent(let machine): return machine.runningMeters
        }
    }
    public var resourceFates: [ResourceOutcome] {
        switch self {
        case .aliyun(let machine): return machine.resourceFates
        case .tencent(let machine): return machine.resourceFates
        }
    }
    public func resourceState(of resource: Resource) -> ResourceState {
        switch self {
        case .aliyun(let machine): return machine.resourceState(of: resource)
        case .tencent(let machine): return machine.resourceState(of: resource)
        }
    }
    public var apiStatus: String {
        switch self {
        case .aliyun(let machine): return machine.apiStatus
        case .tencent(let machine): return machine.apiStatus
        }
    }

    // `consume self` moves the payload out, so the machine is mutated in place rather than copied.
    public mutating func perform(_ command: Command, at now: Instant, into effects: inout [Effect]) throws(ReleaseError)
    {
        switch consume self {
        case .aliyun(var machine):
            defer { self = .aliyun(machine) }
            try machine.perform(command, at: now, into: &effects)
        case .tencent(var machine):
            defer { self = .tencent(machine) }
            try machine.perform(command, at: now, into: &effects)
        }
    }

    public mutating func handle(_ event: Event, at now: Instant, into effects: inout [Effect]) {
        switch consume self {
        case .aliyun(var machine):
            machine.handle(event, at: now, into: &effects)
            self = .aliyun(machine)
        case .tencent(var machine):
            machine.handle(event, at: now, into: &effects)
            self = .tencent(machine)
        }
    }
}

/// One provider under one dated rule profile: the unit `compare`, `simulate` and `replay` run.
public struct ProviderModel: Hashable, Sendable, CustomStringConvertible {
    /// The registry of providers: one case per provider module. Every value the CLI, the trace and scenario
    /// formats and the reports accept is derived from it; a new case makes the compiler point at each
    /// exhaustive switch below that must name the new module (`providerType`, `launch`, `releaseBatch`) and at
    /// ``AnyInstance``.
    public enum Kind: String, Hashable, Sendable, CaseIterable, Codable {
        case aliyun, tencent

        /// The release parameters the provider's API has, with their words.
        public var releaseFlagWords: [ReleaseFlagWord] { providerType.releaseFlagWords }

        /// The deadline kinds the provider's machine may set.
        public var deadlineKinds: [DeadlineKind] {
            switch self {
            case .aliyun: return AliyunInstance.deadlineKinds
            case .tencent: return TencentInstance.deadlineKinds
            }
        }

        /// The provider module's type: the one place that maps a registry case to its module.
        public var providerType: any ReleaseProvider.Type {
            switch self {
            case .aliyun: return AliyunECS.self
            case .tencent: return TencentCVM.self
            }
        }

        /// The provider whose module has this id, if one is registered.
        public init?(id: ProviderID) {
            guard let kind = Self.allCases.first(where: { $0.providerType.id == id }) else { return nil }
            self = kind
        }

        /// How the inventory reads the provider's answers (DescribeInstances and the listings around it).
        package var inventoryCodec: any InventoryCodec.Type {
            switch self {
            case .aliyun: return ECSInventoryCodec.self
            case .tencent: return CVMInventoryCodec.self
            }
        }
    }

    /// The provider.
    public var kind: Kind
    /// The index of the profile in the provider's `profiles` (0: the seed profile).
    public private(set) var profileIndex: Int

    /// Whether the provider runs a newer dated profile instead of its seed profile.
    public var usesNewerProfile: Bool { profileIndex > 0 }

    /// The provider under its seed profile (the default everywhere) or its newer profile.
    public init(_ kind: Kind, newerProfile: Bool = false) {
        self.kind = kind
        self.profileIndex = newerProfile ? 1 : 0
    }

    /// Every provider's release flags with their words, in bit order: the words scenario files, traces, the
    /// CLI and the JSON Schema accept (bits are unique across the registry; a test checks).
    public static let releaseFlagWords: [ReleaseFlagWord] = Kind.allCases.flatMap(\.releaseFlagWords)
        .sorted { $0.flag.rawValue < $1.flag.rawValue }

    /// The events a user can send by name: the shared ones, then each provider's own.
    public static let namedEvents: [(name: String, event: Event)] =
        Event.shared + Kind.allCases.flatMap { $0.providerType.providerEvents.map { ($0.name, Event.provider($0)) } }

    /// The words of `flags` (`force immediately`), or `none`.
    public static func words(of flags: ReleaseFlags) -> String { releaseFlagWords.words(of: flags) }

    /// The flag with this word, if a provider has it.
    public static func flag(_ word: String) -> ReleaseFlags? { releaseFlagWords.first { $0.word == word }?.flag }

    /// Every provider under its seed profile.
    public static let seedModels: [ProviderModel] = Kind.allCases.map { ProviderModel($0) }
    /// Every provider under every profile, each provider's profiles together, seed first.
    public static let allModels: [ProviderModel] = Kind.allCases.flatMap { kind in
        kind.providerType.profiles.indices.map { index in
            var model = ProviderModel(kind)
            model.profileIndex = index
            return model
        }
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
        switch kind {
        case .aliyun:
            let (machine, effects) = try AliyunECS.profiles[profileIndex]
                .launch(instance, in: phase, standing: standing, at: now)
            return (.aliyun(machine), effects)
        case .tencent:
            let (machine, effects) = try TencentCVM.profiles[profileIndex]
                .launch(instance, in: phase, standing: standing, at: now)
            return (.tencent(machine), effects)
        }
    }

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
        }
    }

    /// The provider's code for an instance it does not know (AD1, TD2).
    public var notFoundCode: String { providerType.notFoundCode.rawValue }

    /// Every citation this provider's rules use, by code.
    public var sourceCatalogue: [String: Citation] { providerType.sourceCatalogue }

    /// The full citation for a source code used by this provider's rules.
    public func citation(_ code: String) -> Citation? { providerType.sourceCatalogue[code] }

    /// Parses a model name: `aliyun`, `tencent`, or `<provider>@<profile>` with a profile's name (`2024`,
    /// `2025`), `seed` or `newer`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let kind = Kind(rawValue: parts[0]) else { return nil }
        self.init(kind)
        guard parts.count == 2 else { return }
        let profiles = kind.providerType.profiles
        switch parts[1] {
        case "seed": profileIndex = 0
        case "newer" where profiles.count > 1: profileIndex = 1
        default:
            guard let index = profiles.firstIndex(where: { $0.profile.name == parts[1] }) else { return nil }
            profileIndex = index
        }
    }
}
