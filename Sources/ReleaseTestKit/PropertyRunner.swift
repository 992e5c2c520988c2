import Foundation
public import ReleaseCore

/// A failing run, shrunk, with everything needed to replay it.
public struct Counterexample: Hashable, Sendable, CustomStringConvertible {
    /// The seed of the failing case: `runner.replay(seed:)` regenerates it.
    public var seed: UInt64
    /// The law that failed on the shrunk case.
    public var violation: Violation
    /// The shrunk case.
    public var runCase: RunCase
    /// How many actions the case had before shrinking.
    public var originalLength: Int
    /// The shrunk case as a scenario file that `cloud-release simulate` replays.
    public var scenario: String

    public var description: String {
        """
        Law violated: \(violation)
        Seed: \(seed) (shrunk from \(originalLength) to \(runCase.actions.count) actions)
        Replay: save the scenario below as counterexample.json and run `cloud-release simulate counterexample.json`
        \(scenario)
        """
    }
}

/// What a property run did.
public struct PropertyReport: Hashable, Sendable {
    public var subject: String
    /// Cases generated and run.
    public var runs: Int
    /// Steps executed across all cases (each checked against every law).
    public var steps: Int
    /// Cases skipped because the provider refused the launch.
    public var invalid: Int
    /// The first failure, shrunk, if any.
    public var counterexample: Counterexample?
}

/// The state-machine property runner: random cases from seeds, laws after every step, shrinking of whole
/// action sequences, counterexamples printed as replayable scenarios.
public struct PropertyRunner<Machine: ReleaseStateMachine>: Sendable {
    public var subject: Subject<Machine>
    /// Laws and your own invariants, checked after every step.
    public var laws: [Law<Machine>]
    public var generator = Generator()
    /// How many cases to run.
    public var runs: Int
    /// The longest case generated.
    public var maxActions = 24
    /// The first case's seed; case i uses `seed &+ i`.
    public var seed: UInt64

    /// The number of runs from `CLOUDRELEASE_PROPERTY_RUNS`, or `fallback` (10,000 by default).
    public static func configuredRuns(fallback: Int = 10_000) -> Int {
        ProcessInfo.processInfo.environment["CLOUDRELEASE_PROPERTY_RUNS"].flatMap(Int.init) ?? fallback
    }

    public init(
        subject: Subject<Machine>,
        laws: [Law<Machine>] = Laws.all(),
        runs: Int = PropertyRunner.configuredRuns(),
        seed: UInt64 = 0xC10D_2E1E_A5E0
    ) {
        self.subject = subject
        self.laws = laws
        self.runs = runs
        self.seed = seed
        var generator = Generator().including(ruleBoundaries: subject.ruleBoundaries)
        generator.releaseFlags = subject.releaseFlags
        generator.providerEvents = subject.providerEvents
        self.generator = generator
    }

    /// The case a seed generates: the instance and actions chosen from the states the run passes through.
    public func generateCase(seed: UInt64) -> RunCase {
        var random = SplitMix64(seed: seed)
        let (instance, phase) = generator.instance(using: &random)
        let length = Int.random(in: 1...maxActions, using: &random)
        var actions: [TestAction] = []
        guard var (machine, _) = try? subject.launch(instance, phase, testKitStart) else {
            return RunCase(instance: instance, launchPhase: phase, actions: [])
        }
        var now = testKitStart
        for _ in 0..<length {
            let action = generator.action(for: machine, using: &random)
            actions.append(action)
            switch action.resolve(now: now, machine: machine) {
            case .command(let command)?: _ = try? machine.perform(command, at: now)
            case .event(let event)?: _ = machine.handle(event, at: now)
            case .advance(let time)?:
                machine.advance(to: time)
                now = time
            case nil: continue
            }
        }
        return RunCase(instance: instance, launchPhase: phase, actions: actions)
    }

    /// Runs every case; stops at the first failure and shrinks it.
    public func run() -> PropertyReport {
        let executor = Executor(subject: subject, laws: laws)
        var report = PropertyReport(subject: subject.name, runs: 0, steps: 0, invalid: 0)
        for index in 0..<runs {
            let caseSeed = seed &+ UInt64(index)
            let runCase = generateCase(seed: caseSeed)
            report.runs += 1
            switch executor.execute(runCase) {
            case .passed(let steps): report.steps += steps
            case .invalid: report.invalid += 1
            case .failed(let violation):
                report.counterexample = counterexample(
                    runCase,
                    seed: caseSeed,
                    violation: violation,
                    executor: executor
                )
                return report
            }
        }
        return report
    }

    /// Re-runs the case of one seed (for a counterexample printed earlier).
    public func replay(seed: UInt64) -> CaseOutcome {
        Executor(subject: subject, laws: laws).execute(generateCase(seed: seed))
    }

