import AliyunECS
import ReleaseCore
import ReleaseTestKit
import TencentCVM
import Testing

/// The provider modules against the reference models, step by step over random runs.
@Suite("Model-based: provider modules versus reference models")
struct ModelBasedTests {
    static let runs = max(1_000, PropertyRunner<AliyunInstance>.configuredRuns() / 4)

    static func compare<Machine: ReleaseStateMachine, Reference: ReferenceModel>(
        subject: Subject<Machine>,
        reference makeReference: (InstanceDescription, LaunchPhase) -> Reference,
        runs: Int
    ) -> String? {
        let runner = PropertyRunner(subject: subject, laws: [], runs: runs)
        for index in 0..<runs {
            let seed = UInt64(index) &* 7_919
            let runCase = runner.generateCase(seed: seed)
            guard var (machine, _) = try? subject.launch(runCase.instance, runCase.launchPhase, testKitStart) else {
                continue
            }
            var reference = makeReference(runCase.instance, runCase.launchPhase)
            var now = testKitStart
            for (step, action) in runCase.actions.enumerated() {
                guard let resolved = action.resolve(now: now, machine: machine) else { continue }
                var real: String?
                var expected: String?
                switch resolved {
                case .command(let command):
                    do { _ = try machine.perform(command, at: now) } catch { real = error.code.rawValue }
                    expected = reference.command(command, at: now)
                case .event(let event):
                    _ = machine.handle(event, at: now)
                    reference.event(event, at: now)
                case .advance(let time):
                    machine.advance(to: time)
                    reference.advance(to: time)
                    now = time
                }
                let realTimers = Dictionary(uniqueKeysWithValues: machine.pendingDeadlines.map { ($0.kind, $0.at) })
                if real != expected || machine.phase != reference.phase || realTimers != reference.timers {
                    return """
                        \(subject.name) seed \(seed) step \(step) (\(action)): \
                        module \(machine.phase) \(real ?? "accepted") \(realTimers.sorted { $0.key < $1.key }), \
                        reference \(reference.phase) \(expected ?? "accepted") \(reference.timers.sorted { $0.key < $1.key })
                        """
                }
            }
        }
        return nil
    }

    @Test("Aliyun module equals the reference model", arguments: AliyunRules.all)
    func aliyun(rules: AliyunRules) {
        let mismatch = Self.compare(
            subject: Subjects.aliyun(rules),
            reference: { AliyunReference($0, phase: $1, newer: rules === AliyunRules.newer) },
            runs: Self.runs
        )
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test("Tencent module equals the reference model", arguments: TencentRules.all)
    func tencent(rules: TencentRules) {
        let mismatch = Self.compare(
            subject: Subjects.tencent(rules),
            reference: { TencentReference($0, phase: $1, newer: rules === TencentRules.newer) },
            runs: Self.runs
        )
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }
}
