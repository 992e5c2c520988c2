/// The provider-neutral half of a release state machine: the instance's launch, its protection, its deadlines and its
/// meters, with the transitions every provider makes the same way.
///
/// A provider's machine holds one `MachineCore` beside its own private state enum. The machine decides
/// *whether* a transition happens (its rules, its refusal codes, the sources it cites) and asks the core for
/// *what* the providers share: the launch's meters and timers, stopping a running instance, starting a stopped
/// one, settling a transitional state, and the settlement of a release. Each method appends its effects to the
/// caller's buffer and returns the live state to enter, so the machine keeps its state enum private and
/// exhaustive.
package struct MachineCore: Hashable, Sendable {
    /// The instance as launched, with a subscription's expiry moved by renewals; not its id, which the machine's
    /// holder keeps (``InstanceLaunch``).
    package var launch: InstanceLaunch
    /// Whether release protection is on now.
    package var isProtected: Bool
    /// Eight bits the provider's machine keeps for itself (its own flags, the place of its rules profile). They sit
    /// in the padding before the deadlines, where they cost nothing, so that a machine is one cache line
    /// (Docs/Performance.md, "A machine in one cache line"); the core never reads them.
    package var providerBits: UInt8 = 0
    /// The pending deadlines (at most one per kind).
    package var deadlines = DeadlineSet()
    /// The meters billing now.
    package var meters = RunningMeters()

    /// A core holding `launch`, nothing started yet: ``start(billsElasticIP:provider:phase:subscriptionExpiryRank:into:)``
    /// starts its launch in place.
    ///
    /// Made and started in two steps rather than by a throwing initialiser: a core returned from one was built, then
    /// copied out whole and the original destroyed, about 130 instructions and two references counted a launch
    /// (Docs/Performance.md, "A core started in place").
    package init(holding launch: consuming InstanceLaunch) {
        self.launch = launch
        self.isProtected = false
    }

    /// The launch both providers make: a pay-as-you-go instance's own fees start (compute and its cloud disks,
    /// a stopped one too: it is in KeepCharging, both providers' default stop mode), each snapshot bills as
    /// storage of its own, an elastic IP bills from the launch when `billsElasticIP`, and a subscription's
    /// expiry is set (at `subscriptionExpiryRank`, the kind's place in the machine's list).
    ///
    /// Refuses (`InvalidParameter`, with `provider` and `phase` in the error) an instance with more disks or
    /// snapshots than the meters can bill (``maximumDisks``, ``maximumSnapshots``), before any effect.
    package mutating func start(
        billsElasticIP: Bool,
        provider: ProviderID,
        phase: Phase,
        subscriptionExpiryRank: UInt8,
        into effects: inout [Effect]
    ) throws(ReleaseError) {
        guard launch.disks.count <= Self.maximumDisks, launch.snapshots.count <= Self.maximumSnapshots else {
            throw ReleaseError(
                code: "InvalidParameter",
                provider: provider,
                phase: phase,
                command: .launch,
                text: .rendered(
                    by: SharedRefusalReason.beyondCapacity(
                        disks: launch.disks.count,
                        snapshots: launch.snapshots.count
                    )
                ),
                source: Self.capacitySource
            )
        }
        // The meters and deadlines are built apart, reading the launch in place, and moved in last: handing
        // `self.launch` to `self.meters` copied the launch first.
        var meters = RunningMeters()
        var deadlines = DeadlineSet()
        meters.startPayAsYouGoFees(of: launch, into: &effects)
        if billsElasticIP && launch.publicAddress == .elasticIP { meters.start(.elasticIP, into: &effects) }
        for index in launch.snapshots.indices { meters.start(.snapshot(index), into: &effects) }
        if case .subscription(let expiresAt) = launch.charge {
            deadlines.set(.subscriptionExpiry, rank: subscriptionExpiryRank, at: expiresAt, into: &effects)
        }
        isProtected = launch.isProtected
        self.meters = meters
        self.deadlines = deadlines
    }

    /// The most disks (the system disk included) one instance may have: the meters bill each with one bit of a
    /// 64-bit mask. No provider sells more: ECS 16 data disks, CVM 21 (their RunInstances pages).
    package static let maximumDisks = 64
    /// The most snapshots one instance may have, for the same reason.
    package static let maximumSnapshots = 64

    /// Where the capacity comes from: the package's own bound, not a provider's rule.
    package static let capacitySource = Citation.model(
        "CAP",
        "the models bill one meter bit per disk and per snapshot: at most 64 of each on one instance (ECS sells 16 data disks, CVM 21)",
        "模型为每块盘、每个快照各用一个计费位：一个实例至多 64 块盘、64 个快照（ECS 最多 16 块数据盘，CVM 最多 21 块）"
    )

    /// Stops a running instance in `mode`, citing `source`: economical mode (StopCharging) stops compute billing.
    package mutating func stopRunning(
        mode: StopChargingMode,
        citing source: SourceCode,
        into effects: inout [Effect]
    ) -> LiveState {
        effects.append(.cited(source))
        effects.append(.phaseChanged(from: .running, to: .stopped))
        if mode == .stopCharging { meters.stop(.compute, into: &effects) }
        return .stopped(mode)
    }

    /// Starts a stopped instance, citing `source`: a pay-as-you-go instance's compute bills again.
    package mutating func startStopped(citing source: SourceCode, into effects: inout [Effect]) -> LiveState {
        effects.append(.cited(source))
        effects.append(.phaseChanged(from: .stopped, to: .running))
        if launch.charge.isPayAsYouGo { meters.start(.compute, into: &effects) }
        return .running
    }

    /// Turns release protection on or off, citing `source`; setting the value it already has is a harmless repeat
    /// with no effect.
    package mutating func setProtection(_ on: Bool, citing source: SourceCode, into effects: inout [Effect]) {
        guard on != isProtected else { return }
        isProtected = on
        effects.append(.cited(source))
        effects.append(.protectionChanged(on))
    }

    /// Cancels the scheduled release, citing `source`; with none pending it is a harmless repeat with no effect.
    /// `rank` is the kind's place in the machine's list.
    package mutating func cancelScheduledRelease(citing source: SourceCode, rank: UInt8, into effects: inout [Effect]) {
        guard deadlines[rank: rank] != nil else { return }
        effects.append(.cited(source))
        deadlines.cancel(.scheduledRelease, rank: rank, into: &effects)
    }

    /// Stops the arrears clocks (the account paid): both the shutdown and the release deadline.
    /// The ranks are the kinds' places in the machine's list.
    package mutating func cancelArrearsDeadlines(
        shutdownRank: UInt8,
        releaseRank: UInt8,
        into effects: inout [Effect]
    ) {
        deadlines.cancel(.arrearsShutdown, rank: shutdownRank, into: &effects)
        deadlines.cancel(.arrearsRelease, rank: releaseRank, into: &effects)
    }

    /// Settles a transitional state (`transitionCompleted`), citing `source`: pending and starting become
    /// running (a pay-as-you-go instance's compute bills), stopping becomes stopped in its mode (economical
    /// mode stops compute). Returns nil, with no effect, for a state that is already settled.
    package mutating func settle(
        _ live: LiveState,
        citing source: SourceCode,
        into effects: inout [Effect]
    ) -> LiveState? {
        guard let settled = live.settled else { return nil }
        effects.append(.cited(source))
        effects.append(.phaseChanged(from: live.phase, to: settled.phase))
        switch settled {
        case .running:
            if launch.charge.isPayAsYouGo { meters.start(.compute, into: &effects) }
        case .stopped(.stopCharging):
            meters.stop(.compute, into: &effects)
        case .pending, .starting, .stopping, .stopped(.keepCharging):
            break
        }
        return settled
    }

    /// Settles a release, the part every provider shares (the machine has moved its state to released): the
    /// phase change from `phase`, every pending deadline of `kinds` cancelled, compute stopped, each resource's
    /// fate recorded with the source of the rule that decided it (a released resource stops billing, a retained
    /// one bills on its own), and the data gone. `fate` is the provider's rule for one resource.
    @inlinable
    package mutating func release(
        from phase: Phase,
        cancelling kinds: [DeadlineKind],
        into effects: inout [Effect],
        fate: (Resource, InstanceLaunch) -> (fate: ResourceFate, source: SourceCode)
    ) {
        effects.append(.phaseChanged(from: phase, to: .released))
        deadlines.cancelAll(of: kinds, into: &effects)
        meters.stop(.compute, into: &effects)
        // The order of `InstanceLaunch.resources`, written out rather than through `forEachResource`: a
        // closure that reads the instance while the meters change would need a copy of the instance.
        for index in launch.disks.indices { settle(.disk(index), into: &effects, fate: fate) }
        for index in launch.snapshots.indices { settle(.snapshot(index), into: &effects, fate: fate) }
        if launch.publicAddress != .none { settle(.publicAddress, into: &effects, fate: fate) }
        effects.append(.dataUnrecoverable)
    }

    @inlinable
    mutating func settle(
        _ resource: Resource,
        into effects: inout [Effect],
        fate: (Resource, InstanceLaunch) -> (fate: ResourceFate, source: SourceCode)
    ) {
        let (resourceFate, source) = fate(resource, launch)
        meters.settle(
            resource,
            fate: resourceFate,
            source: source,
            publicAddress: launch.publicAddress,
            into: &effects
        )
    }
}

extension Array where Element == Effect {
    /// Appends up to three citations: the rules behind the effects that follow.
    @inlinable
    package mutating func cite(_ first: SourceCode, _ second: SourceCode? = nil, _ third: SourceCode? = nil) {
        append(.cited(first))
        if let second { append(.cited(second)) }
        if let third { append(.cited(third)) }
    }
}
