import ArgumentParser
import FleetReplay
import ReleaseCore
import Reporting
import ZlibGzip

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a fleet trace through the models and summarise where every instance ends up.",
        discussion: """
            The trace format is documented in Docs/Traces.md. The file is streamed, never loaded whole.
            A malformed line stops the replay with file:line: why (exit 2) unless --skip-malformed is given,
            in which case every malformed line is counted and listed.

            Examples:
              cloud-release replay Examples/fleet.csv
              cloud-release replay Examples/fleet.csv --until 2026-01-02T00:00:00Z --format json
              cloud-release replay Examples/fleet.csv --format html > fleet.html
              cloud-release replay Examples/fleet.csv --price compute=0.12 --price disk=0.02
              cloud-release generate-trace --instances 100000 --output big.csv && cloud-release replay big.csv
              cloud-release replay Examples/fleet.csv --jobs 1
              cloud-release replay Examples/fleet.csv --shard 0/2 --format json > shard-0.json
            """
    )

    @Argument(
        help: "The trace file (CSV, trace format v1; gzip-compressed is read as it is; - is standard input).",
        completion: .file(extensions: ["csv", "gz"])
    )
    var file: String

    @Option(help: "Run the clock to this UTC time (YYYY-MM-DDTHH:MM:SSZ) instead of the last record's.")
    var until: String?

    /// The forms a replay summary takes.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, html

        /// The summary in this format.
        func render(_ summary: ReplaySummary, language: Language = .en) -> String {
            switch self {
            case .text: return summary.rendered(as: .text, language: language)
            case .json: return summary.rendered(as: .json)
            case .html: return summary.html(language: language)
            }
        }
    }

    @Option(name: .shortAndLong, help: "Output format: text, json, or html (one self-contained page of charts).")
    var format: Format = .text

    @Flag(help: "Count and list malformed lines instead of stopping at the first.")
    var skipMalformed = false

    @Option(
        help: ArgumentHelp(
            "Read the trace once and apply its accounts on this many cores, adding their counts (default: the "
                + "machine's cores)."
        )
    )
    var jobs: Int?

    /// The jobs asked for, or one per core.
    var jobCount: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }

    @Option(
        help: ArgumentHelp(
            "Replay only shard K of N of the accounts (0-based K); merge the JSON summaries with cloud-release merge.",
            valueName: "K/N"
        )
    )
    var shard: String?

    @Flag(help: "Run each provider under its newer dated profile instead of the seed profile.")
    var newerProfiles = false

    @Option(
        help: ArgumentHelp(
            "Also write each instance's final phase and billed seconds per meter as CSV to FILE (replays in one job).",
            valueName: "FILE"
        )
    )
    var perInstance: String?

    @OptionGroup var pricing: PriceOptions

    @OptionGroup var language: LanguageOption

    func parsedShard() throws -> TraceShard? {
        guard let shard else { return nil }
        guard let parsed = TraceShard(parsing: shard) else {
            throw ValidationError(
                Speech.say(
                    "--shard: \"\(TimeText.escaped(shard))\" is not K/N with 0 <= K < N <= \(TraceShard.maximumCount)",
                    "--shard：“\(TimeText.escaped(shard))”不是满足 0 <= K < N <= \(TraceShard.maximumCount) 的 K/N"
                )
            )
        }
        return parsed
    }

    func validate() throws {
        if let jobs, !(1...256).contains(jobs) {
            throw ValidationError(Speech.say("--jobs must be from 1 to 256", "--jobs 必须在 1 到 256 之间"))
        }
        _ = try parsedShard()
        if let until, Instant(iso8601: until) == nil {
            throw ValidationError(
                Speech.say(
                    "--until: \"\(TimeText.escaped(until))\" is not a UTC time like 2026-01-01T00:00:00Z (years 1970 to 9999)",
                    "--until：“\(TimeText.escaped(until))”不是 2026-01-01T00:00:00Z 这样的 UTC 时间（1970 至 9999 年）"
                )
            )
        }
        _ = try pricing.book()
    }

    func run() throws {
        var options = TraceReplayer.Options(skipMalformed: skipMalformed, newerProfiles: newerProfiles)
        options.gzipDecoder = ZlibGzipDecoder.self
        // The command exits once it has written the summary: the replay's state is the process's end to free.
        options.freesStateAtEnd = false
        options.until = until.flatMap(Instant.init(iso8601:))
        options.prices = try pricing.book()
        options.shard = try parsedShard()
        let showProgress = isTerminal(2)
        let file = self.file
        var summary: ReplaySummary
        do {
            if let perInstance {
                // Per-instance billing needs every instance's intervals in one fleet: one job.
                options.perInstanceBilling = true
                let (whole, fleet) = try TraceReplayer.replay(path: file, options: options)
                summary = whole
                if let fleet, let start = whole.interval.from {
                    try AtomicFile.write(to: perInstance) { (write) throws(InputError) in
                        try PerInstanceReport.write(fleet, from: start, write)
                    }
                } else {
                    try AtomicFile.write(to: perInstance) { (write) throws(InputError) in
                        try write(PerInstanceReport.header + "\n")
                    }
                }
            } else {
                // The trace is read once; its accounts (a shard's, with --shard) are applied on the jobs' cores.
                summary = try TraceReplayer.replaySummary(path: file, options: options, jobs: jobCount) {
                    read,
                    total in
                    guard showProgress, total > 0 else { return }
                    let percent = read * 100 / total
                    Output.error(Speech.say("\rreplaying \(file): \(percent)%", "\r正在回放 \(file)：\(percent)%"))
                }
            }
        } catch let error as InputError {
            if showProgress { Output.error("\r\u{1B}[K") }
            throw error
        } catch let error as ReplayError {
            if showProgress { Output.error("\r\u{1B}[K") }
            throw InputError(message: error.description, chinese: error.description(in: .zh))
        } catch {
            if showProgress { Output.error("\r\u{1B}[K") }
            throw InputError(message: "\(error)")
        }
        if showProgress { Output.error("\r\u{1B}[K") }
        try Output.write(format.render(summary, language: language.language))
        if let peak = peakResidentMegabytes() {
            Output.error(Speech.say("peak resident memory: \(peak) MB\n", "峰值常驻内存：\(peak) MB\n"))
        }
    }
}

