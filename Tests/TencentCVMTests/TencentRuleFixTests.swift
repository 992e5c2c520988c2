import ReleaseCore
import TencentCVM
import TestSupport
import Testing

/// Rules an audit found wrong or undecided (issue 8 §1), each pinned by a test named after its source.
@Suite("Tencent audited rules")
struct TencentAuditedRuleTests {
    /// TM6: a scheduled destruction survives the bin; when it comes due there it releases the instance
    /// (scheduled destruction skips the bin, T2), before the bin's own expiry.
    @Test("TM6/T2: a schedule that comes due while the instance is in the bin releases it")
    func scheduleFiresInBin() throws {
        var simulation = launch()
        try simulation.perform(.scheduleRelease(at: t0 + .hours(1)), at: t0)
        try simulation.perform(.release(), at: t0 + .minutes(10))
        #expect(simulation.machine.phase == .recycleBin)
        #expect(simulation.machine.scheduledDestructionTime == t0 + .hours(1))
        simulation.advance(to: t0 + .hours(1) - Seconds(1))
        #expect(simulation.machine.phase == .recycleBin)
        simulation.advance(to: t0 + .hours(1))
        #expect(simulation.machine.phase == .released)
    }

    @Test("TM6: restoring before the schedule brings the schedule back with the instance")
    func restoreKeepsSchedule() throws {
        var simulation = launch()
        try simulation.perform(.scheduleRelease(at: t0 + .hours(5)), at: t0)
        try simulation.perform(.release(), at: t0 + .minutes(10))
        try simulation.perform(.restore, at: t0 + .minutes(20))
        #expect(simulation.machine.phase == .stopped)
        #expect(simulation.machine.pendingDeadlines == [Deadline(.scheduledRelease, at: t0 + .hours(5))])
        simulation.advance(to: t0 + .hours(5))
        #expect(simulation.machine.phase == .released)
    }

    @Test("TM6: a subscription destroyed and restored still expires on its contract's date")
    func restoredSubscriptionExpires() throws {
        let expiry = t0 + .days(30)
        var simulation = launch(InstanceDescription(id: "ins-1", charge: .subscription(expiresAt: expiry)))
        try simulation.perform(.release(), at: t0 + .days(1))
        try simulation.perform(.restore, at: t0 + .days(2))
        #expect(simulation.machine.pendingDeadlines == [Deadline(.subscriptionExpiry, at: expiry)])
        simulation.advance(to: expiry)
        #expect(simulation.machine.phase == .recycleBin)
        #expect(simulation.machine.apiStatus == "SHUTDOWN (IsolatedSource=EXPIRE)")
    }

    @Test("TM6: a returned subscription that expires in the bin becomes an expired one, renewed to leave")
    func subscriptionExpiresInBin() throws {
        let expiry = t0 + .days(3)
        var simulation = launch(InstanceDescription(id: "ins-1", charge: .subscription(expiresAt: expiry)))
        try simulation.perform(.release(), at: t0)
        simulation.advance(to: expiry)
        #expect(simulation.machine.apiStatus == "SHUTDOWN (IsolatedSource=EXPIRE)")
        #expect(simulation.machine.pendingDeadlines == [Deadline(.recycleBinExpiry, at: t0 + .days(7))])
        #expect(refusalCode(&simulation, .restore, at: expiry) == "UnsupportedOperation.InstanceChargeType")
        try simulation.perform(.renew(until: expiry + .days(30)), at: expiry + .days(1))
        #expect(simulation.machine.phase == .stopped)
    }

    /// TM8: a top-up brings an arrears shutdown back to the state before it (as ECS does per AD6).
    @Test("TM8: a top-up after arrears leaves an instance the user had stopped without charging stopped")
    func topUpKeepsStoppedInstanceStopped() throws {
        var simulation = launch()
        try simulation.perform(.stop(chargingMode: .stopCharging), at: t0)
        simulation.handle(.arrearsBegan, at: t0 + .hours(1))
        simulation.advance(to: t0 + .hours(3))
        #expect(simulation.machine.phase == .suspended)
        simulation.handle(.balanceRestored, at: t0 + .hours(4))
        #expect(simulation.machine.phase == .stopped)
        #expect(!simulation.machine.runningMeters.contains(.compute))
        simulation.advance(to: t0 + .hours(10))
        #expect(simulation.billedSeconds(.compute, since: t0) == .zero)
    }

