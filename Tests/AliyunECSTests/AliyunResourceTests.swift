import AliyunECS
import ReleaseCore
import TestSupport
import Testing

/// Resource fate and billing on release (seed 001; AD1).
@Suite("Aliyun resource fate")
struct AliyunResourceTests {
    static let richInstance = InstanceDescription(
        id: "i-1",
        disks: [
            Disk(id: "sys", role: .system, deleteWithInstance: false),
            Disk(id: "data-kept", role: .data, deleteWithInstance: false, deleteAutoSnapshots: false),
            Disk(id: "data-gone", role: .data, deleteWithInstance: true, deleteAutoSnapshots: true),
            Disk(id: "data-gone-keep-snaps", role: .data, deleteWithInstance: true, deleteAutoSnapshots: false),
            Disk(id: "local", role: .local),
        ],
        snapshots: [
            Snapshot(id: "s-auto-kept-disk", diskID: "data-kept", kind: .automatic),
            Snapshot(id: "s-auto-gone", diskID: "data-gone", kind: .automatic),
            Snapshot(id: "s-auto-flag-off", diskID: "data-gone-keep-snaps", kind: .automatic),
            Snapshot(id: "s-manual", diskID: "data-gone", kind: .manual),
        ],
        publicAddress: .elasticIP
    )

    static func fates(after event: (inout Simulation<AliyunInstance>) throws -> Void) throws -> [ResourceFate] {
        var simulation = try launch(richInstance)
        try event(&simulation)
        #expect(simulation.machine.phase == .released)
        return simulation.machine.resourceFates.map(\.fate)
    }

