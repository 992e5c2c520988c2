// cloud-release-fuzz: a seeded mutation fuzzer over the scenario decoder, the trace reader, the forecast's
// DescribeInstances reader and the CLI.
//
// Each run mutates a seed input (Examples/*.json, Fuzz/Corpus, Fuzz/Regressions) and feeds it to the code
// that reads user input. An input "crashes" when the process traps, or when a run takes longer than the
// time limit (a hang). Before each run the input is kept in a fixed buffer; on a trap or an alarm a signal
// handler writes it to Fuzz/crash-<target>.bin and the process exits 99, so the input can become a
// regression file in Fuzz/Regressions. The same seed replays the same inputs.
//
//   swift run cloud-release-fuzz                        # the CI budget (CLOUDRELEASE_FUZZ_RUNS or 2,000)
//   swift run cloud-release-fuzz --runs 100000 --seed 7 # a longer campaign
//   swift run cloud-release-fuzz --cli-runs 300         # also run the CLI with mutated arguments
//   swift run cloud-release-fuzz --emulator-requests 100000 # the emulator under signed and mutated requests
import EmulatorCore
import EmulatorFuzzing
import FleetReplay
import Foundation
import Inventory
import ProviderRegistry
import ReleaseCore
import Reporting
import Scenarios

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: Options

var runs = Int(ProcessInfo.processInfo.environment["CLOUDRELEASE_FUZZ_RUNS"] ?? "") ?? 2_000
var cliRuns = Int(ProcessInfo.processInfo.environment["CLOUDRELEASE_FUZZ_CLI_RUNS"] ?? "") ?? 0
var emulatorRequests = Int(ProcessInfo.processInfo.environment["CLOUDRELEASE_FUZZ_EMULATOR_REQUESTS"] ?? "") ?? 0
var seed: UInt64 = 1
var root = FileManager.default.currentDirectoryPath
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--runs": runs = Int(arguments.next() ?? "") ?? runs
    case "--cli-runs": cliRuns = Int(arguments.next() ?? "") ?? cliRuns
    case "--emulator-requests": emulatorRequests = Int(arguments.next() ?? "") ?? emulatorRequests
    case "--seed": seed = UInt64(arguments.next() ?? "") ?? seed
    case "--root": root = arguments.next() ?? root
    default:
        FileHandle.standardError.write(
            Data("usage: cloud-release-fuzz [--runs N] [--cli-runs N] [--emulator-requests N] [--seed S]\n".utf8)
        )
        exit(2)
    }
}

// MARK: Crash capture

/// The input under test, kept where a signal handler can reach it without allocating.
nonisolated(unsafe) let currentInput = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 22)
nonisolated(unsafe) var currentLength = 0
nonisolated(unsafe) let crashPath = UnsafeMutablePointer<CChar>.allocate(capacity: 4_096)

func keep(_ bytes: [UInt8], target: String, root: String) {
    currentLength = min(bytes.count, currentInput.count)
    _ = currentInput.initialize(from: bytes.prefix(currentLength))
    let path = Array("\(root)/Fuzz/crash-\(target).bin".utf8CString.prefix(4_095))
    for (index, byte) in path.enumerated() { crashPath[index] = byte }
    crashPath[path.count] = 0
}

for signalNumber in [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGALRM] {
    signal(signalNumber) { _ in
        let descriptor = open(crashPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if descriptor >= 0 {
            _ = write(descriptor, currentInput.baseAddress, currentLength)
            close(descriptor)
        }
        let message = "cloud-release-fuzz: an input crashed or hung; it is in Fuzz/crash-*.bin\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        _exit(99)
    }
}

// MARK: Inputs

func files(in directory: String, ending suffix: String) -> [[UInt8]] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { $0.hasSuffix(suffix) }.sorted().compactMap {
        FileManager.default.contents(atPath: "\(directory)/\($0)").map { Array($0) }
    }
}

let scenarioSeeds =
    files(in: "\(root)/Examples", ending: ".json") + files(in: "\(root)/Fuzz/Regressions/scenarios", ending: ".json")
let traceSeeds =
    files(in: "\(root)/Fuzz/Corpus/traces", ending: ".csv") + files(in: "\(root)/Fuzz/Corpus/traces", ending: ".csv.gz")
    + files(in: "\(root)/Fuzz/Regressions/traces", ending: ".csv")
let answerSeeds =
    files(in: "\(root)/Examples/inventory", ending: ".json")
    + files(in: "\(root)/Fuzz/Regressions/answers", ending: ".json")
guard !scenarioSeeds.isEmpty, !traceSeeds.isEmpty, !answerSeeds.isEmpty else {
    FileHandle.standardError.write(Data("cloud-release-fuzz: no seeds under \(root) (run from the repository)\n".utf8))
    exit(2)
}

