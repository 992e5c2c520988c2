public import ReleaseCore

/// One Alibaba Cloud ECS instance: its id and its ``AliyunMachine``, whose rules decide every transition.
///
/// The machine does not hold the id: a `Fleet` stores the ``AliyunMachine`` alone and keeps ids apart, once
/// (Docs/Performance.md, "Machines without their ids"). Everything here forwards to the machine.
public struct AliyunInstance: ReleaseStateMachine {
    public typealias Lifecycle = AliyunMachine

    /// The instance's id.
    private var id: String
    /// The machine: the rules, the state, the deadlines and meters.
    public private(set) var lifecycle: AliyunMachine

    /// Instance `id` whose machine is `lifecycle`.
    public init(id: String, lifecycle: AliyunMachine) {
        self.id = id
        self.lifecycle = lifecycle
    }

    /// The rules in force.
    public var rules: AliyunRules { lifecycle.rules }
    public var provider: ProviderID { lifecycle.provider }
    public var instance: InstanceDescription { InstanceDescription(id: id, launch: lifecycle.launch) }
    public var isProtected: Bool { lifecycle.isProtected }
    public var runningMeters: RunningMeters { lifecycle.runningMeters }
    public var pendingDeadlines: [Deadline] { lifecycle.pendingDeadlines }
    public static var deadlineKinds: [DeadlineKind] { AliyunMachine.deadlineKinds }
    /// The kind of `rank` (``AliyunMachine/deadlineKind(rank:)-swift.type.method``).
    public static func deadlineKind(rank: UInt8) -> DeadlineKind? { AliyunMachine.deadlineKind(rank: rank) }
    public func deadlineKind(rank: UInt8) -> DeadlineKind? { AliyunMachine.deadlineKind(rank: rank) }
    /// The rank of `kind` (``AliyunMachine/deadlineRank(of:)-swift.type.method``).
    public static func deadlineRank(of kind: DeadlineKind) -> UInt8? { AliyunMachine.deadlineRank(of: kind) }
    public func deadlineRank(of kind: DeadlineKind) -> UInt8? { AliyunMachine.deadlineRank(of: kind) }
    public var restorableUntil: Instant? { lifecycle.restorableUntil }
    public var resourceFates: [ResourceOutcome] { lifecycle.resourceFates }
    public func resourceState(of resource: Resource) -> ResourceState { lifecycle.resourceState(of: resource) }
    /// The automatic release time, if one is set (DescribeInstances `AutoReleaseTime`).
    public var autoReleaseTime: Instant? { lifecycle.autoReleaseTime }
    public var phase: Phase { lifecycle.phase }
    /// The instance as DescribeInstances shows it, or nil once released.
    public var attributes: ECSInstanceAttributes? { lifecycle.attributes(id: id) }
    public var apiStatus: String { lifecycle.apiStatus }

    public mutating func perform(_ command: Command, at now: Instant, into effects: inout [Effect]) throws(ReleaseError)
    {
        try lifecycle.perform(command, at: now, into: &effects)
    }

    public mutating func handle(_ event: Event, at now: Instant, into effects: inout [Effect]) {
        lifecycle.handle(event, at: now, into: &effects)
    }
}

/// One Alibaba Cloud ECS instance's release lifecycle, without its id: what a `Fleet` stores (``AliyunInstance`` joins
/// it to its id).
///
/// ```
///   pending ──settle──► running ◄──start── stopped ◄──settle── stopping
///                         │  └────stop──────►┘
///                         │ overdue 15 d (2024 profile) / subscription expiry
///                         ▼
///                     suspended ──────────────┐
///   any live phase ──DeleteInstance / auto-release / overdue / expiry / security──► released (absorbing)
/// ```
///
/// Release is immediate and irreversible: there is no recycle bin (seed 001). Encodes seeds 000, 001,
/// 003, 004 and the API pages DeleteInstance (AD1), DeleteInstances (AD2), ModifyInstanceAutoReleaseTime
/// (AD3), overdue payments (AD6) and subscription billing (AD7).
public struct AliyunMachine: ReleaseLifecycle, MachineTransitions {
    /// Why the provider stopped an instance.
    private enum Suspension: Hashable, Sendable {
        /// Stopped for an overdue bill (console `Expired`, `LockReason=financial`, AD6). Payment restores the
        /// status before the stop: running (`nil`) or stopped in the given mode.
        case overdue(resumeStopped: StopChargingMode?)
        /// The subscription ran out (console `Expired`, AD7).
        case expired
        /// The subscription was refunded early (console "pending release", API `Stopped`, AD8).
        case refunded
    }

    private enum State: Hashable, Sendable {
        /// Alive: pending, starting, running, stopping or stopped (the core's shared ``LiveState``). Out:
        /// `transitionCompleted` settles; start and stop; release; the provider's own clocks; system releases.
        case live(LiveState)
        case suspended(Suspension)
        /// Gone; absorbing. Every command is refused with `InvalidInstanceId.NotFound`.
        case released
    }

