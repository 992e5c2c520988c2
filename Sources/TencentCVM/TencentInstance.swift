public import ReleaseCore

/// One Tencent Cloud CVM instance: its id and its ``TencentMachine``, whose rules decide every transition.
///
/// The machine does not hold the id: a `Fleet` stores the ``TencentMachine`` alone and keeps ids apart, once
/// (Docs/Performance.md, "Machines without their ids"). Everything here forwards to the machine.
public struct TencentInstance: ReleaseStateMachine {
    public typealias Lifecycle = TencentMachine

    /// The instance's id.
    private var id: String
    /// The machine: the rules, the state, the deadlines and meters.
    public private(set) var lifecycle: TencentMachine

    /// Instance `id` whose machine is `lifecycle`.
    public init(id: String, lifecycle: TencentMachine) {
        self.id = id
        self.lifecycle = lifecycle
    }

    /// The rules in force.
    public var rules: TencentRules { lifecycle.rules }
    public var provider: ProviderID { lifecycle.provider }
    public var instance: InstanceDescription { InstanceDescription(id: id, launch: lifecycle.launch) }
    public var isProtected: Bool { lifecycle.isProtected }
    public var runningMeters: RunningMeters { lifecycle.runningMeters }
    public var pendingDeadlines: [Deadline] { lifecycle.pendingDeadlines }
    public static var deadlineKinds: [DeadlineKind] { TencentMachine.deadlineKinds }
    /// The kind of `rank` (``TencentMachine/deadlineKind(rank:)-swift.type.method``).
    public static func deadlineKind(rank: UInt8) -> DeadlineKind? { TencentMachine.deadlineKind(rank: rank) }
    public func deadlineKind(rank: UInt8) -> DeadlineKind? { TencentMachine.deadlineKind(rank: rank) }
    /// The rank of `kind` (``TencentMachine/deadlineRank(of:)-swift.type.method``).
    public static func deadlineRank(of kind: DeadlineKind) -> UInt8? { TencentMachine.deadlineRank(of: kind) }
    public func deadlineRank(of kind: DeadlineKind) -> UInt8? { TencentMachine.deadlineRank(of: kind) }
    public var restorableUntil: Instant? { lifecycle.restorableUntil }
    public var resourceFates: [ResourceOutcome] { lifecycle.resourceFates }
    public func resourceState(of resource: Resource) -> ResourceState { lifecycle.resourceState(of: resource) }
    /// The scheduled destruction time, if one is set (DescribeInstances `ActionTimer`).
    public var scheduledDestructionTime: Instant? { lifecycle.scheduledDestructionTime }
    public var phase: Phase { lifecycle.phase }
    /// The instance as DescribeInstances shows it, or nil once released.
    public var attributes: CVMInstanceAttributes? { lifecycle.attributes(id: id) }
    public var apiStatus: String { lifecycle.apiStatus }

    public mutating func perform(_ command: Command, at now: Instant, into effects: inout [Effect]) throws(ReleaseError)
    {
        try lifecycle.perform(command, at: now, into: &effects)
    }

    public mutating func handle(_ event: Event, at now: Instant, into effects: inout [Effect]) {
        lifecycle.handle(event, at: now, into: &effects)
    }
}

/// One Tencent Cloud CVM instance's release lifecycle, without its id: what a `Fleet` stores (``TencentInstance`` joins
/// it to its id).
///
/// ```
///   running ◄──start── stopped ◄──restore──┐
///     │  └────stop──────►┘                 │
///     │ TerminateInstances (pay-as-you-go: 2 h; subscription: 7 d)
///     ├──────────────────────────────► recycleBin ──second destroy / bin expiry──► released
///     │ arrears +2 h                                                                  ▲
///     ├──────────────► suspended ──top-up──► running                                  │
///     │                    └──── arrears +26 h (never via the bin) ───────────────────┤
///     └── scheduled destruction (to the second, skips the bin) / "release now" ───────┘
/// ```
///
/// Encodes seed 002 (T2) and the API pages TerminateInstances (TD1/TD2), the recycle bin (TD4), payment
/// overdue (TD5), the ActionTimer APIs (TD7) and StopInstances (TD8).
public struct TencentMachine: ReleaseLifecycle, MachineTransitions {
    /// Why an instance is in the recycle bin (`IsolatedSource`, TD9).
    private enum Isolation: Hashable, Sendable {
        /// The user destroyed it (`MANMADE`).
        case manual
        /// Its subscription expired (`EXPIRE`).
        case expired
    }

    private enum State: Hashable, Sendable {
        /// Alive: pending, starting, running, stopping or stopped (the core's shared ``LiveState``). Out:
        /// `transitionCompleted` settles; start and stop; release; the provider's own clocks; system releases.
        case live(LiveState)
        case suspended(resume: StopChargingMode?)
        /// In the recycle bin (API `SHUTDOWN`). Out: restore or renewal → stopped in `restoreMode` (the stop
        /// mode it had, KeepCharging if it was running); destroy → released; bin expiry; scheduled
        /// destruction; the subscription's expiry turns a returned instance into an expired one.
        case recycleBin(BinStay)
        /// Gone; absorbing. Every command is refused with `InvalidInstanceId.NotFound`. `addressReleased`: the
        /// EIP went with it (`ReleaseAddress`, TD1).
        case released(addressReleased: Bool)
    }

    /// How an instance is in the recycle bin: why (its `Isolation`), the stop mode a restore or renewal returns it
    /// to, and whether the destroy that parked it asked for `ReleaseAddress` (TD1). One byte rather than three, so
    /// that the state is two and a machine one cache line (Docs/Performance.md, "A machine in one cache line").
    private struct BinStay: Hashable, Sendable {
        // Bit 0: expired (else manual); bit 1: restore in StopCharging (else KeepCharging); bit 2: ReleaseAddress.
        private let bits: UInt8

