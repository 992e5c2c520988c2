public import ReleaseCore

extension ProviderID {
    /// Tencent Cloud Cloud Virtual Machine.
    public static let tencent = ProviderID(rawValue: "tencent")
}

/// Tencent Cloud CVM: destroy parks pay-as-you-go instances in a recycle bin for 2 hours.
///
/// ```swift
/// let cvm = TencentCVM()                      // the seed profile
/// var (instance, _) = try cvm.launch(InstanceDescription(id: "ins-1"), at: now)
/// let outcome = instance.outcome(of: .release(), at: now)   // → recycleBin, expiry at now + 2 h
/// ```
public struct TencentCVM: ReleaseProvider {
    /// The rules in force.
    public let rules: TencentRules

    /// A provider following `rules` (the seed profile by default).
    public init(rules: TencentRules = .seed) {
        self.rules = rules
    }

    /// The destroy/return API (seed 002).
    public static let releaseAPI = Sourced("TerminateInstances", TencentSource.t2)

    public var id: ProviderID { .tencent }
    public var profile: ProfileInfo { rules.info }
    public var batchLimit: Int { rules.batchLimit.value }

    public func launch(
        _ instance: InstanceDescription,
        at now: Instant
    ) throws(ReleaseError)
        -> (TencentInstance, [Effect])
    {
        launch(instance, in: .running, at: now)
    }

    /// Launches an instance observed in `phase` (e.g. still `pending`) at `now`. CVM refuses no launch
    /// the model can describe.
    public func launch(
        _ instance: InstanceDescription,
        in phase: LaunchPhase,
        at now: Instant
    )
        -> (TencentInstance, [Effect])
    {
        var effects: [Effect] = []
        let machine = TencentInstance(launching: instance, rules: rules, phase: phase, at: now, effects: &effects)
        return (machine, effects)
    }

    /// The console's batch destroy. Seed 002: instances that cannot be destroyed show the reason (their
    /// result is the refusal); the others are destroyed.
    public func consoleRelease(
        _ machines: inout [TencentInstance],
        flags: ReleaseFlags,
        at now: Instant
    )
        -> [Result<[Effect], ReleaseError>]
    {
        releaseIndividually(&machines, flags: flags, at: now)
    }

    /// TerminateInstances with several ids: at most 100 (TD1/TD2), one billing type per call (TD1). All
    /// members are checked first; a refused member fails the whole call and nothing changes ([MODEL]).
    public func releaseBatch(
        _ machines: inout [TencentInstance],
        flags: ReleaseFlags,
        at now: Instant
    )
        throws(ReleaseError) -> [[Effect]]
    {
        let phase = machines.first?.phase ?? .running
        func refusal(_ code: ReleaseError.Code, _ message: String, _ source: Citation) -> ReleaseError {
            ReleaseError(
                code: code,
                provider: .tencent,
                phase: phase,
                command: .release,
                message: message,
                source: source
            )
        }
        guard !machines.isEmpty else {
            throw refusal(
                TencentErrorCode.missingParameter,
                "TerminateInstances needs InstanceIds.N",
                TencentSource.commonErrors
            )
        }
        guard machines.count <= batchLimit else {
            throw refusal(
                TencentErrorCode.limitExceeded,
                "TerminateInstances takes at most \(batchLimit) ids, got \(machines.count)",
                rules.batchLimit.source
            )
        }
        guard Set(machines.map(\.instance.charge.isPayAsYouGo)).count == 1 else {
            throw refusal(
                TencentErrorCode.mixedPricingModel,
                "all instances of one TerminateInstances call must share the billing type",
                TencentSource.td1
            )
        }
        for machine in machines {
            try machine.validateDestroy(flags: flags)
        }
        var allEffects: [[Effect]] = []
        for index in machines.indices {
            allEffects.append(try machines[index].perform(.release(flags), at: now))
        }
        return allEffects
    }
}