    /// The rules in force: the profile at `profile` of ``AliyunRules/all`` (every profile is one of those constants).
    public var rules: AliyunRules { AliyunRules.all[Int(profile)] }
    /// The instance, its protection, its deadlines and meters, and the transitions both providers share.
    package var core: MachineCore
    // After the core, in its tail: a million machines are 16 bytes smaller each than with the state first.
    private var state: State
    // The machine's own flags and profile are the core's `providerBits`: `isSecurityLocked` (bit 0), `isOverdue`
    // (bit 1) and `profile` (the other six), in the core's padding, so that a machine is one cache line
    // (Docs/Performance.md, "A machine in one cache line").
    /// Whether the provider locked the instance for security (`LockReason=security`); AD1 keys the disks'
    /// fate on the lock, whatever then releases the instance.
    private var isSecurityLocked: Bool {
        get { core.providerBits[bits: 1] }
        set { core.providerBits[bits: 1] = newValue }
    }
    private var isOverdue: Bool {
        get { core.providerBits[bits: 2] }
        set { core.providerBits[bits: 2] = newValue }
    }
    /// The place of the rules in force in ``AliyunRules/all``: six bits rather than a reference, so that a machine a
    /// replay copies carries no count to keep, in the core's padding.
    private var profile: UInt8 { core.providerBits >> 2 }

    public var provider: ProviderID { .aliyun }
    /// The instance as launched, with a subscription's expiry moved by renewals; its id is the holder's.
    public var launch: InstanceLaunch { core.launch }
    /// Whether the instance is billed pay-as-you-go now, read in place (a replay's count at its end reads a million).
    @usableFromInline package var isPayAsYouGo: Bool { core.launch.charge.isPayAsYouGo }
    public var isProtected: Bool { core.isProtected }
    public var runningMeters: RunningMeters { core.meters }
    public var pendingDeadlines: [Deadline] { core.deadlines.all(of: Self.deadlineKinds) }
    public static let deadlineKinds: [DeadlineKind] = AliyunDeadline.allCases.map(\.kind)
    /// The kind of `rank`: the case of that raw value in the closed list (the fleet names each deadline that fires
    /// this way). A static too, so that a value holding several providers' machines answers without reading one.
    public static func deadlineKind(rank: UInt8) -> DeadlineKind? { AliyunDeadline(rawValue: rank)?.kind }
    public func deadlineKind(rank: UInt8) -> DeadlineKind? { Self.deadlineKind(rank: rank) }
    /// The rank of `kind`: its case's raw value in the closed list (the fleet queues each deadline set this way).
    public static func deadlineRank(of kind: DeadlineKind) -> UInt8? { AliyunDeadline(kind)?.rawValue }
    public func deadlineRank(of kind: DeadlineKind) -> UInt8? { Self.deadlineRank(of: kind) }
    /// ECS has no recycle bin (A1: a release is immediate and final).
    public var restorableUntil: Instant? { nil }

    public var resourceFates: [ResourceOutcome] {
        guard case .released = state else { return [] }
        return launch.resources.map {
            ResourceOutcome($0, Self.fate(of: $0, launch: launch, securityLocked: isSecurityLocked).fate)
        }
    }

    /// Calls `body` with each fate ``resourceFates`` lists, in its order, without building the list.
    @usableFromInline
    package func forEachResourceFate(_ body: (ResourceFate) -> Void) {
        guard case .released = state else { return }
        launch.forEachResource { body(Self.fate(of: $0, launch: launch, securityLocked: isSecurityLocked).fate) }
    }

    /// AD4: a pay-as-you-go instance stopped in economical mode (StopCharging) gives up its fixed public IP (the
    /// VPC public IP; an EIP stays bound) until it starts again, overdue stops included; released, its fate.
    public func resourceState(of resource: Resource) -> ResourceState {
        let noChargeStop: Bool
        switch state {
        case .released:
            return ResourceState(Self.fate(of: resource, launch: launch, securityLocked: isSecurityLocked).fate)
        case .live(.stopped(let mode)), .suspended(.overdue(resumeStopped: let mode?)):
            noChargeStop = mode == .stopCharging && launch.charge.isPayAsYouGo
        case .live(.pending), .live(.starting), .live(.running), .live(.stopping), .suspended(.overdue(nil)),
            .suspended(.expired), .suspended(.refunded):
            noChargeStop = false
        }
        if case .publicAddress = resource, launch.publicAddress == .fixedPublicIP, noChargeStop { return .givenUp }
        return .attached
    }

    /// The automatic release time, if one is set (DescribeInstances `AutoReleaseTime`).
    public var autoReleaseTime: Instant? { core.deadlines[AliyunDeadline.scheduledRelease] }

    public var phase: Phase {
        switch state {
        case .live(let live): return live.phase
        case .suspended: return .suspended
        case .released: return .released
        }
    }

