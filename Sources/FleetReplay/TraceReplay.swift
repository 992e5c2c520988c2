import Foundation
public import ProviderRegistry
public import ReleaseCore
import Reporting

/// The outcome of replaying a trace (`cloud-release replay --format json`, Docs/Traces.md).
///
/// Keys are stable: new keys may be added, none renamed or removed.
public struct ReplaySummary: Hashable, Sendable, Codable {
    /// A malformed line that was skipped.
    public struct MalformedLine: Hashable, Sendable, Codable {
        public var line: Int
        public var reason: String
    }

    /// The interval replayed.
    public struct Interval: Hashable, Sendable, Codable {
        public var from: Instant?
        public var to: Instant?
    }

    /// Always `cloud-release replay summary v1`.
    public var format = "cloud-release replay summary v1"
    /// The trace file.
    public var file: String
    /// Which profile each provider ran under.
    public var profiles: [String: String]
    /// Records read (lines that are neither comments nor the header).
    public var records = 0
    /// Records the models accepted (launches included).
    public var applied = 0
    /// Well-formed records a provider refused.
    public var rejected = 0
    /// Records that break the format (counted only with skip-malformed; otherwise replay stops at the first).
    public var malformed = 0
    /// The skipped malformed lines, in file order.
    public var malformedLines: [MalformedLine] = []
    /// Rejections per provider per error code.
    public var rejections: [String: [String: Int]] = [:]
    /// Instances per provider per final phase (`Phase` raw values).
    public var instances: [String: [String: Int]] = [:]
    /// Billed seconds per provider per meter family over the interval.
    public var billedSeconds: [String: [String: Int64]] = [:]
    /// With a price table: cost per provider per meter family, and `total`, in the prices' currency.
    public var cost: [String: [String: Double]]?
    /// Resources of released instances per provider per fate (`released`, `retained`, ...).
    public var resourceFates: [String: [String: Int]] = [:]
    /// How many deadlines fired on the way.
    public var deadlinesFired = 0
    /// From the first record to the last record (or `--until`).
    public var interval = Interval()
    /// The line before which `--until` stopped reading, if it did.
    public var stoppedBeforeLine: Int?
    /// Wall-clock seconds the replay took, parsing included.
    public var wallSeconds = 0.0
}

/// Why a replay stopped.
public struct ReplayError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// The 1-based line, if the error is about one.
    public var line: Int?
    /// Why.
    public var reason: String

    /// `file:line: why`.
    public var description: String { line.map { "\(file):\($0): \(reason)" } ?? "\(file): \(reason)" }
}

/// Replays fleet traces through the provider models, streaming: the file is never loaded whole.
public struct TraceReplayer {
    /// How to replay.
    public struct Options: Sendable {
        /// Run the clock to this time instead of the last record's; later records are not read.
        public var until: Instant?
        /// Count and list malformed lines instead of stopping at the first.
        public var skipMalformed = false
        /// Run each provider under its newer profile.
        public var newerProfiles = false
        /// Keep a timeline of every transition (memory grows with the trace).
        public var recordTimeline = false
        /// Hourly prices to turn billed seconds into a cost forecast.
        public var prices: PriceTable?

        public init(until: Instant? = nil, skipMalformed: Bool = false, newerProfiles: Bool = false) {
            self.until = until
            self.skipMalformed = skipMalformed
            self.newerProfiles = newerProfiles
        }
    }

    private let options: Options
    private var summary: ReplaySummary
    /// The fleet after the replay (nil until the first record).
    public private(set) var fleet: Fleet<AnyInstance>?
    private var lastTime: Instant?
    private var sawHeader = false
    private var refusedLaunches: [String: (account: String, model: ProviderModel)] = [:]
    private var lineNumber = 0
    private var stopped: ReplayError?
    private var rejectionCounts: [String: [String: Int]] = [:]

    /// A replayer for `file` (the name used in messages and the summary).
    public init(file: String, options: Options = Options()) {
        self.options = options
        self.summary = ReplaySummary(
            file: file,
            profiles: Dictionary(
                uniqueKeysWithValues: ProviderModel.Kind.allCases.map {
                    ($0.rawValue, ProviderModel($0, newerProfile: options.newerProfiles).profile.name)
                }
            )
        )
    }

    private func model(_ kind: ProviderModel.Kind) -> ProviderModel {
        ProviderModel(kind, newerProfile: options.newerProfiles)
    }

