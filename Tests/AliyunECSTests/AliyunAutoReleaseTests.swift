import AliyunECS
import ReleaseCore
import TestSupport
import Testing

/// ModifyInstanceAutoReleaseTime (seeds 000, 004; AD3).
@Suite("Aliyun automatic release")
struct AliyunAutoReleaseTests {
    struct WindowRow: CustomTestStringConvertible, Sendable {
        var requested: String
        var accepted: Bool
        var testDescription: String { "\(requested) → \(accepted ? "accepted" : "InvalidAutoReleaseTime.Malformed")" }
    }

    /// Seed 004: at least 30 minutes and at most 3 years ahead, both inclusive (Q2); seconds are dropped
    /// before the window is checked (edge cases 8, 9, 10). Now is 2026-01-01T00:00:00Z.
    @Test(
        "A4: the auto-release window is [now + 30 min, now + 3 years], inclusive",
        arguments: [
            WindowRow(requested: "2026-01-01T00:29:00Z", accepted: false),
            WindowRow(requested: "2026-01-01T00:29:59Z", accepted: false),
            WindowRow(requested: "2026-01-01T00:30:00Z", accepted: true),
            WindowRow(requested: "2026-01-01T00:30:59Z", accepted: true),
            WindowRow(requested: "2029-01-01T00:00:00Z", accepted: true),
            WindowRow(requested: "2029-01-01T00:00:59Z", accepted: true),
            WindowRow(requested: "2029-01-01T00:01:00Z", accepted: false),
            WindowRow(requested: "2025-12-31T23:00:00Z", accepted: false),
        ]
    )
    func window(row: WindowRow) throws {
        var simulation = try launch()
        let code = refusalCode(&simulation, .scheduleRelease(at: Instant(iso8601: row.requested)!), at: t0)
        #expect(code == (row.accepted ? nil : "InvalidAutoReleaseTime.Malformed"))
    }

    @Test("A4: non-zero seconds are dropped to the start of the minute (edge case 7)")
    func secondsTruncated() throws {
        var simulation = try launch()
        try simulation.perform(.scheduleRelease(at: Instant(iso8601: "2028-01-01T10:15:42Z")!), at: t0)
        #expect(simulation.machine.autoReleaseTime == Instant(iso8601: "2028-01-01T10:15:00Z"))
    }

    @Test("A0/A4: the instance is released at the (minute) auto-release time, not a second earlier")
    func firesOnItsMinute() throws {
        var simulation = try launch()
        try simulation.perform(.scheduleRelease(at: t0 + .minutes(45) + Seconds(30)), at: t0)
        simulation.advance(to: t0 + .minutes(45) - Seconds(1))
        #expect(simulation.machine.phase == .running)
        simulation.advance(to: t0 + .minutes(45))
        #expect(simulation.machine.phase == .released)
        #expect(simulation.billedSeconds(.compute, since: t0) == Seconds.minutes(45))
    }

    @Test("A0: setting the auto-release time again replaces it (edge case 12)")
    func lastSettingWins() throws {
        var simulation = try launch()
        try simulation.perform(.scheduleRelease(at: t0 + .hours(2)), at: t0)
        try simulation.perform(.scheduleRelease(at: t0 + .hours(1)), at: t0 + .minutes(1))
        #expect(simulation.machine.pendingDeadlines == [Deadline(.scheduledRelease, at: t0 + .hours(1))])
        simulation.advance(to: t0 + .hours(1))
        #expect(simulation.machine.phase == .released)
    }

