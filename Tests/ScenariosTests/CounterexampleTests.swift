import AliyunECS
import FleetReplay
import ProviderRegistry
import ReleaseComparison
import ReleaseCore
import ReleaseTestKit
import Reporting
import Scenarios
import TencentCVM
import Testing

/// Counterexamples from ReleaseTestKit are scenario files that `cloud-release simulate` replays.
@Suite("Counterexamples replay as scenarios")
struct CounterexampleTests {
    static let tencent = Subject<AnyInstance>(
        name: "tencent",
        protectionCode: "UnsupportedOperation.InstancesProtected",
        scheduledReleasePrecision: Seconds(1)
    ) { instance, phase, time throws(ReleaseError) in
        try ProviderModel(.tencent).launch(instance, in: phase, at: time)
    }

    @Test("A violated invariant is shrunk and printed as a scenario that reproduces it")
    func roundTrip() throws {
        // A deliberately false invariant: "nothing is ever in the recycle bin".
        let invariant = Law<AnyInstance>("never in the recycle bin") { step in
            step.after.phase == .recycleBin ? "the instance is in the recycle bin" : nil
        }
        let runner = PropertyRunner(subject: Self.tencent, laws: Laws.all() + [invariant], runs: 500)
        let report = runner.run()
        let counterexample = try #require(report.counterexample)
        #expect(counterexample.violation.law == "never in the recycle bin")
        #expect(counterexample.runCase.actions.count <= 2, "shrunk to \(counterexample.runCase.actions)")
        #expect(runner.replay(seed: counterexample.seed) != .passed(steps: 0))

        let scenario = try Scenario.decode(counterexample.scenario, file: "counterexample.json")
        let replay = scenario.run(file: "counterexample.json")
        #expect(replay.final.first?.phase == "recycleBin")
    }

    @Test("A counterexample carries the law's requirement, so replaying it fails until the cause is fixed")
    func replayFails() throws {
        // A subject that expects the wrong protection code: the protection law fails on the real model.
        let wrong = Subject<AnyInstance>(
            name: "tencent",
            protectionCode: "Wrong.Code",
            scheduledReleasePrecision: Seconds(1)
        ) { instance, phase, time throws(ReleaseError) in
            try ProviderModel(.tencent).launch(instance, in: phase, at: time)
        }
        let report = PropertyRunner(subject: wrong, laws: Laws.all(), runs: 2_000).run()
        let counterexample = try #require(report.counterexample)
        #expect(counterexample.violation.requirement == LawRequirement(error: "Wrong.Code"))
        #expect(counterexample.scenario.contains(#""expect": { "error": "Wrong.Code" }"#), "\(counterexample.scenario)")
        let replay = try Scenario.decode(counterexample.scenario, file: "counterexample.json").run()
        #expect(!replay.passed)
        #expect(replay.file == "counterexample.json")
    }

    @Test("A counterexample's scenario carries the whole instance and every step kind")
    func everyStepKind() throws {
        let runCase = RunCase(
            instance: InstanceDescription(
                id: "i-x",
                charge: .subscription(expiresAt: testKitStart + .days(3)),
                disks: [Disk(id: "system", role: .system), Disk(id: "d", role: .data, isElastic: true)],
                snapshots: [Snapshot(id: "s", diskID: "d", kind: .manual)],
                publicAddress: .elasticIP,
                isProtected: false
            ),
            actions: [
                .command(.stop(chargingMode: .stopCharging)), .event(.arrearsBegan), .wait(.hours(1)),
                .command(.release([.immediately, .releaseAddress])), .event(.balanceRestored),
                .scheduleReleaseAfter(.hours(1)), .command(.cancelScheduledRelease), .command(.setProtection(true)),
                .command(.start), .command(.restore), .waitForDeadline(.subscriptionExpiry, offset: 0),
            ]
        )
        var steps: [ExecutedStep] = []
        _ = Executor(subject: Self.tencent, laws: []).execute(runCase) { steps.append($0) }
        let text = ScenarioWriter.scenario(
            name: "all kinds",
            note: "a \"quoted\" note",
            model: "tencent",
            runCase: runCase,
            steps: steps
        )
        let scenario = try Scenario.decode(text, file: "all.json")
        #expect(scenario.instance == runCase.instance)
        #expect(scenario.steps.count == steps.count)
        #expect(scenario.run().final.first?.phase == "recycleBin")
    }
}
