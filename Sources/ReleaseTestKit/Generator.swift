public import ReleaseCore

/// How often each kind of action is generated (relative weights; 0 turns one off).
public struct ActionWeights: Hashable, Sendable {
    public var stop = 6
    public var start = 5
    public var release = 10
    public var scheduleRelease = 8
    public var cancelSchedule = 3
    public var protect = 5
    public var restore = 5
    public var renew = 3
    public var convertToPayAsYouGo = 2
    public var convertPublicIP = 2
    public var unsubscribe = 2
    public var accountEvents = 4
    public var otherEvents = 1
    /// Clock moves to one second before, at, or after a pending deadline.
    public var deadlineJumps = 14
    /// Clock moves by one of the boundary lengths (1 s, 1 min, 2 h, 26 h, 15 d, ...).
    public var boundaryJumps = 8

    public init() {}
}

/// Generates instances and actions from the current state, so runs reach the interesting places: every
/// deadline is approached to the second, and lead times sit on each provider's window bounds.
public struct Generator: Sendable {
    public var weights = ActionWeights()
    /// Lead times tried for scheduled releases: a few ordinary ones, plus each of the subject's rule
    /// boundaries a second either side (see ``including(ruleBoundaries:)``).
    public var scheduleLeads: [Seconds] = [.hours(1) + Seconds(42), .days(1), .days(3_650)]
    /// Fixed clock moves: minute boundaries, plus the subject's rule boundaries.
    public var boundaryWaits: [Seconds] = [Seconds(1), Seconds(59), .minutes(1), .days(30)]
    /// Release flags tried, each with probability 1/4 (the subject's, and others it must refuse).
    public var releaseFlags: [ReleaseFlag] = []
    /// Provider-only events sent now and then (the subject's, and others it must ignore).
    public var providerEvents: [ProviderEvent] = []

    public init() {}

    /// The generator with `boundaries` (the provider's sourced rule values, `ReleaseProvider.ruleBoundaries`)
    /// added: lead times one second before, at and after each, and clock moves of each.
    public func including(ruleBoundaries boundaries: [Seconds]) -> Generator {
        var generator = self
        for boundary in boundaries {
            for lead in [boundary - Seconds(1), boundary, boundary + Seconds(1)]
            where !generator.scheduleLeads.contains(lead) {
                generator.scheduleLeads.append(lead)
            }
            if !generator.boundaryWaits.contains(boundary) { generator.boundaryWaits.append(boundary) }
        }
        return generator
    }

    /// A random instance: either charge type, any protection, a few disks, snapshots and an address.
    public func instance(using random: inout some RandomNumberGenerator) -> (InstanceDescription, LaunchPhase) {
        let charge: ChargeType =
            Int.random(in: 0..<4, using: &random) == 0
            ? .subscription(expiresAt: testKitStart + .days(Int64.random(in: 1...40, using: &random)))
            : .payAsYouGo
        var disks = [Disk(id: "system", role: .system, deleteWithInstance: Bool.random(using: &random))]
        for index in 0..<Int.random(in: 0...2, using: &random) {
            disks.append(
                Disk(
                    id: "data\(index)",
                    role: Int.random(in: 0..<4, using: &random) == 0 ? .local : .data,
                    deleteWithInstance: Bool.random(using: &random),
                    isElastic: Bool.random(using: &random),
                    deleteAutoSnapshots: Bool.random(using: &random)
                )
            )
        }
        var snapshots: [Snapshot] = []
        if Bool.random(using: &random) {
            let disk = disks.randomElement(using: &random)!
            snapshots.append(
                Snapshot(id: "snap", diskID: disk.id, kind: Bool.random(using: &random) ? .automatic : .manual)
            )
        }
        let instance = InstanceDescription(
            id: "i-test",
            charge: charge,
            isSpot: Int.random(in: 0..<8, using: &random) == 0,
            disks: disks,
            snapshots: snapshots,
            publicAddress: PublicAddress.allCases.randomElement(using: &random)!,
            isProtected: Int.random(in: 0..<3, using: &random) == 0
        )
        let phase: LaunchPhase =
            Int.random(in: 0..<6, using: &random) == 0 ? LaunchPhase.allCases.randomElement(using: &random)! : .running
        return (instance, phase)
    }

    /// A random action suited to `machine`'s state.
    public func action(
        for machine: some ReleaseStateMachine,
        using random: inout some RandomNumberGenerator
    ) -> TestAction {
        var choices: [(weight: Int, make: (inout any RandomNumberGenerator) -> TestAction)] = [
            (
                weights.stop,
                { random in
                    .command(.stop(chargingMode: [nil, .keepCharging, .stopCharging].randomElement(using: &random)!))
                }
            ),
            (weights.start, { _ in .command(.start) }),
            (
                weights.release,
                { [releaseFlags] random in
                    var flags: ReleaseFlags = []
                    for flag in releaseFlags where Int.random(in: 0..<4, using: &random) == 0 {
                        flags.insert(flag)
                    }
                    return .command(.release(flags))
                }
            ),
            (
                weights.scheduleRelease,
                { [scheduleLeads] random in
                    if Int.random(in: 0..<4, using: &random) == 0 {
                        return .scheduleReleaseYearsAhead(
                            3,
                            offset: Seconds([-60, -1, 0, 59, 60].randomElement(using: &random)!)
                        )
                    }
                    return .scheduleReleaseAfter(scheduleLeads.randomElement(using: &random)!)
                }
            ),
            (weights.cancelSchedule, { _ in .command(.cancelScheduledRelease) }),
            (weights.protect, { random in .command(.setProtection(Bool.random(using: &random))) }),
            (weights.restore, { _ in .command(.restore) }),
            (weights.renew, { random in .renewFor([.days(1), .days(30), .days(400)].randomElement(using: &random)!) }),
            (weights.convertToPayAsYouGo, { _ in .command(.convertToPayAsYouGo) }),
            (weights.convertPublicIP, { _ in .command(.convertPublicIPToElasticIP) }),
            (weights.unsubscribe, { _ in .command(.unsubscribe) }),
            (
                weights.accountEvents,
                { random in .event(Bool.random(using: &random) ? .arrearsBegan : .balanceRestored) }
            ),
            (
                weights.otherEvents,
                { [providerEvents] random in
                    ([.transitionCompleted, .systemRelease(.scaleIn), .systemRelease(.security)]
                        + providerEvents.map(Event.provider))
                        .map(TestAction.event).randomElement(using: &random)!
                }
            ),
            (weights.boundaryJumps, { [boundaryWaits] random in .wait(boundaryWaits.randomElement(using: &random)!) }),
        ]
        let deadlines = machine.pendingDeadlines
        if !deadlines.isEmpty {
            choices.append(
                (
                    weights.deadlineJumps,
                    { random in
                        .waitForDeadline(
                            deadlines.randomElement(using: &random)!.kind,
                            offset: Int64.random(in: -1...1, using: &random)
                        )
                    }
                )
            )
        }
        let total = choices.map(\.weight).reduce(0, +)
        var pick = Int.random(in: 0..<max(1, total), using: &random)
        var erased: any RandomNumberGenerator = SplitMix64(seed: random.next())
        for choice in choices {
            if pick < choice.weight { return choice.make(&erased) }
            pick -= choice.weight
        }
        return .wait(.hours(1))
    }
}