        init(_ isolation: Isolation, restoreMode: StopChargingMode, releaseAddress: Bool) {
            var bits: UInt8 = 0
            switch isolation {
            case .manual: break
            case .expired: bits |= 1
            }
            switch restoreMode {
            case .keepCharging: break
            case .stopCharging: bits |= 2
            }
            if releaseAddress { bits |= 4 }
            self.bits = bits
        }

        var isolation: Isolation { bits & 1 != 0 ? .expired : .manual }
        var restoreMode: StopChargingMode { bits & 2 != 0 ? .stopCharging : .keepCharging }
        var releaseAddress: Bool { bits & 4 != 0 }

        /// The same stay, now for an expired subscription (TM6).
        var expired: BinStay { BinStay(.expired, restoreMode: restoreMode, releaseAddress: releaseAddress) }
    }

    /// The rules in force: the profile at `profile` of ``TencentRules/all`` (every profile is one of those constants).
    public var rules: TencentRules { TencentRules.all[Int(profile)] }
    /// The instance, its protection, its deadlines and meters, and the transitions both providers share.
    package var core: MachineCore
    // After the core, in its tail: a million machines are 16 bytes smaller each than with the state first.
    private var state: State

    // The machine's own flag and profile are the core's `providerBits`: `accountInArrears` (bit 0) and `profile` (the
    // other seven), in the core's padding, so that a machine is one cache line (Docs/Performance.md, "A machine in
    // one cache line").
    private var accountInArrears: Bool {
        get { core.providerBits[bits: 1] }
        set { core.providerBits[bits: 1] = newValue }
    }
    /// The place of the rules in force in ``TencentRules/all``: seven bits rather than a reference, so that a machine
    /// a replay copies carries no count to keep, in the core's padding.
    private var profile: UInt8 { core.providerBits >> 1 }
    /// The rules in force, lent without a reference counted (``TencentRules/lent(_:)``): read them through
    /// `_withUnsafeGuaranteedRef`.
    private var lentRules: Unmanaged<TencentRules> { TencentRules.lent(Int(profile)) }

    public var provider: ProviderID { .tencent }
    /// The instance as launched, with a subscription's expiry moved by renewals; its id is the holder's.
    public var launch: InstanceLaunch { core.launch }
    /// Whether the instance is billed pay-as-you-go now, read in place (a replay's count at its end reads a million).
    @usableFromInline package var isPayAsYouGo: Bool { core.launch.charge.isPayAsYouGo }
    public var isProtected: Bool { core.isProtected }
    public var runningMeters: RunningMeters { core.meters }
    public var pendingDeadlines: [Deadline] { core.deadlines.all(of: Self.deadlineKinds) }
    public static let deadlineKinds: [DeadlineKind] = TencentDeadline.allCases.map(\.kind)
    /// The kind of `rank`: the case of that raw value in the closed list (the fleet names each deadline that fires
    /// this way). A static too, so that a value holding several providers' machines answers without reading one.
    public static func deadlineKind(rank: UInt8) -> DeadlineKind? { TencentDeadline(rawValue: rank)?.kind }
    public func deadlineKind(rank: UInt8) -> DeadlineKind? { Self.deadlineKind(rank: rank) }
    /// The rank of `kind`: its case's raw value in the closed list (the fleet queues each deadline set this way).
    public static func deadlineRank(of kind: DeadlineKind) -> UInt8? { TencentDeadline(kind)?.rawValue }
    public func deadlineRank(of kind: DeadlineKind) -> UInt8? { Self.deadlineRank(of: kind) }
    /// The bin's own expiry (T2, TD6) while the instance is in it.
    public var restorableUntil: Instant? {
        phase == .recycleBin ? core.deadlines[TencentDeadline.recycleBinExpiry] : nil
    }

    public var resourceFates: [ResourceOutcome] {
        guard case .released(let addressReleased) = state else { return [] }
        return launch.resources.map {
            ResourceOutcome(
                $0,
                Self.fate(of: $0, launch: launch, rules: rules, addressReleased: addressReleased).fate
            )
        }
    }

    /// Calls `body` with each fate ``resourceFates`` lists, in its order, without building the list.
    @usableFromInline
    package func forEachResourceFate(_ body: (ResourceFate) -> Void) {
        guard case .released(let addressReleased) = state else { return }
        lentRules._withUnsafeGuaranteedRef { rules in
            launch.forEachResource {
                body(Self.fate(of: $0, launch: launch, rules: rules, addressReleased: addressReleased).fate)
            }
        }
    }

    /// TD10: a pay-as-you-go instance shut down without charge releases its ordinary public IP until it starts
    /// again (in the recycle bin and in arrears too, where it would come back stopped that way); TD4 (2025): an
    /// ordinary public IP is otherwise kept in the recycle bin and released when the bin's period ends. T2/TM2:
    /// the EIP of an instance in the bin is idle, billed on its own. Released: the resource's fate.
    public func resourceState(of resource: Resource) -> ResourceState {
        let stopMode: StopChargingMode?
        switch state {
        case .released(let addressReleased):
            return ResourceState(
                Self.fate(of: resource, launch: launch, rules: rules, addressReleased: addressReleased).fate
            )
        case .recycleBin(let stay):
            // As its meter: idle and billed unless the destroy asked for ReleaseAddress (TD1), held until release.
            if case .publicAddress = resource, launch.publicAddress == .elasticIP, !stay.releaseAddress {
                return .retained
            }
            stopMode = stay.restoreMode
        case .live(.stopped(let mode)): stopMode = mode
        case .suspended(let resume): stopMode = resume
        case .live(.pending), .live(.starting), .live(.running), .live(.stopping): stopMode = nil
        }
        let noChargeStop = stopMode == .stopCharging && launch.charge.isPayAsYouGo
        if case .publicAddress = resource, launch.publicAddress == .fixedPublicIP, noChargeStop { return .givenUp }
        return .attached
    }

    /// The scheduled destruction time, if one is set (DescribeInstancesActionTimer, status `UNDO`).
    public var scheduledDestructionTime: Instant? { core.deadlines[TencentDeadline.scheduledRelease] }