    @Test("A4: calling without AutoReleaseTime cancels it; cancelling again is harmless (edge case 11)")
    func cancel() throws {
        var simulation = try launch()
        try simulation.perform(.scheduleRelease(at: t0 + .hours(1)), at: t0)
        #expect(
            try simulation.perform(.cancelScheduledRelease, at: t0 + .minutes(1)).contains(
                .deadlineCancelled(.scheduledRelease)
            )
        )
        #expect(try simulation.perform(.cancelScheduledRelease, at: t0 + .minutes(2)).isEmpty)
        simulation.advance(to: t0 + .days(3))
        #expect(simulation.machine.phase == .running)
        #expect(simulation.machine.autoReleaseTime == nil)
    }

    @Test("AD3: a subscription instance cannot have an auto-release time (ChargeTypeViolation, edge case 13)")
    func subscriptionRefused() throws {
        var simulation = try launch(InstanceDescription(id: "i-1", charge: .subscription(expiresAt: t0 + .days(30))))
        #expect(refusalCode(&simulation, .scheduleRelease(at: t0 + .hours(1)), at: t0) == "ChargeTypeViolation")
    }

    @Test("A1/A3: release protection does not stop the auto-release time (edge case 5)")
    func protectionDoesNotBlockAutoRelease() throws {
        var simulation = try launch(InstanceDescription(id: "i-1", isProtected: true))
        try simulation.perform(.scheduleRelease(at: t0 + .hours(1)), at: t0)
        simulation.advance(to: t0 + .hours(1))
        #expect(simulation.machine.phase == .released)
    }

    @Test("Q3: auto-release releases a running instance without Force [MODEL]")
    func autoReleaseIgnoresState() throws {
        var simulation = try launch()
        try simulation.perform(.scheduleRelease(at: t0 + .hours(1)), at: t0)
        simulation.advance(to: t0 + .hours(1))
        #expect(simulation.machine.phase == .released)
    }
}

/// Overdue payments and subscription expiry (seed 003; AD6, AD7, AD11).
@Suite("Aliyun overdue and expiry")
struct AliyunOverdueTests {
    @Test("A3 (seed profile): released once overdue for 15 days, protection notwithstanding (edge cases 6, 25)")
    func seedOverdue() throws {
        var simulation = try launch(InstanceDescription(id: "i-1", isProtected: true))
        simulation.handle(.arrearsBegan, at: t0)
        simulation.advance(to: t0 + .days(15) - Seconds(1))
        #expect(simulation.machine.phase == .running)
        simulation.advance(to: t0 + .days(15))
        #expect(simulation.machine.phase == .released)
        #expect(simulation.billedSeconds(.compute, since: t0) == Seconds.days(15))
    }

    @Test("AD6 (2024 profile): running to +15 d, stopped at +15 d with billing stopped, released at +30 d")
    func newerOverdue() throws {
        var simulation = try launch(rules: .newer)
        simulation.handle(.arrearsBegan, at: t0)
        simulation.advance(to: t0 + .days(15) - Seconds(1))
        #expect(simulation.machine.phase == .running)
        simulation.advance(to: t0 + .days(15))
        #expect(simulation.machine.phase == .suspended)
        #expect(simulation.machine.apiStatus.hasPrefix("Stopped"))
        simulation.advance(to: t0 + .days(30) - Seconds(1))
        #expect(simulation.machine.phase == .suspended)
        simulation.advance(to: t0 + .days(30))
        #expect(simulation.machine.phase == .released)
        #expect(simulation.billedSeconds(.compute, since: t0) == Seconds.days(15))
    }

    @Test("AD6/AD9: paying the overdue bill reactivates a stopped instance and cancels the release")
    func paymentReactivates() throws {
        var simulation = try launch(rules: .newer)
        simulation.handle(.arrearsBegan, at: t0)
        simulation.advance(to: t0 + .days(20))
        simulation.handle(.balanceRestored, at: t0 + .days(20))
        #expect(simulation.machine.phase == .running)
        #expect(simulation.machine.pendingDeadlines.isEmpty)
        simulation.advance(to: t0 + .days(60))
        #expect(simulation.machine.phase == .running)
    }

    @Test("AD6: payment restores the status before the overdue stop: a stopped instance comes back stopped")
    func paymentRestoresPreviousStatus() throws {
        var simulation = try launch(rules: .newer)
        try simulation.perform(.stop(chargingMode: .stopCharging), at: t0)
        simulation.handle(.arrearsBegan, at: t0)
        simulation.advance(to: t0 + .days(16))
        #expect(simulation.machine.phase == .suspended)
        simulation.handle(.balanceRestored, at: t0 + .days(16))
        #expect(simulation.machine.phase == .stopped)
        #expect(!simulation.machine.runningMeters.contains(.compute))
    }