    /// Instance `id` as DescribeInstances shows it, or nil once released (the API no longer lists it, seed 001).
    public func attributes(id: String) -> ECSInstanceAttributes? {
        let status: ECSInstanceAttributes.Status
        var stoppedMode = ECSInstanceAttributes.StoppedMode.notApplicable
        var locks: [ECSInstanceAttributes.LockReason] = isSecurityLocked ? [.security] : []
        var isExpired = false
        switch state {
        case .live(.pending): status = .pending
        case .live(.starting): status = .starting
        case .live(.running): status = .running
        case .live(.stopping(let mode)):
            status = .stopping
            stoppedMode = Self.stoppedMode(mode, payAsYouGo: launch.charge.isPayAsYouGo)
        case .live(.stopped(let mode)):
            status = .stopped
            stoppedMode = Self.stoppedMode(mode, payAsYouGo: launch.charge.isPayAsYouGo)
        // AD8: the console's Expired and Locked are API Stopped; AD6: an overdue stop carries LockReason=financial.
        case .suspended(.overdue):
            status = .stopped
            locks.append(.financial)
        case .suspended(.expired):
            status = .stopped
            isExpired = true
        case .suspended(.refunded):
            status = .stopped
            locks.append(.refunded)
        case .released:
            return nil
        }
        return ECSInstanceAttributes(
            instanceID: id,
            regionID: launch.region,
            status: status,
            stoppedMode: stoppedMode,
            operationLocks: locks,
            autoReleaseTime: autoReleaseTime,
            deletionProtection: isProtected,
            chargeType: launch.charge.isPayAsYouGo ? .postPaid : .prePaid,
            expiredTime: launch.charge.expiresAt,
            isSpot: launch.isSpot,
            isExpired: isExpired
        )
    }

    /// AD4: economical mode applies to pay-as-you-go instances; a subscription's is `Not-applicable`.
    private static func stoppedMode(_ mode: StopChargingMode, payAsYouGo: Bool) -> ECSInstanceAttributes.StoppedMode {
        guard payAsYouGo else { return .notApplicable }
        switch mode {
        case .keepCharging: return .keepCharging
        case .stopCharging: return .stopCharging
        }
    }

    /// The ECS API `Status` with the console's name for a provider stop, from `attributes(id:)`.
    public var apiStatus: String { attributes(id: "")?.summary ?? "(not listed)" }  // The summary reads no id.

    /// Launches an instance running at `now`, or in a given transitional/stable phase to describe one
    /// observed mid-flight. Refuses release protection on a subscription instance (fact sheet Q7).
    init(
        launching launch: consuming InstanceLaunch,
        profile: Int,
        phase: LaunchPhase,
        at now: Instant,
        effects: inout [Effect]
    ) throws(ReleaseError) {
        if launch.isProtected && !launch.charge.isPayAsYouGo {
            // Seeds 001/003: release protection is for pay-as-you-go instances only; the product refuses
            // it on subscriptions rather than silently ignoring it (fact sheet Q7, [MODEL]).
            throw Self.refusal(
                .chargeTypeViolation,
                .launch,
                "release protection applies to pay-as-you-go instances only",
                "释放保护只适用于按量付费实例",
                AliyunSource.q7,
                in: phase.phase
            )
        }
        precondition(AliyunRules.all.indices.contains(profile), "a profile that is not one of AliyunRules.all")
        // Six bits hold the profile's place: a provider has a handful of dated profiles.
        precondition(profile < 64, "more than 64 ECS profiles")
        state = .live(LiveState(phase))
        // Pay-as-you-go compute and its cloud disks bill by use; a subscription is prepaid (seed 000). An
        // instance launched stopped is in KeepCharging mode (the StopInstance default, AD4), and seed 000
        // says a stopped pay-as-you-go instance keeps billing unless it was stopped without charging. EIPs
        // and snapshots are billed as resources of their own (seed 001).
        // Started in place (``MachineCore/init(holding:)``).
        core = MachineCore(holding: launch)
        try core.start(
            billsElasticIP: true,
            provider: AliyunECS.id,
            phase: phase.phase,
            subscriptionExpiryRank: AliyunDeadline.subscriptionExpiry.rank,
            into: &effects
        )
        core.providerBits = UInt8(profile) << 2
    }

    // MARK: Commands

    public mutating func perform(_ command: Command, at now: Instant, into effects: inout [Effect]) throws(ReleaseError)
    {
        try dispatch(command, at: now, into: &effects)
    }

    /// ECS has no recycle bin: release is permanent (seed 001), and no restore API exists.
    package mutating func restore(into effects: inout [Effect]) throws(ReleaseError) {
        // Released or not, the call names an API ECS does not have: its only answer is the common code (issue 23:
        // InvalidInstanceId.NotFound belongs to the instance APIs' lists). Seed 001: release is permanent; an API that does not exist answers the common InvalidAction.NotFound.
        throw refusal(
            .actionNotFound,
            .restore,
            "ECS has no recycle bin; a released instance cannot be restored",
            "ECS 没有回收站；已释放的实例无法恢复",
            AliyunSource.commonErrors
        )
    }

    package mutating func stop(chargingMode: StopChargingMode?, into effects: inout [Effect]) throws(ReleaseError) {
        guard case .live(.running) = state, !isSecurityLocked else {
            // AD4 StopInstance: only a Running instance can be stopped.
            throw powerRefusal(.stop, "only a Running instance can be stopped", "只有运行中（Running）的实例可以停止")
        }
        // AD4 StopInstance: the default is KeepCharging unless the account opted into economical mode, which the
        // model does not track. Seed 000: economical mode (StopCharging) stops compute billing.
        let mode = chargingMode ?? .keepCharging
        state = .live(core.stopRunning(mode: mode, citing: mode == .stopCharging ? "A0" : "AD4", into: &effects))
    }

    package mutating func start(into effects: inout [Effect]) throws(ReleaseError) {
        guard case .live(.stopped) = state, !isSecurityLocked else {
            throw powerRefusal(.start, "only a Stopped instance can be started", "只有已停止（Stopped）的实例可以启动")
        }
        state = .live(core.startStopped(citing: "AD4", into: &effects))
    }

