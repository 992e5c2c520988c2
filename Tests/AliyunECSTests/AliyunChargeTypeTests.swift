import AliyunECS
import ReleaseCore
import TestSupport
import Testing

/// ModifyInstanceChargeType to PostPaid (AD19, AM5; seed 000: 转为按量付费后释放).
@Suite("Aliyun conversion to pay-as-you-go")
struct AliyunChargeTypeTests {
    static let subscription = InstanceDescription(id: "i-1", charge: .subscription(expiresAt: t0 + .days(30)))

    @Test(
        "AD19: a Running or Stopped subscription converts: pay-as-you-go from now, no expiry, compute and disks billing; released like one (seed 000)",
        arguments: [LaunchPhase.running, .stopped]
    )
    func converts(phase: LaunchPhase) throws {
        var simulation = try launch(Self.subscription, phase: phase)
        #expect(!simulation.machine.runningMeters.contains(.disk(0)))
        let effects = try simulation.perform(.convertToPayAsYouGo, at: t0 + .hours(1))
        #expect(effects.citedSources.contains("AD19"))
        #expect(simulation.machine.instance.charge == .payAsYouGo)
        #expect(simulation.machine.pendingDeadlines.isEmpty)
        #expect(simulation.machine.runningMeters.contains(.disk(0)))
        #expect(simulation.machine.runningMeters.contains(.compute))
        // The expiry no longer comes: the instance is running (or stopped) a year later, and bills all along.
        simulation.advance(to: t0 + .days(365))
        #expect(simulation.machine.phase == phase.phase)
        #expect(simulation.billedSeconds(.compute, since: t0) == .days(365) - .hours(1))
        // A manual release is now accepted like any pay-as-you-go instance's (A1).
        try simulation.perform(.release([.force]), at: t0 + .days(365))
        #expect(simulation.machine.phase == .released)
    }

    @Test(
        "AD19/AM5: every state and billing method that cannot convert is refused with the action's own code, and nothing changes",
        arguments: [
            ("released", AliyunErrorCode.notFound.code), ("expired", AliyunErrorCode.expiredInstance.code),
            ("pending", AliyunErrorCode.invalidStatus.code), ("stopping", AliyunErrorCode.invalidStatus.code),
            ("refunded", AliyunErrorCode.invalidStatus.code), ("security-locked", AliyunErrorCode.invalidStatus.code),
            ("pay-as-you-go", AliyunErrorCode.invalidChargeType.code), ("overdue", AliyunErrorCode.invalidStatus.code),
        ]
    )
    func refused(state: String, code: ReleaseError.Code) throws {
        var description = Self.subscription
        var phase = LaunchPhase.running
        var simulation: Simulation<AliyunInstance>
        switch state {
        case "pending": phase = .pending
        case "stopping": phase = .stopping
        case "pay-as-you-go", "overdue": description.charge = .payAsYouGo
        default: break
        }
        // AD6 (2024 profile): an overdue pay-as-you-go instance is stopped 15 days into arrears.
        simulation = try launch(description, rules: state == "overdue" ? .newer : .seed, phase: phase)
        let now: Instant
        switch state {
        case "overdue": now = t0 + .days(20)
        case "expired", "released": now = t0 + .days(40)
        default: now = t0 + .days(2)
        }
        switch state {
        case "released":
            try simulation.perform(.release([.force, .terminateSubscription]), at: t0 + .days(31))
        case "refunded": simulation.handle(.provider(.subscriptionRefunded), at: t0 + .days(1))
        case "security-locked": simulation.handle(.provider(.securityLocked), at: t0 + .days(1))
        case "overdue":
            simulation.handle(.arrearsBegan, at: t0)
        default: break
        }
        simulation.advance(to: now)
        if state == "overdue" { #expect(simulation.machine.phase == .suspended) }
        let before = simulation.machine
        #expect(refusalCode(&simulation, .convertToPayAsYouGo, at: now) == code.rawValue, "\(state)")
        #expect(simulation.machine == before)
        #expect(AliyunErrorCode.documented(.convertToPayAsYouGo).codes[code] != nil)
    }
}

/// Unsubscribing (退订) early, then releasing (seeds 000/001, AD8, AM7).
@Suite("Aliyun unsubscription")
struct AliyunUnsubscribeTests {
    @Test(
        "A1/AD8: an unsubscribed subscription waits Stopped and is released with TerminateSubscription, whatever its phase"
    )
    func unsubscribeThenRelease() throws {
        for phase in [LaunchPhase.running, .stopped, .pending] {
            var simulation = try launch(AliyunChargeTypeTests.subscription, phase: phase)
            try simulation.perform(.unsubscribe, at: t0 + .days(1))
            #expect(simulation.machine.attributes?.status == .stopped)
            #expect(simulation.machine.attributes?.operationLocks == [.refunded])
            #expect(simulation.machine.pendingDeadlines.isEmpty)
            #expect(refusalCode(&simulation, .release([.force]), at: t0 + .days(2)) == "ChargeTypeViolation")
            try simulation.perform(.release([.force, .terminateSubscription]), at: t0 + .days(2))
            #expect(simulation.machine.phase == .released)
        }
    }

    @Test(
        "AM7: a pay-as-you-go, expired, already unsubscribed or released instance is refused, and nothing changes",
        arguments: [
            ("pay-as-you-go", AliyunErrorCode.chargeTypeViolation.code),
            ("expired", AliyunErrorCode.chargeTypeViolation.code),
            ("unsubscribed", AliyunErrorCode.chargeTypeViolation.code), ("released", AliyunErrorCode.notFound.code),
        ]
    )
    func refused(state: String, code: ReleaseError.Code) throws {
        var description = AliyunChargeTypeTests.subscription
        if state == "pay-as-you-go" || state == "released" { description.charge = .payAsYouGo }
        var simulation = try launch(description)
        var now = t0 + .days(1)
        switch state {
        case "expired": now = t0 + .days(31)
        case "unsubscribed": try simulation.perform(.unsubscribe, at: t0)
        case "released": try simulation.perform(.release([.force]), at: t0)
        default: break
        }
        simulation.advance(to: now)
        #expect(refusalCode(&simulation, .unsubscribe, at: now) == code.rawValue, "\(state)")
        #expect(AliyunErrorCode.documented(.unsubscribe).codes[code] != nil)
    }
}