    public var phase: Phase {
        switch state {
        case .live(let live): return live.phase
        case .suspended: return .suspended
        case .recycleBin: return .recycleBin
        case .released: return .released
        }
    }

    /// Instance `id` as DescribeInstances shows it, or nil once released (fact sheet Q19: dropped from the list).
    public func attributes(id: String) -> CVMInstanceAttributes? {
        let instanceState: CVMInstanceAttributes.InstanceState
        var isolated = CVMInstanceAttributes.IsolatedSource.notIsolated
        var stopMode = CVMInstanceAttributes.StopChargingMode.notApplicable
        switch state {
        case .live(.pending): instanceState = .pending
        case .live(.starting): instanceState = .starting
        case .live(.running): instanceState = .running
        case .live(.stopping(let mode)):
            instanceState = .stopping
            stopMode = mode == .stopCharging ? .stopCharging : .keepCharging
        case .live(.stopped(let mode)):
            instanceState = .stopped
            stopMode = mode == .stopCharging ? .stopCharging : .keepCharging
        // Q20: SHUTDOWN with IsolatedSource marks isolation: arrears, or the recycle bin.
        case .suspended:
            instanceState = .shutdown
            isolated = .arrear
        case .recycleBin(let stay):
            instanceState = .shutdown
            switch stay.isolation {
            case .manual: isolated = .manmade
            case .expired: isolated = .expire
            }
        case .released:
            return nil
        }
        return CVMInstanceAttributes(
            instanceID: id,
            instanceState: instanceState,
            isolatedSource: isolated,
            restrictState: isolated == .expire ? .expired : .normal,
            stopChargingMode: stopMode,
            disableApiTermination: isProtected,
            chargeType: launch.charge.isPayAsYouGo ? .postpaidByHour : .prepaid,
            expiredTime: launch.charge.expiresAt,
            actionTimer: scheduledDestructionTime.map { CVMInstanceAttributes.ActionTimer(actionTime: $0) },
            recycleBinExpiry: core.deadlines[TencentDeadline.recycleBinExpiry]
        )
    }

    /// The CVM `InstanceState` with its `IsolatedSource` when isolated, from `attributes(id:)`. Console
    /// "Shutdown" is API `STOPPED`; API `SHUTDOWN` is isolation: names must not be mapped across (edge case 33).
    public var apiStatus: String { attributes(id: "")?.summary ?? "(not listed)" }  // The summary reads no id.

    /// The `UnsupportedOperation.InstanceState*` code for the current state (TD2 errors.go).
    private var stateCode: ReleaseError.Code {
        switch state {
        case .live(.pending): return TencentErrorCode.statePending
        case .live(.starting): return TencentErrorCode.stateStarting
        case .live(.running): return TencentErrorCode.stateRunning
        case .live(.stopping): return TencentErrorCode.stateStopping
        case .live(.stopped): return TencentErrorCode.stateStopped
        case .suspended, .recycleBin: return TencentErrorCode.stateShutdown
        case .released: return TencentErrorCode.stateTerminated
        }
    }

    init(
        launching launch: consuming InstanceLaunch,
        profile: Int,
        phase: LaunchPhase,
        at now: Instant,
        effects: inout [Effect]
    ) throws(ReleaseError) {
        precondition(TencentRules.all.indices.contains(profile), "a profile that is not one of TencentRules.all")
        // Seven bits hold the profile's place: a provider has a handful of dated profiles.
        precondition(profile < 128, "more than 128 CVM profiles")
        state = .live(LiveState(phase))
        // A pay-as-you-go instance bills from its launch, a stopped one too: it is in KEEP_CHARGING, the
        // StopInstances default (TD8), so compute keeps billing (TD10 stops it only in STOP_CHARGING).
        // Snapshots are billed as storage of their own; their fate on release is undocumented (Q17). An EIP
        // bound to a running instance is not billed as idle: it starts billing when the instance is destroyed
        // (T2, TM2).
        // Started in place (``MachineCore/init(holding:)``).
        core = MachineCore(holding: launch)
        try core.start(
            billsElasticIP: false,
            provider: TencentCVM.id,
            phase: phase.phase,
            subscriptionExpiryRank: TencentDeadline.subscriptionExpiry.rank,
            into: &effects
        )
        core.providerBits = UInt8(profile) << 1
    }

    // MARK: Commands

    public mutating func perform(_ command: Command, at now: Instant, into effects: inout [Effect]) throws(ReleaseError)
    {
        try dispatch(command, at: now, into: &effects)
    }

    package mutating func stop(chargingMode: StopChargingMode?, into effects: inout [Effect]) throws(ReleaseError) {
        switch state {
        case .live(.running):
            // TD8: StoppedMode defaults to KEEP_CHARGING; TD10: with no-charge shutdown CPU and memory stop
            // billing, disks still bill.
            let mode = chargingMode ?? .keepCharging
            state = .live(core.stopRunning(mode: mode, citing: mode == .stopCharging ? "TD10" : "TD8", into: &effects))
        case .live(.pending), .live(.starting), .live(.stopping), .live(.stopped), .suspended, .recycleBin:
            // TD8: only RUNNING instances can be stopped.
            throw stateRefusal(.stop, TencentSource.td8)
        case .released:
            throw notFound(.stop)
        }
    }

    package mutating func start(into effects: inout [Effect]) throws(ReleaseError) {
        switch state {
        case .live(.stopped):
            state = .live(core.startStopped(citing: "TD8", into: &effects))
        case .suspended:
            // TD5: an instance shut down for arrears cannot be started while the balance is negative. It is
            // isolated (SHUTDOWN, ARREAR); StartInstances' own code for that is InstanceStateShutdown (TD11: its
            // list has no InvalidAccount.InsufficientBalance).
            throw refusal(
                TencentErrorCode.stateShutdown,
                .start,
                "the instance is isolated for arrears; top up first",
                "实例因欠费被隔离；请先充值",
                TencentSource.td11
            )
        case .live(.pending), .live(.starting), .live(.running), .live(.stopping), .recycleBin:
            throw stateRefusal(.start, TencentSource.td2)
        case .released:
            throw notFound(.start)
        }
    }

