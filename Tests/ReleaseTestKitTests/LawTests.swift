import AliyunECS
import ReleaseCore
import ReleaseTestKit
import TencentCVM
import Testing

/// The laws every provider obeys, over random runs, for both providers and every profile.
/// `CLOUDRELEASE_PROPERTY_RUNS` sets the number of runs (default 10,000 per provider and profile).
@Suite("Laws over random runs")
struct LawTests {
    @Test("Aliyun obeys every law", arguments: AliyunRules.all)
    func aliyun(rules: AliyunRules) {
        let report = PropertyRunner(subject: Subjects.aliyun(rules)).run()
        print("laws: \(report.subject): \(report.runs) runs, \(report.steps) steps, \(report.invalid) refused launches")
        #expect(report.runs == PropertyRunner<AliyunInstance>.configuredRuns())
        #expect(report.steps > report.runs)
        if let counterexample = report.counterexample { Issue.record("\(counterexample)") }
    }

    @Test("Tencent obeys every law", arguments: TencentRules.all)
    func tencent(rules: TencentRules) {
        let report = PropertyRunner(subject: Subjects.tencent(rules)).run()
        print("laws: \(report.subject): \(report.runs) runs, \(report.steps) steps, \(report.invalid) refused launches")
        #expect(report.steps > report.runs)
        if let counterexample = report.counterexample { Issue.record("\(counterexample)") }
    }
}

/// Every sequence over a small alphabet, to a fixed depth.
@Suite("Exhaustive bounded exploration")
struct ExplorationTests {
    static let starts: [(InstanceDescription, LaunchPhase)] = [
        (InstanceDescription(id: "payg", publicAddress: .elasticIP), .running),
        (InstanceDescription(id: "protected", isProtected: true), .stopped),
        (InstanceDescription(id: "sub", charge: .subscription(expiresAt: testKitStart + .hours(3))), .running),
    ]

    static let alphabet: [TestAction] = [
        .command(.release([])), .command(.release([.force])), .command(.restore), .command(.setProtection(false)),
        .scheduleReleaseAfter(.hours(1)), .event(.arrearsBegan), .event(.balanceRestored),
        .waitForDeadline(.recycleBinExpiry, offset: -1), .waitForDeadline(.scheduledRelease, offset: 0),
        .waitForDeadline(.arrearsShutdown, offset: 0), .wait(.hours(3)),
    ]

    @Test("Aliyun: depth 6, every law, both profiles", arguments: AliyunRules.all)
    func aliyun(rules: AliyunRules) {
        let report = Explorer(subject: Subjects.aliyun(rules), alphabet: Self.alphabet, depth: 6).explore(
            from: Self.starts
        )
        print("exploration: \(report)")
        #expect(report.violation == nil)
        #expect(report.sequences > 100_000)
    }

    @Test("Tencent: depth 6, every law, both profiles", arguments: TencentRules.all)
    func tencent(rules: TencentRules) {
        let report = Explorer(subject: Subjects.tencent(rules), alphabet: Self.alphabet, depth: 6).explore(
            from: Self.starts
        )
        print("exploration: \(report)")
        #expect(report.violation == nil)
        #expect(report.sequences > 100_000)
    }
}

/// Every refusal a model can give says why in Chinese too (`--lang zh`), found by random runs: a new refusal
/// without its Chinese sentence fails here.
@Suite("Refusals in Chinese")
struct ChineseRefusalTests {
    static func law<Machine: ReleaseStateMachine>() -> Law<Machine> {
        Law("a refusal says why in Chinese") { step in
            guard case .failure(let error) = step.result else { return nil }
            return error.chineseMessage == nil ? "\(error.code) has no Chinese message" : nil
        }
    }

    @Test("Aliyun", arguments: AliyunRules.all)
    func aliyun(rules: AliyunRules) {
        let report = PropertyRunner(subject: Subjects.aliyun(rules), laws: [Self.law()], runs: 2_000).run()
        if let counterexample = report.counterexample { Issue.record("\(counterexample)") }
    }

    @Test("Tencent", arguments: TencentRules.all)
    func tencent(rules: TencentRules) {
        let report = PropertyRunner(subject: Subjects.tencent(rules), laws: [Self.law()], runs: 2_000).run()
        if let counterexample = report.counterexample { Issue.record("\(counterexample)") }
    }
}
