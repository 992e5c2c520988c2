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
///
/// The console's batch destroy (`consoleRelease`): seed 002, instances that cannot be destroyed show the
/// reason (their result is the refusal); the others are destroyed.
public struct TencentCVM: ReleaseProvider {
    public let rules: TencentRules

    /// A provider following `rules` (the seed profile by default).
    public init(rules: TencentRules = .seed) {
        self.rules = rules
    }

    /// The destroy/return API (seed 002).
    public static let releaseAPI = Sourced("TerminateInstances", TencentSource.t2)

    public static var id: ProviderID { .tencent }
    public static let profiles: [TencentCVM] = TencentRules.all.map(TencentCVM.init(rules:))
    /// TD2: a released or unknown instance.
    public static var notFoundCode: ReleaseError.Code { TencentErrorCode.notFound }
    /// TD2: termination protection.
    public static var protectionCode: ReleaseError.Code { TencentErrorCode.instancesProtected }
    /// TerminateInstances has no force flag (TD2): a plain destroy is the most direct.
    public static var directReleaseFlags: ReleaseFlags { [] }
    /// TerminateInstances's `ReleaseAddress` (TD1) and the console's release-now (T2).
    public static let releaseFlags: [ReleaseFlag] = [.immediately, .releaseAddress]
    /// CVM has no events of its own.
    public static let providerEvents: [ProviderEvent] = TencentEvent.allCases.map(\.event)
    public static var sourceCatalogue: [String: Citation] { TencentSource.catalogue }
    /// Seed 002 "销毁/退还实例" and its "撤销定时销毁"; 实例销毁保护 is the CVM API's name for `DisableApiTermination`
    /// (TD1, the Chinese API pages).
    public static let chineseReleaseWords = ChineseReleaseWords(
        verb: "销毁",
        protection: "实例销毁保护",
        cancelSchedule: "撤销定时销毁",
        source: TencentSource.t2
    )

    public var scheduledReleasePrecision: Sourced<Seconds> { rules.schedulePrecision }
    public var ruleBoundaries: [Sourced<Seconds>] {
        [
            rules.scheduleMinimumLead, rules.payAsYouGoRecycleBinRetention, rules.subscriptionRecycleBinRetention,
            rules.arrearsBilledPeriod,
            Sourced(
                rules.arrearsBilledPeriod.value + rules.arrearsShutdownPeriod.value,
                rules.arrearsShutdownPeriod.source
            ),
        ]
    }

    /// Launches an instance observed in `phase` (e.g. still `pending`) at `now`, for an account in good
    /// standing. CVM's rules refuse no such launch; the package refuses one with more disks or snapshots than
    /// its meters hold (CAP, `InstanceDescription.maximumDisks`).
    public func launch(
        _ instance: consuming InstanceDescription,
        in phase: LaunchPhase,
        at now: Instant
    ) throws(ReleaseError)
        -> (TencentInstance, [Effect])
    {
        try launch(instance, in: phase, standing: .inGoodStanding, at: now)
    }

    /// Launches an instance for an account in `standing`. RunInstances answers
    /// `InvalidAccount.InsufficientBalance` for an account whose balance is negative (TD2 RunInstances;
    /// TD5: nothing runs again while the balance is below zero).
    public func launch(
        _ instance: consuming InstanceDescription,
        in phase: LaunchPhase,
        standing: AccountStanding,
        at now: Instant
    ) throws(ReleaseError)
        -> (TencentInstance, [Effect])
    {
        var effects = Effect.launchBuffer()
        let id = instance.id
        let place = rules.place(in: TencentRules.all)
        let machine =
            try Self
            .launchMachine(instance.launch, profile: place, in: phase, standing: standing, at: now, into: &effects)
        return (TencentInstance(id: id, lifecycle: machine), effects)
    }

    /// Launches an instance's machine without its id under the profile at `profile` in ``TencentRules/all``,
    /// appending the launch's effects to `effects`: the engine's form, for a fleet that keeps no id (a replay's
    /// partition) and reuses one buffer. A refused launch appends nothing. The profile is named by its place: an
    /// engine launching a million machines copies no provider value, whose rules would be a reference counted twice a
    /// launch from every core at once (Docs/Performance.md, "Rules named by their place").
    @usableFromInline package static func launchMachine(
        _ launch: consuming InstanceLaunch,
        profile: Int,
        in phase: LaunchPhase,
        standing: AccountStanding,
        at now: Instant,
        into effects: inout [Effect]
    ) throws(ReleaseError) -> TencentMachine {
        switch standing {
        case .inGoodStanding:
            return try TencentMachine(launching: launch, profile: profile, phase: phase, at: now, effects: &effects)
        case .inArrears:
            throw .tencent(
                TencentErrorCode.insufficientBalance,
                .launch,
                in: phase.phase,
                "the account is in arrears; top up before launching",
                "账户欠费；请充值后再创建",
                TencentSource.td2RunInstances
            )
        }
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
        func refusal(
            _ code: ReleaseError.Code,
            _ message: String,
            _ chinese: String,
            _ source: Citation
        ) -> ReleaseError {
            .tencent(code, .release, in: phase, message, chinese, source)
        }
        guard !machines.isEmpty else {
            throw refusal(
                TencentErrorCode.missingParameter,
                "TerminateInstances needs InstanceIds.N",
                "TerminateInstances 需要 InstanceIds.N",
                TencentSource.commonErrors
            )
        }
        guard machines.count <= batchLimit else {
            throw ReleaseError.tencent(
                TencentErrorCode.limitExceeded,
                .release,
                in: phase,
                .rendered(
                    by: SharedRefusalReason.tooManyIDs(
                        api: "TerminateInstances",
                        limit: batchLimit,
                        given: machines.count
                    )
                ),
                rules.batchLimit.source
            )
        }
        guard Set(machines.map(\.instance.charge.isPayAsYouGo)).count == 1 else {
            throw refusal(
                TencentErrorCode.mixedPricingModel,
                "all instances of one TerminateInstances call must share the billing type",
                "一次 TerminateInstances 调用的实例计费方式必须相同",
                TencentSource.td1
            )
        }
        // Each member's own TerminateInstances runs on a copy, so the batch can never check less (or other)
        // than a single destroy does.
        // TM4: all or nothing; each member's effects say so.
        return try performAtomically(.release(flags), on: &machines, at: now).map { [.cited("TM4")] + $0 }
    }
}
