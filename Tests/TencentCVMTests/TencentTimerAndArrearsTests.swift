import ReleaseCore
import TencentCVM
import TestSupport
import Testing

/// Scheduled destruction (seed 002; TD7).
@Suite("Tencent scheduled destruction")
struct TencentScheduleTests {
    struct LeadRow: CustomTestStringConvertible, Sendable {
        var lead: Seconds
        var accepted: Bool
        var testDescription: String { "now + \(lead) → \(accepted ? "accepted" : "InvalidParameterValue")" }
    }

    /// TD7: ActionTime must be later than now + 5 min (exclusive); no upper bound is documented
    /// (edge cases 8, 9, 10; codes per Q15).
    @Test(
        "TD7: ActionTime must be later than now + 5 minutes",
        arguments: [
            LeadRow(lead: .minutes(4), accepted: false),
            LeadRow(lead: .minutes(5), accepted: false),
            LeadRow(lead: .minutes(5) + Seconds(1), accepted: true),
            LeadRow(lead: .days(3_650), accepted: true),
        ]
    )
    func minimumLead(row: LeadRow) throws {
        var simulation = launch()
        let code = refusalCode(&simulation, .scheduleRelease(at: t0 + row.lead), at: t0)
        #expect(code == (row.accepted ? nil : "InvalidParameterValue"))
    }

    @Test("T2: scheduled destruction is precise to the second and skips the recycle bin (edge cases 7, 32)")
    func secondPrecision() throws {
        var simulation = launch()
        let at = Instant(iso8601: "2026-01-01T10:15:42Z")!
        try simulation.perform(.scheduleRelease(at: at), at: t0)
        #expect(simulation.machine.scheduledDestructionTime == at)
        simulation.advance(to: at - Seconds(1))
        #expect(simulation.machine.phase == .running)
        simulation.advance(to: at)
        #expect(simulation.machine.phase == .released)
        #expect(refusalCode(&simulation, .restore, at: at + Seconds(1)) == "InvalidInstanceId.NotFound")
        #expect(simulation.billedSeconds(.compute, since: t0) == at - t0)
    }

    @Test("T2: scheduled destruction can be cancelled until it fires (edge case 11)")
    func cancel() throws {
        var simulation = launch()
        try simulation.perform(.scheduleRelease(at: t0 + .hours(1)), at: t0)
        #expect(
            try simulation.perform(.cancelScheduledRelease, at: t0 + .hours(1) - Seconds(1)).contains(
                .deadlineCancelled(.scheduledRelease)
            )
        )
        #expect(try simulation.perform(.cancelScheduledRelease, at: t0 + .hours(1)).isEmpty)
        simulation.advance(to: t0 + .days(1))
        #expect(simulation.machine.phase == .running)
    }

    @Test("Q14: a new timer replaces the old one [MODEL]")
    func replace() throws {
        var simulation = launch()
        try simulation.perform(.scheduleRelease(at: t0 + .hours(3)), at: t0)
        try simulation.perform(.scheduleRelease(at: t0 + .hours(2)), at: t0)
        #expect(simulation.machine.pendingDeadlines == [Deadline(.scheduledRelease, at: t0 + .hours(2))])
    }

    @Test("T2: scheduled destruction is for pay-as-you-go only (edge case 13, Q16)")
    func subscriptionRefused() throws {
        var simulation = launch(InstanceDescription(id: "ins-1", charge: .subscription(expiresAt: t0 + .days(30))))
        #expect(
            refusalCode(&simulation, .scheduleRelease(at: t0 + .hours(1)), at: t0)
                == "UnsupportedOperation.NotSupportImportInstancesActionTimer"
        )
    }

    @Test("Q13: protection does not stop a scheduled destruction [MODEL] (edge case 5)")
    func protectionDoesNotBlockTimer() throws {
        var simulation = launch(InstanceDescription(id: "ins-1", isProtected: true))
        try simulation.perform(.scheduleRelease(at: t0 + .hours(1)), at: t0)
        simulation.advance(to: t0 + .hours(1))
        #expect(simulation.machine.phase == .released)
    }

    @Test("TD2: protection cannot change while a termination schedule exists (edge case 5)")
    func protectionLockedByTimer() throws {
        var simulation = launch()
        try simulation.perform(.scheduleRelease(at: t0 + .hours(1)), at: t0)
        #expect(
            refusalCode(&simulation, .setProtection(true), at: t0 + .minutes(1))
                == "UnsupportedOperation.InvalidInstanceNotSupportedProtectedInstance"
        )
        try simulation.perform(.cancelScheduledRelease, at: t0 + .minutes(2))
        #expect(refusalCode(&simulation, .setProtection(true), at: t0 + .minutes(3)) == nil)
    }
}

