import ReleaseCore
import TencentCVM
import TestSupport
import Testing

/// ModifyInstancesChargeType to POSTPAID_BY_HOUR (TD12, TM10).
@Suite("Tencent conversion to pay-as-you-go")
struct TencentChargeTypeTests {
    static let subscription = InstanceDescription(id: "ins-1", charge: .subscription(expiresAt: t0 + .days(30)))

    @Test(
        "TD12: a RUNNING or STOPPED subscription converts: pay-as-you-go from now, no expiry, billing by the second; destroyed, it waits 2 h in the bin like one (T2)",
        arguments: [LaunchPhase.running, .stopped]
    )
    func converts(phase: LaunchPhase) throws {
        var simulation = launch(Self.subscription, phase: phase)
        let effects = try simulation.perform(.convertToPayAsYouGo, at: t0 + .hours(1))
        #expect(effects.citedSources.contains("TD12"))
        #expect(simulation.machine.instance.charge == .payAsYouGo)
        #expect(simulation.machine.pendingDeadlines.isEmpty)
        #expect(simulation.machine.runningMeters.contains(.compute))
        #expect(simulation.machine.runningMeters.contains(.disk(0)))
        simulation.advance(to: t0 + .days(60))
        #expect(simulation.machine.phase == phase.phase)
        try simulation.perform(.release([]), at: t0 + .days(60))
        #expect(simulation.machine.restorableUntil == t0 + .days(60) + .hours(2))
    }

    @Test(
        "TD12/TM10: every state that cannot convert is refused with a code from the action's own list, and nothing changes",
        arguments: [
            ("released", TencentErrorCode.notFound), ("pending", TencentErrorCode.operationInProgress),
            ("starting", TencentErrorCode.operationInProgress), ("stopping", TencentErrorCode.stateStopping),
            ("recycle bin", TencentErrorCode.stateShutdown), ("expired", TencentErrorCode.stateShutdown),
            ("stopped without charge", TencentErrorCode.instanceChargeType),
            ("pay-as-you-go", TencentErrorCode.instanceChargeType),
            ("pay-as-you-go scheduled", TencentErrorCode.instanceChargeType),
        ]
    )
    func refused(state: String, code: ReleaseError.Code) throws {
        var description = Self.subscription
        var phase = LaunchPhase.running
        switch state {
        case "pending": phase = .pending
        case "starting": phase = .starting
        case "stopping": phase = .stopping
        case "pay-as-you-go", "pay-as-you-go scheduled": description.charge = .payAsYouGo
        default: break
        }
        var simulation = launch(description, phase: phase)
        var now = t0 + .hours(1)
        switch state {
        case "released":
            try simulation.perform(.release([]), at: t0)
            try simulation.perform(.release([]), at: t0)
        case "recycle bin": try simulation.perform(.release([]), at: t0)
        case "expired": now = t0 + .days(31)
        case "stopped without charge": try simulation.perform(.stop(chargingMode: .stopCharging), at: t0)
        case "pay-as-you-go scheduled": try simulation.perform(.scheduleRelease(at: t0 + .days(1)), at: t0)
        default: break
        }
        simulation.advance(to: now)
        let before = simulation.machine
        #expect(refusalCode(&simulation, .convertToPayAsYouGo, at: now) == code.rawValue, "\(state)")
        #expect(simulation.machine == before)
        #expect(TencentErrorCode.documented(.convertToPayAsYouGo).codes[code] != nil)
    }

    @Test("TD12: an elastic data disk keeps its own billing unless ModifyPortableDataDisk switches it (left false)")
    func elasticDiskKeepsItsBilling() throws {
        var description = Self.subscription
        description.disks = [
            Disk(id: "sys", role: .system), Disk(id: "data", role: .data),
            Disk(id: "portable", role: .data, isElastic: true), Disk(id: "scratch", role: .local),
        ]
        var simulation = launch(description)
        try simulation.perform(.convertToPayAsYouGo, at: t0 + .hours(1))
        let meters = simulation.machine.runningMeters
        #expect(meters.contains(.disk(0)) && meters.contains(.disk(1)))
        #expect(!meters.contains(.disk(2)) && !meters.contains(.disk(3)))
    }

    @Test("TM10: termination protection does not block a conversion")
    func protectionDoesNotBlock() throws {
        var description = Self.subscription
        description.isProtected = true
        var simulation = launch(description)
        try simulation.perform(.convertToPayAsYouGo, at: t0 + .hours(1))
        #expect(simulation.machine.instance.charge == .payAsYouGo && simulation.machine.isProtected)
    }
}

/// Returning (退还) a subscription early (TD1, TM12).
@Suite("Tencent unsubscription")
struct TencentUnsubscribeTests {
    @Test("TM12/TD1: returning a subscription is TerminateInstances on it: 7 days in the recycle bin, then gone (TD6)")
    func returnParksInTheBin() throws {
        var simulation = launch(TencentChargeTypeTests.subscription)
        let effects = try simulation.perform(.unsubscribe, at: t0 + .days(1))
        #expect(effects.citedSources.contains("TM12"))
        #expect(simulation.machine.phase == .recycleBin)
        #expect(simulation.machine.restorableUntil == t0 + .days(8))
        // A second return destroys it for good, as a second TerminateInstances does (TD1).
        try simulation.perform(.unsubscribe, at: t0 + .days(2))
        #expect(simulation.machine.phase == .released)
    }

    @Test(
        "TM12: a pay-as-you-go instance has nothing to return; a protected subscription refuses as TerminateInstances does"
    )
    func refused() throws {
        var payAsYouGo = launch(InstanceDescription(id: "ins-1"))
        #expect(refusalCode(&payAsYouGo, .unsubscribe, at: t0) == TencentErrorCode.instanceChargeType.rawValue)
        var description = TencentChargeTypeTests.subscription
        description.isProtected = true
        var protected = launch(description)
        #expect(refusalCode(&protected, .unsubscribe, at: t0) == TencentErrorCode.instancesProtected.rawValue)
        #expect(TencentErrorCode.documented(.unsubscribe).codes[TencentErrorCode.instancesProtected] != nil)
    }
}