    @Test("TM8: a top-up after arrears brings a running instance back running and billed")
    func topUpResumesRunningInstance() throws {
        var simulation = launch()
        simulation.handle(.arrearsBegan, at: t0)
        simulation.advance(to: t0 + .hours(3))
        simulation.handle(.balanceRestored, at: t0 + .hours(4))
        #expect(simulation.machine.phase == .running)
        #expect(simulation.machine.runningMeters.contains(.compute))
    }

    /// T2: arrears applies to a stopped pay-as-you-go instance too: 2 h, then shut down, released at 26 h.
    @Test("T2: arrears on a stopped instance shuts it down at 2 h and releases it at 26 h")
    func arrearsOnStoppedInstance() throws {
        var simulation = launch()
        try simulation.perform(.stop(), at: t0)
        simulation.handle(.arrearsBegan, at: t0)
        simulation.advance(to: t0 + .hours(2) - Seconds(1))
        #expect(simulation.machine.phase == .stopped)
        simulation.advance(to: t0 + .hours(2))
        #expect(simulation.machine.phase == .suspended)
        simulation.advance(to: t0 + .hours(26))
        #expect(simulation.machine.phase == .released)
    }

    @Test("TM1: restoring from the bin keeps the stop mode the instance had")
    func restoreKeepsStopMode() throws {
        var simulation = launch()
        try simulation.perform(.stop(chargingMode: .stopCharging), at: t0)
        try simulation.perform(.release(), at: t0 + .minutes(1))
        try simulation.perform(.restore, at: t0 + .minutes(2))
        #expect(simulation.machine.phase == .stopped)
        #expect(!simulation.machine.runningMeters.contains(.compute))
        #expect(simulation.machine.runningMeters.contains(.disk(0)))
        try simulation.perform(.start, at: t0 + .minutes(3))
        #expect(simulation.machine.runningMeters.contains(.compute))
    }

    /// T2 (+Q18/TM1): restore restarts compute billing for an instance destroyed while running.
    @Test("T2: restore restarts compute billing for an instance destroyed while running")
    func restoreRestartsBilling() throws {
        var simulation = launch()
        try simulation.perform(.release(), at: t0 + .hours(1))
        try simulation.perform(.restore, at: t0 + .hours(2))
        simulation.advance(to: t0 + .hours(3))
        #expect(simulation.billedSeconds(.compute, since: t0) == .hours(2))
    }

    /// TD8/TD10: an instance described as launched stopped is in KEEP_CHARGING, so compute bills.
    @Test(
        "TD8: every launch phase of a pay-as-you-go instance starts the compute meter",
        arguments: LaunchPhase.allCases
    )
    func launchMeters(phase: LaunchPhase) {
        let simulation = launch(phase: phase)
        #expect(simulation.machine.runningMeters.contains(.compute))
    }

    /// TM7: CVM deletes timers by id (TD7) and a subscription never holds one (T2): nothing to refuse.
    @Test("TM7: cancelling scheduled destruction on a subscription changes nothing and is not refused")
    func cancelOnSubscription() throws {
        var simulation = launch(InstanceDescription(id: "ins-1", charge: .subscription(expiresAt: t0 + .days(30))))
        let before = simulation.machine
        #expect(try simulation.perform(.cancelScheduledRelease, at: t0) == [.cited("TM7")])
        #expect(simulation.machine == before)
    }

    /// TD2 RunInstances, TD5: a launch into an account in arrears is refused.
    @Test("TD2: a launch into an account in arrears is refused with InvalidAccount.InsufficientBalance")
    func launchInArrears() {
        do {
            _ = try TencentCVM().launch(InstanceDescription(id: "ins-1"), in: .running, standing: .inArrears, at: t0)
            Issue.record("the launch was accepted")
        } catch {
            #expect(error.code == TencentErrorCode.insufficientBalance)
            #expect(error.command == .launch)
        }
    }