/// Pay-as-you-go arrears (seed 002; TD3, TD5).
@Suite("Tencent arrears")
struct TencentArrearsTests {
    @Test("T2 (seed profile): 2 h billed and running, then shut down unbilled, released at 26 h (edge case 24)")
    func seedTimeline() throws {
        var simulation = launch(InstanceDescription(id: "ins-1", isProtected: true))
        simulation.handle(.arrearsBegan, at: t0)
        simulation.advance(to: t0 + .hours(2) - Seconds(1))
        #expect(simulation.machine.phase == .running)
        simulation.advance(to: t0 + .hours(2))
        #expect(simulation.machine.phase == .suspended)
        #expect(refusalCode(&simulation, .start, at: t0 + .hours(3)) == "UnsupportedOperation.InstanceStateShutdown")
        simulation.advance(to: t0 + .hours(26) - Seconds(1))
        #expect(simulation.machine.phase == .suspended)
        simulation.advance(to: t0 + .hours(26))
        #expect(simulation.machine.phase == .released)
        #expect(simulation.billedSeconds(.compute, since: t0) == Seconds.hours(2))
        // Never via the recycle bin.
        #expect(!simulation.history.contains { $0.effects.contains(.phaseChanged(from: .suspended, to: .recycleBin)) })
    }

    @Test("TD3/TD5 (2025 profile): released at 2 h + 15 d")
    func newerTimeline() throws {
        var simulation = launch(rules: .newer)
        simulation.handle(.arrearsBegan, at: t0)
        simulation.advance(to: t0 + .hours(2) + .days(15) - Seconds(1))
        #expect(simulation.machine.phase == .suspended)
        simulation.advance(to: t0 + .hours(2) + .days(15))
        #expect(simulation.machine.phase == .released)
    }

    @Test("T2/TD5: an arrears shutdown stops disk billing too, in both profiles", arguments: TencentRules.all)
    func arrearsStopsDiskBilling(rules: TencentRules) throws {
        var simulation = launch(rules: rules)
        simulation.handle(.arrearsBegan, at: t0)
        simulation.advance(to: t0 + .hours(10))
        #expect(simulation.billedSeconds(.disk, since: t0) == Seconds.hours(2))
    }

    @Test("T2: topping up before 26 h keeps the instance and resumes it")
    func topUp() throws {
        var simulation = launch()
        simulation.handle(.arrearsBegan, at: t0)
        simulation.handle(.balanceRestored, at: t0 + .hours(10))
        #expect(simulation.machine.phase == .running)
        simulation.advance(to: t0 + .days(3))
        #expect(simulation.machine.phase == .running)
        #expect(simulation.billedSeconds(.compute, since: t0) == Seconds.days(3) - Seconds.hours(8))
    }

    @Test("T2: a recycle-bin instance cannot be restored while the account is in arrears (edge case 23)")
    func restoreInArrears() throws {
        var simulation = launch()
        try simulation.perform(.release(), at: t0)
        simulation.handle(.arrearsBegan, at: t0 + .minutes(10))
        #expect(refusalCode(&simulation, .restore, at: t0 + .minutes(20)) == "InvalidAccount.InsufficientBalance")
        simulation.handle(.balanceRestored, at: t0 + .minutes(30))
        #expect(refusalCode(&simulation, .restore, at: t0 + .minutes(40)) == nil)
    }

    @Test("C7: a pay-as-you-go instance destroyed while in arrears is released without the recycle bin")
    func destroyInArrears() throws {
        var simulation = launch()
        simulation.handle(.arrearsBegan, at: t0)
        try simulation.perform(.release(), at: t0 + .minutes(1))
        #expect(simulation.machine.phase == .released)
    }

    @Test("T2: a repeated arrears notice changes nothing")
    func repeatedNotice() throws {
        var simulation = launch()
        simulation.handle(.arrearsBegan, at: t0)
        #expect(simulation.handle(.arrearsBegan, at: t0 + .hours(1)).isEmpty)
        #expect(simulation.machine.pendingDeadlines.map(\.at) == [t0 + .hours(2), t0 + .hours(26)])
    }
}