    @Test(
        "AD11: an overdue-stopped instance can be released by the user but not started (AD16 InstanceExpired) or stopped (AD15 InstanceExpiredOrInArrears) (edge case 26)"
    )
    func overdueStoppedUserActions() throws {
        var simulation = try launch(rules: .newer)
        simulation.handle(.arrearsBegan, at: t0)
        #expect(refusalCode(&simulation, .start, at: t0 + .days(16)) == "InstanceExpired")
        #expect(refusalCode(&simulation, .stop(), at: t0 + .days(16)) == "InstanceExpiredOrInArrears")
        try simulation.perform(.release(), at: t0 + .days(16))
        #expect(simulation.machine.phase == .released)
    }

    @Test("A3: a repeated overdue notice changes nothing; subscriptions have no overdue clock")
    func overdueRepeatAndSubscription() throws {
        var simulation = try launch()
        simulation.handle(.arrearsBegan, at: t0)
        #expect(simulation.handle(.arrearsBegan, at: t0 + .days(1)).isEmpty)
        #expect(simulation.machine.pendingDeadlines == [Deadline(.arrearsRelease, at: t0 + .days(15))])
        var subscription = try launch(InstanceDescription(id: "i-2", charge: .subscription(expiresAt: t0 + .days(90))))
        #expect(subscription.handle(.arrearsBegan, at: t0).isEmpty)
    }

    @Test("A0/AD7: renewing an expired subscription within 15 days brings it back and moves the expiry")
    func renewal() throws {
        let expiry = t0 + .days(30)
        var simulation = try launch(InstanceDescription(id: "i-1", charge: .subscription(expiresAt: expiry)))
        simulation.advance(to: expiry + .days(3))
        #expect(simulation.machine.phase == .suspended)
        #expect(refusalCode(&simulation, .renew(until: expiry), at: expiry + .days(3)) == "ChargeTypeViolation")
        try simulation.perform(.renew(until: expiry + .days(60)), at: expiry + .days(3))
        #expect(simulation.machine.phase == .running)
        #expect(simulation.machine.pendingDeadlines == [Deadline(.subscriptionExpiry, at: expiry + .days(60))])
        var payAsYouGo = try launch()
        #expect(refusalCode(&payAsYouGo, .renew(until: t0 + .days(30)), at: t0) == "ChargeTypeViolation")
    }

    struct RenewalBoundRow: CustomTestStringConvertible, Sendable {
        var expired: Bool
        /// Seconds from the bound, max(now, current expiry), to the renewal's end.
        var offset: Int64
        var testDescription: String {
            "\(expired ? "expired (bound: now)" : "running (bound: the expiry)"), renewal ends at the bound \(offset >= 0 ? "+" : "")\(offset) s"
        }
    }

    @Test(
        "AM3: a renewal must end strictly after both the current expiry and now: the bound itself is refused, a second later accepted",
        arguments: [false, true].flatMap { expired in [-1, 0, 1].map { RenewalBoundRow(expired: expired, offset: $0) } }
    )
    func renewalBound(row: RenewalBoundRow) throws {
        let expiry = t0 + .days(30)
        let now = row.expired ? expiry + .days(3) : t0 + .days(1)
        var simulation = try launch(InstanceDescription(id: "i-1", charge: .subscription(expiresAt: expiry)))
        simulation.advance(to: now)
        let until = (row.expired ? now : expiry) + Seconds(row.offset)
        if row.offset > 0 {
            try simulation.perform(.renew(until: until), at: now)
            #expect(simulation.machine.pendingDeadlines == [Deadline(.subscriptionExpiry, at: until)])
        } else {
            #expect(refusalCode(&simulation, .renew(until: until), at: now) == "ChargeTypeViolation")
        }
    }

    @Test("AD7: an expired subscription stops at expiry and is released 15 days later (A0, edge case 27)")
    func subscriptionExpiry() throws {
        let expiry = t0 + .days(30)
        var simulation = try launch(InstanceDescription(id: "i-1", charge: .subscription(expiresAt: expiry)))
        simulation.advance(to: expiry - Seconds(1))
        #expect(simulation.machine.phase == .running)
        simulation.advance(to: expiry)
        #expect(simulation.machine.phase == .suspended)
        simulation.advance(to: expiry + .days(15) - Seconds(1))
        #expect(simulation.machine.phase == .suspended)
        simulation.advance(to: expiry + .days(15))
        #expect(simulation.machine.phase == .released)
        #expect(simulation.billedSeconds(.compute, since: t0) == .zero)
    }
}
