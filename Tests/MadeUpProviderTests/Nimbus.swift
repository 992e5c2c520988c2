import ReleaseCore

// Nimbus: a made-up cloud, defined entirely in this test target (issue 19, item 6). Its rules are its own and
// cite this file, not a real provider's documents: a release parks an instance in a recycle bin for one hour
// (Tencent's parks it for two), `purge` skips the bin, a scheduled release skips it too, and the bin's expiry is a
// deadline kind neither real provider has. It joins a registry with `ProviderModel.Kind.registering`, and
// nothing outside this target changes for it.

extension DeadlineKind {
    /// Nimbus's recycle bin lets go of an instance. Second in its machine's order (``NimbusDeadline``), the place
    /// Tencent's `recycleBinExpiry` has in its own: a rank is a place in one machine's list.
    static let nimbusBinPurge = DeadlineKind(name: "nimbusBinPurge", releasesInstance: true)
}

extension ReleaseFlag {
    /// `Purge=true`: release for good, skipping the bin. A word no real provider has.
    static let purge = ReleaseFlag("purge")
}

/// Nimbus's deadline kinds, in its machine's firing order: the shared ones and its bin's.
enum NimbusDeadline: UInt8, MachineDeadlineKinds {
    case scheduledRelease, nimbusBinPurge, arrearsShutdown, arrearsRelease, subscriptionExpiry

    var kind: DeadlineKind {
        switch self {
        case .scheduledRelease: return .scheduledRelease
        case .nimbusBinPurge: return .nimbusBinPurge
        case .arrearsShutdown: return .arrearsShutdown
        case .arrearsRelease: return .arrearsRelease
        case .subscriptionExpiry: return .subscriptionExpiry
        }
    }
}

/// Where Nimbus's rules come from: this made-up cloud's own choices.
enum NimbusSource {
    static let bin = Citation.model(
        "NB1",
        "Nimbus parks a released instance in its recycle bin for one hour",
        "Nimbus 回收站保留一小时"
    )
    static let purge = Citation.model("NB2", "Purge=true releases at once, skipping the bin", "Purge=true 立即释放，不进回收站")
    static let schedule = Citation.model(
        "NB3",
        "a scheduled release is second-precise and skips the bin",
        "定时释放精确到秒，不进回收站"
    )
    static let protection = Citation.model("NB4", "release protection blocks a manual release", "释放保护阻止手动释放")
    static let unsupported = Citation.model("NB5", "Nimbus has no other operation", "Nimbus 不支持其他操作")
}

/// Nimbus's one rule profile.
final class NimbusRules: RuleProfile {
    let info = ProfileInfo(name: "seed", asOf: "2026-12-04", summary: "A made-up cloud for the registry's test")
    let batchLimit = Sourced(10, NimbusSource.unsupported)
    let binRetention = Sourced(Seconds.hours(1), NimbusSource.bin)
}

/// The provider.
struct Nimbus: ReleaseProvider {
    let rules = NimbusRules()

    static let id = ProviderID(rawValue: "nimbus")
    static let profiles = [Nimbus()]
    static let releaseAPI = Sourced("PurgeInstance", NimbusSource.bin)
    static let notFoundCode: ReleaseError.Code = "InstanceNotFound"
    static let protectionCode: ReleaseError.Code = "InstanceProtected"
    static let directReleaseFlags: ReleaseFlags = [.purge]
    static let releaseFlags: [ReleaseFlag] = [.purge]
    static let providerEvents: [ProviderEvent] = []
    static let sourceCatalogue = Dictionary(
        uniqueKeysWithValues: [
            NimbusSource.bin, NimbusSource.purge, NimbusSource.schedule, NimbusSource.protection,
            NimbusSource.unsupported,
        ].map { ($0.code, $0) }
    )
    static let chineseReleaseWords = ChineseReleaseWords(
        verb: "释放",
        protection: "释放保护",
        cancelSchedule: "取消定时释放",
        source: NimbusSource.bin
    )

    var scheduledReleasePrecision: Sourced<Seconds> { Sourced(Seconds(1), NimbusSource.schedule) }
    var ruleBoundaries: [Sourced<Seconds>] { [rules.binRetention] }

    func launch(
        _ instance: InstanceDescription,
        in phase: LaunchPhase,
        standing: AccountStanding,
        at now: Instant
    ) throws(ReleaseError) -> (NimbusInstance, [Effect]) {
        var effects: [Effect] = []
        var core = MachineCore(holding: instance.launch)
        try core.start(
            billsElasticIP: true,
            provider: Self.id,
            phase: phase.phase,
            subscriptionExpiryRank: NimbusDeadline.subscriptionExpiry.rank,
            into: &effects
        )
        return (NimbusInstance(id: instance.id, core: core, state: .live(LiveState(phase)), rules: rules), effects)
    }

    func releaseBatch(
        _ machines: inout [NimbusInstance],
        flags: ReleaseFlags,
        at now: Instant
    ) throws(ReleaseError)
        -> [[Effect]]
    {
        try performAtomically(.release(flags), on: &machines, at: now)
    }
}

/// A Nimbus instance's release lifecycle. It keeps its id itself, so it is its own lifecycle (the protocol's default):
/// a fleet stores it whole.
struct NimbusInstance: ReleaseStateMachine {
    enum State: Hashable, Sendable {
        case live(LiveState)
        case recycleBin
        case released
    }

    let id: String
    var core: MachineCore
    private(set) var state: State
    let rules: NimbusRules

    init(id: String, core: MachineCore, state: State, rules: NimbusRules) {
        self.id = id
        self.core = core
        self.state = state
        self.rules = rules
    }

    static let deadlineKinds = NimbusDeadline.allCases.map(\.kind)

