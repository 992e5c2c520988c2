public import ReleaseCore

/// What the kit tests: a way to launch instances of one provider model, and the facts its laws need.
public struct Subject<Machine: ReleaseStateMachine>: Sendable {
    /// The model's name as scenario files write it (`aliyun`, `tencent@2025`), used in counterexamples.
    public var name: String
    /// Launches an instance in a phase at a time.
    public var launch: @Sendable (InstanceDescription, LaunchPhase, Instant) throws(ReleaseError) -> (Machine, [Effect])
    /// The provider's error code for a release blocked by protection.
    public var protectionCode: String
    /// The precision of scheduled releases: 60 s where the provider drops seconds, 1 s otherwise.
    public var scheduledReleasePrecision: Seconds

    /// Durations at which the subject's rules change their answer; the generator probes each side of them.
    public var ruleBoundaries: [Seconds]
    /// The release flags the generator tries (the provider's own, plus any others it should refuse) and the
    /// counterexample writer names.
    public var releaseFlags: [ReleaseFlag]
    /// The provider-only events the generator sends (the provider's own, plus any others it should ignore).
    public var providerEvents: [ProviderEvent]

    public init(
        name: String,
        protectionCode: String,
        scheduledReleasePrecision: Seconds,
        ruleBoundaries: [Seconds] = [],
        releaseFlags: [ReleaseFlag] = [],
        providerEvents: [ProviderEvent] = [],
        launch:
            @escaping @Sendable (InstanceDescription, LaunchPhase, Instant) throws(ReleaseError) -> (Machine, [Effect])
    ) {
        self.name = name
        self.launch = launch
        self.protectionCode = protectionCode
        self.scheduledReleasePrecision = scheduledReleasePrecision
        self.ruleBoundaries = ruleBoundaries
        self.releaseFlags = releaseFlags
        self.providerEvents = providerEvents
    }

    /// A provider's model as the subject: everything the laws and the generator need comes from the provider
    /// (its codes, precision and rule boundaries), so a new provider needs no test-kit code.
    /// A subject from a provider: its name, codes, precision, rule boundaries, release flags and events;
    /// `otherFlags` and `otherEvents` (e.g. other providers') are tried too, to check they are refused or ignored.
    public init<Provider: ReleaseProvider>(
        provider: Provider,
        name: String? = nil,
        otherFlags: [ReleaseFlag] = [],
        otherEvents: [ProviderEvent] = []
    ) where Provider.Machine == Machine {
        self.init(
            name: name
                ?? (provider.profile == Provider.profiles.first?.profile
                    ? Provider.id.rawValue : "\(Provider.id.rawValue)@\(provider.profile.name)"),
            protectionCode: Provider.protectionCode.rawValue,
            scheduledReleasePrecision: provider.scheduledReleasePrecision.value,
            ruleBoundaries: provider.ruleBoundaries.map(\.value),
            releaseFlags: Provider.releaseFlags + otherFlags.filter { !Provider.releaseFlags.contains($0) },
            providerEvents: Provider.providerEvents + otherEvents.filter { !Provider.providerEvents.contains($0) }
        ) { instance, phase, time throws(ReleaseError) in
            try provider.launch(instance, in: phase, standing: .inGoodStanding, at: time)
        }
    }
}

/// One generated run: the instance, the phase it starts in, and the actions.
public struct RunCase: Hashable, Sendable {
    public var instance: InstanceDescription
    public var launchPhase: LaunchPhase
    public var actions: [TestAction]

    public init(instance: InstanceDescription, launchPhase: LaunchPhase = .running, actions: [TestAction]) {
        self.instance = instance
        self.launchPhase = launchPhase
        self.actions = actions
    }
}

/// Everything a law or invariant sees about one step.
public struct StepContext<Machine: ReleaseStateMachine> {
    /// The step's index in the run (0-based).
    public let index: Int
    public let action: TestAction
    public let resolved: ResolvedAction
    public let before: Machine
    public let after: Machine
    public let nowBefore: Instant
    public let nowAfter: Instant
    /// For commands and events: the effects, or the refusal. For clock moves: the effects of every deadline fired.
    public let result: Result<[Effect], ReleaseError>
    /// The deadlines that fired during a clock move.
    public let fired: [Step]
    public let ledgerBefore: MeterLedger
    public let ledgerAfter: MeterLedger
    /// How many `.resourceFate` effects each resource has had so far in the run, this step included.
    public let fateEffects: [Resource: Int]
    public let subject: Subject<Machine>
}

/// A named property checked after every step; returns a description of the violation, or nil.
public struct Law<Machine: ReleaseStateMachine>: Sendable {
    public var name: String
    public var check: @Sendable (StepContext<Machine>) -> String?
    /// What the law demands of a violating step, as a scenario expectation, where a phase or an answer can
    /// say it: a counterexample scenario then carries it, so replaying it with `cloud-release simulate`
    /// fails until the cause is fixed.
    public var requirement: @Sendable (StepContext<Machine>) -> LawRequirement?

    public init(
        _ name: String,
        requirement: @escaping @Sendable (StepContext<Machine>) -> LawRequirement? = { _ in nil },
        check: @escaping @Sendable (StepContext<Machine>) -> String?
    ) {
        self.name = name
        self.requirement = requirement
        self.check = check
    }
}

/// What a law demands of a step, in the terms of a scenario expectation (Docs/Scenarios.md).
public struct LawRequirement: Hashable, Sendable {
    /// The phase the instance must be in after the step.
    public var phase: Phase?
    /// The provider code the step's command must be refused with.
    public var error: String?

    public init(phase: Phase? = nil, error: String? = nil) {
        self.phase = phase
        self.error = error
    }
}