    /// TD1: one TerminateInstances call is all or nothing: a member refused by its own destroy (here the
    /// release-now of a subscription, which an earlier hand-kept batch check missed) fails the whole call.
    @Test("TM4/TD1: a batch whose second member refuses release-now changes nothing")
    func batchAllOrNothing() throws {
        let cvm = TencentCVM()
        let subscription = InstanceDescription(id: "b", charge: .subscription(expiresAt: t0 + .days(30)))
        var machines = [
            try cvm.launch(
                InstanceDescription(id: "a", charge: .subscription(expiresAt: t0 + .days(30))),
                in: .running,
                at: t0
            )
            .0,
            try cvm.launch(subscription, in: .running, at: t0).0,
        ]
        // Put the first in the bin so that release-now is accepted for it alone.
        _ = try machines[0].perform(.release(), at: t0)
        let before = machines
        #expect(throws: ReleaseError.self) { try cvm.releaseBatch(&machines, flags: [.immediately], at: t0) }
        #expect(machines == before)
        #expect(machines[0].phase == .recycleBin)
    }
}

/// Documented rules that no test pinned before (issue 8 §2).
@Suite("Tencent pinned rules")
struct TencentPinnedRuleTests {
    static let elastic = InstanceDescription(
        id: "ins-1",
        disks: [Disk(id: "sys", role: .system), Disk(id: "cbs", role: .data, isElastic: true)]
    )

    /// Seed 002: elastic disks follow their own lifecycle, so they keep billing in the bin.
    @Test("T2: an elastic disk keeps billing while its instance is in the recycle bin")
    func elasticDiskBillsInBin() throws {
        var simulation = launch(Self.elastic)
        try simulation.perform(.release(), at: t0)
        #expect(simulation.machine.phase == .recycleBin)
        #expect(simulation.machine.runningMeters.contains(.disk(1)))
        #expect(!simulation.machine.runningMeters.contains(.disk(0)))
        simulation.advance(to: t0 + .hours(1))
        #expect(simulation.billedSeconds(.disk, since: t0) == .hours(1))
    }

    /// Seed 002: the same for an instance shut down for arrears.
    @Test("T2: an elastic disk keeps billing while its instance is shut down for arrears")
    func elasticDiskBillsInArrears() throws {
        var simulation = launch(Self.elastic)
        simulation.handle(.arrearsBegan, at: t0)
        simulation.advance(to: t0 + .hours(3))
        #expect(simulation.machine.phase == .suspended)
        #expect(simulation.machine.runningMeters.contains(.disk(1)))
        #expect(!simulation.machine.runningMeters.contains(.disk(0)))
    }

    /// TD6: at exactly the expiry instant the subscription has expired: it is in the bin.
    @Test("TD6: at exactly its expiry instant a subscription is in the bin, and a destroy then releases it")
    func releaseAtExpiryInstant() throws {
        let expiry = t0 + .days(30)
        var simulation = launch(InstanceDescription(id: "ins-1", charge: .subscription(expiresAt: expiry)))
        try simulation.perform(.release(), at: expiry)
        #expect(simulation.machine.phase == .released)
    }
}

/// DescribeInstances fields produced from the machine (issue 9.6).
@Suite("Tencent DescribeInstances attributes")
struct TencentAttributeTests {
    @Test("TD9: InstanceState, IsolatedSource, DisableApiTermination and the ActionTimer follow the machine")
    func attributes() throws {
        var simulation = launch()
        try simulation.perform(.scheduleRelease(at: t0 + .hours(3)), at: t0)
        var attributes = try #require(simulation.machine.attributes)
        #expect(attributes.instanceState == .running)
        #expect(attributes.isolatedSource == .notIsolated)
        #expect(attributes.actionTimer?.actionTime == t0 + .hours(3))
        #expect(attributes.chargeType == .postpaidByHour)
        try simulation.perform(.release(), at: t0 + .minutes(1))
        attributes = try #require(simulation.machine.attributes)
        #expect(attributes.instanceState == .shutdown)
        #expect(attributes.isolatedSource == .manmade)
        #expect(attributes.recycleBinExpiry == t0 + .minutes(1) + .hours(2))
        simulation.advance(to: t0 + .hours(3))
        #expect(simulation.machine.attributes == nil)
    }