    /// TerminateInstances (a destroy: 销毁).
    package mutating func release(
        flags: ReleaseFlags,
        at now: Instant,
        into effects: inout [Effect]
    ) throws(ReleaseError) {
        try checkDestroyAllowed(flags: flags)
        // ReleaseAddress, asked for now or at the first destroy, goes with the final release (TD1).
        let releaseAddress: Bool
        switch state {
        case .recycleBin(let stay):
            // T2/TD1: destroying an instance in the recycle bin releases it for good.
            effects.cite("T2", "TD1")
            releaseNow(releasingAddress: stay.releaseAddress || flags.contains(.releaseAddress), into: &effects)
            return
        case .live(.running), .live(.stopped), .suspended:
            // TD2 lists no refusal code for RUNNING, STOPPED or SHUTDOWN (fact sheet §3.2.1 note).
            if case .subscription = launch.charge, flags.contains(.immediately) {
                // The "release now" choice is offered for pay-as-you-go only (T2); [MODEL] code.
                throw refusal(
                    TencentErrorCode.instanceChargeType,
                    .release,
                    "release-now is offered for pay-as-you-go instances only",
                    "立即销毁只适用于按量付费实例",
                    TencentSource.tm3
                )
            }
            releaseAddress = flags.contains(.releaseAddress)
        case .live(.pending), .live(.starting), .live(.stopping):
            // TD2: transitional states are refused with UnsupportedOperation.InstanceState*.
            throw stateRefusal(.release, TencentSource.td2)
        case .released:
            throw notFound(.release)
        }
        switch launch.charge {
        case .payAsYouGo:
            if flags.contains(.immediately) {
                // T2: the console's "release now" clears the instance at once, unrecoverably.
                effects.cite("T2")
                releaseNow(releasingAddress: releaseAddress, into: &effects)
            } else if accountInArrears {
                // T2: pay-as-you-go instances in arrears never enter the recycle bin (fact sheet C7, seed).
                effects.cite("T2", "C7")
                releaseNow(releasingAddress: releaseAddress, into: &effects)
            } else {
                // T2: a manually destroyed pay-as-you-go instance is kept in the recycle bin at most 2 hours.
                effects.cite("T2")
                enterRecycleBin(
                    .manual,
                    retention: lentRules._withUnsafeGuaranteedRef { $0.payAsYouGoRecycleBinRetention.value },
                    releaseAddress: releaseAddress,
                    at: now,
                    into: &effects
                )
            }
        case .subscription:
            // TD1: a subscription's first TerminateInstances moves it to the recycle bin (7 days, TD6).
            effects.cite("TD1", "TD6")
            enterRecycleBin(
                .manual,
                retention: lentRules._withUnsafeGuaranteedRef { $0.subscriptionRecycleBinRetention.value },
                releaseAddress: releaseAddress,
                at: now,
                into: &effects
            )
        }
    }

    /// The checks of TerminateInstances that come before the state's: parameters, then protection.
    private func checkDestroyAllowed(flags: ReleaseFlags) throws(ReleaseError) {
        if case .released = state { throw notFound(.release) }
        if !flags.isSubset(of: TencentCVM.releaseFlags) {
            let unsupported = flags.subtracting(TencentCVM.releaseFlags)
            // TD2: TerminateInstances has no such parameter (no Force, no DryRun on CVM 2017-03-12).
            throw ReleaseError.tencent(
                TencentErrorCode.unknownParameter,
                .release,
                in: phase,
                .rendered(by: SharedRefusalReason.noSuchParameter(api: "TerminateInstances", flags: unsupported)),
                TencentSource.td2
            )
        }
        if isProtected {
            // TD2: termination protection (DisableApiTermination) blocks TerminateInstances.
            throw refusal(
                TencentErrorCode.instancesProtected,
                .release,
                "termination protection is on; disable it first",
                "已开启实例销毁保护；请先关闭",
                TencentSource.td2
            )
        }
    }

    /// ImportInstancesActionTimer / console scheduled destruction.
    package mutating func scheduleRelease(
        at time: Instant,
        now: Instant,
        into effects: inout [Effect]
    ) throws(ReleaseError) {
        if case .released = state { throw notFound(.scheduleRelease) }
        guard launch.charge.isPayAsYouGo else {
            // T2: scheduled destruction is for pay-as-you-go instances; code per fact sheet Q16.
            throw refusal(
                TencentErrorCode.actionTimerNotSupported,
                .scheduleRelease,
                "scheduled destruction is for pay-as-you-go instances only",
                "定时销毁只适用于按量付费实例",
                TencentSource.q16
            )
        }
        if case .recycleBin = state {
            // TD4: in the recycle bin only renew/restore, destroy and image creation are allowed; TD11:
            // ImportInstancesActionTimer's code for an instance it will not schedule.
            throw refusal(
                TencentErrorCode.actionTimerNotSupported,
                .scheduleRelease,
                "an launch in the recycle bin cannot be scheduled for destruction",
                "回收站中的实例不能设定定时销毁",
                TencentSource.td4
            )
        }
        if accountInArrears {
            // T2's table offers scheduled destruction to accounts not in arrears (定时销毁（未欠费）); an instance
            // shut down for arrears is isolated, and isolated instances do not support the operation. A schedule
            // accepted now would release the instance before the arrears release (issue 23).
            throw refusal(
                TencentErrorCode.actionTimerNotSupported,
                .scheduleRelease,
                phase == .suspended
                    ? "the instance is isolated for arrears; scheduled destruction is for accounts not in arrears"
                    : "the account is in arrears; scheduled destruction is for accounts not in arrears",
                phase == .suspended ? "实例因欠费被隔离；定时销毁仅适用于未欠费的账户" : "账户欠费；定时销毁仅适用于未欠费的账户",
                TencentSource.t2
            )
        }
        // TD7: ActionTime must be later than now + 5 minutes (exclusive); code per fact sheet Q15.
        let earliest = now + rules.scheduleMinimumLead.value
        guard time > earliest else {
            throw ReleaseError.tencent(
                TencentErrorCode.invalidParameterValue,
                .scheduleRelease,
                in: phase,
                .rendered(by: TencentRefusalReason.actionTimeTooSoon(actionTime: time, earliest: earliest)),
                TencentSource.q15
            )
        }
        // T2: precise to the second, kept as given. Fact sheet Q14: a new timer replaces the old one.
        effects.cite("T2", "TD7", "Q14")
        core.deadlines.set(
            TencentDeadline.scheduledRelease,
            at: time.truncated(to: rules.schedulePrecision.value),
            into: &effects
        )
    }

