import AliyunECS
import FleetReplay
import Foundation
import ProviderRegistry
import ReleaseComparison
import ReleaseCore
import Reporting
import Scenarios
import TencentCVM
import Testing

/// Engine rules documented in Docs/Traces.md ("Time order") and the fleet's API docs, each pinned so that
/// a change to one fails a test (issue 8 §2).
@Suite("Engine rules")
struct EngineRuleTests {
    static let t0 = Instant(iso8601: "2026-01-01T00:00:00Z")!

    static func fleet(_ ids: [String], account: String = "acct") throws -> Fleet<AnyInstance> {
        var fleet = Fleet<AnyInstance>(startingAt: t0, recordTimeline: true)
        for id in ids {
            let (machine, effects) = try ProviderModel(.tencent).launch(InstanceDescription(id: id), at: t0)
            try fleet.add(machine, launchEffects: effects, account: account, at: t0)
        }
        return fleet
    }

    @Test(
        "A machine ranks its kinds by their place in its list and names each rank, and no other (the fleet queues and names deadlines this way)",
        arguments: ProviderModel.Kind.allCases
    )
    func deadlineKindByRank(provider: ProviderModel.Kind) throws {
        let (machine, _) = try ProviderModel(provider).launch(InstanceDescription(id: "i-1"), at: Self.t0)
        let kinds = provider.deadlineKinds
        for (rank, kind) in kinds.enumerated() {
            #expect(machine.deadlineKind(rank: UInt8(rank)) == kind)
            #expect(machine.deadlineRank(of: kind) == UInt8(rank))
        }
        #expect(machine.deadlineKind(rank: UInt8(kinds.count)) == nil)
        for kind in AnyInstance.deadlineKinds where !kinds.contains(kind) {
            #expect(machine.deadlineRank(of: kind) == nil, "\(kind)")
        }
    }