struct GenerateTrace: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-trace",
        abstract: "Write a valid synthetic fleet trace of any size (seeded, reproducible).",
        discussion: """
            Examples:
              cloud-release generate-trace --instances 1000 > small.csv
              cloud-release generate-trace --instances 100000 --seed 7 --output big.csv
            """
    )

    @Option(help: "How many instances to launch.")
    var instances: Int = 1_000

    @Option(help: "Records per instance, launches included.")
    var recordsPerInstance: Int = 5

    @Option(help: "How many accounts (default: one per 1,000 instances).")
    var accounts: Int?

    @Option(help: "The random seed; the same seed writes the same trace.")
    var seed: UInt64 = 1

    @Option(
        name: .shortAndLong,
        help: "Write to this file (written whole, then renamed into place) instead of stdout.",
        completion: .file()
    )
    var output: String?

    /// The largest trace generate-trace writes, in records (about 60 GB of text).
    static let maximumRecords = 1_000_000_000

    func validate() throws {
        guard (1...Self.maximumRecords).contains(instances) else {
            throw ValidationError(
                Speech.say(
                    "--instances must be from 1 to \(Self.maximumRecords)",
                    "--instances 必须在 1 到 \(Self.maximumRecords) 之间"
                )
            )
        }
        guard (1...1_000).contains(recordsPerInstance) else {
            throw ValidationError(
                Speech.say("--records-per-instance must be from 1 to 1000", "--records-per-instance 必须在 1 到 1000 之间")
            )
        }
        let (records, overflow) = instances.multipliedReportingOverflow(by: recordsPerInstance)
        guard !overflow, records <= Self.maximumRecords else {
            throw ValidationError(
                Speech.say(
                    "--instances × --records-per-instance must be at most \(Self.maximumRecords) records",
                    "--instances × --records-per-instance 最多 \(Self.maximumRecords) 条记录"
                )
            )
        }
        if let accounts, !(1...instances).contains(accounts) {
            throw ValidationError(
                Speech.say(
                    "--accounts must be from 1 to --instances (\(instances))",
                    "--accounts 必须在 1 到 --instances（\(instances)）之间"
                )
            )
        }
    }

    func run() throws {
        let generator = TraceGenerator(
            instances: instances,
            recordsPerInstance: recordsPerInstance,
            accounts: accounts,
            seed: seed
        )
        guard let output else {
            try generator.generate { (text) throws(InputError) in try Output.write(text) }
            return
        }
        try AtomicFile.write(to: output) { (write) throws(InputError) in try generator.generate(write) }
    }
}

/// The process's peak resident set (VmHWM) in megabytes, where /proc tells it.
func peakResidentMegabytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first
        return kilobytes.map { $0 / 1_024 }
    }
    return nil
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Add the JSON summaries of every shard of a replay into the whole replay's summary.",
        discussion: """
            Accounts never interact, so a trace's accounts can be replayed as N shards on N machines (replay
            --shard K/N --format json) and the summaries merged; the result equals a whole replay (wall time
            aside). Docs/Traces.md shows how to run the shards with GNU parallel, a Kubernetes Indexed Job or a
            Slurm array.

            Examples:
              cloud-release replay Examples/fleet.csv --shard 0/2 --format json > shard-0.json
              cloud-release replay Examples/fleet.csv --shard 1/2 --format json > shard-1.json
              cloud-release merge shard-0.json shard-1.json
            """
    )

    @Argument(help: "The shards' JSON summaries, every shard once.", completion: .file(extensions: ["json"]))
    var summaries: [String]

    @Option(name: .shortAndLong, help: "Output format: text, json, or html.")
    var format: Replay.Format = .text

    @OptionGroup var language: LanguageOption

    func validate() throws {
        guard !summaries.isEmpty else {
            throw ValidationError(Speech.say("give the JSON summary of every shard", "请给出每个分片的 JSON 摘要"))
        }
    }

    func run() throws {
        var parts: [ReplaySummary] = []
        for path in summaries {
            let bytes = try readInputFile(path, limit: 256 << 20)
            do {
                parts.append(try JSONDecoder().decode(ReplaySummary.self, from: Data(bytes)))
            } catch {
                let problem = decodingProblem(error)
                throw InputError(
                    "\(path): not a replay summary in JSON (\(problem.english))",
                    "\(path)：不是 JSON 格式的回放摘要（\(problem.chinese)）"
                )
            }
        }
        do {
            try Output.write(format.render(try ReplaySummary.merged(parts), language: language.language))
        } catch let error as MergeError {
            throw InputError(message: error.reason, chinese: error.chineseReason)
        }
    }
}