    /// DeleteInstance. Checks run in this order: parameters, security lock, billing method, protection,
    /// state, dry run. The order between protection and state is a product choice ([MODEL]): a policy
    /// refusal is more useful to report than a state one.
    package mutating func release(
        flags: ReleaseFlags,
        at now: Instant,
        into effects: inout [Effect]
    ) throws(ReleaseError) {
        try checkReleaseAllowed(flags: flags, at: now)
        if flags.contains(.dryRun) {
            // AD1: a dry run that passes every check answers DryRunOperation and releases nothing.
            throw refusal(
                .dryRunOperation,
                .release,
                "dry run: the request would have succeeded",
                "预检通过：请求本会成功",
                AliyunSource.ad1
            )
        }
        if flags.contains(.force) { effects.cite("A4", "A1") } else { effects.cite("A1") }
        releaseNow(into: &effects)
    }

    private func checkReleaseAllowed(flags: ReleaseFlags, at now: Instant) throws(ReleaseError) {
        if case .released = state { throw notFound(.release) }
        if !flags.isSubset(of: AliyunECS.releaseFlags) {
            let unsupported = flags.subtracting(AliyunECS.releaseFlags)
            // DeleteInstance has no such parameter: the trace format's "word the provider does not have". AD1's
            // list has InvalidParameter (400), not ModifyInstanceAutoReleaseTime's UnsupportedParameter.
            throw AliyunErrorCode.invalidParameter.error(
                .release,
                in: phase,
                .rendered(by: SharedRefusalReason.noSuchParameter(api: "DeleteInstance", flags: unsupported)),
                AliyunSource.ad1
            )
        }
        if isSecurityLocked {
            // AD1 lists InstanceLockedForSecurity for DeleteInstance (fact sheet C11).
            throw refusal(
                .lockedForSecurity,
                .release,
                "the instance is locked for security reasons",
                "实例因安全原因被锁定",
                AliyunSource.c11
            )
        }
        if case .subscription(let expiresAt) = launch.charge {
            // Seed 001: a refunded-and-stopped subscription may be released like an expired one.
            let refunded = state == .suspended(.refunded)
            if now < expiresAt && !refunded {
                // Seed 001 FAQ: an unexpired subscription must be unsubscribed first; AD14 names the code.
                throw refusal(
                    .chargeTypeViolation,
                    .release,
                    "an unexpired subscription instance cannot be released; unsubscribe first",
                    "未到期的包年包月实例不能释放；请先退订",
                    AliyunSource.a1
                )
            }
            if !flags.contains(.terminateSubscription) {
                // Seed 001: an expired subscription needs TerminateSubscription=true (code: fact sheet Q6).
                throw refusal(
                    .chargeTypeViolation,
                    .release,
                    "releasing an expired or refunded subscription instance needs TerminateSubscription",
                    "释放已到期或已退订的包年包月实例需要 TerminateSubscription",
                    AliyunSource.q6
                )
            }
        }
        if isProtected {
            // Seeds 001/003: release protection blocks a manual DeleteInstance. When the state would refuse it
            // too, reporting protection first is the product's choice (AM1).
            let stateRefusesToo: Bool
            switch state {
            case .live(.pending): stateRefusesToo = true
            case .live(.running), .live(.starting), .live(.stopping): stateRefusesToo = !flags.contains(.force)
            case .live(.stopped), .suspended, .released: stateRefusesToo = false
            }
            throw refusal(
                .deletionProtection,
                .release,
                "release protection is on; turn it off with ModifyInstanceAttribute first",
                "已开启释放保护；请先用 ModifyInstanceAttribute 关闭",
                stateRefusesToo ? AliyunSource.am1 : AliyunSource.a3
            )
        }
        switch state {
        case .live(.stopped), .suspended:
            // Seed 004: a Stopped instance can be released; AD11: so can an overdue-stopped one.
            return
        case .live(.pending):
            // AD1: still initializing.
            throw refusal(
                .initializing,
                .release,
                "the instance is still initializing",
                "实例仍在创建中",
                AliyunSource.ad1
            )
        case .live(.running), .live(.starting), .live(.stopping):
            // Seed 004: without Force only a Stopped instance can be released.
            guard flags.contains(.force) else {
                throw refusal(
                    .incorrectInstanceStatus,
                    .release,
                    "only a Stopped instance can be released without Force",
                    "不带 Force 时只有已停止（Stopped）的实例可以释放",
                    AliyunSource.a4
                )
            }
        case .released:
            throw notFound(.release)
        }
    }

    /// ModifyInstanceAutoReleaseTime with a time.
    package mutating func scheduleRelease(
        at requested: Instant,
        now: Instant,
        into effects: inout [Effect]
    ) throws(ReleaseError) {
        try refuseUnlessAutoReleasable(.scheduleRelease)
        // Seeds 000/004: precise to the minute; non-zero seconds are dropped (start of that minute).
        let effective = requested.truncated(to: rules.autoReleasePrecision.value)
        // Seed 004: at least 30 minutes and at most 3 years ahead; bounds inclusive (fact sheet Q2); the
        // window is checked on the effective time ([MODEL]); code per fact sheet Q1.
        let earliest = now + rules.autoReleaseMinimumLead.value
        let latest = now.addingCalendarYears(rules.autoReleaseMaximumLeadYears.value)
        guard effective >= earliest, effective <= latest else {
            throw AliyunErrorCode.malformedAutoReleaseTime.error(
                .scheduleRelease,
                in: phase,
                .rendered(
                    by: AliyunRefusalReason.autoReleaseTimeOutside(
                        effective: effective,
                        earliest: earliest,
                        latest: latest
                    )
                ),
                AliyunSource.q1
            )
        }
        // Seed 000: setting it again replaces the previous time; the window held, bounds included (Q2).
        effects.cite("A4", "A0", "Q2")
        core.deadlines.set(AliyunDeadline.scheduledRelease, at: effective, into: &effects)
    }