    func counterexample(
        _ runCase: RunCase,
        seed: UInt64,
        violation: Violation,
        executor: Executor<Machine>
    )
        -> Counterexample
    {
        // Run non-strictly first so skipped actions are dropped, then shrink strictly.
        var current = RunCase(
            instance: runCase.instance,
            launchPhase: runCase.launchPhase,
            actions: Array(runCase.actions.prefix(violation.step + 1))
        )
        var currentViolation = violation
        let shrunk = Shrinker(executor: executor).shrink(current, violation: violation)
        current = shrunk.0
        currentViolation = shrunk.1
        var steps: [ExecutedStep] = []
        _ = executor.execute(current, strict: true) { steps.append($0) }
        let scenario = ScenarioWriter.scenario(
            name: "Counterexample: \(currentViolation.law)",
            note: currentViolation.description,
            model: subject.name,
            runCase: current,
            steps: steps,
            requirement: currentViolation.requirement
        )
        return Counterexample(
            seed: seed,
            violation: currentViolation,
            runCase: current,
            originalLength: runCase.actions.count,
            scenario: scenario
        )
    }
}

/// Shrinks a failing case to a smaller one that fails too and whose every action still applies.
struct Shrinker<Machine: ReleaseStateMachine> {
    let executor: Executor<Machine>

    func fails(_ runCase: RunCase) -> Violation? {
        if case .failed(let violation) = executor.execute(runCase, strict: true) { return violation }
        return nil
    }

    func shrink(_ start: RunCase, violation: Violation) -> (RunCase, Violation) {
        var best = start
        var bestViolation = violation
        // Make the starting point strict-valid: drop actions whose precondition fails.
        var filtered: [TestAction] = []
        var probe = RunCase(instance: best.instance, launchPhase: best.launchPhase, actions: [])
        for action in best.actions {
            probe.actions = filtered + [action]
            if executor.execute(probe, strict: true) != .invalid { filtered.append(action) }
        }
        probe.actions = filtered
        if let found = fails(probe) {
            best = probe
            bestViolation = found
        }
        var improved = true
        var rounds = 0
        while improved && rounds < 50 {
            improved = false
            rounds += 1
            // Remove chunks, largest first.
            var chunk = max(1, best.actions.count / 2)
            while chunk >= 1 {
                var start = 0
                while start < best.actions.count {
                    var candidate = best
                    candidate.actions.removeSubrange(start..<min(best.actions.count, start + chunk))
                    if let found = fails(candidate) {
                        best = candidate
                        bestViolation = found
                        improved = true
                    } else {
                        start += chunk
                    }
                }
                chunk /= 2
            }
            // Simplify the instance.
            for simpler in simplerInstances(best.instance) {
                var candidate = best
                candidate.instance = simpler
                if let found = fails(candidate) {
                    best = candidate
                    bestViolation = found
                    improved = true
                    break
                }
            }
            if best.launchPhase != .running {
                var candidate = best
                candidate.launchPhase = .running
                if let found = fails(candidate) {
                    best = candidate
                    bestViolation = found
                    improved = true
                }
            }
            // Shorten waits.
            for index in best.actions.indices {
                guard case .wait(let seconds) = best.actions[index], seconds.count > 1 else { continue }
                var candidate = best
                candidate.actions[index] = .wait(Seconds(seconds.count / 2))
                if let found = fails(candidate) {
                    best = candidate
                    bestViolation = found
                    improved = true
                }
            }
        }
        return (best, bestViolation)
    }

    /// The instance with one feature taken away (protection, snapshots, extra disks, the public address, spot,
    /// the subscription), for each feature it has: the shrinker tries each.
    func simplerInstances(_ instance: InstanceDescription) -> [InstanceDescription] {
        var options: [InstanceDescription] = []
        func without(if applies: Bool, _ change: (inout InstanceDescription) -> Void) {
            guard applies else { return }
            var copy = instance
            change(&copy)
            options.append(copy)
        }
        without(if: instance.isProtected) { $0.isProtected = false }
        without(if: !instance.snapshots.isEmpty) { $0.snapshots = [] }
        without(if: instance.disks.count > 1) { copy in
            copy.disks = Array(copy.disks.prefix(1))
            copy.snapshots = copy.snapshots.filter { snapshot in copy.disks.contains { $0.id == snapshot.diskID } }
        }
        without(if: instance.publicAddress != .none) { $0.publicAddress = .none }
        without(if: instance.isSpot) { $0.isSpot = false }
        without(if: !instance.charge.isPayAsYouGo) { $0.charge = .payAsYouGo }
        return options
    }
}
