public import AliyunECS
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
    public var pendingDeadlines: [Deadline] {
        switch self {
        case .aliyun(let machine): return machine.pendingDeadlines
        case .tencent(let machine): return machine.pendingDeadlines
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
    public var apiStatus: String {
        switch self {
        case .aliyun(let machine): return machine.apiStatus
        case .tencent(let machine): return machine.apiStatus
        }
    }

    // `consume self` moves the payload out, so the machine is mutated in place rather than copied.
    public mutating func perform(_ command: Command, at now: Instant) throws(ReleaseError) -> [Effect] {
        switch consume self {
        case .aliyun(var machine):
            do {
                let effects = try machine.perform(command, at: now)
                self = .aliyun(machine)
                return effects
            } catch {
                self = .aliyun(machine)
                throw error
            }
        case .tencent(var machine):
            do {
                let effects = try machine.perform(command, at: now)
                self = .tencent(machine)
                return effects
            } catch {
                self = .tencent(machine)
                throw error
            }
        }
    }

    public mutating func handle(_ event: Event, at now: Instant) -> [Effect] {
        switch consume self {
        case .aliyun(var machine):
            let effects = machine.handle(event, at: now)
            self = .aliyun(machine)
            return effects
        case .tencent(var machine):
            let effects = machine.handle(event, at: now)
            self = .tencent(machine)
            return effects
        }
    }
}

/// One provider under one dated rule profile: the unit `compare`, `simulate` and `replay` run.
public struct ProviderModel: Hashable, Sendable, CustomStringConvertible {
    /// Which provider's rules.
    public enum Kind: String, Hashable, Sendable, CaseIterable, Codable {
        case aliyun, tencent
    }

    /// The provider.
    public var kind: Kind
    /// `seed` (the default) or `newer`.
    public var usesNewerProfile: Bool

    /// The provider under its seed profile (the default everywhere) or its newer profile.
    public init(_ kind: Kind, newerProfile: Bool = false) {
        self.kind = kind
        self.usesNewerProfile = newerProfile
    }

    /// Both providers under their seed profiles.
    public static let seedModels: [ProviderModel] = [ProviderModel(.aliyun), ProviderModel(.tencent)]
    /// Both providers under both profiles.
    public static let allModels: [ProviderModel] = [
        ProviderModel(.aliyun), ProviderModel(.aliyun, newerProfile: true),
        ProviderModel(.tencent), ProviderModel(.tencent, newerProfile: true),
    ]

    /// The provider id.
    public var id: ProviderID { kind == .aliyun ? .aliyun : .tencent }

    /// The profile in force.
    public var profile: ProfileInfo {
        switch kind {
        case .aliyun: return (usesNewerProfile ? AliyunRules.newer : .seed).info
        case .tencent: return (usesNewerProfile ? TencentRules.newer : .seed).info
        }
    }

    /// `aliyun`, `tencent`, or with the newer profile `aliyun@2024`, `tencent@2025`.
    public var description: String { usesNewerProfile ? "\(kind.rawValue)@\(profile.name)" : kind.rawValue }

    /// The release API's name, with the document that names it.
    public var releaseAPI: Sourced<String> { kind == .aliyun ? AliyunECS.releaseAPI : TencentCVM.releaseAPI }

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
            let (machine, effects) = try AliyunECS(rules: usesNewerProfile ? .newer : .seed)
                .launch(instance, in: phase, standing: standing, at: now)
            return (.aliyun(machine), effects)
        case .tencent:
            let (machine, effects) = try TencentCVM(rules: usesNewerProfile ? .newer : .seed)
                .launch(instance, in: phase, standing: standing, at: now)
            return (.tencent(machine), effects)
        }
    }

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
            precondition(members.count == machines.count, "an Aliyun batch holds Aliyun instances only")
            let effects = try AliyunECS(rules: usesNewerProfile ? .newer : .seed)
                .releaseBatch(&members, flags: flags, at: now)
            machines = members.map(AnyInstance.aliyun)
            return effects
        case .tencent:
            var members = machines.compactMap { if case .tencent(let machine) = $0 { machine } else { nil } }
            precondition(members.count == machines.count, "a Tencent batch holds Tencent instances only")
            let effects = try TencentCVM(rules: usesNewerProfile ? .newer : .seed)
                .releaseBatch(&members, flags: flags, at: now)
            machines = members.map(AnyInstance.tencent)
            return effects
        }
    }

    /// The provider's code for an instance it does not know (AD1, TD2).
    public var notFoundCode: String {
        kind == .aliyun ? AliyunErrorCode.notFound.rawValue : TencentErrorCode.notFound.rawValue
    }

    /// Every citation this provider's rules use, by code.
    public var sourceCatalogue: [String: Citation] {
        switch kind {
        case .aliyun: return AliyunSource.catalogue
        case .tencent: return TencentSource.catalogue
        }
    }

    /// The full citation for a source code used by this provider's rules.
    public func citation(_ code: String) -> Citation? {
        kind == .aliyun ? AliyunSource.catalogue[code] : TencentSource.catalogue[code]
    }

    /// Parses `aliyun`, `tencent`, `aliyun@seed`, `aliyun@2024`, `tencent@2025` (`@newer` also works).
    public init?(parsing text: String) {
        let parts = text.split(separator: "@", maxSplits: 1).map(String.init)
        guard let kind = Kind(rawValue: parts[0]) else { return nil }
        self.init(kind)
        if parts.count == 2 {
            switch parts[1] {
            case "seed": break
            case "newer", ProviderModel(kind, newerProfile: true).profile.name: usesNewerProfile = true
            default: return nil
            }
        }
    }
}