    /// ModifyInstanceAutoReleaseTime without a time: seed 004 says this disables automatic release.
    /// Cancelling when none is set is a harmless repeat with no effects. It is the same call as setting a
    /// time, so a subscription gets the same `ChargeTypeViolation` (AD3).
    package mutating func cancelScheduledRelease(into effects: inout [Effect]) throws(ReleaseError) {
        try refuseUnlessAutoReleasable(.cancelScheduledRelease)
        core.cancelScheduledRelease(citing: "A4", rank: AliyunDeadline.scheduledRelease.rank, into: &effects)
    }

    /// RenewInstance. Seed 000: a subscription that is never renewed is released; AD7: renewing within the
    /// 15 days after expiry brings it back. The codes are product choices (AM3).
    package mutating func renew(until: Instant, at now: Instant, into effects: inout [Effect]) throws(ReleaseError) {
        if case .released = state { throw notFound(.renew) }
        guard case .subscription(let expiresAt) = launch.charge else {
            throw refusal(
                .chargeTypeViolation,
                .renew,
                "only a subscription instance can be renewed",
                "只有包年包月实例可以续费",
                AliyunSource.am3
            )
        }
        if case .suspended(.refunded) = state {
            throw refusal(
                .chargeTypeViolation,
                .renew,
                "a refunded subscription cannot be renewed",
                "已退订的包年包月实例不能续费",
                AliyunSource.am3
            )
        }
        guard until > max(now, expiresAt) else {
            throw refusal(
                .chargeTypeViolation,
                .renew,
                "the renewal must end after the current expiry and after now",
                "续费后的到期时间必须晚于当前到期时间和现在",
                AliyunSource.am3
            )
        }
        effects.cite("A0", "AD7", "AM3")
        core.launch.charge = .subscription(expiresAt: until)
        core.deadlines.cancel(AliyunDeadline.expiredRelease, into: &effects)
        core.deadlines.set(AliyunDeadline.subscriptionExpiry, at: until, into: &effects)
        if case .suspended(.expired) = state {
            effects.append(.phaseChanged(from: .suspended, to: .running))
            state = .live(.running)
        }
    }

    /// ModifyInstanceChargeType with `InstanceChargeType=PostPaid` (AD19; seed 000: 也可以将计费方式转为按量付费后
    /// 释放实例): a Running or Stopped subscription becomes pay-as-you-go from now, its expiry gone; its compute
    /// (unless stopped without charge) and its system and data disks bill by the second from here (AD19's guide).
    /// An expired instance cannot convert (AD19); the other refusals' codes are AM5's.
    package mutating func convertToPayAsYouGo(at now: Instant, into effects: inout [Effect]) throws(ReleaseError) {
        let compute: Bool
        switch state {
        case .released: throw notFound(.convertToPayAsYouGo)
        case .suspended(.expired):
            throw refusal(
                .expiredInstance,
                .convertToPayAsYouGo,
                "an expired instance cannot change its billing method",
                "已到期的实例不能变更计费方式",
                AliyunSource.ad19
            )
        case .live(.pending), .live(.starting), .live(.stopping), .suspended(.overdue), .suspended(.refunded):
            throw refusal(
                .invalidStatus,
                .convertToPayAsYouGo,
                "the billing method changes only while the instance is Running or Stopped",
                "只有运行中或已停止的实例可以变更计费方式",
                phase == .suspended ? AliyunSource.am5 : AliyunSource.ad19
            )
        case .live(.running): compute = true
        case .live(.stopped(let mode)): compute = mode == .keepCharging
        }
        if isSecurityLocked {
            throw refusal(
                .invalidStatus,
                .convertToPayAsYouGo,
                "the instance is locked for security",
                "实例因安全原因被锁定",
                AliyunSource.am5
            )
        }
        guard case .subscription = launch.charge else {
            throw refusal(
                .invalidChargeType,
                .convertToPayAsYouGo,
                "the instance is already pay-as-you-go",
                "实例已是按量付费",
                AliyunSource.am5
            )
        }
        effects.cite("A0", "AD19")
        core.launch.charge = .payAsYouGo
        core.deadlines.cancel(AliyunDeadline.subscriptionExpiry, into: &effects)
        core.deadlines.cancel(AliyunDeadline.expiredRelease, into: &effects)
        core.meters.startPayAsYouGoFees(of: core.launch, compute: compute, into: &effects)
    }