    /// DeleteInstancesActionTimer / console "撤销": effective immediately (T2). With no timer pending it is
    /// a harmless repeat with no effects. Unlike ECS, where cancelling is the same call as setting and is
    /// refused for a subscription (AD3), CVM deletes timers by their ActionTimerId (TD7) and a subscription
    /// never holds one (T2): there is nothing to refuse, so a subscription's cancel is that same harmless
    /// repeat (TM7).
    package mutating func cancelScheduledRelease(into effects: inout [Effect]) throws(ReleaseError) {
        if case .released = state {
            // TD11 lists no not-found code for DeleteInstancesActionTimer: the released instance's timer is a
            // resource that no longer exists (API 3.0's common ResourceNotFound).
            throw refusal(
                TencentErrorCode.resourceNotFound,
                .cancelScheduledRelease,
                "the instance has been released; it has no timer",
                "实例已销毁；没有定时任务",
                TencentSource.commonErrors
            )
        }
        guard launch.charge.isPayAsYouGo else {
            // TM7: a subscription never holds a timer; the answer names the choice and changes nothing.
            effects.cite("TM7")
            return
        }
        core.cancelScheduledRelease(citing: "T2", rank: TencentDeadline.scheduledRelease.rank, into: &effects)
    }

    /// ModifyInstancesAttribute `DisableApiTermination`.
    package mutating func setProtection(_ on: Bool, into effects: inout [Effect]) throws(ReleaseError) {
        switch state {
        case .recycleBin:
            // TD4: in the recycle bin only renew/restore, destroy and image creation are allowed.
            throw stateRefusal(.setProtection, TencentSource.td4)
        case .released:
            throw notFound(.setProtection)
        case .live, .suspended:
            break
        }
        if core.deadlines[TencentDeadline.scheduledRelease] != nil {
            // TD2: not supported for an instance with a termination schedule; cancel it first.
            throw refusal(
                TencentErrorCode.protectedWhileScheduled,
                .setProtection,
                "the instance has a scheduled destruction; cancel it first",
                "实例设有定时销毁；请先撤销",
                TencentSource.td2
            )
        }
        core.setProtection(on, citing: "TD2", into: &effects)
    }

    /// Renewal (RenewInstances for subscriptions). T2: recycle-bin instances can be renewed; a renewed
    /// expired subscription leaves the bin. Codes and the phase it comes back in are product choices (TM5).
    /// ModifyInstancesChargeType with `InstanceChargeType=POSTPAID_BY_HOUR` (TD12): a RUNNING or STOPPED
    /// subscription becomes pay-as-you-go from now, its expiry gone, its compute and the disks bought with it billing
    /// by the second (elastic data disks switch only with ModifyPortableDataDisk, which the model leaves false).
    /// TD12: not for an instance shut down without charge or with scheduled destruction; the codes for those, for
    /// one already pay-as-you-go and for a transitional one are TM10's.
    package mutating func convertToPayAsYouGo(at now: Instant, into effects: inout [Effect]) throws(ReleaseError) {
        let compute: Bool
        switch state {
        case .released: throw notFound(.convertToPayAsYouGo)
        case .live(.pending), .live(.starting):
            throw refusal(
                TencentErrorCode.operationInProgress,
                .convertToPayAsYouGo,
                "another operation is in progress on the instance",
                "实例有其他操作正在进行",
                TencentSource.tm10
            )
        case .live(.stopping), .suspended, .recycleBin: throw stateRefusal(.convertToPayAsYouGo, TencentSource.td12)
        case .live(.stopped(.stopCharging)):
            throw refusal(
                TencentErrorCode.instanceChargeType,
                .convertToPayAsYouGo,
                "an instance shut down without charge cannot change its billing mode",
                "关机不收费的实例不能修改计费模式",
                TencentSource.td12
            )
        case .live(.running): compute = true
        case .live(.stopped(.keepCharging)): compute = true
        }
        guard case .subscription = launch.charge, core.deadlines[TencentDeadline.scheduledRelease] == nil else {
            let scheduled = core.deadlines[TencentDeadline.scheduledRelease] != nil
            throw refusal(
                TencentErrorCode.instanceChargeType,
                .convertToPayAsYouGo,
                scheduled
                    ? "an instance with scheduled destruction cannot change its billing mode"
                    : "the instance is already pay-as-you-go",
                scheduled ? "设置了定时销毁的实例不能修改计费模式" : "实例已是按量计费",
                scheduled ? TencentSource.td12 : TencentSource.tm10
            )
        }
        effects.cite("TD12")
        core.launch.charge = .payAsYouGo
        core.deadlines.cancel(TencentDeadline.subscriptionExpiry, into: &effects)
        if compute { core.meters.start(.compute, into: &effects) }
        // TD12: ModifyPortableDataDisk (default false) decides whether elastic data disks switch too; the model
        // takes the default, so only the disks bought with the instance bill by the second from here.
        for (index, disk) in launch.disks.enumerated() where disk.role != .local && !disk.isElastic {
            core.meters.start(.disk(index), into: &effects)
        }
    }

