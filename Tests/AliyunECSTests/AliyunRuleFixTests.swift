import AliyunECS
import ReleaseCore
import TestSupport
import Testing

/// Rules an audit found wrong or undecided (issue 8 §1), each pinned by a test named after its source.
@Suite("Aliyun audited rules")
struct AliyunAuditedRuleTests {
    struct LaunchRow: CustomTestStringConvertible, Sendable {
        var phase: LaunchPhase
        var computeBills: Bool
        var testDescription: String { "launched \(phase.rawValue) → compute \(computeBills ? "bills" : "idle")" }
    }

    /// Seed 000: a stopped pay-as-you-go instance keeps billing unless it was stopped without charging; an
    /// instance described as launched in any phase is in the KeepCharging default (AD4), so compute bills.
    @Test(
        "A0: every launch phase of a pay-as-you-go instance starts the compute meter",
        arguments: LaunchPhase.allCases.map { LaunchRow(phase: $0, computeBills: true) }
    )
    func launchMeters(row: LaunchRow) throws {
        var simulation = try launch(phase: row.phase)
        #expect(simulation.machine.runningMeters.contains(.compute) == row.computeBills)
        #expect(simulation.machine.runningMeters.contains(.disk(0)))
        simulation.advance(to: t0 + .hours(1))
        #expect(simulation.billedSeconds(.compute, since: t0) == .hours(1))
    }

    @Test("A0: a subscription bills no compute meter, whatever its launch phase (prepaid)")
    func subscriptionLaunchMeters() throws {
        for phase in LaunchPhase.allCases {
            let simulation = try launch(
                InstanceDescription(id: "i-1", charge: .subscription(expiresAt: t0 + .days(30))),
                phase: phase
            )
            #expect(!simulation.machine.runningMeters.contains(.compute))
        }
    }

    /// AD1: the disks of a security-locked instance are released even with DeleteWithInstance=false,
    /// whatever then releases it (its auto-release time here), not only a release "for security".
    @Test("AD1: a security lock releases kept data disks on every later release")
    func securityLockKeysOnTheLock() throws {
        let kept = Disk(id: "d-kept", role: .data, deleteWithInstance: false)
        var simulation = try launch(
            InstanceDescription(id: "i-1", disks: [Disk(id: "d-sys", role: .system), kept])
        )
        try simulation.perform(.scheduleRelease(at: t0 + .hours(1)), at: t0)
        simulation.handle(.securityLocked, at: t0 + .minutes(1))
        simulation.advance(to: t0 + .hours(1))
        #expect(simulation.machine.phase == .released)
        #expect(simulation.machine.resourceFates.map(\.fate) == [.released, .released])
        #expect(!simulation.machine.runningMeters.contains(.disk(1)))
    }

    @Test("A1: without a security lock, the same auto-release keeps a DeleteWithInstance=false disk")
    func unlockedKeepsDisk() throws {
        let kept = Disk(id: "d-kept", role: .data, deleteWithInstance: false)
        var simulation = try launch(InstanceDescription(id: "i-1", disks: [Disk(id: "d-sys", role: .system), kept]))
        try simulation.perform(.scheduleRelease(at: t0 + .hours(1)), at: t0)
        simulation.advance(to: t0 + .hours(1))
        #expect(simulation.machine.resourceFates.map(\.fate) == [.released, .retained])
    }

    /// Seed 001: local and system disks are released with the instance whatever their DeleteWithInstance.
    @Test("A1: local and system disks are always released, whatever their DeleteWithInstance flag")
    func localAndSystemDisksAlwaysReleased() throws {
        let disks = [
            Disk(id: "d-sys", role: .system, deleteWithInstance: false),
            Disk(id: "d-local", role: .local, deleteWithInstance: false),
            Disk(id: "d-data", role: .data, deleteWithInstance: false),
        ]
        var simulation = try launch(InstanceDescription(id: "i-1", disks: disks), phase: .stopped)
        try simulation.perform(.release(), at: t0)
        #expect(simulation.machine.resourceFates.map(\.fate) == [.released, .released, .retained])
    }

    /// AD3: cancelling is ModifyInstanceAutoReleaseTime without a time: pay-as-you-go only.
    @Test("AD3: cancelling a subscription's auto-release is refused with ChargeTypeViolation")
    func cancelOnSubscription() throws {
        var simulation = try launch(InstanceDescription(id: "i-1", charge: .subscription(expiresAt: t0 + .days(30))))
        #expect(refusalCode(&simulation, .cancelScheduledRelease, at: t0) == "ChargeTypeViolation")
        var payAsYouGo = try launch()
        #expect(try payAsYouGo.perform(.cancelScheduledRelease, at: t0).isEmpty)
    }