    /// ConvertNatPublicIpToEip (AD20; seed 001: 规避方法：将固定公网IP转为弹性公网IP): a Running or Stopped instance's
    /// fixed public IP becomes an EIP, the same address, billed as one from now (AD20) and kept when the instance
    /// is released (A1). A subscription must not expire within 24 h (AD20); AM6 the codes the page leaves open.
    package mutating func convertPublicIPToElasticIP(
        at now: Instant,
        into effects: inout [Effect]
    ) throws(ReleaseError) {
        let command = CommandKind.convertPublicIPToElasticIP
        switch state {
        case .released: throw notFound(command)
        case .suspended(.overdue):
            throw refusal(.overduePayment, command, "the instance has an overdue payment", "实例欠费", AliyunSource.ad20)
        case .suspended(.expired):
            throw refusal(
                .endTimeNotSupported,
                command,
                "the subscription has expired",
                "包年包月实例已到期",
                AliyunSource.ad20
            )
        case .live(.pending), .live(.starting), .live(.stopping), .suspended(.refunded):
            throw refusal(
                .incorrectInstanceStatus,
                command,
                "the instance must be Running or Stopped",
                "实例须为运行中或已停止",
                phase == .suspended ? AliyunSource.am6 : AliyunSource.ad20
            )
        case .live(.running), .live(.stopped): break
        }
        if isSecurityLocked {
            throw refusal(
                .incorrectInstanceStatus,
                command,
                "the instance is locked for security",
                "实例因安全原因被锁定",
                AliyunSource.am6
            )
        }
        if case .subscription(let expiresAt) = launch.charge, expiresAt - now < .hours(24) {
            throw refusal(
                .endTimeNotSupported,
                command,
                "a subscription instance must not expire within 24 hours",
                "包年包月实例 24 小时内到期时不支持转换",
                AliyunSource.ad20
            )
        }
        switch launch.publicAddress {
        case .elasticIP:
            throw refusal(.operationDenied, command, "the address is already an EIP", "地址已是弹性公网IP", AliyunSource.am6)
        case .none:
            throw refusal(
                .zeroBandwidth,
                command,
                "the instance has no fixed public IP",
                "实例没有固定公网IP",
                AliyunSource.ad20
            )
        case .fixedPublicIP where resourceState(of: .publicAddress) == .givenUp:
            throw refusal(
                .zeroBandwidth,
                command,
                "stopped in economical mode, the instance has given up its fixed public IP",
                "节省停机模式下实例已释放固定公网IP",
                AliyunSource.am6
            )
        case .fixedPublicIP: break
        }
        effects.cite("A1", "AD20")
        core.launch.publicAddress = .elasticIP
        core.meters.start(.elasticIP, into: &effects)
    }

    /// Unsubscribing (退订) an unexpired subscription early (seeds 000/001: unsubscribe first, then release; AD8:
    /// it then waits Stopped, "pending release"); its expiry no longer matters. ECS has no API for it: the codes
    /// are AM7's.
    package mutating func unsubscribe(at now: Instant, into effects: inout [Effect]) throws(ReleaseError) {
        if case .released = state { throw notFound(.unsubscribe) }
        guard case .subscription(let expiresAt) = launch.charge, now < expiresAt else {
            throw refusal(
                .chargeTypeViolation,
                .unsubscribe,
                "only an unexpired subscription can be unsubscribed",
                "只有未到期的包年包月实例可以退订",
                AliyunSource.am7
            )
        }
        switch state {
        case .live(let live):
            effects.cite("A1", "A0")
            effects.append(.phaseChanged(from: live.phase, to: .suspended))
            state = .suspended(.refunded)
            core.deadlines.cancel(AliyunDeadline.subscriptionExpiry, into: &effects)
        case .suspended(.refunded):
            throw refusal(
                .chargeTypeViolation,
                .unsubscribe,
                "the subscription has been unsubscribed already",
                "包年包月实例已退订",
                AliyunSource.am7
            )
        case .suspended(.overdue), .suspended(.expired), .released:
            throw refusal(
                .incorrectInstanceStatus,
                .unsubscribe,
                "the instance is stopped and cannot be unsubscribed now",
                "实例已停止，当前不能退订",
                AliyunSource.am7
            )
        }
    }

    /// ModifyInstanceAttribute `DeletionProtection`.
    package mutating func setProtection(_ on: Bool, into effects: inout [Effect]) throws(ReleaseError) {
        if case .released = state { throw notFound(.setProtection) }
        guard launch.charge.isPayAsYouGo else {
            // Seeds 001/003: pay-as-you-go only; refused on subscriptions (fact sheet Q7, [MODEL]).
            throw refusal(
                .chargeTypeViolation,
                .setProtection,
                "release protection applies to pay-as-you-go instances only",
                "释放保护只适用于按量付费实例",
                AliyunSource.q7
            )
        }
        core.setProtection(on, citing: "A3", into: &effects)
    }

    // MARK: Events

    public mutating func handle(_ event: Event, at now: Instant, into effects: inout [Effect]) {
        dispatch(event, at: now, into: &effects)
    }

    package mutating func transitionCompleted(into effects: inout [Effect]) {
        // AD4: Pending and Starting become Running, Stopping becomes Stopped.
        guard case .live(let live) = state, let settled = core.settle(live, citing: "AD4", into: &effects) else {
            return
        }
        state = .live(settled)
    }

    package mutating func providerEvent(_ event: ProviderEvent, at now: Instant, into effects: inout [Effect]) {
        // Another provider's event: ECS has no such thing; nothing changes.
        guard let event = AliyunEvent(event) else { return }
        switch event {
        case .securityLocked:
            if case .released = state { return }
            isSecurityLocked = true
        case .subscriptionRefunded:
            // The same unsubscription, reported rather than asked for: one that no longer applies changes nothing.
            try? unsubscribe(at: now, into: &effects)
        }
    }

