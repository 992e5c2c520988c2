// A worked example of property-testing your own release automation with ReleaseTestKit (Docs/Testing.md).
//
// The automation below decommissions an instance: it must either release it for good (nothing left to
// restore, compute no longer billing) or stop with a reason the team has agreed is acceptable. The test
// kit drives instances of both providers through thousands of random histories (protection toggled,
// timers set, arrears, recycle bin, ...) and, after every step, runs the automation on a copy of the
// instance and checks that promise. Run it with `swift run release-automation-example`.

import AliyunECS
import Foundation
import ReleaseCore
import ReleaseTestKit
import TencentCVM

/// The automation under test: the commands it sends to decommission one instance, in order.
struct Decommissioner {
    /// Refusals after which the automation gives up and pages a human, by agreement.
    static let acceptableBlocks: Set<String> = [
        "InstanceLockedForSecurity",  // Aliyun: security lock; needs a ticket
        "IncorrectInstanceStatus.Initializing",  // Aliyun: still being created; retry later
        "ChargeTypeViolation",  // Aliyun: an unexpired subscription must be unsubscribed by finance
        "UnsupportedOperation.InstanceStatePending",  // Tencent: still being created
        "UnsupportedOperation.InstanceStateStarting",
        "UnsupportedOperation.InstanceStateStopping",
        "left to the recycle bin's expiry",  // Tencent: see below
    ]

    /// What happened when the automation ran.
    enum Outcome: Equatable {
        case released
        case blocked(String)
    }

    /// Sends the automation's commands to `machine` at `now`, stopping at the first refusal.
    func decommission<Machine: ReleaseStateMachine>(_ machine: inout Machine, at now: Instant) -> Outcome {
        // Found by the kit (Docs/Testing.md): a protected Tencent subscription that expired sits in the recycle
        // bin, where protection cannot be changed (TD4) and protection blocks the destroy (TD2). The bin
        // releases it after 7 days anyway, so the automation leaves it there.
        if machine.phase == .recycleBin && machine.isProtected { return .blocked("left to the recycle bin's expiry") }
        var steps: [Command] = []
        // Tencent refuses to change protection while a scheduled destruction exists: cancel it first.
        steps.append(.cancelScheduledRelease)
        if machine.isProtected { steps.append(.setProtection(false)) }
        if machine.provider == .aliyun {
            steps.append(.release(machine.instance.charge.isPayAsYouGo ? [.force] : [.force, .terminateSubscription]))
        } else {
            // Tencent: release now, skipping the recycle bin; a subscription goes to the bin first, then again.
            steps.append(.release(machine.instance.charge.isPayAsYouGo ? [.immediately] : []))
            steps.append(.release([]))
        }
        for command in steps where machine.phase != .released {
            do { _ = try machine.perform(command, at: now) } catch { return .blocked(error.code.rawValue) }
        }
        return machine.phase == .released ? .released : .blocked("not released (\(machine.phase))")
    }
}

/// The promise, as an invariant the kit checks after every step of every generated history.
func decommissionPromise<Machine: ReleaseStateMachine>() -> Law<Machine> {
    Law("decommission releases the instance or stops for an agreed reason") { step in
        guard step.after.phase != .released else { return nil }
        var copy = step.after
        switch Decommissioner().decommission(&copy, at: step.nowAfter) {
        case .released:
            return copy.runningMeters.contains(.compute) ? "released but compute still bills" : nil
        case .blocked(let reason):
            return Decommissioner.acceptableBlocks.contains(reason) ? nil : "blocked by \(reason)"
        }
    }
}

let runs = PropertyRunner<AliyunInstance>.configuredRuns(fallback: 2_000)
var failed = false

for rules in AliyunRules.all {
    // The provider supplies the name, codes, precision, rule boundaries, release flags and events.
    let subject = Subject(provider: AliyunECS(rules: rules))
    let report = PropertyRunner(subject: subject, laws: [decommissionPromise()], runs: runs).run()
    print("\(report.subject): \(report.runs) histories, \(report.steps) steps checked")
    if let counterexample = report.counterexample {
        print(counterexample)
        failed = true
    }
}

for rules in TencentRules.all {
    let subject = Subject(provider: TencentCVM(rules: rules))
    let report = PropertyRunner(subject: subject, laws: [decommissionPromise()], runs: runs).run()
    print("\(report.subject): \(report.runs) histories, \(report.steps) steps checked")
    if let counterexample = report.counterexample {
        print(counterexample)
        failed = true
    }
}

print(failed ? "The automation broke its promise (see the counterexamples above)." : "The automation kept its promise.")
exit(failed ? 1 : 0)