    @Test("A kind's built-in index is its place in the registry's list, and a registered provider has none")
    func builtInIndex() {
        for (index, kind) in ProviderModel.Kind.allCases.enumerated() { #expect(kind.builtInIndex == index) }
    }

    @Test("Deadline kinds: each listed once in each machine, each provider's own kinds declared in its module")
    func deadlineKindRegistry() {
        // A rank is a kind's place in its machine's list, so a machine lists a kind once; a name means one kind
        // across the registry.
        for provider in ProviderModel.Kind.allCases {
            let names = provider.deadlineKinds.map(\.rawValue)
            #expect(Set(names).count == names.count, "\(provider)")
            for kind in provider.deadlineKinds {
                #expect(AnyInstance.deadlineKinds.filter { $0.rawValue == kind.rawValue } == [kind])
            }
        }
        #expect(!DeadlineKind.shared.contains(.recycleBinExpiry))
        #expect(!DeadlineKind.shared.contains(.expiredRelease))
        #expect(AliyunInstance.deadlineKinds.contains(.expiredRelease))
        #expect(!AliyunInstance.deadlineKinds.contains(.recycleBinExpiry))
        #expect(TencentInstance.deadlineKinds.contains(.recycleBinExpiry))
        // Each machine switches exhaustively over its own closed list of kinds, so every shared kind must be in
        // it: a shared kind missing from one would be ignored by that machine when it fires.
        for provider in ProviderModel.Kind.allCases {
            #expect(Set(DeadlineKind.shared).isSubset(of: Set(provider.deadlineKinds)), "\(provider)")
            #expect(Set(provider.deadlineKinds).count == provider.deadlineKinds.count, "\(provider)")
        }
    }

    @Test(
        "A deadline kind a machine never sets changes nothing when it comes (another provider's)",
        arguments: ProviderModel.Kind.allCases
    )
    func foreignDeadlineKind(provider: ProviderModel.Kind) throws {
        let foreign = ProviderModel.Kind.allCases.flatMap(\.deadlineKinds).filter {
            !provider.deadlineKinds.contains($0)
        }
        #expect(!foreign.isEmpty)
        let (launched, _) = try ProviderModel(provider).launch(InstanceDescription(id: "i-1"), at: Self.t0)
        for kind in foreign {
            var machine = launched
            let effects = machine.handle(
                .deadlineReached(Deadline(kind, at: Self.t0 + .hours(1))),
                at: Self.t0 + .hours(1)
            )
            #expect(effects.isEmpty, "\(kind)")
            #expect(machine == launched, "\(kind)")
        }
    }

    @Test(
        "A deadline's carried rank is used only where it names the deadline's kind (Docs/Performance.md, \"A deadline's rank carried\")",
        arguments: ProviderModel.Kind.allCases
    )
    func carriedRankNamesItsKind(provider: ProviderModel.Kind) throws {
        let due = Self.t0 + .hours(2)
        var (scheduled, _) = try ProviderModel(provider).launch(InstanceDescription(id: "i-1"), at: Self.t0)
        _ = try scheduled.perform(.scheduleRelease(at: due), at: Self.t0)
        let rank = try #require(scheduled.deadlineRank(of: .scheduledRelease))
        var plain = scheduled
        let expected = plain.handle(.deadlineReached(Deadline(.scheduledRelease, at: due)), at: due)
        #expect(!expected.isEmpty)
        // Its own rank, and every other rank the machine has (another kind's slot, which is empty): the same answer.
        for carried in 0..<UInt8(provider.deadlineKinds.count + 1) {
            var machine = scheduled
            let effects = machine.handle(.deadlineReached(Deadline(.scheduledRelease, at: due, rank: carried)), at: due)
            #expect(effects == expected, "rank \(carried), the kind's own \(rank)")
            #expect(machine == plain, "rank \(carried)")
        }
        // Not part of the value: equal, hashed and encoded alike; a deadline whose kind changes forgets it.
        let ranked = Deadline(.scheduledRelease, at: due, rank: rank)
        #expect(ranked == Deadline(.scheduledRelease, at: due))
        #expect(ranked.hashValue == Deadline(.scheduledRelease, at: due).hashValue)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(ranked) == encoder.encode(Deadline(.scheduledRelease, at: due)))
        var changed = ranked
        changed.kind = .recycleBinExpiry
        #expect(changed.rank == nil)
    }

    @Test("Release flags and events: each provider's own, words and names unique across the registry")
    func flagAndEventRegistry() {
        let flags = ProviderModel.releaseFlags
        #expect(Set(flags).count == flags.count)
        #expect(flags.allSatisfy { ReleaseFlag.isWritable($0.word) })
        #expect(AliyunECS.releaseFlags.map(\.word) == ["force", "graceful", "terminate-subscription", "dry-run"])
        #expect(TencentCVM.releaseFlags.map(\.word) == ["immediately", "release-address"])
        #expect(flags == AliyunECS.releaseFlags + TencentCVM.releaseFlags)
        #expect(flags.allSatisfy { ProviderModel.flag($0.word) == $0 })
        // Written in the registry's order (each provider's as it lists them), then unknown words by byte order.
        #expect(
            ProviderModel.words(of: [.dryRun, .force, .terminateSubscription]) == "force terminate-subscription dry-run"
        )
        #expect(
            ProviderModel.words(of: [.releaseAddress, ReleaseFlag("wipe"), .immediately, ReleaseFlag("keep")])
                == "immediately release-address keep wipe"
        )
        #expect(ProviderModel.words(of: []) == "none")
        // Any subset: its words are the registry's flags it holds, in the registry's order, and read back to it.
        for mask in 0..<(1 << flags.count) {
            let subset = flags.indices.filter { mask & (1 << $0) != 0 }.map { flags[$0] }
            let words = ProviderModel.words(of: ReleaseFlags(subset.reversed()))
            #expect(words == (subset.isEmpty ? "none" : subset.map(\.word).joined(separator: " ")), "\(mask)")
            let readBack = words.split(separator: " ").compactMap { ProviderModel.flag(String($0)) }
            #expect(ReleaseFlags(readBack) == ReleaseFlags(subset), "\(mask)")
        }
        let names = ProviderModel.namedEvents.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(AliyunECS.providerEvents == [.securityLocked, .subscriptionRefunded])
        #expect(TencentCVM.providerEvents.isEmpty)
    }

    @Test("One instance's deadlines due in the same second fire in DeadlineKind order")
    func sameSecondKindOrder() throws {
        // A destroyed pay-as-you-go instance whose bin expiry and scheduled destruction fall in one second:
        // the scheduled release (first kind) fires, the bin expiry is then stale.
        var fleet = try Self.fleet(["a"])
        let handle = try #require(fleet.handle(named: "a"))
        try fleet.perform(.scheduleRelease(at: Self.t0 + .hours(2)), on: handle, at: Self.t0)
        try fleet.perform(.release(), on: handle, at: Self.t0)
        fleet.advance(to: Self.t0 + .days(1))
        let fired = fleet.timeline!.compactMap { entry -> DeadlineKind? in
            guard case .event(.deadlineReached(let deadline)) = entry.cause else { return nil }
            return deadline.kind
        }
        #expect(fired == [.scheduledRelease])
        #expect(
            AnyInstance.deadlineKinds == [
                .scheduledRelease, .recycleBinExpiry, .arrearsShutdown, .arrearsRelease, .subscriptionExpiry,
                .expiredRelease,
            ]
        )
        #expect(
            AnyInstance.deadlineKinds.map(\.rawValue) == [
                "scheduledRelease", "recycleBinExpiry", "arrearsShutdown", "arrearsRelease", "subscriptionExpiry",
                "expiredRelease",
            ]
        )
        #expect(fleet.deadlinesFired == 2)
    }

    @Test("A deadline due at t fires before a command at t (Fleet)")
    func deadlineBeforeCommandInFleet() throws {
        var fleet = try Self.fleet(["a"])
        let handle = try #require(fleet.handle(named: "a"))
        try fleet.perform(.release(), on: handle, at: Self.t0)
        // The bin lets go at +2 h; a restore at exactly +2 h comes too late.
        #expect(throws: ReleaseError.self) { try fleet.perform(.restore, on: handle, at: Self.t0 + .hours(2)) }
        #expect(fleet[handle].phase == .released)
    }

    @Test("A deadline due at t fires before a command at t (trace replay)")
    func deadlineBeforeCommandInReplay() throws {
        let trace = """
            time,account,instance,op,arg
            2026-01-01T00:00:00Z,acct,i-1,launch,tencent postpaid
            2026-01-01T00:00:00Z,acct,i-1,release,
            2026-01-01T02:00:00Z,acct,i-1,restore,
            """
        let (summary, _) = try TraceReplayer.replay(text: trace)
        #expect(summary.rejections["tencent"]?["InvalidInstanceId.NotFound"] == 1)
        #expect(summary.instances["tencent"]?["released"] == 1)
    }

    @Test("An account event reaches the account's instances in the order they were added")
    func accountEventOrder() throws {
        var fleet = try Self.fleet(["b", "a", "c"])
        fleet.deliver(.arrearsBegan, toAccount: "acct", at: Self.t0 + .minutes(1))
        let reached = fleet.timeline!.compactMap { entry -> String? in
            guard case .event(.arrearsBegan) = entry.cause else { return nil }
            return fleet[entry.instance].instance.id
        }
        #expect(reached == ["b", "a", "c"])
    }

    @Test("A ledger window that ends inside a billed interval is clipped at the window's end")
    func ledgerWindowClipped() throws {
        var fleet = try Self.fleet(["a"])
        fleet.advance(to: Self.t0 + .hours(10))
        let handle = try #require(fleet.handle(named: "a"))
        #expect(fleet.billedSeconds(of: handle, .compute, from: Self.t0, to: Self.t0 + .hours(3)) == .hours(3))
        #expect(
            fleet.billedSeconds(of: handle, .compute, from: Self.t0 + .hours(1), to: Self.t0 + .hours(2)) == .hours(1)
        )
        // A window reaching past the fleet's clock is clipped at now.
        #expect(fleet.billedSeconds(of: handle, .compute, from: Self.t0, to: Self.t0 + .days(9)) == .hours(10))
    }

    @Test("Running totals equal the per-instance ledger when meter events are 1 s apart")
    func totalsEqualLedger() throws {
        var perInstance = Fleet<AnyInstance>(startingAt: Self.t0, billing: .perInstance)
        var totals = Fleet<AnyInstance>(startingAt: Self.t0, billing: .totals)
        var commands: [(Int, Command)] = []
        for second in 0..<40 {
            commands.append((second, second % 2 == 0 ? .stop(chargingMode: .stopCharging) : .start))
        }
        for id in ["a", "b"] {
            let (machine, effects) = try ProviderModel(.tencent).launch(InstanceDescription(id: id), at: Self.t0)
            try perInstance.add(machine, launchEffects: effects, account: "acct", at: Self.t0)
            try totals.add(machine, launchEffects: effects, account: "acct", at: Self.t0)
        }
        // An ECS instance with an EIP and a snapshot, so that every family runs somewhere: each total is its own.
        let billedApart = InstanceDescription(
            id: "c",
            snapshots: [Snapshot(id: "s", diskID: "c-system", kind: .manual)],
            publicAddress: .elasticIP
        )
        let (aliyunMachine, aliyunEffects) = try ProviderModel(.aliyun).launch(billedApart, at: Self.t0)
        try perInstance.add(aliyunMachine, launchEffects: aliyunEffects, account: "other", at: Self.t0)
        try totals.add(aliyunMachine, launchEffects: aliyunEffects, account: "other", at: Self.t0)
        for (second, command) in commands {
            let at = Self.t0 + Seconds(Int64(second))
            try perInstance.perform(command, on: try #require(perInstance.handle(named: "a")), at: at)
            try totals.perform(command, on: try #require(totals.handle(named: "a")), at: at)
        }
        let end = Self.t0 + .minutes(5)
        perInstance.advance(to: end)
        totals.advance(to: end)
        for family in MeterFamily.allCases {
            let ledger = perInstance.billedSeconds(ofProvider: .tencent, family, from: Self.t0, to: end)
            #expect(totals.totalBilledSeconds(ofProvider: .tencent)[family] == ledger, "\(family)")
            #expect(perInstance.totalBilledSeconds(ofProvider: .tencent)[family] == ledger, "\(family)")
        }
        #expect(totals.totalBilledSeconds(ofProvider: .tencent)[.compute] == Seconds(300 + 300 - 20))
        for family in MeterFamily.allCases {
            let ledger = perInstance.billedSeconds(ofProvider: .aliyun, family, from: Self.t0, to: end)
            #expect(ledger == .minutes(5), "\(family)")
            #expect(totals.totalBilledSeconds(ofProvider: .aliyun)[family] == ledger, "\(family)")
            #expect(totals.totalBilledSeconds(ofAccount: "other")[family] == ledger, "\(family)")
        }
    }

    @Test("An instance added to an account in arrears comes under arrears")
    func addedIntoArrears() throws {
        var fleet = try Self.fleet([])
        fleet.deliver(.arrearsBegan, toAccount: "acct", at: Self.t0)
        #expect(fleet.standing(of: "acct") == .inArrears)
        let (machine, effects) = try TencentCVM().launch(InstanceDescription(id: "late"), in: .running, at: Self.t0)
        let handle = try fleet.add(.tencent(machine), launchEffects: effects, account: "acct", at: Self.t0 + .hours(1))
        fleet.advance(to: Self.t0 + .hours(27))
        #expect(fleet[handle].phase == .released)
        fleet.deliver(.balanceRestored, toAccount: "acct", at: Self.t0 + .hours(28))
        #expect(fleet.standing(of: "acct") == .inGoodStanding)
    }

    @Test("Trace replay: a launch into an account in arrears is rejected with the provider's code")
    func replayLaunchIntoArrears() throws {
        let trace = """
            time,account,instance,op,arg
            2026-01-01T00:00:00Z,acct,,arrears,
            2026-01-01T00:00:00Z,acct,i-1,launch,tencent postpaid
            2026-01-01T00:00:00Z,acct,i-2,launch,aliyun postpaid
            2026-01-01T01:00:00Z,acct,,topup,
            2026-01-01T01:00:00Z,acct,i-3,launch,tencent postpaid
            """
        let (summary, _) = try TraceReplayer.replay(text: trace)
        #expect(summary.rejections["tencent"]?["InvalidAccount.InsufficientBalance"] == 1)
        #expect(summary.rejections["aliyun"]?["Account.Arrearage"] == 1)
        #expect(summary.instances["tencent"]?["running"] == 1)
    }

    @Test("The trace header must match exactly: a longer header is malformed")
    func headerExact() {
        for header in [
            "time,account,instance,op,arg,extra", "time,account,instance,op", " time,account,instance,op,arg",
        ] {
            #expect(throws: ReplayError.self) { try TraceReplayer.replay(text: header + "\n") }
        }
    }

    @Test("A CRLF trace read from a file replays, with and without a final newline")
    func crlfFromFile() throws {
        let lines = [
            "time,account,instance,op,arg",
            "2026-01-01T00:00:00Z,acct,i-1,launch,tencent postpaid",
            "2026-01-01T01:00:00Z,acct,i-1,release,",
        ]
        for finalNewline in [true, false] {
            let text = lines.joined(separator: "\r\n") + (finalNewline ? "\r\n" : "")
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("crlf-\(UUID().uuidString).csv")
            try Data(text.utf8).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            let (summary, _) = try TraceReplayer.replay(path: url.path)
            #expect(summary.records == 2)
            #expect(summary.applied == 2)
            #expect(summary.instances["tencent"]?["recycleBin"] == 1)
        }
    }
}