    /// Replays the trace file at `path`; `progress` gets the bytes read so far and the file size.
    public static func replay(
        path: String,
        options: Options = Options(),
        progress: ((_ bytesRead: Int, _ totalBytes: Int) -> Void)? = nil
    ) throws(ReplayError) -> (ReplaySummary, Fleet<AnyInstance>?) {
        let clock = ContinuousClock()
        let started = clock.now
        var replayer = TraceReplayer(file: path, options: options)
        let reader: LineReader
        do { reader = try LineReader(path: path) } catch {
            throw ReplayError(file: path, line: nil, reason: error.message)
        }
        let total = reader.size
        var nextProgress = 0
        do {
            try reader.forEachLine { line, bytesRead in
                if let progress, bytesRead >= nextProgress {
                    progress(bytesRead, total)
                    nextProgress = bytesRead + (4 << 20)
                }
                return replayer.consume(line)
            }
        } catch {
            // Lines before the failure were consumed; the error is about the next one.
            throw ReplayError(file: path, line: error.line, reason: error.message)
        }
        var (summary, fleet) = try replayer.finish()
        summary.wallSeconds = (clock.now - started).secondsDouble
        return (summary, fleet)
    }

    /// Replays a trace held in a string (for tests and small inputs).
    public static func replay(
        text: String,
        file: String = "<text>",
        options: Options = Options()
    ) throws(ReplayError)
        -> (ReplaySummary, Fleet<AnyInstance>?)
    {
        try replay(utf8: Array(text.utf8), file: file, options: options)
    }

