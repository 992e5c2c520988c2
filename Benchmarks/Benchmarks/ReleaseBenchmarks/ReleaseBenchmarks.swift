import AliyunECS
import Benchmark
import FleetReplay
import Foundation
import ProviderRegistry
import ReleaseCore
import TencentCVM

let start = Instant(iso8601: "2026-01-01T00:00:00Z")!

/// A trace written once per process for the replay benchmarks.
func traceFile(instances: Int) -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("cloud-release-bench-\(instances).csv")
        .path
    if !FileManager.default.fileExists(atPath: path) {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = FileHandle(forWritingAtPath: path)!
        TraceGenerator(instances: instances, seed: 1).generate { handle.write(Data($0.utf8)) }
        try? handle.close()
    }
    return path
}

// Names have no spaces or slashes: the benchmark tool writes threshold files with those replaced by `_` but looks
// them up unreplaced, so a name with a space never finds its thresholds.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident])

    // One transition per provider: a stopped pay-as-you-go instance's manual release.
    Benchmark(
        "transition:aliyun-release",
        configuration: transition
    ) { benchmark in
        let (stopped, _) = try AliyunECS().launch(InstanceDescription(id: "i-1"), in: .stopped, at: start)
        for _ in benchmark.scaledIterations {
            var machine = stopped
            blackHole(try machine.perform(.release(), at: start + .minutes(1)))
        }
    }

    Benchmark(
        "transition:tencent-destroy",
        configuration: transition
    ) { benchmark in
        let (running, _) = try TencentCVM().launch(InstanceDescription(id: "ins-1"), in: .running, at: start)
        for _ in benchmark.scaledIterations {
            var machine = running
            blackHole(try machine.perform(.release(), at: start + .minutes(1)))
        }
    }

    Benchmark(
        "transition:refused",
        configuration: transition
    ) { benchmark in
        let (running, _) = try AliyunECS().launch(InstanceDescription(id: "i-1"), at: start)
        for _ in benchmark.scaledIterations {
            var machine = running
            blackHole(try? machine.perform(.release(), at: start + .minutes(1)))
        }
    }

    // The engine's form: the same transitions on machines already in place (as in a fleet: the copies are
    // made before the measurement), appending to one reused buffer (`perform(_:at:into:)`).
    Benchmark(
        "transition:aliyun-release:buffer",
        configuration: transition
    ) { benchmark in
        let (stopped, _) = try AliyunECS().launch(InstanceDescription(id: "i-1"), in: .stopped, at: start)
        measureInPlace(benchmark, stopped, .release())
    }

    Benchmark(
        "transition:tencent-destroy:buffer",
        configuration: transition
    ) { benchmark in
        let (running, _) = try TencentCVM().launch(InstanceDescription(id: "ins-1"), in: .running, at: start)
        measureInPlace(benchmark, running, .release())
    }

    Benchmark(
        "transition:refused:buffer",
        configuration: transition
    ) { benchmark in
        let (running, _) = try AliyunECS().launch(InstanceDescription(id: "i-1"), at: start)
        measureInPlace(benchmark, running, .release())
    }

    // Engine cost per event at growing fleet sizes: it should grow no faster than log n.
    for size in [1_000, 10_000, 100_000] {
        Benchmark(
            "fleet:scheduled-releases:\(size)-instances",
            configuration: .init(
                metrics: [.wallClock],
                scalingFactor: .one,
                maxIterations: 20,
                thresholds: tolerance(nanoseconds: size * 200)
            )
        ) { benchmark in
            var fleet = Fleet<AnyInstance>(startingAt: start, billing: .totals)
            let model = ProviderModel(.tencent)
            for index in 0..<size {
                let (machine, effects) = model.launchUnchecked(InstanceDescription(id: "i-\(index)"), at: start)
                let handle = try fleet.add(machine, launchEffects: effects, account: "a", at: start)
                // Spread over ten days by a multiplicative hash of the index (Knuth's constant): the same every run.
                let at = start + .minutes(6) + Seconds(Int64((UInt64(index) &* 2_654_435_761) % 864_000))
                try fleet.perform(.scheduleRelease(at: at), on: handle, at: start)
            }
            benchmark.startMeasurement()
            fleet.advance(to: start + .days(11))
            benchmark.stopMeasurement()
            blackHole(fleet.deadlinesFired)
        }
    }

    // End-to-end replay, parsing included: 5 records per instance.
    for instances in [10_000, 100_000] {
        Benchmark(
            "replay:\(instances * 5)-records",
            configuration: .init(
                metrics: [.wallClock, .peakMemoryResident],
                scalingFactor: .one,
                maxIterations: 5,
                thresholds: tolerance(nanoseconds: instances * 1_500, bytes: 8_000_000 + instances * 60)
            )
        ) { benchmark in
            let path = traceFile(instances: instances)
            benchmark.startMeasurement()
            let (summary, _) = try TraceReplayer.replay(path: path)
            benchmark.stopMeasurement()
            blackHole(summary)
        }
    }
}

/// The configuration of every single-transition benchmark: a thousand transitions a sample, time and allocations.
var transition: Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .mallocCountTotal],
        scalingFactor: .kilo,
        thresholds: tolerance(nanoseconds: 25_000, mallocs: true)
    )
}

/// What `swift package benchmark thresholds check` lets a run exceed the committed p90 (Thresholds/*.json) by: about
/// a third of each figure for time (runs on this 2-core machine vary by 10-25%), a fifth for memory, nothing for
/// allocation counts.
func tolerance(nanoseconds: Int, bytes: Int? = nil, mallocs: Bool = false) -> [BenchmarkMetric: BenchmarkThresholds] {
    var thresholds: [BenchmarkMetric: BenchmarkThresholds] = [.wallClock: .init(absolute: [.p90: nanoseconds])]
    if let bytes { thresholds[.peakMemoryResident] = .init(absolute: [.p90: bytes]) }
    if mallocs { thresholds[.mallocCountTotal] = .strict }
    return thresholds
}

/// Measures `command` on copies of `machine` already in place (made before the measurement, as a fleet holds
/// them), each appending to one reused buffer; a refusal is counted, not rethrown.
func measureInPlace<Machine: ReleaseStateMachine>(_ benchmark: Benchmark, _ machine: Machine, _ command: Command) {
    var machines = Array(repeating: machine, count: benchmark.scaledIterations.count)
    var effects: [Effect] = []
    effects.reserveCapacity(32)
    var refused = 0
    benchmark.startMeasurement()
    for index in machines.indices {
        effects.removeAll(keepingCapacity: true)
        do throws(ReleaseError) {
            try machines[index].perform(command, at: start + .minutes(1), into: &effects)
        } catch {
            refused += 1
        }
    }
    benchmark.stopMeasurement()
    blackHole(machines)
    blackHole(refused)
}

extension ProviderModel {
    func launchUnchecked(_ description: InstanceDescription, at time: Instant) -> (AnyInstance, [Effect]) {
        do { return try launch(description, at: time) } catch { fatalError("\(error)") }
    }
}