/// Tokens that reach the boundaries: huge numbers and durations, edge times, bad bytes, structure.
let tokens: [[UInt8]] =
    [
        "+999999999999999999d", "9223372036854775807", "-9223372036854775808", "1e308", "NaN", "inf",
        "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2026-02-29T00:00:00Z",
        "+106751991167300d", "\u{0}", "\u{1B}[31m", "\"", "\\u0000", "\\ud800", "{", "}", "[", "]", ",", ":",
        "\r\n", "\n", "#", "launch", "release", "restore", "arrears", "topup", "prepaid:", "immediately",
        "terminate-subscription", "force", "disk:", "snapshot:", "expect", "steps", "instance",
    ].map { Array($0.utf8) } + [
        [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF], [0xF4, 0x90, 0x80, 0x80],
    ]

func mutate(_ input: [UInt8], random: inout SplitMix64) -> [UInt8] {
    var bytes = input
    let rounds = 1 + Int(random.next() % 4)
    for _ in 0..<rounds {
        let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
        switch random.next() % 7 {
        case 0 where !bytes.isEmpty:
            bytes[position] = UInt8(truncatingIfNeeded: random.next())
        case 1:
            bytes.insert(contentsOf: tokens[Int(random.next() % UInt64(tokens.count))], at: position)
        case 2 where !bytes.isEmpty:
            let length = min(bytes.count - position, 1 + Int(random.next() % 32))
            bytes.removeSubrange(position..<(position + length))
        case 3 where !bytes.isEmpty:
            let length = min(bytes.count - position, 1 + Int(random.next() % 64))
            let copy = Array(bytes[position..<(position + length)])
            let times = 1 + Int(random.next() % 8)
            for _ in 0..<times { bytes.insert(contentsOf: copy, at: position) }
        case 4:
            // Replace a run of digits with a huge or negative number.
            if let start = bytes[position...].firstIndex(where: { (0x30...0x39).contains($0) }) {
                var end = start
                while end < bytes.count, (0x30...0x39).contains(bytes[end]) { end += 1 }
                let replacement = ["99999999999999999999", "0", "-1", "4294967296", "65"][Int(random.next() % 5)]
                bytes.replaceSubrange(start..<end, with: Array(replacement.utf8))
            }
        case 5:
            let token = tokens[Int(random.next() % UInt64(tokens.count))]
            let end = min(bytes.count, position + token.count)
            bytes.replaceSubrange(position..<end, with: token)
        default:
            bytes.append(UInt8(truncatingIfNeeded: random.next()))
        }
    }
    return Array(bytes.prefix(1 << 20))
}

// MARK: Targets

/// Decodes and, when valid, runs a scenario on every model; a refusal is an ordinary outcome.
func fuzzScenario(_ bytes: [UInt8]) -> Bool {
    do {
        let scenario = try Scenario.decode(utf8: bytes, file: "fuzz.json")
        let models = [
            ProviderModel(.aliyun), ProviderModel(.tencent), ProviderModel(.aliyun, newerProfile: true),
            ProviderModel(.tencent, newerProfile: true),
        ]
        let report = scenario.run(on: models)
        for format in [OutputFormat.text, .markdown, .json] { _ = report.rendered(as: format) }
        return true
    } catch {
        return false
    }
}

/// Replays a trace with and without skipping malformed lines, and renders the summary.
func fuzzTrace(_ bytes: [UInt8]) -> Bool {
    var accepted = false
    for skip in [false, true] {
        var options = TraceReplayer.Options(skipMalformed: skip)
        options.prices = PriceBook(
            PriceTable(decimalPerHour: [.compute: "0.5", .disk: "0.02"], subscriptionPerMonth: "30")!
        )
        if let (summary, _) = try? TraceReplayer.replay(utf8: bytes, options: options) {
            _ = summary.rendered(as: .text)
            _ = summary.rendered(as: .json)
            accepted = true
        }
    }
    return accepted
}

/// Reads a DescribeInstances answer and forecasts it, in every format; unreadable answers are ordinary problems.
func fuzzInventory(_ bytes: [UInt8]) -> Bool {
    let now = Instant(iso8601: "2026-11-24T23:00:00Z")!
    let read = InventoryReader.read(Data(bytes), file: "fuzz.json", at: now)
    let forecast = Forecast.run(read.instances, timers: read.timers, problems: read.problems, at: now)
    for format in [OutputFormat.text, .markdown, .json] { _ = forecast.rendered(as: format) }
    return !forecast.instances.isEmpty
}

