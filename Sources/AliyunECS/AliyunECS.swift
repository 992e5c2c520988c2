public import ReleaseCore

extension ProviderID {
    /// Alibaba Cloud Elastic Compute Service.
    public static let aliyun = ProviderID(rawValue: "aliyun")
}

/// Alibaba Cloud ECS: direct, irreversible release.
///
/// ```swift
/// let ecs = AliyunECS()                       // the seed profile
/// var (instance, _) = try ecs.launch(InstanceDescription(id: "i-1"), at: now)
/// let outcome = instance.outcome(of: .release([.force]), at: now)
/// ```
///
/// The console's batch release (`consoleRelease`): seed 003, instances with release protection are skipped
/// (their result is `InvalidOperation.DeletionProtection`) and the rest are released; if every selected
/// instance is protected, nothing can be released.
public struct AliyunECS: ReleaseProvider {
    public let rules: AliyunRules

    /// A provider following `rules` (the seed profile by default).
    public init(rules: AliyunRules = .seed) {
        self.rules = rules
    }

    /// The release API (seeds 000, 001, 004).
    public static let releaseAPI = Sourced("DeleteInstance", AliyunSource.a1)

    public static var id: ProviderID { .aliyun }
    public static let profiles: [AliyunECS] = AliyunRules.all.map(AliyunECS.init(rules:))
    /// AD1: a released or unknown instance.
    public static var notFoundCode: ReleaseError.Code { AliyunErrorCode.notFound.code }
    /// Seeds 001/003.
    public static var protectionCode: ReleaseError.Code { AliyunErrorCode.deletionProtection.code }
    /// Seed 004: without `Force` only a Stopped instance can be released.
    public static var directReleaseFlags: ReleaseFlags { [.force] }
    /// DeleteInstance's parameters (AD1).
    public static let releaseFlags: [ReleaseFlag] = [.force, .graceful, .terminateSubscription, .dryRun]
    public static let providerEvents: [ProviderEvent] = AliyunEvent.allCases.map(\.event)
    public static var sourceCatalogue: [String: Citation] { AliyunSource.catalogue }
    /// Seed 001 "释放实例" and seed 003 "开启和关闭实例释放保护"; seed 000 cancels an auto-release (取消).
    public static let chineseReleaseWords = ChineseReleaseWords(
        verb: "释放",
        protection: "释放保护",
        cancelSchedule: "取消定时释放",
        source: AliyunSource.a1
    )

    public var scheduledReleasePrecision: Sourced<Seconds> { rules.autoReleasePrecision }
    public var ruleBoundaries: [Sourced<Seconds>] {
        var boundaries = [rules.autoReleaseMinimumLead, rules.overdueRunningPeriod, rules.expiredSubscriptionRetention]
        // The 3-year upper bound of AutoReleaseTime, measured from the test kit's start (AD3, seed 004).
        boundaries.append(
            Sourced(.days(365 * rules.autoReleaseMaximumLeadYears.value + 1), rules.autoReleaseMaximumLeadYears.source)
        )
        if let retention = rules.overdueStoppedRetention.value {
            boundaries.append(Sourced(retention, rules.overdueStoppedRetention.source))
        }
        return boundaries
    }

    /// Launches an instance observed in `phase` (e.g. still `pending`) at `now`.
    public func launch(
        _ instance: InstanceDescription,
        in phase: LaunchPhase,
        at now: Instant
    ) throws(ReleaseError)
        -> (AliyunInstance, [Effect])
    {
        try launch(instance, in: phase, standing: .inGoodStanding, at: now)
    }

    /// Launches an instance for an account in `standing`. AD11: an account with an overdue payment cannot
    /// create instances (CreateInstance answers an error; the code is AM4's choice).
    public func launch(
        _ instance: consuming InstanceDescription,
        in phase: LaunchPhase,
        standing: AccountStanding,
        at now: Instant
    ) throws(ReleaseError)
        -> (AliyunInstance, [Effect])
    {
        var effects = Effect.launchBuffer()
        let id = instance.id
        let place = rules.place(in: AliyunRules.all)
        let machine =
            try Self
            .launchMachine(instance.launch, profile: place, in: phase, standing: standing, at: now, into: &effects)
        return (AliyunInstance(id: id, lifecycle: machine), effects)
    }

    /// Launches an instance's machine without its id under the profile at `profile` in ``AliyunRules/all``,
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
    ) throws(ReleaseError) -> AliyunMachine {
        switch standing {
        case .inGoodStanding:
            break
        case .inArrears:
            throw AliyunErrorCode.accountArrearage.error(
                .launch,
                in: phase.phase,
                "the account has an overdue payment; no instance can be created until it is paid",
                "账户欠费；结清前不能创建实例",
                AliyunSource.am4
            )
        }
        return try AliyunMachine(launching: launch, profile: profile, phase: phase, at: now, effects: &effects)
    }

    /// DeleteInstances. AD2: 1 to 100 ids, one region per call, `DRYRUN.SUCCESS` for a passing dry run.
    /// Atomicity is undocumented; the model fails the whole request on the first refused member and
    /// changes nothing (fact sheet Q5, [MODEL]).
    public func releaseBatch(
        _ machines: inout [AliyunInstance],
        flags: ReleaseFlags,
        at now: Instant
    )
        throws(ReleaseError) -> [[Effect]]
    {
        let phase = machines.first?.phase ?? .running
        func refusal(
            _ refusal: AliyunErrorCode,
            _ message: String,
            _ chinese: String,
            _ source: Citation
        ) -> ReleaseError {
            refusal.error(.release, in: phase, message, chinese, source)
        }
        guard !machines.isEmpty else {
            throw refusal(
                .missingParameter,
                "DeleteInstances needs at least one InstanceId.N",
                "DeleteInstances 至少需要一个 InstanceId.N",
                AliyunSource.ad2
            )
        }
        guard machines.count <= batchLimit else {
            throw AliyunErrorCode.tooManyInstanceIds.error(
                .release,
                in: phase,
                .rendered(
                    by: SharedRefusalReason.tooManyIDs(api: "DeleteInstances", limit: batchLimit, given: machines.count)
                ),
                rules.batchLimit.source
            )
        }
        guard Set(machines.map(\.instance.region)).count == 1 else {
            throw refusal(
                .crossRegion,
                "DeleteInstances cannot cross regions",
                "DeleteInstances 不能跨地域",
                AliyunSource.ad2
            )
        }
        // Each member's own DeleteInstance runs on a copy, so the batch can never check less (or other)
        // than a single release does; a dry run stops before the copies are kept (AD2 DRYRUN.SUCCESS).
        let memberCommand = Command.release(flags.subtracting([.dryRun]))
        var trial = machines
        // Q5: all or nothing; each member's effects say so.
        let allEffects = try performAtomically(memberCommand, on: &trial, at: now).map { [.cited("Q5")] + $0 }
        if flags.contains(.dryRun) {
            throw refusal(
                .batchDryRunSuccess,
                "dry run: the request would have succeeded",
                "预检通过：请求本会成功",
                AliyunSource.ad2
            )
        }
        machines = trial
        return allEffects
    }
}