    /// VPC TransformAddress (TD13; seed 001's mitigation, 将固定公网IP转为弹性公网IP): a RUNNING or STOPPED
    /// instance's ordinary public IP becomes an EIP, free while bound and kept, idle-billed, when the instance is
    /// destroyed (T2). Which states allow it, and the IP given up by a no-charge shutdown, are TM11's.
    package mutating func convertPublicIPToElasticIP(
        at now: Instant,
        into effects: inout [Effect]
    ) throws(ReleaseError) {
        let command = CommandKind.convertPublicIPToElasticIP
        switch state {
        case .released: throw notFound(command)
        case .live(.running), .live(.stopped): break
        case .live(.pending), .live(.starting), .live(.stopping), .suspended, .recycleBin:
            throw refusal(
                TencentErrorCode.invalidInstanceState,
                command,
                "the instance's state does not allow converting its public IP",
                "实例当前状态不支持转换公网IP",
                TencentSource.tm11
            )
        }
        switch launch.publicAddress {
        case .elasticIP:
            throw refusal(
                TencentErrorCode.alreadyBindEip,
                command,
                "the instance already has an EIP",
                "实例已绑定弹性公网IP",
                TencentSource.td13
            )
        case .none:
            throw refusal(
                TencentErrorCode.noWanIP,
                command,
                "the instance has no public IP",
                "实例没有公网IP",
                TencentSource.td13
            )
        case .fixedPublicIP where resourceState(of: .publicAddress) == .givenUp:
            throw refusal(
                TencentErrorCode.noWanIP,
                command,
                "shut down without charge, the instance has released its public IP",
                "关机不收费的实例已释放公网IP",
                TencentSource.tm11
            )
        case .fixedPublicIP: break
        }
        effects.cite("T2", "TD13")
        core.launch.publicAddress = .elasticIP
    }

    /// Returning (退还) a subscription early is TerminateInstances on it (TD1; TM12): the first call parks it in
    /// the recycle bin. A pay-as-you-go instance has nothing to return.
    package mutating func unsubscribe(at now: Instant, into effects: inout [Effect]) throws(ReleaseError) {
        if case .released = state { throw notFound(.unsubscribe) }
        guard case .subscription = launch.charge else {
            throw refusal(
                TencentErrorCode.instanceChargeType,
                .unsubscribe,
                "only a subscription is returned; a pay-as-you-go instance is destroyed",
                "只有包年包月实例可以退还；按量计费实例直接销毁",
                TencentSource.tm12
            )
        }
        try release(flags: [], at: now, into: &effects)
        effects.cite("TM12")
    }

    package mutating func renew(until: Instant, at now: Instant, into effects: inout [Effect]) throws(ReleaseError) {
        if case .released = state { throw notFound(.renew) }
        guard case .subscription(let expiresAt) = launch.charge else {
            throw refusal(
                TencentErrorCode.instanceChargeType,
                .renew,
                "only a subscription instance can be renewed; pay-as-you-go accounts top up",
                "只有包年包月实例可以续费；按量付费账户请充值",
                TencentSource.tm5
            )
        }
        if case .recycleBin(let stay) = state, stay.isolation == .manual {
            // A returned subscription comes back with restore, not renewal (TM5); RenewInstances' own code for an
            // instance it does not support (TD11: its list has no InstanceStateShutdown).
            throw refusal(
                TencentErrorCode.instanceNotSupported,
                .renew,
                "a returned subscription comes back with restore, not renewal",
                "已退还的包年包月实例通过恢复找回，而不是续费",
                TencentSource.tm5
            )
        }
        guard until > max(now, expiresAt) else {
            throw refusal(
                TencentErrorCode.invalidParameterValue,
                .renew,
                "the renewal must end after the current expiry and after now",
                "续费后的到期时间必须晚于当前到期时间和现在",
                TencentSource.tm5
            )
        }
        effects.cite("T2", "TM5")
        core.launch.charge = .subscription(expiresAt: until)
        if case .recycleBin(let stay) = state, stay.isolation == .expired {
            effects.append(.phaseChanged(from: .recycleBin, to: .stopped))
            state = .live(.stopped(stay.restoreMode))
            core.deadlines.cancel(TencentDeadline.recycleBinExpiry, into: &effects)
        }
        core.deadlines.set(TencentDeadline.subscriptionExpiry, at: until, into: &effects)
    }

    /// Console restore from the recycle bin (no API is documented, fact sheet Q18).
    package mutating func restore(into effects: inout [Effect]) throws(ReleaseError) {
        switch state {
        case .recycleBin(let stay):
            let (isolation, mode) = (stay.isolation, stay.restoreMode)
            if accountInArrears && launch.charge.isPayAsYouGo {
                // T2: a pay-as-you-go instance of an account in arrears must be topped up before restore.
                throw refusal(
                    TencentErrorCode.insufficientBalance,
                    .restore,
                    "the account is in arrears; top up before restoring",
                    "账户欠费；请充值后再恢复",
                    TencentSource.t2
                )
            }
            if isolation == .expired {
                // An expired subscription comes back only through renewal, which the model does not
                // simulate ([MODEL]).
                throw refusal(
                    TencentErrorCode.instanceChargeType,
                    .restore,
                    "an expired subscription instance is restored by renewing it (renew)",
                    "已到期的包年包月实例需通过续费恢复（renew）",
                    TencentSource.tm3
                )
            }
            // T2: recycle-bin instances can be restored. It comes back shut down ([MODEL]: restoring does not
            // boot it) in the stop mode it had (TM1), and its fees resume. Its other deadlines were kept in
            // the bin (TM6): a scheduled destruction still ahead and the subscription's expiry still apply.
            effects.cite("T2", "Q18", "TM1")
            effects.append(.phaseChanged(from: .recycleBin, to: .stopped))
            state = .live(.stopped(mode))
            core.deadlines.cancel(TencentDeadline.recycleBinExpiry, into: &effects)
            resumeInstanceFees(computeToo: mode == .keepCharging, into: &effects)
            core.meters.stop(.elasticIP, into: &effects)
        case .suspended:
            throw refusal(
                TencentErrorCode.insufficientBalance,
                .restore,
                "the instance is shut down for arrears; top up to resume it",
                "实例因欠费停机；充值后恢复",
                TencentSource.t2
            )
        case .live:
            throw stateRefusal(.restore, TencentSource.td4)
        case .released:
            throw notFound(.restore)
        }
    }

