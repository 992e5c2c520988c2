import AliyunECS
import Foundation
import ReleaseCore
import ReleaseTestKit
import TencentCVM
import Testing

/// A stand-in for the user's automation in Docs/Testing.md: stops what runs, without charging.
struct MyAutomation {
    func run(_ machine: inout TencentInstance, at now: Instant) {
        guard machine.phase == .running else { return }
        _ = try? machine.perform(.stop(chargingMode: .stopCharging), at: now)
    }
}

/// The code of Docs/Testing.md, compiled and run; `docBlocksAreHere` checks the document quotes it verbatim.
@Suite("Docs/Testing.md")
struct TestingDocTests {
    @Test("Testing your own automation: the Tencent pattern runs")
    func tencentPattern() {
        let subject = Subject<TencentInstance>(
            name: "tencent",
            protectionCode: TencentErrorCode.instancesProtected.rawValue,
            scheduledReleasePrecision: Seconds(1)
        ) { instance, phase, time throws(ReleaseError) in try TencentCVM().launch(instance, in: phase, at: time) }

        let promise = Law<TencentInstance>("my automation never leaves compute billing") { step in
            var copy = step.after
            MyAutomation().run(&copy, at: step.nowAfter)
            return copy.runningMeters.contains(.compute) ? "compute still bills after the automation ran" : nil
        }

        let report = PropertyRunner(subject: subject, laws: Laws.all() + [promise]).run()
        if let counterexample = report.counterexample { print(counterexample) }

        // The stand-in automation cannot stop a pay-as-you-go instance that is still booting or stopping, so the
        // runner finds a counterexample: the pattern does its job.
        #expect(report.counterexample != nil)
    }

    @Test("Testing your own automation: the Aliyun subject compiles with typed throws and runs the laws")
    func aliyunSubject() {
        let aliyun = Subject<AliyunInstance>(
            name: "aliyun",
            protectionCode: AliyunErrorCode.deletionProtection.rawValue,
            scheduledReleasePrecision: .minutes(1)
        ) { (instance, phase, time) throws(ReleaseError) in try AliyunECS().launch(instance, in: phase, at: time) }

        var runner = PropertyRunner(subject: aliyun, laws: Laws.all())
        runner.runs = 50
        #expect(runner.run().counterexample == nil)
    }

    @Test("Every Swift block of Docs/Testing.md is compiled here")
    func docBlocksAreHere() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("Docs/Testing.md"), encoding: .utf8)
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        func normalized(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            .joined(separator: "\n")
        }
        let blocks = doc.components(separatedBy: "```swift\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count >= 2)
        for block in blocks {
            let body = block.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(normalized(source).contains(normalized(body)), "Docs/Testing.md block not compiled here:\n\(body)")
        }
    }
}
