import ProviderRegistry
import ReleaseCore
import ReleaseTestKit
import TencentCVM
import Testing

/// Billed seconds in a window are the length of the intersection of the billed intervals with `[from, to)`
/// (`MeterLedger`, `Fleet.billedSeconds`): an interval the window excludes counts nothing, never a negative
/// amount, and an empty or reversed window bills nothing (issue 24 §2). Checked against a brute-force count of
/// billed seconds over random interval sets and random windows.
@Suite("Billing windows: the intersection of billed intervals with the window")
struct BillingWindowTests {
    static let t0 = Instant(iso8601: "2026-01-01T00:00:00Z")!
    /// `CLOUDRELEASE_PROPERTY_RUNS` sets the number of random cases (default 1,000).
    static let runs = PropertyRunner<AnyInstance>.configuredRuns(fallback: 1_000)

    /// The brute-force reference: every second of `[from, to)` counted once per interval `[start, end)` that
    /// holds it (an interval still open, `end` nil, runs on through the window).
    static func reference(_ intervals: [(start: Int64, end: Int64?)], from: Int64, to: Int64) -> Int64 {
        guard from < to else { return 0 }
        var total: Int64 = 0
        for second in from..<to {
            total += Int64(intervals.filter { second >= $0.start && second < ($0.end ?? Int64.max) }.count)
        }
        return total
    }

    /// A window anywhere around `0..<span`: before, after, between or across the intervals, empty or reversed.
    static func window(span: Int64, using random: inout SplitMix64) -> (from: Int64, to: Int64) {
        let from = Int64.random(in: -20...(span + 20), using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return (from, from)  // empty
        case 1: return (from, from - Int64.random(in: 1...30, using: &random))  // reversed
        default: return (from, from + Int64.random(in: 1...(span + 40), using: &random))
        }
    }

    @Test("A ledger bills the seconds its intervals share with any window: random intervals, meters and windows")
    func ledgerWindows() {
        var random = SplitMix64(seed: 0xB1_11ED)
        let meters: [Meter] = [.compute, .disk(0), .disk(1), .elasticIP, .snapshot(0)]
        let span: Int64 = 120
        for run in 0..<Self.runs {
            // Each meter starts and stops at increasing random seconds; some are left billing.
            var ledger = MeterLedger()
            var intervals: [Meter: [(start: Int64, end: Int64?)]] = [:]
            var events: [(at: Int64, effect: Effect)] = []
            for meter in meters where Bool.random(using: &random) {
                var at = Int64.random(in: 0...20, using: &random)
                while at < span {
                    let end = at + Int64.random(in: 1...40, using: &random)
                    let open = end >= span || Int.random(in: 0..<5, using: &random) == 0
                    intervals[meter, default: []].append((at, open ? nil : end))
                    events.append((at, .meterStarted(meter)))
                    if open { break }
                    events.append((end, .meterStopped(meter)))
                    at = end + Int64.random(in: 0...30, using: &random)
                }
            }
            for event in events.sorted(by: { $0.at < $1.at }) {
                ledger.record([event.effect], at: Self.t0 + Seconds(event.at))
            }
            for _ in 0..<8 {
                let (from, to) = Self.window(span: span, using: &random)
                let family = MeterFamily.allCases.randomElement(using: &random)!
                let all = intervals.values.flatMap { $0 }
                let ofFamily = intervals.filter { $0.key.family == family }.values.flatMap { $0 }
                let start = Self.t0 + Seconds(from)
                let end = Self.t0 + Seconds(to)
                let billed = ledger.billedSeconds(from: start, to: end)
                let billedFamily = ledger.billedSeconds(family, from: start, to: end)
                #expect(billed.count == Self.reference(all, from: from, to: to), "run \(run): [\(from), \(to)) \(all)")
                #expect(billedFamily.count == Self.reference(ofFamily, from: from, to: to), "run \(run): \(family)")
                if billed.count != Self.reference(all, from: from, to: to) { return }
            }
        }
    }

    @Test("A fleet bills each instance, account and provider the seconds they share with any window, clipped at now")
    func fleetWindows() throws {
        var random = SplitMix64(seed: 0xB1_11EE)
        let span: Int64 = 200
        for run in 0..<max(1, Self.runs / 4) {
            var fleet = Fleet<AnyInstance>(startingAt: Self.t0)
            // Each instance is stopped (StopCharging: compute stops, its disk bills on, TD8) and started again
            // at random seconds; the reference keeps its compute intervals.
            var compute: [[(start: Int64, end: Int64?)]] = []
            var toggles: [(at: Int64, instance: Int, command: Command)] = []
            for index in 0..<Int.random(in: 1...3, using: &random) {
                let (machine, effects) = try ProviderModel(.tencent).launch(
                    InstanceDescription(id: "i\(index)"),
                    at: Self.t0
                )
                try fleet.add(machine, launchEffects: effects, account: "acct", at: Self.t0)
                var intervals: [(start: Int64, end: Int64?)] = [(0, nil)]
                var at: Int64 = 0
                while true {
                    at += Int64.random(in: 1...60, using: &random)
                    guard at < span else { break }
                    if intervals[intervals.count - 1].end == nil {
                        intervals[intervals.count - 1].end = at
                        toggles.append((at, index, .stop(chargingMode: .stopCharging)))
                    } else {
                        intervals.append((at, nil))
                        toggles.append((at, index, .start))
                    }
                }
                compute.append(intervals)
            }
            for toggle in toggles.sorted(by: { $0.at < $1.at }) {
                try fleet.perform(toggle.command, on: fleet.handles[toggle.instance], at: Self.t0 + Seconds(toggle.at))
            }
            let now = Int64.random(in: 0...span, using: &random)
            fleet.advance(to: max(fleet.now, Self.t0 + Seconds(now)))
            let clock = fleet.now.secondsSince1970 - Self.t0.secondsSince1970
            for _ in 0..<8 {
                let (from, to) = Self.window(span: span, using: &random)
                // Billing has happened only up to the fleet's clock.
                func expected(_ intervals: [(start: Int64, end: Int64?)]) -> Int64 {
                    Self.reference(intervals.map { ($0.start, min($0.end ?? clock, clock)) }, from: from, to: to)
                }
                let start = Self.t0 + Seconds(from)
                let end = Self.t0 + Seconds(to)
                var billed: [String: Int64] = [:]
                var wanted: [String: Int64] = [:]
                for (index, handle) in fleet.handles.enumerated() {
                    billed["i\(index) compute"] = fleet.billedSeconds(of: handle, .compute, from: start, to: end).count
                    wanted["i\(index) compute"] = expected(compute[index])
                    // Its system disk bills from the launch on (T2: a stopped instance's disks keep billing).
                    billed["i\(index) all meters"] = fleet.billedSeconds(of: handle, from: start, to: end).count
                    wanted["i\(index) all meters"] = expected(compute[index] + [(0, nil)])
                }
                let all = compute.flatMap { $0 }
                billed["account"] = fleet.billedSeconds(ofAccount: "acct", .compute, from: start, to: end).count
                billed["provider"] = fleet.billedSeconds(ofProvider: .tencent, .compute, from: start, to: end).count
                wanted["account"] = expected(all)
                wanted["provider"] = expected(all)
                #expect(billed == wanted, "run \(run): window [\(from), \(to)) at \(clock), compute \(compute)")
                if billed != wanted { return }
            }
        }
    }
}