    @Test("A1/AD1: disks, snapshots and addresses on a manual release (edge case 28, Q8)")
    func manualRelease() throws {
        let fates = try Self.fates { try $0.perform(.release([.force]), at: t0 + .hours(1)) }
        #expect(
            fates == [
                .released,  // system disk: always (seed 001, Q8), whatever DeleteWithInstance says
                .retained,  // data disk with DeleteWithInstance=false: kept, becomes pay-as-you-go
                .released,  // data disk with DeleteWithInstance=true
                .released,
                .released,  // local disk
                .retained,  // automatic snapshot of a kept disk
                .released,  // automatic snapshot, disk released, DeleteAutoSnapshot=true
                .retained,  // automatic snapshot, disk released, DeleteAutoSnapshot=false
                .retained,  // manual snapshot: always kept
                .retained,  // EIP: not released with the instance (seed 001)
            ]
        )
    }

    @Test("AD1: a security release deletes every disk despite DeleteWithInstance=false (edge case 29)")
    func securityRelease() throws {
        let fates = try Self.fates { $0.handle(.systemRelease(.security), at: t0 + .hours(1)) }
        #expect(Array(fates.prefix(5)) == Array(repeating: .released, count: 5))
    }

    @Test("C11: a user DeleteInstance on a security-locked instance is refused [MODEL]")
    func securityLocked() throws {
        var simulation = try launch()
        simulation.handle(.securityLocked, at: t0)
        #expect(refusalCode(&simulation, .release([.force]), at: t0 + .minutes(1)) == "InstanceLockedForSecurity")
        #expect(refusalCode(&simulation, .stop(), at: t0 + .minutes(1)) == "InstanceLockedForSecurity")
    }

    @Test("A1/A3: scale-in and security releases ignore release protection")
    func systemReleasesIgnoreProtection() throws {
        for reason in SystemReleaseReason.allCases {
            var simulation = try launch(InstanceDescription(id: "i-1", isProtected: true))
            simulation.handle(.systemRelease(reason), at: t0 + .minutes(1))
            #expect(simulation.machine.phase == .released)
        }
    }

    @Test("A1: a fixed public IP is reclaimed for good; an EIP is kept and keeps billing (edge case 30)")
    func publicAddresses() throws {
        var fixed = try launch(InstanceDescription(id: "i-1", publicAddress: .fixedPublicIP))
        try fixed.perform(.release([.force]), at: t0 + .hours(1))
        #expect(fixed.machine.resourceFates.last == ResourceOutcome(.publicAddress, .released))
        var elastic = try launch(InstanceDescription(id: "i-2", publicAddress: .elasticIP))
        try elastic.perform(.release([.force]), at: t0 + .hours(1))
        #expect(elastic.machine.resourceFates.last == ResourceOutcome(.publicAddress, .retained))
        elastic.advance(to: t0 + .hours(5))
        #expect(elastic.billedSeconds(.elasticIP, since: t0) == Seconds.hours(5))
        #expect(elastic.billedSeconds(.compute, since: t0) == Seconds.hours(1))
    }

    @Test("A1/AD1: a kept data disk keeps billing after release; released disks stop")
    func keptDiskBills() throws {
        var simulation = try launch(Self.richInstance)
        try simulation.perform(.release([.force]), at: t0 + .hours(1))
        simulation.advance(to: t0 + .hours(3))
        // Four cloud disks bill for 1 h; the kept one bills 2 h more; the local disk has no meter.
        #expect(simulation.billedSeconds(.disk, since: t0) == Seconds.hours(4 + 2))
    }

    @Test("AD1: a subscription's kept data disk becomes pay-as-you-go and starts billing at release")
    func subscriptionKeptDisk() throws {
        let expiry = t0 + .days(30)
        var simulation = try launch(
            InstanceDescription(
                id: "i-1",
                charge: .subscription(expiresAt: expiry),
                disks: [Disk(id: "sys", role: .system), Disk(id: "data", role: .data, deleteWithInstance: false)]
            )
        )
        try simulation.perform(.release([.terminateSubscription]), at: expiry + .days(1))
        simulation.advance(to: expiry + .days(2))
        #expect(simulation.billedSeconds(.disk, since: t0) == Seconds.days(1))
    }

    @Test(
        "AD4: in economical mode a stopped pay-as-you-go instance gives up its fixed public IP until it starts; keep-charging, an EIP and a subscription keep theirs",
        arguments: [
            (PublicAddress.fixedPublicIP, false, StopChargingMode.stopCharging, ResourceState.givenUp),
            (.fixedPublicIP, false, .keepCharging, .attached),
            (.elasticIP, false, .stopCharging, .attached),
            (.fixedPublicIP, true, .stopCharging, .attached),
        ]
    )
    func publicAddressWhileStopped(
        address: PublicAddress,
        subscription: Bool,
        mode: StopChargingMode,
        expected: ResourceState
    ) throws {
        var description = InstanceDescription(id: "i-1", publicAddress: address)
        if subscription { description.charge = .subscription(expiresAt: t0 + .days(30)) }
        var simulation = try launch(description)
        #expect(simulation.machine.resourceState(of: .publicAddress) == .attached)
        try simulation.perform(.stop(force: false, chargingMode: mode), at: t0 + .hours(1))
        simulation.handle(.transitionCompleted, at: t0 + .hours(1))
        #expect(simulation.machine.phase == .stopped)
        #expect(simulation.machine.resourceState(of: .publicAddress) == expected)
        // The disks stay with the instance whatever the mode.
        #expect(simulation.machine.resourceState(of: .disk(0)) == .attached)
        try simulation.perform(.start, at: t0 + .hours(2))
        #expect(simulation.machine.resourceState(of: .publicAddress) == .attached)
        // Released: each resource's state is its fate (A1: the fixed IP reclaimed, the EIP kept); a subscription is
        // not released before it ends (A1).
        guard !subscription else { return }
        try simulation.perform(.release([.force]), at: t0 + .hours(3))
        #expect(
            simulation.machine.resourceState(of: .publicAddress) == (address == .elasticIP ? .retained : .released)
        )
    }
}

