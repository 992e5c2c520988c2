import ReleaseCore
import TencentCVM
import TestSupport
import Testing

/// TerminateInstances and the recycle bin (seed 002; TD1, TD2, TD4).
@Suite("Tencent destroy and recycle bin")
struct TencentDestroyTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var phase: LaunchPhase
        var flags: ReleaseFlags
        var expected: String  // a phase name or an error code
        var testDescription: String { "\(phase) + \(flags) → \(expected)" }
    }

    /// T2: a first destroy parks a pay-as-you-go instance in the recycle bin; "release now" clears it at
    /// once. TD2: RUNNING and STOPPED are accepted, transitional states refused (edge cases 1, 21).
    @Test(
        "T2/TD2: what TerminateInstances does in each phase",
        arguments: [
            Row(phase: .running, flags: [], expected: "recycleBin"),
            Row(phase: .stopped, flags: [], expected: "recycleBin"),
            Row(phase: .running, flags: [.immediately], expected: "released"),
            Row(phase: .pending, flags: [], expected: "UnsupportedOperation.InstanceStatePending"),
            Row(phase: .starting, flags: [], expected: "UnsupportedOperation.InstanceStateStarting"),
            Row(phase: .stopping, flags: [], expected: "UnsupportedOperation.InstanceStateStopping"),
            // Flags CVM does not declare (ECS's Force, DryRun, TerminateSubscription, and one no provider has),
            // alone and beside CVM's own.
            Row(phase: .running, flags: [ReleaseFlag("force")], expected: "UnknownParameter"),
            Row(phase: .running, flags: [ReleaseFlag("dry-run")], expected: "UnknownParameter"),
            Row(phase: .running, flags: [ReleaseFlag("terminate-subscription")], expected: "UnknownParameter"),
            Row(phase: .running, flags: [.immediately, ReleaseFlag("wipe")], expected: "UnknownParameter"),
        ]
    )
    func destroyByPhase(row: Row) throws {
        var simulation = launch(phase: row.phase)
        let code = refusalCode(&simulation, .release(row.flags), at: t0 + .minutes(1))
        #expect((code ?? simulation.machine.phase.rawValue) == row.expected)
    }

    @Test("T2: a destroyed pay-as-you-go instance is kept 2 h in the recycle bin, then released (edge case 22)")
    func recycleBinRetention() throws {
        var simulation = launch(InstanceDescription(id: "ins-1", publicAddress: .elasticIP))
        let destroyedAt = t0 + .hours(1)
        try simulation.perform(.release(), at: destroyedAt)
        #expect(simulation.machine.phase == .recycleBin)
        #expect(simulation.machine.pendingDeadlines == [Deadline(.recycleBinExpiry, at: destroyedAt + .hours(2))])
        simulation.advance(to: destroyedAt + .hours(2) - Seconds(1))
        #expect(simulation.machine.phase == .recycleBin)
        simulation.advance(to: destroyedAt + .hours(2))
        #expect(simulation.machine.phase == .released)
        // T2: the EIP survives the instance and, idle, keeps costing money.
        #expect(simulation.machine.resourceFates.last == ResourceOutcome(.publicAddress, .retained))
        simulation.advance(to: destroyedAt + .hours(5))
        #expect(simulation.billedSeconds(.elasticIP, since: t0) == Seconds.hours(5))
    }

    @Test("T2: restore from the recycle bin 1 h after destroy; 3 h after, it is gone")
    func restoreWindow() throws {
        var early = launch()
        try early.perform(.release(), at: t0)
        #expect(refusalCode(&early, .restore, at: t0 + .hours(1)) == nil)
        #expect(early.machine.phase == .stopped)
        #expect(early.machine.pendingDeadlines.isEmpty)
        var late = launch()
        try late.perform(.release(), at: t0)
        #expect(refusalCode(&late, .restore, at: t0 + .hours(3)) == "InvalidInstanceId.NotFound")
    }

    @Test("T2/TD1: destroying an instance already in the recycle bin releases it for good")
    func secondDestroy() throws {
        var simulation = launch()
        try simulation.perform(.release(), at: t0)
        #expect(refusalCode(&simulation, .release(), at: t0 + .minutes(5)) == nil)
        #expect(simulation.machine.phase == .released)
        #expect(refusalCode(&simulation, .release(), at: t0 + .minutes(6)) == "InvalidInstanceId.NotFound")
    }

    @Test("T2 (seed profile): no instance fees once in the recycle bin, disks included (C9)")
    func seedBinBilling() throws {
        var simulation = launch()
        try simulation.perform(.release(), at: t0 + .hours(1))
        simulation.advance(to: t0 + .hours(3))
        #expect(simulation.billedSeconds(.compute, since: t0) == Seconds.hours(1))
        #expect(simulation.billedSeconds(.disk, since: t0) == Seconds.hours(1))
    }

    @Test("TD4 (2025 profile): CPU and memory stop in the recycle bin; disks bill until release (C9)")
    func newerBinBilling() throws {
        var simulation = launch(rules: .newer)
        try simulation.perform(.release(), at: t0 + .hours(1))
        simulation.advance(to: t0 + .hours(4))
        #expect(simulation.billedSeconds(.compute, since: t0) == Seconds.hours(1))
        #expect(simulation.billedSeconds(.disk, since: t0) == Seconds.hours(3))
    }

    @Test("TD2: termination protection blocks a manual destroy (edge case 4)")
    func protectionBlocksDestroy() throws {
        var simulation = launch(InstanceDescription(id: "ins-1", isProtected: true))
        #expect(refusalCode(&simulation, .release(), at: t0) == "UnsupportedOperation.InstancesProtected")
        #expect(refusalCode(&simulation, .release([.immediately]), at: t0) == "UnsupportedOperation.InstancesProtected")
    }

    @Test("TD1: ReleaseAddress releases the EIP with the instance (edge case 30)")
    func releaseAddress() throws {
        var simulation = launch(InstanceDescription(id: "ins-1", publicAddress: .elasticIP))
        try simulation.perform(.release([.immediately, .releaseAddress]), at: t0 + .hours(1))
        #expect(simulation.machine.resourceFates.last == ResourceOutcome(.publicAddress, .released))
        simulation.advance(to: t0 + .hours(3))
        #expect(simulation.billedSeconds(.elasticIP, since: t0) == .zero)
    }

    @Test(
        "TM2/TD1: in the recycle bin an EIP bills as idle from the destroy, unless the destroy released it with ReleaseAddress",
        arguments: [ReleaseFlags(), [.releaseAddress]]
    )
    func elasticIPBillingInRecycleBin(flags: ReleaseFlags) throws {
        var simulation = launch(InstanceDescription(id: "ins-1", publicAddress: .elasticIP))
        try simulation.perform(.release(flags), at: t0 + .hours(1))
        #expect(simulation.machine.phase == .recycleBin)
        simulation.advance(to: t0 + .minutes(90))
        let idle: Seconds = flags.contains(.releaseAddress) ? .zero : .minutes(30)
        #expect(simulation.billedSeconds(.elasticIP, since: t0) == idle)
        #expect(simulation.machine.runningMeters.contains(.elasticIP) == !flags.contains(.releaseAddress))
    }

    /// How an instance in the recycle bin leaves it.
    enum BinExit: String, CaseIterable, Sendable {
        case destroyAgain = "destroyed again"
        case destroyAgainReleasingAddress = "destroyed again with ReleaseAddress"
        case restore = "restored"
        case binExpiry = "left in the bin for 2 h"
    }

    struct ElasticIPRow: CustomTestStringConvertible, Sendable {
        var firstAskedReleaseAddress: Bool
        var exit: BinExit
        var testDescription: String {
            "destroyed \(firstAskedReleaseAddress ? "with" : "without") ReleaseAddress, then \(exit.rawValue)"
        }
    }

    /// TD1: ReleaseAddress, asked at the first destroy or at the final one, releases the EIP with the instance;
    /// otherwise the EIP is kept and bills as idle (TM2) until it is bound again. T2: a restored instance has
    /// its EIP bound again, so the idle billing of the bin stops.
    @Test(
        """
        TD1/TM2/T2: an EIP goes with the final release if either destroy asked ReleaseAddress, bills idle while \
        unbound, and is bound again by a restore
        """,
        arguments: [false, true].flatMap { first in
            BinExit.allCases.map { ElasticIPRow(firstAskedReleaseAddress: first, exit: $0) }
        }
    )
    func elasticIPThroughTheBin(row: ElasticIPRow) throws {
        var simulation = launch(InstanceDescription(id: "ins-1", publicAddress: .elasticIP))
        try simulation.perform(.release(row.firstAskedReleaseAddress ? [.releaseAddress] : []), at: t0)
        let exit = t0 + .minutes(30)
        switch row.exit {
        case .destroyAgain: try simulation.perform(.release([]), at: exit)
        case .destroyAgainReleasingAddress: try simulation.perform(.release([.releaseAddress]), at: exit)
        case .restore: try simulation.perform(.restore, at: exit)
        case .binExpiry: simulation.advance(to: t0 + .hours(2))
        }
        let end = t0 + .hours(3)
        simulation.advance(to: end)
        let left = row.exit == .binExpiry ? t0 + .hours(2) : exit
        let idleInBin = row.firstAskedReleaseAddress ? .zero : left - t0
        switch row.exit {
        case .restore:
            #expect(simulation.machine.phase == .stopped)
            #expect(!simulation.machine.runningMeters.contains(.elasticIP))
            #expect(simulation.billedSeconds(.elasticIP, since: t0) == idleInBin)
        case .destroyAgain, .destroyAgainReleasingAddress, .binExpiry:
            let released = row.firstAskedReleaseAddress || row.exit == .destroyAgainReleasingAddress
            #expect(simulation.machine.phase == .released)
            let address = simulation.machine.resourceFates.first { $0.resource == .publicAddress }
            #expect(address?.fate == (released ? .released : .retained))
            #expect(simulation.machine.runningMeters.contains(.elasticIP) == !released)
            #expect(simulation.billedSeconds(.elasticIP, since: t0) == idleInBin + (released ? .zero : end - left))
        }
    }

    @Test("T2/TD4/Q17: local and non-elastic disks are released, elastic ones follow their own lifecycle")
    func diskFates() throws {
        let description = InstanceDescription(
            id: "ins-1",
            disks: [
                Disk(id: "sys", role: .system),
                Disk(id: "cbs", role: .data),
                Disk(id: "elastic", role: .data, isElastic: true),
                Disk(id: "local", role: .local),
            ],
            snapshots: [Snapshot(id: "snap", diskID: "cbs", kind: .automatic)],
            publicAddress: .fixedPublicIP
        )
        var seed = launch(description)
        try seed.perform(.release([.immediately]), at: t0)
        #expect(
            seed.machine.resourceFates.map(\.fate) == [
                .released, .released, .retained, .released, .retained, .released,
            ]
        )
        var newer = launch(description, rules: .newer)
        try newer.perform(.release([.immediately]), at: t0)
        #expect(newer.machine.resourceFates.map(\.fate)[2] == .movedToDiskRecycleBin)
    }

    @Test("TD1/TD6: a subscription's first destroy parks it 7 days; release-now is refused (edge case 14)")
    func subscriptionDestroy() throws {
        var simulation = launch(InstanceDescription(id: "ins-1", charge: .subscription(expiresAt: t0 + .days(90))))
        #expect(
            refusalCode(&simulation, .release([.immediately]), at: t0) == "UnsupportedOperation.InstanceChargeType"
        )
        // Found by the law "a refused command changes nothing": ReleaseAddress must not stick on a refusal.
        #expect(
            refusalCode(&simulation, .release([.immediately, .releaseAddress]), at: t0)
                == "UnsupportedOperation.InstanceChargeType"
        )
        try simulation.perform(.release(), at: t0)
        // TM6: the subscription's expiry stays in force while the instance waits in the bin.
        #expect(
            simulation.machine.pendingDeadlines == [
                Deadline(.recycleBinExpiry, at: t0 + .days(7)), Deadline(.subscriptionExpiry, at: t0 + .days(90)),
            ]
        )
    }

    @Test("TD6: an expired subscription enters the recycle bin, released 7 days later (edge case 15)")
    func subscriptionExpiry() throws {
        let expiry = t0 + .days(30)
        var simulation = launch(InstanceDescription(id: "ins-1", charge: .subscription(expiresAt: expiry)))
        simulation.advance(to: expiry)
        #expect(simulation.machine.phase == .recycleBin)
        #expect(simulation.machine.apiStatus == "SHUTDOWN (IsolatedSource=EXPIRE)")
        #expect(refusalCode(&simulation, .restore, at: expiry + .days(1)) == "UnsupportedOperation.InstanceChargeType")
        simulation.advance(to: expiry + .days(7))
        #expect(simulation.machine.phase == .released)
    }

    @Test("T2: an expired subscription in the recycle bin is renewed out of it; a returned one must be restored")
    func renewal() throws {
        let expiry = t0 + .days(30)
        var expired = launch(InstanceDescription(id: "ins-1", charge: .subscription(expiresAt: expiry)))
        expired.advance(to: expiry + .days(1))
        #expect(expired.machine.phase == .recycleBin)
        #expect(refusalCode(&expired, .renew(until: expiry), at: expiry + .days(1)) == "InvalidParameterValue")
        try expired.perform(.renew(until: expiry + .days(30)), at: expiry + .days(1))
        #expect(expired.machine.phase == .stopped)
        #expect(expired.machine.pendingDeadlines == [Deadline(.subscriptionExpiry, at: expiry + .days(30))])

        var returned = launch(InstanceDescription(id: "ins-2", charge: .subscription(expiresAt: expiry)))
        try returned.perform(.release(), at: t0 + .days(1))
        #expect(
            refusalCode(&returned, .renew(until: expiry + .days(30)), at: t0 + .days(2))
                == "InvalidInstance.NotSupported"
        )
        var payAsYouGo = launch()
        #expect(
            refusalCode(&payAsYouGo, .renew(until: t0 + .days(30)), at: t0) == "UnsupportedOperation.InstanceChargeType"
        )
    }

    @Test("TD9: console 'Shutdown' is API STOPPED; API SHUTDOWN is the recycle bin (edge case 33)")
    func namingTrap() throws {
        var simulation = launch()
        try simulation.perform(.stop(), at: t0)
        #expect(simulation.machine.apiStatus == "STOPPED")
        #expect(simulation.machine.phase == .stopped)
        try simulation.perform(.release(), at: t0 + .minutes(1))
        #expect(simulation.machine.apiStatus == "SHUTDOWN (IsolatedSource=MANMADE)")
        #expect(simulation.machine.phase == .recycleBin)
    }

    @Test("TD8/TD10: stop needs RUNNING; no-charge shutdown stops compute billing only")
    func stopModes() throws {
        var simulation = launch()
        #expect(refusalCode(&simulation, .start, at: t0) == "UnsupportedOperation.InstanceStateRunning")
        try simulation.perform(.stop(chargingMode: .stopCharging), at: t0 + .hours(1))
        #expect(refusalCode(&simulation, .stop(), at: t0 + .hours(1)) == "UnsupportedOperation.InstanceStateStopped")
        simulation.advance(to: t0 + .hours(2))
        #expect(simulation.billedSeconds(.compute, since: t0) == Seconds.hours(1))
        #expect(simulation.billedSeconds(.disk, since: t0) == Seconds.hours(2))
    }

    @Test("TD2: a released instance is not found (edge case 19)")
    func releasedNotFound() throws {
        var simulation = launch()
        try simulation.perform(.release([.immediately]), at: t0)
        for command in [Command.start, .stop(), .restore, .setProtection(true), .scheduleRelease(at: t0 + .days(1))] {
            #expect(refusalCode(&simulation, command, at: t0 + .minutes(1)) == "InvalidInstanceId.NotFound")
        }
    }

    @Test("TD4: in the recycle bin only restore and destroy are allowed")
    func binRestrictions() throws {
        var simulation = launch()
        try simulation.perform(.release(), at: t0)
        let code = "UnsupportedOperation.InstanceStateShutdown"
        #expect(refusalCode(&simulation, .start, at: t0 + .minutes(1)) == code)
        #expect(refusalCode(&simulation, .setProtection(true), at: t0 + .minutes(1)) == code)
        #expect(
            refusalCode(&simulation, .scheduleRelease(at: t0 + .hours(1)), at: t0 + .minutes(1))
                == TencentErrorCode.actionTimerNotSupported.rawValue
        )
    }

    @Test("T2: the console's batch destroy shows why an instance cannot be destroyed and destroys the rest")
    func consoleBatch() throws {
        let cvm = TencentCVM()
        var machines = [
            try cvm.launch(InstanceDescription(id: "a", isProtected: true), in: .running, at: t0).0,
            try cvm.launch(InstanceDescription(id: "b"), in: .pending, at: t0).0,
            try cvm.launch(InstanceDescription(id: "c"), in: .running, at: t0).0,
        ]
        let results = cvm.consoleRelease(&machines, flags: [], at: t0)
        let codes = results.map { result -> String in
            if case .failure(let error) = result { return error.code.rawValue }
            return "ok"
        }
        #expect(
            codes == ["UnsupportedOperation.InstancesProtected", "UnsupportedOperation.InstanceStatePending", "ok"]
        )
        #expect(machines.map(\.phase) == [.running, .pending, .recycleBin])
    }

    @Test("TD1: TerminateInstances takes at most 100 ids of one billing type (edge cases 16, 17)")
    func batch() throws {
        let cvm = TencentCVM()
        func machines(_ count: Int) throws -> [TencentInstance] {
            try (0..<count).map { try cvm.launch(InstanceDescription(id: "ins-\($0)"), in: .running, at: t0).0 }
        }
        var hundred = try machines(100)
        #expect(try cvm.releaseBatch(&hundred, flags: [], at: t0).count == 100)
        #expect(hundred.allSatisfy { $0.phase == .recycleBin })
        var tooMany = try machines(101)
        do {
            _ = try cvm.releaseBatch(&tooMany, flags: [], at: t0)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == TencentErrorCode.limitExceeded)
        }
        var mixed = try machines(1)
        mixed.append(
            try cvm.launch(
                InstanceDescription(id: "ins-p", charge: .subscription(expiresAt: t0 + .days(9))),
                in: .running,
                at: t0
            ).0
        )
        let before = mixed
        do {
            _ = try cvm.releaseBatch(&mixed, flags: [], at: t0)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == TencentErrorCode.mixedPricingModel)
        }
        #expect(mixed == before)
    }

    @Test(
        "TD10: shut down without charge, a pay-as-you-go instance releases its ordinary public IP until it starts, in the recycle bin too; keep-charging and an EIP keep theirs",
        arguments: [
            (PublicAddress.fixedPublicIP, StopChargingMode.stopCharging, ResourceState.givenUp),
            (.fixedPublicIP, .keepCharging, .attached),
            (.elasticIP, .stopCharging, .attached),
        ]
    )
    func publicAddressWhileStopped(address: PublicAddress, mode: StopChargingMode, expected: ResourceState) throws {
        var simulation = launch(InstanceDescription(id: "ins-1", publicAddress: address))
        try simulation.perform(.stop(force: false, chargingMode: mode), at: t0 + .hours(1))
        simulation.handle(.transitionCompleted, at: t0 + .hours(1))
        #expect(simulation.machine.phase == .stopped)
        #expect(simulation.machine.resourceState(of: .publicAddress) == expected)
        #expect(simulation.machine.resourceState(of: .disk(0)) == .attached)
        // Destroyed, it waits in the bin as it was stopped; an EIP is idle there (T2, TM2).
        try simulation.perform(.release([]), at: t0 + .hours(2))
        #expect(simulation.machine.phase == .recycleBin)
        #expect(
            simulation.machine.resourceState(of: .publicAddress) == (address == .elasticIP ? .retained : expected)
        )
        // Restored, it is stopped in its mode again; started, it has a public IP.
        try simulation.perform(.restore, at: t0 + .hours(3))
        #expect(simulation.machine.resourceState(of: .publicAddress) == expected)
        try simulation.perform(.start, at: t0 + .hours(4))
        simulation.handle(.transitionCompleted, at: t0 + .hours(4))
        #expect(simulation.machine.resourceState(of: .publicAddress) == .attached)
    }

    @Test(
        "TD4/T2: in the recycle bin a running instance's ordinary public IP is kept and its EIP idle; with ReleaseAddress (TD1) the EIP is held until the release"
    )
    func publicAddressInRecycleBin() throws {
        for (address, flags, inBin, atRelease) in [
            (PublicAddress.fixedPublicIP, ReleaseFlags(), ResourceState.attached, ResourceState.released),
            (.elasticIP, [], .retained, .retained),
            (.elasticIP, [.releaseAddress], .attached, .released),
        ] {
            var simulation = launch(InstanceDescription(id: "ins-1", publicAddress: address))
            try simulation.perform(.release(flags), at: t0 + .hours(1))
            #expect(simulation.machine.resourceState(of: .publicAddress) == inBin, "\(address) \(flags)")
            simulation.advance(to: t0 + .hours(4))
            #expect(simulation.machine.phase == .released)
            #expect(simulation.machine.resourceState(of: .publicAddress) == atRelease, "\(address) \(flags)")
        }
    }
}