    /// Replays a trace held in memory as bytes (which need not be valid UTF-8: ids that are not are
    /// malformed lines).
    public static func replay(
        utf8: [UInt8],
        file: String = "<bytes>",
        options: Options = Options()
    ) throws(ReplayError)
        -> (ReplaySummary, Fleet<AnyInstance>?)
    {
        var replayer = TraceReplayer(file: file, options: options)
        // Split on LF bytes: as Characters, "\r\n" is one grapheme and would not split on "\n".
        var bytes = utf8
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.last != 0x0A { bytes.append(0x0A) }
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            for index in buffer.indices where buffer[index] == 0x0A {
                var end = index
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                let keepGoing = replayer.consume(UnsafeBufferPointer(rebasing: buffer[start..<end]))
                start = index + 1
                if !keepGoing { break }
            }
        }
        return try replayer.finish()
    }

    /// Feeds one line; returns false when the replay must stop reading.
    public mutating func consume(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        lineNumber += 1
        if line.first == 0x23 { return true }  // '#': a comment
        if line.isEmpty { return true }  // a blank line (e.g. a trailing one) holds no record
        if !sawHeader {
            guard TraceLineParser.string(line) == TraceRecord.header else {
                stopped = ReplayError(
                    file: summary.file,
                    line: lineNumber,
                    reason: "the header must be exactly \"\(TraceRecord.header)\""
                )
                return false
            }
            sawHeader = true
            return true
        }
        switch TraceLineParser.parse(line) {
        case .failure(let malformation):
            summary.records += 1
            return malformed(malformation)
        case .success(let record):
            if let until = options.until, record.time > until {
                summary.stoppedBeforeLine = lineNumber
                return false
            }
            summary.records += 1
            return apply(record)
        }
    }

    private mutating func malformed(_ malformation: TraceMalformation) -> Bool {
        guard options.skipMalformed else {
            summary.malformed += 1
            stopped = ReplayError(file: summary.file, line: lineNumber, reason: malformation.description)
            return false
        }
        summary.malformed += 1
        summary.malformedLines.append(.init(line: lineNumber, reason: malformation.description))
        return true
    }

    private mutating func apply(_ record: TraceRecord) -> Bool {
        if let lastTime, record.time < lastTime {
            return malformed(
                TraceMalformation(
                    field: "time",
                    reason: "\(record.time) is earlier than the record before (\(lastTime))"
                )
            )
        }
        if fleet == nil {
            fleet = Fleet(startingAt: record.time, recordTimeline: options.recordTimeline, billing: .totals)
            summary.interval.from = record.time
        }
        lastTime = record.time
        switch record.operation {
        case .launch(let kind, let charge, let isProtected):
            if !refusedLaunches.isEmpty && refusedLaunches[record.instance] != nil {
                return malformed(
                    TraceMalformation(
                        field: "instance",
                        reason: "\(TimeText.escaped(record.instance)) was launched before"
                    )
                )
            }
            let description = TraceRecord.launchDescription(
                id: record.instance,
                charge: charge,
                isProtected: isProtected
            )
            do {
                let standing = fleet!.standing(of: record.account)
                let (machine, effects) = try model(kind).launch(description, standing: standing, at: record.time)
                do {
                    try fleet!.add(machine, launchEffects: effects, account: record.account, at: record.time)
                } catch {
                    return malformed(
                        TraceMalformation(
                            field: "instance",
                            reason: "\(TimeText.escaped(record.instance)) was launched before"
                        )
                    )
                }
                summary.applied += 1
            } catch {
                refusedLaunches[record.instance] = (record.account, model(kind))
                reject(error)
            }
        case .arrears, .topUp:
            fleet!.deliver(record.operation.accountEvent!, toAccount: record.account, at: record.time)
            summary.applied += 1
        case .stop, .start, .release, .scheduleRelease, .cancelSchedule, .protect, .restore:
            let command = record.operation.command!
            guard let handle = fleet!.handle(named: record.instance) else {
                guard let refused = refusedLaunches[record.instance] else {
                    return malformed(
                        TraceMalformation(
                            field: "instance",
                            reason: "unknown instance \(TimeText.escaped(record.instance)) (never launched)"
                        )
                    )
                }
                guard refused.account == record.account else { return wrongAccount(record, owner: refused.account) }
                // The provider refused its launch, so to the provider it does not exist.
                fleet!.advance(to: record.time)
                summary.rejected += 1
                countRejection(provider: refused.model.kind.rawValue, code: refused.model.notFoundCode)
                return true
            }
            let owner = fleet!.account(of: handle)
            guard owner == record.account else { return wrongAccount(record, owner: owner) }
            do {
                try fleet!.perform(command, on: handle, at: record.time)
                summary.applied += 1
            } catch {
                reject(error)
            }
        }
        return true
    }

    private mutating func wrongAccount(_ record: TraceRecord, owner: String) -> Bool {
        malformed(
            TraceMalformation(
                field: "account",
                reason:
                    "\(TimeText.escaped(record.instance)) belongs to \(TimeText.escaped(owner)), not \(TimeText.escaped(record.account))"
            )
        )
    }

    /// Counts a rejection under its provider and code.
    private mutating func reject(_ error: ReleaseError) {
        summary.rejected += 1
        countRejection(provider: error.provider.rawValue, code: error.code.rawValue)
    }

    private mutating func countRejection(provider: String, code: String) {
        rejectionCounts[provider, default: [:]][code, default: 0] += 1
    }

    /// Runs the clock to the end and builds the summary; throws the error that stopped the replay, if any.
    public mutating func finish() throws(ReplayError) -> (ReplaySummary, Fleet<AnyInstance>?) {
        if let stopped { throw stopped }
        if !sawHeader {
            throw ReplayError(file: summary.file, line: nil, reason: "no header line \"\(TraceRecord.header)\"")
        }
        guard var fleet else { return (summary, nil) }
        let end = max(options.until ?? lastTime ?? fleet.now, fleet.now)
        fleet.advance(to: end)
        summary.interval.to = end
        summary.deadlinesFired = fleet.deadlinesFired
        summary.rejections = rejectionCounts
        for provider in fleet.providers {
            var families: [String: Int64] = [:]
            for (family, seconds) in fleet.totalBilledSeconds(ofProvider: provider) {
                families[family.rawValue] = seconds.count
            }
            summary.billedSeconds[provider.rawValue] = families
            if let prices = options.prices {
                let billed = fleet.totalBilledSeconds(ofProvider: provider)
                var costs: [String: Double] = [:]
                for (family, seconds) in billed { costs[family.rawValue] = prices.cost(of: seconds, family) }
                costs["total"] = prices.cost(of: billed)
                summary.cost = (summary.cost ?? [:]).merging([provider.rawValue: costs]) { $1 }
            }
        }
        // Count into fixed arrays first: a dictionary update per instance would dominate a million-instance run.
        var phaseCounts = Array(
            repeating: Array(repeating: 0, count: Phase.allCases.count),
            count: fleet.providers.count
        )
        var fateCounts = Array(
            repeating: Array(repeating: 0, count: ResourceFate.allCases.count),
            count: fleet.providers.count
        )
        let phaseIndex = Dictionary(uniqueKeysWithValues: Phase.allCases.enumerated().map { ($1, $0) })
        let fateIndex = Dictionary(uniqueKeysWithValues: ResourceFate.allCases.enumerated().map { ($1, $0) })
        for handle in fleet.handles {
            let machine = fleet[handle]
            let slot = fleet.providers.firstIndex(of: machine.provider)!
            phaseCounts[slot][phaseIndex[machine.phase]!] += 1
            if machine.phase == .released {
                for outcome in machine.resourceFates { fateCounts[slot][fateIndex[outcome.fate]!] += 1 }
            }
        }
        for (slot, provider) in fleet.providers.enumerated() {
            for (index, phase) in Phase.allCases.enumerated() where phaseCounts[slot][index] > 0 {
                summary.instances[provider.rawValue, default: [:]][phase.rawValue] = phaseCounts[slot][index]
            }
            for (index, fate) in ResourceFate.allCases.enumerated() where fateCounts[slot][index] > 0 {
                summary.resourceFates[provider.rawValue, default: [:]][fate.rawValue] = fateCounts[slot][index]
            }
        }
        self.fleet = fleet
        return (summary, fleet)
    }
}

extension Duration {
    var secondsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