    // MARK: Events

    public mutating func handle(_ event: Event, at now: Instant, into effects: inout [Effect]) {
        dispatch(event, at: now, into: &effects)
    }

    package mutating func transitionCompleted(into effects: inout [Effect]) {
        // TD8: PENDING and STARTING become RUNNING, STOPPING becomes STOPPED.
        guard case .live(let live) = state, let settled = core.settle(live, citing: "TD8", into: &effects) else {
            return
        }
        state = .live(settled)
    }

    package mutating func providerEvent(_ event: ProviderEvent, at now: Instant, into effects: inout [Effect]) {
        // Another provider's event (a security lock, a refund): no CVM source describes one; on CVM returning
        // (退还) a subscription is TerminateInstances itself (T2, TD1). Nothing changes.
        guard let event = TencentEvent(event) else { return }
        switch event {}
    }

    package mutating func systemRelease(_ reason: SystemReleaseReason, into effects: inout [Effect]) {
        if case .released = state { return }
        // Fact sheet Q13: protection blocks only a user's TerminateInstances.
        effects.cite("Q13")
        releaseNow(into: &effects)
    }

    package mutating func deadlineReached(_ kind: DeadlineKind, at now: Instant, into effects: inout [Effect]) {
        // A kind CVM never sets (another provider's): like any deadline no longer pending, it changes nothing.
        guard let kind = TencentDeadline(kind) else { return }
        switch kind {
        case .scheduledRelease:
            // T2: at the set second the instance is released at once, never through the recycle bin;
            // protection does not stop it (fact sheet Q13).
            effects.cite("T2", "Q13")
            releaseNow(into: &effects)
        case .recycleBinExpiry:
            // T2: not restored within the retention → released.
            effects.cite(launch.charge.isPayAsYouGo ? "T2" : "TD6")
            releaseNow(into: &effects)
        case .arrearsShutdown:
            // T2: after 2 h in arrears the instance is shut down and stops being billed. A top-up brings back
            // the state it had (TM8): running, or stopped in its mode.
            guard case .live(let live) = state else {
                // Arrears deadlines are set only on a live instance, and a destroy in arrears skips the bin
                // (C7): nothing to shut down.
                return
            }
            effects.cite("T2")
            // TM9: a scheduled destruction set before arrears stays in force (TD7: only DeleteInstancesActionTimer
            // removes a timer); if it comes first it releases the instance, skipping the bin (T2).
            if core.deadlines[TencentDeadline.scheduledRelease] != nil { effects.cite("TM9") }
            effects.append(.phaseChanged(from: live.phase, to: .suspended))
            state = .suspended(resume: live.stopMode)
            stopInstanceFees(inRecycleBin: false, into: &effects)
        case .arrearsRelease:
            // T2: released at 26 h, never via the recycle bin.
            effects.cite(rules.arrearsShutdownPeriod.source.sourceCode, "Q13")
            releaseNow(into: &effects)
        case .subscriptionExpiry:
            if case .recycleBin(let stay) = state, stay.isolation == .manual {
                // A returned subscription that expires in the bin is an expired one (IsolatedSource EXPIRE):
                // it now comes back by renewal; the bin's own expiry is unchanged (TM6, [MODEL]).
                state = .recycleBin(stay.expired)
                effects.cite("TM6")
                return
            }
            // TD6: an expired subscription goes to the recycle bin for 7 days.
            effects.cite("TD6")
            enterRecycleBin(
                .expired,
                retention: rules.subscriptionRecycleBinRetention.value,
                releaseAddress: false,
                at: now,
                into: &effects
            )
        }
    }

    package mutating func arrearsBegan(at now: Instant, into effects: inout [Effect]) {
        guard !accountInArrears else { return }
        switch state {
        case .live:
            accountInArrears = true
            // T2: pay-as-you-go in arrears: 2 h billed and usable, then 24 h shut down, released at 26 h.
            guard launch.charge.isPayAsYouGo else { return }
            effects.cite(rules.arrearsShutdownPeriod.source.sourceCode)
            let shutdown = now + rules.arrearsBilledPeriod.value
            core.deadlines.set(TencentDeadline.arrearsShutdown, at: shutdown, into: &effects)
            core.deadlines.set(
                TencentDeadline.arrearsRelease,
                at: shutdown + rules.arrearsShutdownPeriod.value,
                into: &effects
            )
        case .suspended, .recycleBin:
            // In the bin nothing is billed; its own expiry governs it. Restore is refused until top-up (T2).
            accountInArrears = true
        case .released:
            return
        }
    }

    package mutating func balanceRestored(into effects: inout [Effect]) {
        guard accountInArrears else { return }
        if case .released = state { return }
        accountInArrears = false
        effects.cite("T2", "TD5")
        core.cancelArrearsDeadlines(
            shutdownRank: TencentDeadline.arrearsShutdown.rank,
            releaseRank: TencentDeadline.arrearsRelease.rank,
            into: &effects
        )
        if case .suspended(let resume) = state {
            // T2: renewing within the window keeps the instance; TD5: service resumes after top-up. It comes
            // back as it was before the shutdown (TM8, as ECS does per AD6): running, or stopped in its mode.
            effects.cite("TM8")
            if let mode = resume {
                effects.append(.phaseChanged(from: .suspended, to: .stopped))
                state = .live(.stopped(mode))
                resumeInstanceFees(computeToo: mode == .keepCharging, into: &effects)
            } else {
                effects.append(.phaseChanged(from: .suspended, to: .running))
                state = .live(.running)
                resumeInstanceFees(computeToo: true, into: &effects)
            }
        }
    }