    /// AD11: an account with an overdue payment cannot create instances; the code is AM4's choice.
    @Test("AD11: a launch into an account with an overdue payment is refused (Account.Arrearage)")
    func launchInArrears() throws {
        #expect(throws: ReleaseError.self) {
            try AliyunECS().launch(InstanceDescription(id: "i-1"), in: .running, standing: .inArrears, at: t0)
        }
        do {
            _ = try AliyunECS().launch(InstanceDescription(id: "i-1"), in: .running, standing: .inArrears, at: t0)
        } catch {
            #expect(error.code == AliyunErrorCode.accountArrearage.code)
            #expect(error.httpStatus == 400)
            #expect(error.source.code == "AM4")
        }
    }

    /// Q5: DeleteInstances is all or nothing, and each member is checked by its own DeleteInstance.
    @Test("Q5: a DeleteInstances batch with one refused member changes nothing")
    func batchAllOrNothing() throws {
        let ecs = AliyunECS()
        var machines = [
            try ecs.launch(InstanceDescription(id: "a"), in: .stopped, at: t0).0,
            try ecs.launch(InstanceDescription(id: "b", charge: .subscription(expiresAt: t0 + .days(9))), at: t0).0,
        ]
        let before = machines
        #expect(throws: ReleaseError.self) { try ecs.releaseBatch(&machines, flags: [], at: t0) }
        #expect(machines == before)
    }

    /// Seed 001 vs AD7: releasing at exactly the expiry instant: the subscription has expired (`now <
    /// expiresAt` is false), so TerminateSubscription releases it.
    @Test("A1: a subscription can be released with TerminateSubscription at exactly its expiry instant")
    func releaseAtExpiryInstant() throws {
        let expiry = t0 + .days(30)
        var simulation = try launch(InstanceDescription(id: "i-1", charge: .subscription(expiresAt: expiry)))
        #expect(
            refusalCode(&simulation, .release([.force, .terminateSubscription]), at: expiry - Seconds(1))
                == "ChargeTypeViolation"
        )
        try simulation.perform(.release([.terminateSubscription]), at: expiry)
        #expect(simulation.machine.phase == .released)
    }

    /// AD1: Force lets a running instance go; it does not replace TerminateSubscription for a subscription.
    @Test("A1: Force does not replace TerminateSubscription on an expired subscription (Q6)")
    func forceIsNotTerminateSubscription() throws {
        let expiry = t0 + .days(30)
        var simulation = try launch(InstanceDescription(id: "i-1", charge: .subscription(expiresAt: expiry)))
        simulation.advance(to: expiry + .days(1))
        #expect(refusalCode(&simulation, .release([.force]), at: expiry + .days(1)) == "ChargeTypeViolation")
    }
}

/// DescribeInstances fields produced from the machine (issue 9.6).
@Suite("Aliyun DescribeInstances attributes")
struct AliyunAttributeTests {
    @Test("AD4/AD8: Status, StoppedMode, OperationLocks, AutoReleaseTime and DeletionProtection follow the machine")
    func attributes() throws {
        var simulation = try launch(InstanceDescription(id: "i-1", region: "cn-hangzhou", isProtected: true))
        var attributes = try #require(simulation.machine.attributes)
        #expect(attributes.status == .running)
        #expect(attributes.deletionProtection)
        #expect(attributes.chargeType == .postPaid)
        #expect(attributes.autoReleaseTime == nil)
        try simulation.perform(.scheduleRelease(at: t0 + .hours(2) + Seconds(42)), at: t0)
        try simulation.perform(.stop(chargingMode: .stopCharging), at: t0)
        attributes = try #require(simulation.machine.attributes)
        #expect(attributes.status == .stopped)
        #expect(attributes.stoppedMode == .stopCharging)
        #expect(attributes.autoReleaseTime == t0 + .hours(2))
        simulation.handle(.arrearsBegan, at: t0)
        var newer = try launch(rules: .newer)
        newer.handle(.arrearsBegan, at: t0)
        newer.advance(to: t0 + .days(15))
        let overdue = try #require(newer.machine.attributes)
        #expect(overdue.status == .stopped)
        #expect(overdue.operationLocks == [.financial])
        #expect(newer.machine.apiStatus == "Stopped (Expired, LockReason=financial)")
        simulation.advance(to: t0 + .hours(2))
        #expect(simulation.machine.attributes == nil)
    }

    @Test("AD8: an expired subscription is API Stopped, console Expired, with its ExpiredTime")
    func expired() throws {
        let expiry = t0 + .days(3)
        var simulation = try launch(InstanceDescription(id: "i-1", charge: .subscription(expiresAt: expiry)))
        simulation.advance(to: expiry)
        let attributes = try #require(simulation.machine.attributes)
        #expect(attributes.status == .stopped)
        #expect(attributes.isExpired)
        #expect(attributes.expiredTime == expiry)
        #expect(attributes.chargeType == .prePaid)
        #expect(attributes.stoppedMode == .notApplicable)
    }
}
