import FleetReplay
import ProviderRegistry
import ReleaseCore
import ReleaseTestKit
import Testing

/// A machine that sets the deadlines a test scripts and answers every one that fires: the fleet's queue seen
/// with no provider's rules in between. Each `scheduleRelease(at:)` sets its script's next kind at that time
/// (setting a kind again replaces it, as ``DeadlineSet`` does for every provider).
struct ScriptedMachine: ReleaseStateMachine {
    /// Every kind a registry's machines may set, then six made-up ones: more kinds than any provider has, so that
    /// ranks past those a deadline set stores inline are exercised too (a machine's kinds have no fixed number).
    static let deadlineKinds =
        AnyInstance.deadlineKinds + [
            DeadlineKind(name: "scripted6", releasesInstance: false),
            DeadlineKind(name: "scripted7", releasesInstance: false),
            DeadlineKind(name: "scripted8", releasesInstance: true),
            DeadlineKind(name: "scripted9", releasesInstance: false),
            DeadlineKind(name: "scripted10", releasesInstance: false),
            DeadlineKind(name: "scripted11", releasesInstance: true),
        ]

    var instance: InstanceDescription
    /// The kinds the next `scheduleRelease` commands set, in order.
    var script: [DeadlineKind]
    var deadlines = DeadlineSet()

    var provider: ProviderID { ProviderID(rawValue: "scripted") }
    var phase: Phase { .running }
    var isProtected: Bool { false }
    var pendingDeadlines: [Deadline] { deadlines.all(of: Self.deadlineKinds) }
    var restorableUntil: Instant? { nil }
    var runningMeters: RunningMeters { RunningMeters() }
    var resourceFates: [ResourceOutcome] { [] }
    func resourceState(of resource: Resource) -> ResourceState { .attached }
    var apiStatus: String { "scripted" }

    mutating func perform(_ command: Command, at now: Instant, into effects: inout [Effect]) throws(ReleaseError) {
        guard case .scheduleRelease(let at) = command, !script.isEmpty else {
            preconditionFailure("a scripted machine takes only as many scheduleRelease commands as its script has")
        }
        let kind = script.removeFirst()
        guard deadlines.set(kind, at: at, in: Self.deadlineKinds, into: &effects) else {
            preconditionFailure("a scripted machine sets only kinds it lists (\(kind))")
        }
    }

    mutating func handle(_ event: Event, at now: Instant, into effects: inout [Effect]) {
        // A deadline replaced since it was queued is stale and changes nothing, as in every provider's machine.
        guard case .deadlineReached(let deadline) = event, let rank = deadlineRank(of: deadline.kind),
            deadlines.take(deadline, rank: rank)
        else { return }
        effects.append(.deadlineCancelled(deadline.kind))
    }
}

/// The fleet's same-second rule (Docs/Traces.md, "Time"; `Fleet`'s doc): deadlines due in the same second fire
/// in the order their instances were added, and for one instance in its machine's order (its `deadlineKinds`),
/// whatever order they were set in. Random settings, in every order a seeded shuffle gives (issue 24 §1).
@Suite("Same-second deadlines: the order is the rule's, not the setting order")
struct TieOrderTests {
    static let t0 = Instant(iso8601: "2026-01-01T00:00:00Z")!
    /// `CLOUDRELEASE_PROPERTY_RUNS` sets the number of random cases (default 1,000).
    static let runs = PropertyRunner<AnyInstance>.configuredRuns(fallback: 1_000)

    /// The deadlines that fired, as `instance:kind@time`, in timeline order.
    static func fired<Machine: ReleaseStateMachine>(_ fleet: Fleet<Machine>) -> [String] {
        (fleet.timeline ?? []).compactMap { entry in
            guard case .event(.deadlineReached(let deadline)) = entry.cause else { return nil }
            return "\(fleet[entry.instance].instance.id):\(deadline.kind)@\(deadline.at.iso8601)"
        }
    }