    var provider: ProviderID { Nimbus.id }
    var instance: InstanceDescription { InstanceDescription(id: id, launch: core.launch) }
    var isProtected: Bool { core.isProtected }
    var phase: Phase {
        switch state {
        case .live(let live): return live.phase
        case .recycleBin: return .recycleBin
        case .released: return .released
        }
    }
    var pendingDeadlines: [Deadline] { core.deadlines.all(of: Self.deadlineKinds) }
    var restorableUntil: Instant? { state == .recycleBin ? core.deadlines[NimbusDeadline.nimbusBinPurge] : nil }
    var runningMeters: RunningMeters { core.meters }
    /// Every resource goes with the instance (NB1): Nimbus keeps nothing.
    var resourceFates: [ResourceOutcome] {
        state == .released ? instance.resources.map { ResourceOutcome($0, .released) } : []
    }
    func resourceState(of resource: Resource) -> ResourceState { state == .released ? .released : .attached }
    var apiStatus: String {
        switch state {
        case .live(let live): return live.phase.rawValue.uppercased()
        case .recycleBin: return "IN_BIN"
        case .released: return "GONE"
        }
    }

    mutating func perform(_ command: Command, at now: Instant, into effects: inout [Effect]) throws(ReleaseError) {
        guard state != .released else {
            throw refusal(Nimbus.notFoundCode, command, "the instance is released", NimbusSource.unsupported)
        }
        switch command {
        case .release(let flags):
            guard flags.subtracting(Nimbus.releaseFlags).isEmpty else {
                throw refusal("InvalidParameter", command, "Nimbus has no release flag but purge", NimbusSource.purge)
            }
            if case .live = state, core.isProtected {
                throw refusal(Nimbus.protectionCode, command, "release protection is on", NimbusSource.protection)
            }
            if case .live(let live) = state, !flags.contains(.purge) {
                effects.cite(NimbusSource.bin.sourceCode)
                effects.append(.phaseChanged(from: live.phase, to: .recycleBin))
                core.deadlines.cancel(NimbusDeadline.scheduledRelease, into: &effects)
                core.meters.stop(.compute, into: &effects)
                core.deadlines.set(NimbusDeadline.nimbusBinPurge, at: now + rules.binRetention.value, into: &effects)
                state = .recycleBin
            } else {
                effects.cite(flags.contains(.purge) ? NimbusSource.purge.sourceCode : NimbusSource.bin.sourceCode)
                releaseNow(into: &effects)
            }
        case .restore:
            guard state == .recycleBin else {
                throw refusal("IncorrectState", command, "only an instance in the bin is restored", NimbusSource.bin)
            }
            effects.cite(NimbusSource.bin.sourceCode)
            effects.append(.phaseChanged(from: .recycleBin, to: .running))
            core.deadlines.cancel(NimbusDeadline.nimbusBinPurge, into: &effects)
            core.meters.start(.compute, into: &effects)
            state = .live(.running)
        case .scheduleRelease(let at):
            guard case .live = state, at > now else {
                throw refusal(
                    "InvalidParameter",
                    command,
                    "a schedule is a later time of a live instance",
                    NimbusSource.schedule
                )
            }
            effects.cite(NimbusSource.schedule.sourceCode)
            core.deadlines.set(NimbusDeadline.scheduledRelease, at: at, into: &effects)
        case .cancelScheduledRelease:
            core.cancelScheduledRelease(
                citing: NimbusSource.schedule.sourceCode,
                rank: NimbusDeadline.scheduledRelease.rank,
                into: &effects
            )
        case .setProtection(let on):
            core.setProtection(on, citing: NimbusSource.protection.sourceCode, into: &effects)
        case .stop, .start, .renew, .convertToPayAsYouGo, .convertPublicIPToElasticIP, .unsubscribe:
            throw refusal("UnsupportedOperation", command, "Nimbus only releases", NimbusSource.unsupported)
        }
    }

    mutating func handle(_ event: Event, at now: Instant, into effects: inout [Effect]) {
        switch event {
        case .deadlineReached(let deadline):
            guard state != .released, let kind = NimbusDeadline(deadline.kind),
                core.deadlines.take(deadline, rank: kind.rank)
            else {
                return
            }
            switch kind {
            case .scheduledRelease:
                effects.cite(NimbusSource.schedule.sourceCode)
                releaseNow(into: &effects)
            case .nimbusBinPurge:
                effects.cite(NimbusSource.bin.sourceCode)
                releaseNow(into: &effects)
            case .arrearsShutdown, .arrearsRelease, .subscriptionExpiry:
                // Nimbus sets none of these: only a pay-as-you-go cloud without arrears clocks.
                break
            }
        case .systemRelease:
            guard state != .released else { return }
            effects.cite(NimbusSource.unsupported.sourceCode)
            releaseNow(into: &effects)
        case .arrearsBegan, .balanceRestored, .transitionCompleted, .provider:
            break
        }
    }

    private mutating func releaseNow(into effects: inout [Effect]) {
        let from = phase
        state = .released
        core.release(from: from, cancelling: Self.deadlineKinds, into: &effects) { _, _ in
            (.released, NimbusSource.bin.sourceCode)
        }
    }

    private func refusal(
        _ code: ReleaseError.Code,
        _ command: Command,
        _ why: String,
        _ source: Citation
    )
        -> ReleaseError
    {
        ReleaseError(
            code: code,
            provider: Nimbus.id,
            phase: phase,
            command: command.kind,
            message: why,
            source: source
        )
    }

    static func == (lhs: NimbusInstance, rhs: NimbusInstance) -> Bool {
        lhs.id == rhs.id && lhs.core == rhs.core && lhs.state == rhs.state
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(core)
        hasher.combine(state)
    }
}