    // MARK: Recycle bin and release

    private mutating func enterRecycleBin(
        _ isolation: Isolation,
        retention: Seconds,
        releaseAddress: Bool,
        at now: Instant,
        into effects: inout [Effect]
    ) {
        let restoreMode: StopChargingMode
        switch state {
        case .live(let live): restoreMode = live.stopMode ?? .keepCharging
        case .suspended, .recycleBin, .released: restoreMode = .keepCharging
        }
        effects.append(.phaseChanged(from: phase, to: .recycleBin))
        state = .recycleBin(BinStay(isolation, restoreMode: restoreMode, releaseAddress: releaseAddress))
        // The bin keeps the instance's other deadlines (TM6, [MODEL]): seed 002 drops a scheduled destruction
        // only when the user cancels it (撤销), and TD7 removes timers only through
        // DeleteInstancesActionTimer; one that comes due in the bin releases the instance, skipping the rest
        // of the bin (T2). The subscription's expiry stays in force too.
        if !core.deadlines.isEmpty { effects.cite("TM6") }
        core.deadlines.set(TencentDeadline.recycleBinExpiry, at: now + retention, into: &effects)
        stopInstanceFees(inRecycleBin: true, into: &effects)
        // T2: the EIP of a destroyed instance is kept and, idle, costs money (from the destroy: TM2).
        if launch.publicAddress == .elasticIP && !releaseAddress {
            effects.cite("TM2")
            core.meters.start(.elasticIP, into: &effects)
        }
    }

    /// Stops the instance's own fees. In the recycle bin (`inRecycleBin`), T2 says no instance fees at all
    /// (compute and its non-elastic disks) while TD4 (2025) keeps pay-as-you-go disks billing; an arrears
    /// shutdown stops billing in both profiles (T2, TD5).
    private mutating func stopInstanceFees(inRecycleBin: Bool, into effects: inout [Effect]) {
        core.meters.stop(.compute, into: &effects)
        guard !inRecycleBin || lentRules._withUnsafeGuaranteedRef({ $0.recycleBinStopsDiskBilling.value }) else {
            return
        }
        // By index, each disk read where it lies: walking a copy of the disks counted a reference to the array the
        // launches share, from every core.
        for index in 0..<core.launch.disks.count where !core.launch.disks[index].isElastic {
            core.meters.stop(.disk(index), into: &effects)
        }
    }

    /// Resumes a pay-as-you-go instance's own fees: its cloud disks, and compute unless it stays stopped in
    /// STOP_CHARGING mode (TD10).
    private mutating func resumeInstanceFees(computeToo: Bool, into effects: inout [Effect]) {
        core.meters.startPayAsYouGoFees(of: launch, compute: computeToo, into: &effects)
    }

    /// Releases the instance now (an automatic release: a timer, arrears, the provider itself), releasing the
    /// EIP only if a destroy that parked the instance in the bin asked for it (TD1).
    private mutating func releaseNow(into effects: inout [Effect]) {
        let asked: Bool
        switch state {
        case .recycleBin(let stay): asked = stay.releaseAddress
        case .live, .suspended, .released: asked = false
        }
        releaseNow(releasingAddress: asked, into: &effects)
    }

    /// Releases the instance now and settles every resource (T2, TD1, TD4; fact sheet §3.5): kept EIPs and
    /// elastic disks keep billing (T2); snapshots are untouched (retained, still billing, Q17).
    private mutating func releaseNow(releasingAddress: Bool, into effects: inout [Effect]) {
        let from = phase
        let rules = lentRules
        state = .released(addressReleased: releasingAddress)
        core.release(from: from, cancelling: Self.deadlineKinds, into: &effects) { resource, launch in
            rules._withUnsafeGuaranteedRef {
                Self.fate(of: resource, launch: launch, rules: $0, addressReleased: releasingAddress)
            }
        }
    }

    /// A resource's fate on release and the source code of the rule that decides it.
    private static func fate(
        of resource: Resource,
        launch: InstanceLaunch,
        rules: TencentRules,
        addressReleased: Bool
    ) -> (fate: ResourceFate, source: SourceCode) {
        switch resource {
        case .disk(let index):
            let disk = launch.disks[index]
            // T2: local and non-elastic cloud disks are released with the instance; elastic disks follow
            // their own lifecycle (TD4 2025: detached into the disk recycle bin).
            if disk.role == .local || !disk.isElastic { return (.released, "T2") }
            return (rules.elasticDiskFate.value, rules.elasticDiskFate.source.sourceCode)
        case .snapshot:
            // Fact sheet Q17: snapshot fate is undocumented; the model leaves them untouched.
            return (.retained, "Q17")
        case .publicAddress:
            switch launch.publicAddress {
            // TD4 (2025): an ordinary public IP is released.
            case .fixedPublicIP, .none: return (.released, "TD4")
            // T2: EIPs are kept; TD1: unless ReleaseAddress was asked for.
            case .elasticIP: return addressReleased ? (.released, "TD1") : (.retained, "T2")
            }
        }
    }

    // MARK: Helpers

    /// The answer for a released instance: the API no longer knows it (TD2).
    private func notFound(_ command: CommandKind) -> ReleaseError {
        refusal(TencentErrorCode.notFound, command, "the instance has been released", "实例已释放/销毁", TencentSource.td2)
    }

    private func stateRefusal(_ command: CommandKind, _ source: Citation) -> ReleaseError {
        refusal(
            stateCode,
            command,
            "the instance's current state does not support this operation",
            "实例当前状态不支持此操作",
            source
        )
    }

    private func refusal(
        _ code: ReleaseError.Code,
        _ command: CommandKind,
        _ message: String,
        _ chinese: String,
        _ source: Citation
    ) -> ReleaseError {
        .tencent(code, command, in: phase, message, chinese, source)
    }
}