    @Test("Any kinds of any instances due in one second, set in any order, fire by instance added, then by kind")
    func anySettingOrder() throws {
        #expect(ScriptedMachine.deadlineKinds.count > DeadlineSet.inlineRanks)
        var random = SplitMix64(seed: 0x7E_0D_E2)
        for run in 0..<Self.runs {
            let count = Int.random(in: 1...5, using: &random)
            let due = Self.t0 + .hours(1)
            // Each instance sets a random set of kinds, each due in one of three seconds: ties are the point.
            var settings: [(instance: Int, kind: DeadlineKind, at: Instant)] = []
            for instance in 0..<count {
                for kind in ScriptedMachine.deadlineKinds where Bool.random(using: &random) {
                    settings.append((instance, kind, due + Seconds(Int64.random(in: 0...2, using: &random))))
                }
            }
            // A kind set again replaces the earlier one, which then fires stale and unseen.
            for _ in 0..<Int.random(in: 0...2, using: &random) {
                guard let again = settings.randomElement(using: &random) else { break }
                settings.append((again.instance, again.kind, due + Seconds(Int64.random(in: 0...2, using: &random))))
            }
            settings.shuffle(using: &random)
            var fleet = Fleet<ScriptedMachine>(startingAt: Self.t0, recordTimeline: true)
            for instance in 0..<count {
                let machine = ScriptedMachine(
                    instance: InstanceDescription(id: "i\(instance)"),
                    script: settings.filter { $0.instance == instance }.map(\.kind)
                )
                try fleet.add(machine, launchEffects: [], account: "acct", at: Self.t0)
            }
            for setting in settings {
                try fleet.perform(.scheduleRelease(at: setting.at), on: fleet.handles[setting.instance], at: Self.t0)
            }
            // The clock crosses the tied seconds in one step or two.
            fleet.advance(to: due + Seconds(Int64.random(in: -1...2, using: &random)))
            fleet.advance(to: due + Seconds(3))
            // The reference: each instance's last setting of each kind, sorted by time, instance added, kind.
            var pending: [Int: [DeadlineKind: Instant]] = [:]
            for setting in settings { pending[setting.instance, default: [:]][setting.kind] = setting.at }
            func rank(_ kind: DeadlineKind) -> Int { ScriptedMachine.deadlineKinds.firstIndex(of: kind)! }
            let expected = pending.flatMap { instance, kinds in kinds.map { (instance, $0.key, $0.value) } }
                .sorted { ($0.2, $0.0, rank($0.1)) < ($1.2, $1.0, rank($1.1)) }
                .map { "i\($0.0):\($0.1)@\($0.2.iso8601)" }
            let fired = Self.fired(fleet)
            #expect(
                fired == expected,
                "run \(run): set in the order \(settings.map { "i\($0.instance):\($0.kind)@\($0.at.iso8601)" })"
            )
            if fired != expected { return }
        }
    }

    @Test(
        "Both providers' scheduled releases due in one second, set in any order, fire in launch order"
    )
    func providersAnySettingOrder() throws {
        var random = SplitMix64(seed: 0x7E_0D_E3)
        // On a whole minute and 2 h ahead: inside both providers' windows (A4: minute precision, 30 min lead; TD7).
        let due = Self.t0 + .hours(2)
        for run in 0..<max(1, Self.runs / 4) {
            let kinds = (0..<Int.random(in: 2...6, using: &random)).map { _ in
                ProviderModel.Kind.allCases.randomElement(using: &random)!
            }
            var fleet = Fleet<AnyInstance>(startingAt: Self.t0, recordTimeline: true)
            for (index, kind) in kinds.enumerated() {
                let (machine, effects) = try ProviderModel(kind).launch(
                    InstanceDescription(id: "i\(index)"),
                    at: Self.t0
                )
                try fleet.add(machine, launchEffects: effects, account: "acct", at: Self.t0)
            }
            // A CVM instance may also be destroyed after its schedule: its bin expiry (2 h, T2) falls in the same
            // second and is stale once the scheduled destruction has released it.
            var commands: [[Command]] = kinds.map { kind in
                kind == .tencent && Bool.random(using: &random)
                    ? [.scheduleRelease(at: due), .release()] : [.scheduleRelease(at: due)]
            }
            // The instances take turns in a random order; each instance's own commands keep theirs.
            let turns = commands.indices.flatMap { Array(repeating: $0, count: commands[$0].count) }
                .shuffled(using: &random)
            for instance in turns {
                try fleet.perform(commands[instance].removeFirst(), on: fleet.handles[instance], at: Self.t0)
            }
            fleet.advance(to: due + .hours(1))
            let expected = kinds.indices.map { "i\($0):scheduledRelease@\(due.iso8601)" }
            let fired = Self.fired(fleet)
            #expect(fired == expected, "run \(run): \(kinds), turns in the order \(turns)")
            if fired != expected { return }
            #expect(fleet.handles.allSatisfy { fleet[$0].phase == .released })
        }
    }
}
