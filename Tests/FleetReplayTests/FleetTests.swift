import AliyunECS
import FleetReplay
import ProviderRegistry
import ReleaseComparison
import ReleaseCore
import Reporting
import Scenarios
import TencentCVM
import Testing

/// The fleet engine: one deadline queue for many instances (Docs/Traces.md, "Time order").
@Suite("Fleet engine")
struct FleetTests {
    static let t0 = Instant(iso8601: "2026-01-01T00:00:00Z")!

    static func records(instances: Int, seed: UInt64) -> [TraceRecord] {
        var text = ""
        TraceGenerator(instances: instances, recordsPerInstance: 8, accounts: 3, seed: seed, span: .days(3)).generate {
            text += $0
        }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") && $0 != Substring(TraceRecord.header) }.map {
            parse(String($0))
        }
    }

    static func parse(_ line: String) -> TraceRecord {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let time = Instant(iso8601: fields[0])!
        let words = fields[4].split(separator: " ").map(String.init)
        let operation: TraceRecord.Operation
        switch fields[3] {
        case "launch":
            let charge: ChargeType =
                words[1] == "postpaid"
                ? .payAsYouGo : .subscription(expiresAt: Instant(iso8601: String(words[1].dropFirst(8)))!)
            operation = .launch(ProviderModel.Kind(rawValue: words[0])!, charge, isProtected: words.count == 3)
        case "stop":
            operation = .stop(force: false, chargingMode: words.contains("stop-charging") ? .stopCharging : nil)
        case "start": operation = .start
        case "release":
            var flags: ReleaseFlags = []
            if words.contains("force") { flags.insert(.force) }
            if words.contains("immediately") { flags.insert(.immediately) }
            operation = .release(flags)
        case "schedule-release": operation = .scheduleRelease(Instant(iso8601: words[0])!)
        case "cancel-schedule": operation = .cancelSchedule
        case "protect": operation = .protect(words[0] == "on")
        case "restore": operation = .restore
        case "arrears": operation = .arrears
        default: operation = .topUp
        }
        return TraceRecord(time: time, account: fields[1], instance: fields[2], operation: operation)
    }

    /// The machine a launch record starts (the provider's model asked without the account's standing), or nil
    /// when the provider refuses it or the record is not a launch.
    static func launched(_ record: TraceRecord) -> (AnyInstance, [Effect])? {
        guard case .launch(let kind, let charge, let isProtected, let extras) = record.operation else { return nil }
        let description = TraceRecord.launchDescription(
            id: record.instance,
            charge: charge,
            isProtected: isProtected,
            extras: extras
        )
        return try? ProviderModel(kind).launch(description, at: record.time)
    }

    /// Performs the records one by one through the library: one `Simulation` per instance, account events
    /// delivered to each instance of the account in launch order. No fleet involved.
    static func performOneByOne(_ records: [TraceRecord]) -> [String: Simulation<AnyInstance>] {
        var simulations: [String: Simulation<AnyInstance>] = [:]
        var order: [String] = []
        var accountOf: [String: String] = [:]
        for record in records {
            switch record.operation {
            case .launch:
                guard let (machine, effects) = launched(record) else { continue }
                simulations[record.instance] = Simulation(machine: machine, launchEffects: effects, at: record.time)
                order.append(record.instance)
                accountOf[record.instance] = record.account
            case .arrears, .topUp:
                for id in order where accountOf[id] == record.account {
                    simulations[id]!.handle(record.operation.accountEvent!, at: record.time)
                }
            default:
                _ = try? simulations[record.instance]?.perform(record.operation.command!, at: record.time)
            }
        }
        return simulations
    }

    /// Applies trace records to a fleet through the library, ignoring refusals.
    static func apply(_ records: [TraceRecord], to fleet: inout Fleet<AnyInstance>) {
        for record in records {
            switch record.operation {
            case .launch:
                if let (machine, effects) = launched(record) {
                    _ = try? fleet.add(machine, launchEffects: effects, account: record.account, at: record.time)
                }
            case .arrears, .topUp:
                fleet.deliver(record.operation.accountEvent!, toAccount: record.account, at: record.time)
            default:
                if let handle = fleet.handle(named: record.instance) {
                    _ = try? fleet.perform(record.operation.command!, on: handle, at: record.time)
                }
            }
        }
    }

    @Test("Touching a group of machines reads them and skips indices outside the fleet")
    func touchingSkipsOutsiders() {
        var fleet = Fleet<AnyInstance>(startingAt: Self.t0)
        Self.apply(Self.records(instances: 20, seed: 4), to: &fleet)
        #expect(fleet.count > 0)
        let indices: [Int32] = [-1, 0, Int32(fleet.count - 1), Int32(fleet.count), .max]
        let inside: [Int32] = [0, Int32(fleet.count - 1)]
        let folded = indices.withUnsafeBufferPointer { fleet.touch($0) }
        // Outsiders add nothing: the fold is the insiders' alone.
        #expect(folded == inside.withUnsafeBufferPointer { fleet.touch($0) })
    }

    @Test(
        "A refusal returned by refusal(performing:) is the one perform throws, and either way the fleet ends the same",
        arguments: [11, 12]
    )
    func refusalAsValue(seed: UInt64) throws {
        var throwing = Fleet<AnyInstance>(startingAt: Self.t0, recordTimeline: true)
        var returning = Fleet<AnyInstance>(startingAt: Self.t0, recordTimeline: true)
        var refusals = 0
        for record in Self.records(instances: 40, seed: seed) {
            guard let command = record.operation.command, let handle = throwing.handle(named: record.instance) else {
                Self.apply([record], to: &throwing)
                Self.apply([record], to: &returning)
                continue
            }
            var thrown: ReleaseError?
            do { try throwing.perform(command, on: handle, at: record.time) } catch { thrown = error }
            let returned = returning.refusal(performing: command, on: handle, at: record.time)
            #expect(returned == thrown, "\(record.line)")
            if thrown != nil { refusals += 1 }
        }
        #expect(refusals > 0)
        #expect(returning.handles.map { returning[$0] } == throwing.handles.map { throwing[$0] })
        #expect(returning.timeline == throwing.timeline)
    }

    @Test("Replaying a trace equals performing its records one by one through the library", arguments: [1, 2, 3, 4, 5])
    func replayEqualsOneByOne(seed: UInt64) throws {
        let records = Self.records(instances: 60, seed: seed)
        let text = ([TraceRecord.header] + records.map(\.line)).joined(separator: "\n") + "\n"
        let (summary, replayed) = try TraceReplayer.replay(text: text)
        let fleet = try #require(replayed)
        var simulations = Self.performOneByOne(records)
        let end = records.last!.time
        var computeByProvider: [String: Int64] = [:]
        for id in simulations.keys.sorted() {
            simulations[id]!.advance(to: end)
            let simulation = simulations[id]!
            let machine = fleet[try #require(fleet.handle(named: id))]
            #expect(AnyInstance(machine) == simulation.machine, "instance \(id)")
            computeByProvider[machine.provider.rawValue, default: 0] +=
                simulation.ledger.billedSeconds(.compute, from: records.first!.time, to: end).count
        }
        for (provider, seconds) in computeByProvider {
            #expect(summary.billedSeconds[provider]?["compute"] == seconds, "\(provider)")
        }
    }

    @Test(
        "A fleet addressed by account slots, without an id index of its own, runs as one addressed by names",
        arguments: [11, 12, 13]
    )
    func slotsEqualNames(seed: UInt64) throws {
        // An account in arrears before its first instance, and one that paid again before it, come first: their
        // standing must follow them into their slots.
        let t0 = Self.t0
        var records = [
            TraceRecord(time: t0, account: "early-arrears", instance: "", operation: .arrears),
            TraceRecord(time: t0, account: "paid-again", instance: "", operation: .arrears),
            TraceRecord(time: t0, account: "paid-again", instance: "", operation: .topUp),
            TraceRecord(
                time: t0,
                account: "early-arrears",
                instance: "e1",
                operation: .launch(.tencent, .payAsYouGo, isProtected: false)
            ),
            TraceRecord(
                time: t0,
                account: "paid-again",
                instance: "p1",
                operation: .launch(.aliyun, .payAsYouGo, isProtected: false)
            ),
        ]
        records += Self.records(instances: 50, seed: seed).map {
            var record = $0
            record.time = max(record.time, t0)
            return record
        }
        var named = Fleet<AnyInstance>(startingAt: t0, recordTimeline: true, billing: .perInstance)
        var slotted = Fleet<AnyInstance>(
            startingAt: t0,
            recordTimeline: true,
            billing: .perInstance,
            indexesInstanceIDs: false
        )
        var slots: [String: Int32] = [:]
        var handles: [String: Fleet<AnyInstance>.InstanceHandle] = [:]
        for record in records {
            let standingBefore = named.standing(of: record.account)
            Self.apply([record], to: &named)
            switch record.operation {
            case .launch:
                let standing = slots[record.account].map { slotted.standing(ofAccountSlot: $0) }
                #expect(standing ?? slotted.standing(of: record.account) == standingBefore)
                guard let (machine, effects) = Self.launched(record) else { continue }
                let handle =
                    try slots[record.account].map {
                        try slotted.add(machine, launchEffects: effects, accountSlot: $0, at: record.time)
                    } ?? slotted.add(machine, launchEffects: effects, account: record.account, at: record.time)
                slots[record.account] = slotted.accountSlot(of: handle)
                handles[record.instance] = handle
            case .arrears, .topUp:
                if let slot = slots[record.account] {
                    slotted.deliver(record.operation.accountEvent!, toAccountSlot: slot, at: record.time)
                } else {
                    slotted.deliver(record.operation.accountEvent!, toAccount: record.account, at: record.time)
                }
            default:
                #expect(slotted.handle(named: record.instance) == nil)
                if let handle = handles[record.instance] {
                    _ = try? slotted.perform(record.operation.command!, on: handle, at: record.time)
                }
            }
        }
        let end = records.last!.time + .days(30)
        named.advance(to: end)
        slotted.advance(to: end)
        #expect(slotted.timeline == named.timeline)
        #expect(slotted.count == named.count)
        // The slotted fleet keeps no id: its machines are the named fleet's without them.
        for handle in named.handles { #expect(slotted.withMachine(handle) { $0 } == named[handle].lifecycle) }
        for account in named.accounts {
            #expect(slotted.standing(of: account) == named.standing(of: account), "\(account)")
            #expect(slotted.totalBilledSeconds(ofAccount: account) == named.totalBilledSeconds(ofAccount: account))
        }
        #expect(named.standing(of: "early-arrears") == .inArrears)
        #expect(named.standing(of: "paid-again") == .inGoodStanding)
    }

    @Test("Advancing by a then b equals advancing by a + b, for any split", arguments: [7, 8, 9])
    func splitAdvance(seed: UInt64) throws {
        let records = Self.records(instances: 40, seed: seed)
        func fleetAfterRecords() -> Fleet<AnyInstance> {
            var fleet = Fleet<AnyInstance>(startingAt: records[0].time, recordTimeline: true, billing: .perInstance)
            Self.apply(records, to: &fleet)
            return fleet
        }
        let end = records.last!.time + .days(40)
        var oneStep = fleetAfterRecords()
        oneStep.advance(to: end)
        var manySteps = fleetAfterRecords()
        var random = SplitMix64(seed: seed)
        while manySteps.now < end {
            let step = Seconds(Int64(random.next() % 200_000))
            manySteps.advance(to: min(end, manySteps.now + step))
        }
        #expect(oneStep.timeline == manySteps.timeline)
        for handle in oneStep.handles {
            #expect(oneStep[handle] == manySteps[handle])
            #expect(
                oneStep.billedSeconds(of: handle, from: records[0].time, to: end)
                    == manySteps.billedSeconds(of: handle, from: records[0].time, to: end)
            )
        }
    }

    @Test("Deadlines at the same second fire in the order instances were added, then by kind")
    func tieOrder() throws {
        var fleet = Fleet<AnyInstance>(startingAt: Self.t0, recordTimeline: true)
        let model = ProviderModel(.tencent)
        for id in ["b", "a", "c"] {
            let (machine, effects) = try model.launch(InstanceDescription(id: id), at: Self.t0)
            let handle = try fleet.add(machine, launchEffects: effects, account: "acct", at: Self.t0)
            try fleet.perform(.scheduleRelease(at: Self.t0 + .hours(1)), on: handle, at: Self.t0)
        }
        fleet.advance(to: Self.t0 + .days(2))
        let fired = fleet.timeline!.compactMap { entry -> String? in
            guard case .event(.deadlineReached(let deadline)) = entry.cause else { return nil }
            return "\(fleet[entry.instance].instance.id):\(deadline.kind.rawValue)"
        }
        #expect(fired == ["b:scheduledRelease", "a:scheduledRelease", "c:scheduledRelease"])
    }

    /// The queue keeps most deadlines as 64-bit words (times from 1970 to early 2106) and any other in a heap of its
    /// own: releases scheduled on both sides of 2106 fire in time order, each at its own second.
    @Test("Scheduled releases before and after 2106 fire in time order, each at its second")
    func deadlinesPastTheWordRange() throws {
        var fleet = Fleet<AnyInstance>(startingAt: Self.t0, recordTimeline: true)
        let model = ProviderModel(.tencent)
        let wordLimit = Instant(secondsSince1970: Int64(UInt32.max))
        let releases: [(id: String, at: Instant)] = [
            ("late", wordLimit + .days(3)), ("edge", wordLimit), ("early", Self.t0 + .hours(1)),
            ("past", wordLimit + Seconds(1)), ("far", try #require(Instant(iso8601: "9999-12-31T00:00:00Z"))),
        ]
        for (id, at) in releases {
            let (machine, effects) = try model.launch(InstanceDescription(id: id), at: Self.t0)
            let handle = try fleet.add(machine, launchEffects: effects, account: "acct", at: Self.t0)
            try fleet.perform(.scheduleRelease(at: at), on: handle, at: Self.t0)
        }
        fleet.advance(to: try #require(Instant(iso8601: "9999-12-31T00:00:00Z")))
        let fired = fleet.timeline!.compactMap { entry -> String? in
            guard case .event(.deadlineReached(let deadline)) = entry.cause else { return nil }
            #expect(entry.at == deadline.at)
            return fleet[entry.instance].instance.id
        }
        #expect(fired == ["early", "edge", "past", "late", "far"])
    }

    @Test(
        "Billed time never runs ahead of the fleet's clock, whatever window is asked (per instance, account, provider)"
    )
    func billingStopsAtTheClock() throws {
        var fleet = Fleet<AnyInstance>(startingAt: Self.t0, billing: .perInstance)
        let (machine, effects) = try ProviderModel(.aliyun).launch(InstanceDescription(id: "a1"), at: Self.t0)
        let handle = try fleet.add(machine, launchEffects: effects, account: "one", at: Self.t0)
        fleet.advance(to: Self.t0 + .hours(2))
        for end in [Self.t0 + .hours(2), Self.t0 + .hours(3), Self.t0 + .days(400)] {
            #expect(fleet.billedSeconds(of: handle, .compute, from: Self.t0, to: end) == .hours(2))
            #expect(fleet.billedSeconds(ofAccount: "one", .compute, from: Self.t0, to: end) == .hours(2))
            #expect(fleet.billedSeconds(ofProvider: .aliyun, .compute, from: Self.t0, to: end) == .hours(2))
        }
    }

    @Test("An account event reaches every instance of the account and no other")
    func accountEvents() throws {
        var fleet = Fleet<AnyInstance>(startingAt: Self.t0)
        for (id, account) in [("x1", "one"), ("x2", "two"), ("x3", "one")] {
            let (machine, effects) = try ProviderModel(.tencent).launch(InstanceDescription(id: id), at: Self.t0)
            try fleet.add(machine, launchEffects: effects, account: account, at: Self.t0)
        }
        fleet.deliver(.arrearsBegan, toAccount: "one", at: Self.t0)
        fleet.advance(to: Self.t0 + .hours(3))
        #expect(fleet.handles.map { fleet[$0].phase } == [.suspended, .running, .suspended])
        #expect(
            fleet.billedSeconds(ofAccount: "one", .compute, from: Self.t0, to: Self.t0 + .hours(3)) == Seconds.hours(4)
        )
        #expect(
            fleet.billedSeconds(ofAccount: "two", .compute, from: Self.t0, to: Self.t0 + .hours(3)) == Seconds.hours(3)
        )
        #expect(fleet.totalBilledSeconds(ofAccount: "one")[.compute] == Seconds.hours(4))
        #expect(
            fleet.billedSeconds(ofProvider: .tencent, .compute, from: Self.t0, to: Self.t0 + .hours(3))
                == Seconds.hours(7)
        )
        #expect(
            fleet.billedSeconds(ofProvider: .tencent, .compute, from: Self.t0 + .hours(1), to: Self.t0 + .hours(2))
                == Seconds.hours(3)
        )
        #expect(throws: Fleet<AnyInstance>.FleetError.self) {
            let (machine, effects) = try ProviderModel(.aliyun).launch(InstanceDescription(id: "x1"), at: Self.t0)
            try fleet.add(machine, launchEffects: effects, account: "one", at: Self.t0 + .hours(3))
        }
    }

    @Test(
        "An account's standing follows its arrears and top-ups, before and after its first instance; an instance launched into arrears is under the arrears rules",
        arguments: [false, true]
    )
    func standingFollowsTheAccount(hasInstanceBefore: Bool) throws {
        var fleet = Fleet<AnyInstance>(startingAt: Self.t0, recordTimeline: true)
        func launch(_ id: String, at time: Instant) throws -> Fleet<AnyInstance>.InstanceHandle {
            let (machine, effects) = try ProviderModel(.tencent).launch(InstanceDescription(id: id), at: time)
            return try fleet.add(machine, launchEffects: effects, account: "acct", at: time)
        }
        func standing() -> AccountStanding {
            let byName = fleet.standing(of: "acct")
            if let first = fleet.handles.first {
                #expect(fleet.standing(ofAccountSlot: fleet.accountSlot(of: first)) == byName)
            }
            return byName
        }
        if hasInstanceBefore { _ = try launch("before", at: Self.t0) }
        #expect(standing() == .inGoodStanding)
        fleet.deliver(.arrearsBegan, toAccount: "acct", at: Self.t0 + .minutes(1))
        #expect(standing() == .inArrears)
        let inArrears = try launch("in-arrears", at: Self.t0 + .minutes(2))
        fleet.deliver(.balanceRestored, toAccount: "acct", at: Self.t0 + .minutes(3))
        #expect(standing() == .inGoodStanding)
        let afterPayment = try launch("after-payment", at: Self.t0 + .minutes(4))
        // T2: the first 2 h of arrears run and bill; paying within them keeps the instance running. An instance
        // launched into arrears received arrearsBegan at its launch.
        let began = fleet.timeline!.filter { $0.instance == inArrears && $0.cause == .event(.arrearsBegan) }
        #expect(began.map(\.at) == [Self.t0 + .minutes(2)])
        #expect(!fleet.timeline!.contains { $0.instance == afterPayment && $0.cause == .event(.arrearsBegan) })
        fleet.deliver(.arrearsBegan, toAccount: "acct", at: Self.t0 + .minutes(5))
        #expect(standing() == .inArrears)
        let late = try launch("late", at: Self.t0 + .minutes(6))
        fleet.advance(to: Self.t0 + .hours(3))
        // Every instance is now 2 h into the second arrears and shut down (T2).
        for handle in [inArrears, afterPayment, late] { #expect(fleet[handle].phase == .suspended) }
    }
}