/// Runs the built CLI with mutated arguments: it must exit 0, 1 or 2 and never die of a signal.
func fuzzCLI(_ runs: Int, root: String, random: inout SplitMix64) -> (runs: Int, failures: [String]) {
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("cloud-release")
    guard FileManager.default.isExecutableFile(atPath: executable.path) else { return (0, ["no cloud-release binary"]) }
    let templates: [[String]] = [
        ["explain", "--command", "schedule-release", "--time", "+2h"],
        ["explain", "--command", "renew", "--charge", "prepaid", "--expires", "+30d", "--time", "+60d"],
        ["explain", "--command", "release", "--flags", "force,immediately", "--phase", "stopped"],
        [
            "replay", "Tests/CLITests/Golden/fleet.csv", "--price", "compute=0.12", "--until",
            "2026-01-03T00:00:00Z",
        ],
        ["generate-trace", "--instances", "20", "--records-per-instance", "4", "--accounts", "3"],
        ["simulate", "Examples/arrears-timeline.json", "--provider", "tencent@2025", "--format", "json"],
        ["compare", "--format", "markdown"],
        [
            "replay", "Tests/FleetReplayTests/Fixtures/gzip/trace.csv.gz", "--prices",
            "Examples/prices/example-cny.json",
        ],
        ["explain", "--command", "release", "--price", "compute=0.52", "--price", "subscriptionPerMonth=280"],
        [
            "forecast", "Examples/inventory/ecs-describe-instances.json", "--at", "2026-06-01T00:00:00Z", "--prices",
            "Examples/prices/example-cny.json",
        ],
    ]
    // A price file mutated per run: the CLI reads it with `--prices` and must answer 0 or 2, never trap.
    let priceSeed = Array(
        (try? Data(contentsOf: URL(fileURLWithPath: root + "/Examples/prices/example-cny.json"))) ?? Data()
    )
    let priceFile = FileManager.default.temporaryDirectory.appendingPathComponent("cloud-release-fuzz-prices.json")
    let words = [
        "+9223372036854775807s", "1e308", "inf", "-1", "0", "9999-12-31T23:59:59Z", "", "--format", "yaml",
        "Fuzz", "/dev/null", "compute=nan", "99999999999999999999", "+1d 2h", "\u{1B}", "aliyun@1900",
        "subscriptionPerMonth=1000000000.000001", "compute=0.1234567", "-", "Examples/prices/example-cny.json",
    ]
    var failures: [String] = []
    for _ in 0..<runs {
        var arguments = templates[Int(random.next() % UInt64(templates.count))]
        if random.next() % 4 == 0, !priceSeed.isEmpty {
            try? Data(mutate(priceSeed, random: &random)).write(to: priceFile)
            arguments = ["replay", "Tests/CLITests/Golden/fleet.csv", "--prices", priceFile.path]
        } else {
            let index = Int(random.next() % UInt64(arguments.count))
            arguments[index] = words[Int(random.next() % UInt64(words.count))]
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { continue }
        process.waitUntilExit()
        let exited = process.terminationReason == .exit && [0, 1, 2].contains(process.terminationStatus)
        if !exited { failures.append(arguments.joined(separator: " ")) }
    }
    return (runs, failures)
}

// MARK: Campaign

var random = SplitMix64(seed: seed)
var counts = (scenarios: 0, scenariosValid: 0, traces: 0, tracesValid: 0, answers: 0, answersForecast: 0)
let started = Date()
for run in 0..<runs {
    // Two scenarios, two traces, one DescribeInstances answer in every five runs.
    let target = ["scenario", "trace", "scenario", "trace", "answer"][run % 5]
    let seeds = target == "scenario" ? scenarioSeeds : target == "trace" ? traceSeeds : answerSeeds
    let input = mutate(seeds[Int(random.next() % UInt64(seeds.count))], random: &random)
    keep(input, target: target, root: root)
    alarm(10)  // a run over 10 s is a hang
    switch target {
    case "scenario":
        counts.scenarios += 1
        if fuzzScenario(input) { counts.scenariosValid += 1 }
    case "trace":
        counts.traces += 1
        if fuzzTrace(input) { counts.tracesValid += 1 }
    default:
        counts.answers += 1
        if fuzzInventory(input) { counts.answersForecast += 1 }
    }
    alarm(0)
}
let cli = fuzzCLI(cliRuns, root: root, random: &random)
let emulator = fuzzEmulator(emulatorRequests, seed: seed, root: root)
let seconds = Date().timeIntervalSince(started)
print(
    "cloud-release-fuzz: seed \(seed): \(counts.scenarios) scenarios (\(counts.scenariosValid) valid), "
        + "\(counts.traces) traces (\(counts.tracesValid) replayed), "
        + "\(counts.answers) DescribeInstances answers (\(counts.answersForecast) forecast), \(cli.runs) CLI runs; "
        + "\(cli.failures.count) crashes, 0 traps or hangs in-process, \(String(format: "%.1f", seconds)) s"
)
for failure in cli.failures { print("  CLI died: cloud-release \(failure)") }
if let emulator { print(emulator.summary) }
let emulatorFailed = !(emulator?.findings.isEmpty ?? true)
exit(cli.failures.isEmpty && !emulatorFailed ? 0 : 99)
