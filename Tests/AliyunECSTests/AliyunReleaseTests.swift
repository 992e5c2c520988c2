import AliyunECS
import ReleaseCore
import TestSupport
import Testing

/// DeleteInstance: state, billing method, protection, flags (seeds 001, 003, 004; AD1).
@Suite("Aliyun DeleteInstance")
struct AliyunReleaseTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var phase: LaunchPhase
        var flags: ReleaseFlags
        var expected: String  // a phase name or an error code
        var testDescription: String { "\(phase) + \(flags) → \(expected)" }
    }

    /// Seed 004: only a Stopped instance is released without Force; AD1: Force releases a running one and
    /// a pending one answers IncorrectInstanceStatus.Initializing (edge cases 1, 2, 3, 21).
    @Test(
        "A4/AD1: the state precondition of DeleteInstance",
        arguments: [
            Row(phase: .running, flags: [], expected: "IncorrectInstanceStatus"),
            Row(phase: .running, flags: [.force], expected: "released"),
            Row(phase: .running, flags: [.force, .graceful], expected: "released"),
            Row(phase: .stopped, flags: [], expected: "released"),
            Row(phase: .stopped, flags: [.force], expected: "released"),
            Row(phase: .starting, flags: [], expected: "IncorrectInstanceStatus"),
            Row(phase: .stopping, flags: [], expected: "IncorrectInstanceStatus"),
            Row(phase: .stopping, flags: [.force], expected: "released"),
            Row(phase: .pending, flags: [], expected: "IncorrectInstanceStatus.Initializing"),
            Row(phase: .pending, flags: [.force], expected: "IncorrectInstanceStatus.Initializing"),
            // Flags ECS does not declare (CVM's release-now and ReleaseAddress, and one no provider has), alone
            // and beside ECS's own.
            Row(phase: .running, flags: [ReleaseFlag("immediately")], expected: "InvalidParameter"),
            Row(phase: .stopped, flags: [ReleaseFlag("release-address")], expected: "InvalidParameter"),
            Row(phase: .stopped, flags: [.force, ReleaseFlag("wipe")], expected: "InvalidParameter"),
        ]
    )
    func statePrecondition(row: Row) throws {
        var simulation = try launch(phase: row.phase)
        let code = refusalCode(&simulation, .release(row.flags), at: t0 + .minutes(1))
        #expect((code ?? simulation.machine.phase.rawValue) == row.expected)
    }

    @Test("A1: release is immediate and irreversible; a released instance is not found (AD1, edge case 19)")
    func releaseIsFinal() throws {
        var simulation = try launch()
        try simulation.perform(.release([.force]), at: t0 + .minutes(1))
        #expect(simulation.machine.phase == .released)
        #expect(simulation.machine.pendingDeadlines.isEmpty)
        #expect(simulation.machine.runningMeters.isEmpty)
        #expect(refusalCode(&simulation, .release([.force]), at: t0 + .minutes(2)) == "InvalidInstanceId.NotFound")
        #expect(refusalCode(&simulation, .restore, at: t0 + .minutes(3)) == "InvalidAction.NotFound")
        #expect(refusalCode(&simulation, .start, at: t0 + .minutes(4)) == "InvalidInstanceId.NotFound")
    }

    @Test("A1: ECS has no recycle bin, so restore is an API that does not exist")
    func noRecycleBin() throws {
        var simulation = try launch()
        #expect(refusalCode(&simulation, .restore, at: t0 + .minutes(1)) == "InvalidAction.NotFound")
    }

    @Test("A1/A3: release protection blocks a manual DeleteInstance (edge case 4)")
    func protectionBlocksManualRelease() throws {
        var simulation = try launch(InstanceDescription(id: "i-1", isProtected: true))
        #expect(
            refusalCode(&simulation, .release([.force]), at: t0 + .minutes(1)) == "InvalidOperation.DeletionProtection"
        )
        try simulation.perform(.setProtection(false), at: t0 + .minutes(2))
        try simulation.perform(.release([.force]), at: t0 + .minutes(3))
        #expect(simulation.machine.phase == .released)
    }

    @Test("A1/A3: release protection is for pay-as-you-go only (Q7: refused on a subscription) [MODEL]")
    func protectionIsPayAsYouGoOnly() throws {
        let subscription = InstanceDescription(id: "i-1", charge: .subscription(expiresAt: t0 + Seconds.days(30)))
        var simulation = try launch(subscription)
        #expect(refusalCode(&simulation, .setProtection(true), at: t0 + .minutes(1)) == "ChargeTypeViolation")
        var protected = subscription
        protected.isProtected = true
        #expect(throws: ReleaseError.self) { try AliyunECS().launch(protected, at: t0) }
    }

    @Test("A3: setting protection to the value it already has is a harmless repeat with no effects")
    func protectionRepeat() throws {
        var simulation = try launch()
        #expect(try simulation.perform(.setProtection(false), at: t0 + .minutes(1)).isEmpty)
        #expect(try simulation.perform(.setProtection(true), at: t0 + .minutes(2)).contains(.protectionChanged(true)))
        #expect(try simulation.perform(.setProtection(true), at: t0 + .minutes(3)).isEmpty)
    }

    @Test("A1: an unexpired subscription cannot be released (ChargeTypeViolation, edge case 14)")
    func unexpiredSubscription() throws {
        let expiry = t0 + Seconds.days(30)
        var simulation = try launch(InstanceDescription(id: "i-1", charge: .subscription(expiresAt: expiry)))
        #expect(refusalCode(&simulation, .release([.force]), at: t0 + .minutes(1)) == "ChargeTypeViolation")
        #expect(
            refusalCode(&simulation, .release([.force, .terminateSubscription]), at: t0 + .minutes(2))
                == "ChargeTypeViolation"
        )
    }

    @Test("A1: an expired subscription is released only with TerminateSubscription (edge case 15, Q6)")
    func expiredSubscription() throws {
        let expiry = t0 + Seconds.days(30)
        var simulation = try launch(InstanceDescription(id: "i-1", charge: .subscription(expiresAt: expiry)))
        #expect(refusalCode(&simulation, .release([]), at: expiry + .minutes(1)) == "ChargeTypeViolation")
        #expect(simulation.machine.phase == .suspended)
        try simulation.perform(.release([.terminateSubscription]), at: expiry + .minutes(2))
        #expect(simulation.machine.phase == .released)
    }

    @Test("AD1: DryRun answers DryRunOperation and releases nothing (edge case 35)")
    func dryRun() throws {
        var simulation = try launch(phase: .stopped)
        #expect(refusalCode(&simulation, .release([.dryRun]), at: t0 + .minutes(1)) == "DryRunOperation")
        #expect(simulation.machine.phase == .stopped)
        // A dry run that would fail reports the real reason.
        var running = try launch()
        #expect(refusalCode(&running, .release([.dryRun]), at: t0 + .minutes(1)) == "IncorrectInstanceStatus")
    }

    @Test("A0/A4: economical-mode stop, then release without Force (edge case 36)")
    func economicalStopThenRelease() throws {
        var simulation = try launch()
        try simulation.perform(.stop(chargingMode: .stopCharging), at: t0 + .minutes(60))
        #expect(simulation.machine.phase == .stopped)
        #expect(!simulation.machine.runningMeters.contains(.compute))
        try simulation.perform(.release(), at: t0 + .minutes(120))
        #expect(simulation.machine.phase == .released)
        #expect(simulation.billedSeconds(.compute, since: t0) == Seconds(3_600))
    }

    @Test("A0: a stopped instance keeps billing compute unless stopped in economical mode")
    func keepChargingStop() throws {
        var simulation = try launch()
        try simulation.perform(.stop(), at: t0 + .minutes(60))
        try simulation.perform(.release(), at: t0 + .minutes(120))
        #expect(simulation.billedSeconds(.compute, since: t0) == Seconds(7_200))
    }

    @Test("A1: a refunded (unsubscribed) subscription stops and is released with TerminateSubscription")
    func refundedSubscription() throws {
        var simulation = try launch(InstanceDescription(id: "i-1", charge: .subscription(expiresAt: t0 + .days(30))))
        simulation.handle(.subscriptionRefunded, at: t0 + .days(1))
        #expect(simulation.machine.phase == .suspended)
        #expect(simulation.machine.pendingDeadlines.isEmpty)
        #expect(refusalCode(&simulation, .release([]), at: t0 + .days(2)) == "ChargeTypeViolation")
        try simulation.perform(.release([.terminateSubscription]), at: t0 + .days(2))
        #expect(simulation.machine.phase == .released)
    }

    @Test("A0/AD3: spot instances count as pay-as-you-go: releasable and auto-release allowed (edge case 34)")
    func spotIsPayAsYouGo() throws {
        var simulation = try launch(InstanceDescription(id: "i-1", isSpot: true))
        try simulation.perform(.scheduleRelease(at: t0 + .minutes(60)), at: t0 + .minutes(1))
        try simulation.perform(.release([.force]), at: t0 + .minutes(2))
        #expect(simulation.machine.phase == .released)
    }

    @Test("AD4: stop and start need Running and Stopped respectively")
    func stopStart() throws {
        var simulation = try launch()
        #expect(refusalCode(&simulation, .start, at: t0 + .minutes(1)) == "IncorrectInstanceStatus")
        try simulation.perform(.stop(), at: t0 + .minutes(2))
        #expect(refusalCode(&simulation, .stop(), at: t0 + .minutes(3)) == "IncorrectInstanceStatus")
        try simulation.perform(.start, at: t0 + .minutes(4))
        #expect(simulation.machine.phase == .running)
    }

    @Test("AD4: a transitional phase settles by itself")
    func transitionsSettle() throws {
        var pending = try launch(phase: .pending)
        pending.handle(.transitionCompleted, at: t0 + .minutes(1))
        #expect(pending.machine.phase == .running)
        var stopping = try launch(phase: .stopping)
        stopping.handle(.transitionCompleted, at: t0 + .minutes(1))
        #expect(stopping.machine.phase == .stopped)
    }
}