@Suite("Aliyun batch release")
struct AliyunBatchTests {
    static func machines(_ count: Int, region: (Int) -> String = { _ in "cn-hangzhou" }) throws -> [AliyunInstance] {
        try (0..<count).map { index in
            try AliyunECS().launch(InstanceDescription(id: "i-\(index)", region: region(index)), in: .stopped, at: t0).0
        }
    }

    @Test("AD2: DeleteInstances takes 1 to 100 ids (edge case 17)")
    func limits() throws {
        let ecs = AliyunECS()
        var hundred = try Self.machines(100)
        #expect(try ecs.releaseBatch(&hundred, flags: [], at: t0).count == 100)
        #expect(hundred.allSatisfy { $0.phase == .released })
        var tooMany = try Self.machines(101)
        let before = tooMany
        #expect(throws: ReleaseError.self) { try ecs.releaseBatch(&tooMany, flags: [], at: t0) }
        do { _ = try ecs.releaseBatch(&tooMany, flags: [], at: t0) } catch {
            #expect(error.code == AliyunErrorCode.tooManyInstanceIds.code)
        }
        #expect(tooMany == before)
        var none: [AliyunInstance] = []
        do { _ = try ecs.releaseBatch(&none, flags: [], at: t0) } catch {
            #expect(error.code == AliyunErrorCode.missingParameter.code)
        }
    }

    @Test("A3: the console's batch release skips protected instances; all protected, nothing is released")
    func consoleBatch() throws {
        let ecs = AliyunECS()
        var mixed = [
            try ecs.launch(InstanceDescription(id: "a", isProtected: true), in: .stopped, at: t0).0,
            try ecs.launch(InstanceDescription(id: "b"), in: .stopped, at: t0).0,
        ]
        let results = ecs.consoleRelease(&mixed, flags: [], at: t0)
        #expect((try? results[0].get()) == nil)
        #expect(mixed.map(\.phase) == [.stopped, .released])
        if case .failure(let error) = results[0] { #expect(error.code == AliyunErrorCode.deletionProtection.code) }
        var allProtected = try (0..<3).map {
            try ecs.launch(InstanceDescription(id: "p\($0)", isProtected: true), in: .stopped, at: t0).0
        }
        let before = allProtected
        #expect(ecs.consoleRelease(&allProtected, flags: [], at: t0).allSatisfy { (try? $0.get()) == nil })
        #expect(allProtected == before)
    }

    @Test("AD2: one region per call (edge case 18)")
    func crossRegion() throws {
        var mixed = try Self.machines(2) { $0 == 0 ? "cn-hangzhou" : "cn-beijing" }
        do {
            _ = try AliyunECS().releaseBatch(&mixed, flags: [], at: t0)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == AliyunErrorCode.crossRegion.code)
        }
    }

    @Test("Q5: one refused member fails the whole request and nothing is released (edge case 16) [MODEL]")
    func atomic() throws {
        var members = try Self.machines(3)
        members.append(
            try AliyunECS().launch(
                InstanceDescription(
                    id: "i-sub",
                    region: "cn-hangzhou",
                    charge: .subscription(expiresAt: t0 + .days(9))
                ),
                at: t0
            ).0
        )
        let before = members
        do {
            _ = try AliyunECS().releaseBatch(&members, flags: [.force], at: t0)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == AliyunErrorCode.chargeTypeViolation.code)
        }
        #expect(members == before)
    }

    @Test(
        "AD2: a passing batch dry run answers DRYRUN.SUCCESS (not DryRunOperation) and releases nothing, for any count (edge case 35)",
        arguments: [1, 2, 100]
    )
    func batchDryRun(count: Int) throws {
        var members = try Self.machines(count)
        let before = members
        do {
            _ = try AliyunECS().releaseBatch(&members, flags: [.dryRun], at: t0)
            Issue.record("expected the dry-run answer")
        } catch {
            #expect(error.code == AliyunErrorCode.batchDryRunSuccess.code)
        }
        #expect(members == before)
    }
}