    package mutating func systemRelease(_ reason: SystemReleaseReason, into effects: inout [Effect]) {
        if case .released = state { return }
        // Seeds 001/003: security enforcement and Auto Scaling scale-in release despite protection. A
        // release for security implies the security lock (AD1), which then decides the disks' fate.
        switch reason {
        case .security:
            isSecurityLocked = true
            effects.cite("A3", "AD1")
        case .scaleIn:
            effects.cite("A3")
        }
        releaseNow(into: &effects)
    }

    package mutating func deadlineReached(_ kind: DeadlineKind, at now: Instant, into effects: inout [Effect]) {
        // A kind ECS never sets (another provider's): like any deadline no longer pending, it changes nothing.
        guard let kind = AliyunDeadline(kind) else { return }
        switch kind {
        case .scheduledRelease:
            // Seeds 000/004: released at AutoReleaseTime; seeds 001/003: protection does not stop it;
            // fact sheet Q3: whatever the state.
            effects.cite("A0", "A3", "Q3")
            releaseNow(into: &effects)
        case .arrearsShutdown:
            // AD6 (2024 profile): stopped at T+15 d, billing stops.
            effects.cite("AD6")
            effects.append(.phaseChanged(from: phase, to: .suspended))
            switch state {
            case .live(let live): state = .suspended(.overdue(resumeStopped: live.stopMode))
            case .suspended, .released: state = .suspended(.overdue(resumeStopped: nil))
            }
            core.meters.stop(.compute, into: &effects)
            if let retention = rules.overdueStoppedRetention.value {
                core.deadlines.set(AliyunDeadline.arrearsRelease, at: now + retention, into: &effects)
            }
        case .arrearsRelease:
            // Seed 003: overdue for more than 15 days → released, protection notwithstanding.
            effects.cite(rules.overdueStoppedRetention.value == nil ? "A3" : "AD6", "A3")
            releaseNow(into: &effects)
        case .subscriptionExpiry:
            // AD7: service stops at expiry (modelled at the expiry instant); released 15 days later.
            effects.cite("AD7", "AM2")
            effects.append(.phaseChanged(from: phase, to: .suspended))
            state = .suspended(.expired)
            core.deadlines.set(
                AliyunDeadline.expiredRelease,
                at: now + rules.expiredSubscriptionRetention.value,
                into: &effects
            )
        case .expiredRelease:
            // Seed 000: a subscription never renewed is released automatically (after 15 days, AD7).
            effects.cite("A0", "AD7")
            releaseNow(into: &effects)
        }
    }

    package mutating func arrearsBegan(at now: Instant, into effects: inout [Effect]) {
        // Overdue payments concern pay-as-you-go instances; a repeated notice is a harmless repeat.
        guard launch.charge.isPayAsYouGo, !isOverdue else { return }
        if case .released = state { return }
        isOverdue = true
        effects.cite(rules.overdueRunningPeriod.source.sourceCode)
        if rules.overdueStoppedRetention.value == nil {
            // Seed 003: a single step, released once 15 days overdue.
            core.deadlines.set(
                AliyunDeadline.arrearsRelease,
                at: now + rules.overdueRunningPeriod.value,
                into: &effects
            )
        } else {
            // AD6: running until T+15 d, then stopped.
            core.deadlines.set(
                AliyunDeadline.arrearsShutdown,
                at: now + rules.overdueRunningPeriod.value,
                into: &effects
            )
        }
    }

    package mutating func balanceRestored(into effects: inout [Effect]) {
        guard isOverdue else { return }
        if case .released = state { return }
        isOverdue = false
        effects.cite("AD6", "AD9")
        core.cancelArrearsDeadlines(
            shutdownRank: AliyunDeadline.arrearsShutdown.rank,
            releaseRank: AliyunDeadline.arrearsRelease.rank,
            into: &effects
        )
        if case .suspended(.overdue(let resumeStopped)) = state {
            // AD6/AD9: after payment the instance is reactivated "to the status before the payment became
            // overdue": running, or stopped as it was.
            if let mode = resumeStopped {
                effects.append(.phaseChanged(from: .suspended, to: .stopped))
                state = .live(.stopped(mode))
                if mode == .keepCharging { core.meters.start(.compute, into: &effects) }
            } else {
                effects.append(.phaseChanged(from: .suspended, to: .running))
                state = .live(.running)
                core.meters.start(.compute, into: &effects)
            }
        }
    }

    // MARK: Release

    /// Releases the instance now and settles every resource (seed 001 and AD1, fact sheet §2.5): retained
    /// disks, EIPs and snapshots keep billing (seed 001); a kept disk becomes pay-as-you-go (AD1), so a
    /// subscription's kept disk starts billing here.
    private mutating func releaseNow(into effects: inout [Effect]) {
        let from = phase
        let securityLocked = isSecurityLocked
        state = .released
        core.release(from: from, cancelling: Self.deadlineKinds, into: &effects) { resource, launch in
            Self.fate(of: resource, launch: launch, securityLocked: securityLocked)
        }
    }

