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

    /// Performs the records one by one through the library: one `Simulation` per instance, account events
    /// delivered to each instance of the account in launch order. No fleet involved.
    static func performOneByOne(_ records: [TraceRecord]) -> [String: Simulation<AnyInstance>] {
        var simulations: [String: Simulation<AnyInstance>] = [:]
        var order: [String] = []
        var accountOf: [String: String] = [:]
        for record in records {
            switch record.operation {
            case .launch(let kind, let charge, let isProtected, let extras):
                let description = TraceRecord.launchDescription(
                    id: record.instance,
                    charge: charge,
                    isProtected: isProtected,
                    extras: extras
                )
                guard let (machine, effects) = try? ProviderModel(kind).launch(description, at: record.time) else {
                    continue
                }
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
            case .launch(let kind, let charge, let isProtected, let extras):
                let description = TraceRecord.launchDescription(
                    id: record.instance,
                    charge: charge,
                    isProtected: isProtected,
                    extras: extras
                )
                if let (machine, effects) = try? ProviderModel(kind).launch(description, at: record.time) {
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
            #expect(machine == simulation.machine, "instance \(id)")
            computeByProvider[machine.provider.rawValue, default: 0] +=
                simulation.ledger.billedSeconds(.compute, from: records.first!.time, to: end).count
        }
        for (provider, seconds) in computeByProvider {
            #expect(summary.billedSeconds[provider]?["compute"] == seconds, "\(provider)")
        }
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
}