    @Test(
        "TD9: StopChargingMode shows the mode every stop was made in, while stopping and once stopped, for each profile",
        arguments: TencentRules.all
    )
    func stopChargingMode(rules: TencentRules) throws {
        for mode in [StopChargingMode.stopCharging, .keepCharging] {
            var simulation = launch(rules: rules)
            #expect(simulation.machine.attributes?.stopChargingMode == .notApplicable)
            try simulation.perform(.stop(force: false, chargingMode: mode), at: t0 + .minutes(1))
            simulation.advance(to: t0 + .minutes(2))
            let shown = try #require(simulation.machine.attributes?.stopChargingMode)
            #expect(shown == (mode == .stopCharging ? .stopCharging : .keepCharging), "\(mode)")
        }
    }

    @Test("TD-common: CVM answers every refusal with HTTP 200 and the code in the body")
    func httpStatus() {
        var simulation = launch(InstanceDescription(id: "ins-1", isProtected: true))
        do {
            try simulation.perform(.release(), at: t0)
            Issue.record("accepted")
        } catch {
            #expect(error.httpStatus == 200)
            #expect(error.code == TencentErrorCode.instancesProtected)
        }
    }

    @Test("TD9/Q20: an arrears shutdown is SHUTDOWN with IsolatedSource ARREAR; an expired one is EXPIRE")
    func isolation() throws {
        var simulation = launch()
        simulation.handle(.arrearsBegan, at: t0)
        simulation.advance(to: t0 + .hours(2))
        #expect(simulation.machine.attributes?.isolatedSource == .arrear)
        var expiring = launch(InstanceDescription(id: "ins-2", charge: .subscription(expiresAt: t0 + .days(1))))
        expiring.advance(to: t0 + .days(1))
        #expect(expiring.machine.attributes?.isolatedSource == .expire)
        #expect(expiring.machine.attributes?.restrictState == .expired)
    }

    /// How a CVM instance came to the state a row observes.
    enum Path: String, CaseIterable, Sendable {
        case running, stopped, destroyedPayAsYouGo, returnedSubscription, arrearsShutdown, expiredSubscription
    }

    @Test(
        "TD9: RestrictState is EXPIRED for an expired subscription only, NORMAL on every other path",
        arguments: Path.allCases
    )
    func restrictState(path: Path) throws {
        let subscription = InstanceDescription(id: "ins-1", charge: .subscription(expiresAt: t0 + .days(30)))
        var simulation: Simulation<TencentInstance>
        var isolated: CVMInstanceAttributes.IsolatedSource = .notIsolated
        switch path {
        case .running:
            simulation = launch()
        case .stopped:
            simulation = launch()
            try simulation.perform(.stop(), at: t0 + .hours(1))
        case .destroyedPayAsYouGo:
            simulation = launch()
            try simulation.perform(.release(), at: t0 + .hours(1))
            isolated = .manmade
        case .returnedSubscription:
            simulation = launch(subscription)
            try simulation.perform(.release(), at: t0 + .hours(1))
            isolated = .manmade
        case .arrearsShutdown:
            simulation = launch()
            simulation.handle(.arrearsBegan, at: t0)
            simulation.advance(to: t0 + .hours(2))
            isolated = .arrear
        case .expiredSubscription:
            simulation = launch(subscription)
            simulation.advance(to: t0 + .days(30))
            isolated = .expire
        }
        let attributes = try #require(simulation.machine.attributes)
        #expect(attributes.isolatedSource == isolated)
        #expect(attributes.restrictState == (path == .expiredSubscription ? .expired : .normal))
    }
}