    /// A resource's fate on release and the source code of the rule that decides it.
    private static func fate(
        of resource: Resource,
        launch: InstanceLaunch,
        securityLocked: Bool
    ) -> (fate: ResourceFate, source: SourceCode) {
        /// Seed 001: system and local disks are released with the instance, whatever their DeleteWithInstance
        /// flag (fact sheet Q8); data disks follow DeleteWithInstance; AD1: a security-locked instance's disks
        /// are released even when it is false, whatever releases the instance.
        func diskReleased(_ index: Int) -> Bool {
            let disk = launch.disks[index]
            switch disk.role {
            case .system, .local: return true
            case .data: return disk.deleteWithInstance || securityLocked
            }
        }
        switch resource {
        case .disk(let index):
            let fate: ResourceFate = diskReleased(index) ? .released : .retained
            // AD1 for a security-locked instance; seed 001 (and Q8 for the system disk) otherwise.
            if securityLocked { return (fate, "AD1") }
            return (fate, launch.disks[index].role == .system ? "Q8" : "A1")
        case .snapshot(let index):
            let snapshot = launch.snapshots[index]
            switch snapshot.kind {
            case .manual:
                // AD1: manual snapshots are kept and keep billing.
                return (.retained, "AD1")
            case .automatic:
                // Seed 001/AD1: automatic snapshots go with their disk when DeleteAutoSnapshot is true.
                guard let disk = launch.diskIndex(ofSnapshot: index) else { return (.retained, "A1") }
                let deleted = diskReleased(disk) && launch.disks[disk].deleteAutoSnapshots
                return (deleted ? .released : .retained, "A1")
            }
        case .publicAddress:
            switch launch.publicAddress {
            // Seed 001: a fixed public IP is reclaimed and cannot be recovered.
            case .fixedPublicIP, .none: return (.released, "A1")
            // Seed 001: an EIP is not released with the instance and keeps billing.
            case .elasticIP: return (.retained, "A1")
            }
        }
    }

    // MARK: Helpers

    /// The answer for a released instance: the API no longer knows it, and says so with its own code (issue 23).
    private func notFound(_ command: CommandKind) -> ReleaseError {
        let code: AliyunErrorCode
        switch command {
        // AD1, AD15-AD18: the instance APIs answer InvalidInstanceId.NotFound.
        case .release, .stop, .start, .setProtection, .renew, .launch, .convertToPayAsYouGo,
            .convertPublicIPToElasticIP, .unsubscribe:
            code = .notFound
        // AD3: ModifyInstanceAutoReleaseTime answers NoSuchResource ("The specified resource is not found").
        case .scheduleRelease, .cancelScheduledRelease: code = .noSuchResource
        // No restore API: the common InvalidAction.NotFound.
        case .restore: code = .actionNotFound
        }
        let source = AliyunErrorCode.documentedSource(of: code, for: command) ?? AliyunSource.ad1
        return refusal(code, command, "the instance has been released", "实例已释放/销毁", source)
    }

    /// ModifyInstanceAutoReleaseTime's own checks, with or without a time: the instance must exist (AD3), and
    /// AD3: automatic release is for pay-as-you-go (and spot) instances; a subscription gets ChargeTypeViolation.
    private func refuseUnlessAutoReleasable(_ command: CommandKind) throws(ReleaseError) {
        if case .released = state { throw notFound(command) }
        guard launch.charge.isPayAsYouGo else {
            throw refusal(
                .chargeTypeViolation,
                command,
                "automatic release applies to pay-as-you-go instances only",
                "自动释放只适用于按量付费实例",
                AliyunSource.ad3
            )
        }
    }

    /// Why StopInstance or StartInstance is refused, checked in this order: a released instance is not found
    /// (AD1); a security lock refuses both in every state (AD4); an overdue or expired instance, stopped by the
    /// provider, cannot be stopped or started (AD11); any other state is the wrong one (`wrongState`, AD4).
    private func powerRefusal(_ command: CommandKind, _ wrongState: String, _ chineseWrongState: String) -> ReleaseError
    {
        switch state {
        case .released:
            return notFound(command)
        case _ where isSecurityLocked:
            return refusal(
                .lockedForSecurity,
                command,
                "the instance is locked for security reasons",
                "实例因安全原因被锁定",
                AliyunSource.ad4
            )
        case .suspended:
            // AD11: both are errors for an overdue instance; each API names its own code: StopInstance
            // InstanceExpiredOrInArrears (AD15), StartInstance InstanceExpired (AD16).
            return refusal(
                command == .start ? .instanceExpired : .expiredOrInArrears,
                command,
                "the instance is stopped for an overdue bill or an expired subscription",
                "实例因欠费或到期已停机",
                AliyunSource.ad11
            )
        case .live:
            return refusal(.incorrectInstanceStatus, command, wrongState, chineseWrongState, AliyunSource.ad4)
        }
    }

    private func refusal(
        _ refusal: AliyunErrorCode,
        _ command: CommandKind,
        _ message: String,
        _ chinese: String,
        _ source: Citation
    ) -> ReleaseError {
        Self.refusal(refusal, command, message, chinese, source, in: phase)
    }

    private static func refusal(
        _ refusal: AliyunErrorCode,
        _ command: CommandKind,
        _ message: String,
        _ chinese: String,
        _ source: Citation,
        in phase: Phase
    ) -> ReleaseError {
        refusal.error(command, in: phase, message, chinese, source)
    }
}
