import ArgumentParser
import Foundation
import ReleaseComparison
import ReleaseCore

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a fleet trace through the models and summarise where every instance ends up.",
        discussion: """
            The trace format is documented in Docs/Traces.md. The file is streamed, never loaded whole.
            A malformed line stops the replay with file:line: why (exit 2) unless --skip-malformed is given,
            in which case every malformed line is counted and listed.

            Examples:
              cloud-release replay fleet.csv
              cloud-release replay fleet.csv --until 2026-01-02T00:00:00Z --format json
              cloud-release replay fleet.csv --price compute=0.12 --price disk=0.02
              cloud-release generate-trace --instances 1000000 --output big.csv && cloud-release replay big.csv
            """
    )

    @Argument(help: "The trace file (CSV, trace format v1).")
    var file: String

    @Option(help: "Run the clock to this UTC time (YYYY-MM-DDTHH:MM:SSZ) instead of the last record's.")
    var until: String?

    @Option(name: .shortAndLong, help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(help: "Count and list malformed lines instead of stopping at the first.")
    var skipMalformed = false

    @Flag(help: "Run each provider under its newer dated profile instead of the seed profile.")
    var newerProfiles = false

    @Option(
        help:
            "An hourly price for a meter, to forecast cost (repeatable): compute=0.12, disk=0.01, elasticIP=0.005, snapshot=0.002."
    )
    var price: [String] = []

    func prices() throws -> PriceTable? {
        guard !price.isEmpty else { return nil }
        var perHour: [MeterFamily: Double] = [:]
        for entry in price {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let family = MeterFamily(rawValue: parts[0]), let value = Double(parts[1]),
                value >= 0
            else {
                throw ValidationError("--price: \"\(entry)\" is not <compute|disk|elasticIP|snapshot>=<hourly price>")
            }
            perHour[family] = value
        }
        return PriceTable(perHour: perHour)
    }

    func validate() throws {
        if let until, Instant(iso8601: until) == nil {
            throw ValidationError("--until: \"\(until)\" is not a UTC time like 2026-01-01T00:00:00Z")
        }
        if format == .markdown { throw ValidationError("--format: replay prints text or json") }
        _ = try prices()
    }

    func run() throws {
        var options = TraceReplayer.Options(skipMalformed: skipMalformed, newerProfiles: newerProfiles)
        options.until = until.flatMap(Instant.init(iso8601:))
        options.prices = try prices()
        let showProgress = isTerminal(2)
        do {
            let (summary, _) = try TraceReplayer.replay(path: file, options: options) { read, total in
                guard showProgress, total > 0 else { return }
                let percent = read * 100 / total
                FileHandle.standardError.write(Data("\rreplaying \(file): \(percent)%".utf8))
            }
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            print(summary.rendered(as: format), terminator: "")
            if let peak = peakResidentMegabytes() {
                FileHandle.standardError.write(Data("peak resident memory: \(peak) MB\n".utf8))
            }
        } catch {
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            throw InputError(message: error.description)
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
              cloud-release generate-trace --instances 1000000 --seed 7 --output big.csv
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

    @Option(name: .shortAndLong, help: "Write to this file (written whole, then renamed into place) instead of stdout.")
    var output: String?

    func validate() throws {
        guard instances > 0 else { throw ValidationError("--instances must be at least 1") }
        guard recordsPerInstance > 0 else { throw ValidationError("--records-per-instance must be at least 1") }
        if let accounts, accounts <= 0 { throw ValidationError("--accounts must be at least 1") }
    }

    func run() throws {
        let generator = TraceGenerator(
            instances: instances,
            recordsPerInstance: recordsPerInstance,
            accounts: accounts,
            seed: seed
        )
        guard let output else {
            generator.generate { FileHandle.standardOutput.write(Data($0.utf8)) }
            return
        }
        try AtomicFile.write(to: output) { handle in generator.generate { handle.write(Data($0.utf8)) } }
    }
}

/// An input problem already phrased as `file:line: why`; exits with status 2.
struct InputError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Writes a file next to its destination and renames it into place, so readers never see half a file.
enum AtomicFile {
    static func write(to path: String, _ body: (FileHandle) throws -> Void) throws {
        let temporary = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else { throw InputError(message: "\(path): cannot create the file") }
        do {
            try body(handle)
            try handle.close()
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw InputError(message: "\(path): \(error.localizedDescription)")
        }
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
