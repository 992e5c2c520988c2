import ProviderRegistry
import ReleaseCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a trace's lines once and checks everything that needs no provider model: the header, the format,
/// time order, `--until`, that an instance is launched once, exists when named and is named under its own
/// account. Each record of an owned account goes to one of `partitions` appliers (an account's records always
/// to the same one), so that partitions can be applied on separate cores; no applier reads the file.
///
/// The rules are those of Docs/Traces.md ("Malformed lines", "Shards"); a replay split over partitions or
/// `--shard` judges every line exactly as a whole replay does, because one reader sees them all.
struct TraceReader {
    let options: TraceReplayer.Options
    private let partitions: Int
    /// The reader's part of the summary: records, malformed lines, the interval, `--until`.
    private(set) var summary: ReplaySummary
    private var stopped: ReplayError?
    private var sawHeader = false
    /// The first record's time (the fleets start there).
    var firstTime: Instant? { summary.interval.from }
    /// The last record's time.
    private var lastTime: Instant?
    private var lineNumber = 0
    /// The records' times (it remembers the last day read).
    private var times = InstantParser()
    /// The last line's operation whole, where it carries words of its own (its fields' operation is `.rich`).
    private var richOperation: TraceRecord.Operation?
    /// What the group's touches read, kept so that the reads are not optimised away.
    private var touched: UInt64 = 0
    /// Where a group's commas, hashes and places are kept while it is read (``GroupRoom``).
    private var groupRoom = GroupRoom(capacity: LineGroup.linesPerGroup)

    /// Accounts by number, each with its partition (-1: another shard's).
    private var accounts = ByteInterner<Int32>()
    /// By account number: where the name as first seen lies in ``accountNameBytes`` (the batches carry those bytes,
    /// and a record of an instance compares its account with its owner's before it looks the account up).
    private var accountNameSpans: [(start: Int, count: Int)] = []
    private var accountNameBytes: [UInt8] = []
    /// By account number: the name as first seen in the two words a short key packs into (``ByteTable/packed(_:)``),
    /// or two zeroes (which no packed key is) for a longer name, so that a record's account is compared with its
    /// instance's owner in one read rather than through the span, the bytes and `memcmp` (Docs/Performance.md,
    /// "An id's entry read at both ends; owners compared by their words").
    private var accountNameWords: [(low: UInt64, high: UInt64)] = []
    /// By account number: whether the account's name went to its partition's applier, with the first launch or
    /// account-level op that needed it. Only that record carries the name: the applier keeps it (copying it into the
    /// batch at every launch was 1% of the 100k replay; Docs/Performance.md, "Names sent once").
    private var accountNameSent: [Bool] = []
    /// Whether a launch carries its instance's id: only to an applier whose fleet keeps ids.
    private let carriesInstanceIDs: Bool
    private var nextPartition = 0

    /// Instances by id, each with its account and its number within its partition (-1: another shard's): the
    /// value beside the id in the table, so that a record's lookup reads one place (``ByteTable``).
    private var instances = ByteTable<InstanceEntry>(capacity: 1 << 16)
    /// An instance's account and its number within its partition.
    typealias InstanceEntry = (account: Int32, slot: Int32)
    private var launchesByPartition: [Int32]

    /// A reader dealing records to `partitions` batches; `carriesInstanceIDs` when the appliers' fleets keep ids.
    init(summary: ReplaySummary, options: TraceReplayer.Options, partitions: Int, carriesInstanceIDs: Bool) {
        self.summary = summary
        self.options = options
        self.partitions = max(1, partitions)
        self.carriesInstanceIDs = carriesInstanceIDs
        launchesByPartition = Array(repeating: 0, count: max(1, partitions))
    }

    /// What reading a line gave.
    enum Outcome {
        /// Nothing to apply (a comment, the header, another shard's record, a skipped malformed line).
        case nothing
        /// Reading stops here (an error, or `--until`).
        case stop
        /// A record, added to its partition's batch.
        case record
    }

    /// Reads one line; a record is added to its partition's batch in `batches`.
    mutating func read(_ line: UnsafeBufferPointer<UInt8>, into batches: inout [RecordBatch]) -> Outcome {
        read(line, commas: nil, instanceHash: nil, into: &batches)
    }

    /// Reads a group of lines as ``read(_:into:)`` reads them one by one, but first finds their commas and reads
    /// their ids' places in the table together, so that those cache misses overlap (Docs/Performance.md,
    /// "Touching a group of machines"). Returns false where reading stops (an error, or `--until`).
    mutating func read(_ group: LineGroup, into batches: inout [RecordBatch]) -> Bool {
        group.withLines { lines in
            if lines.count > groupRoom.capacity { groupRoom = GroupRoom(capacity: lines.count) }
            let (commas, hashes, places) = (groupRoom.commas, groupRoom.hashes, groupRoom.places)
            // The ids' places, found first and then read in one short loop, so that the misses are outstanding
            // together; each id's hash is kept for its lookup.
            for (index, line) in lines.enumerated() {
                commas[index] = TraceLineParser.commas(line)
                let hash = commas[index].instanceField(of: line).map(ByteTable<InstanceEntry>.keyHash)
                hashes[index] = hash
                places[index] = hash.map { instances.firstPlace(hashed: $0) } ?? -1
            }
            touched ^= instances.touch(UnsafeBufferPointer(start: places, count: lines.count))
            for (index, line) in lines.enumerated() {
                switch read(line, commas: commas[index], instanceHash: hashes[index], into: &batches) {
                case .nothing, .record: continue
                case .stop: return false
                }
            }
            return true
        }
    }

    /// Room for a group's commas, ids' hashes and places (``read(_:into:)-(LineGroup,_)``), allocated once: made
    /// for each group, the commas (40 bytes a line) were more than the 1 KiB a temporary allocation takes from the
    /// stack, a heap allocation and its release every 32 lines (Docs/Performance.md, "A group's room kept"). What it
    /// holds means nothing between groups, so copies of a reader may share it (they never read at the same time).
    private final class GroupRoom {
        let capacity: Int
        let commas: UnsafeMutablePointer<TraceLineParser.Commas>
        let hashes: UnsafeMutablePointer<ByteTable<InstanceEntry>.KeyHash?>
        let places: UnsafeMutablePointer<Int>

        init(capacity: Int) {
            self.capacity = capacity
            commas = .allocate(capacity: capacity)
            commas.initialize(repeating: TraceLineParser.Commas(), count: capacity)
            hashes = .allocate(capacity: capacity)
            hashes.initialize(repeating: nil, count: capacity)
            places = .allocate(capacity: capacity)
            places.initialize(repeating: -1, count: capacity)
        }

        deinit {
            commas.deallocate()
            hashes.deallocate()
            places.deallocate()
        }
    }

    /// Reads one line, whose commas are found already when `commas` is not nil, and its instance field's hash when
    /// `instanceHash` is not nil.
    private mutating func read(
        _ line: UnsafeBufferPointer<UInt8>,
        commas: TraceLineParser.Commas?,
        instanceHash: ByteTable<InstanceEntry>.KeyHash?,
        into batches: inout [RecordBatch]
    ) -> Outcome {
        lineNumber += 1
        if line.first == 0x23 { return .nothing }  // '#': a comment
        if line.isEmpty { return .nothing }  // a blank line (e.g. a trailing one) holds no record
        if !sawHeader {
            guard TraceLineParser.string(line) == TraceRecord.header else {
                stopped = ReplayError(
                    file: summary.file,
                    line: lineNumber,
                    reason: "the header must be exactly \"\(TraceRecord.header)\"",
                    chineseReason: "表头必须正好是“\(TraceRecord.header)”"
                )
                return .stop
            }
            sawHeader = true
            return .nothing
        }
        let commas = commas ?? TraceLineParser.commas(line)
        let fields: TraceLineParser.Fields
        if let quick = QuickLineParser.fields(line, commas: commas, times: &times) {
            fields = quick
        } else {
            switch TraceLineParser.parseFields(line, commas: commas, times: &times, rich: &richOperation) {
            case .failure(let malformation):
                // A line without a readable account belongs to the first shard.
                let owned = options.shard.map { $0.index == 0 } ?? true
                if owned { summary.records += 1 }
                return malformedOutcome(malformation, owned: owned)
            case .success(let parsed): fields = parsed
            }
        }
        if let until = options.until, fields.time > until {
            summary.stoppedBeforeLine = lineNumber
            return .stop
        }
        // A record of an instance that names the instance's owner as the owner was first spelt, as nearly every one
        // does, takes the owner's number from the instance's entry instead of looking the account up: the same
        // number, as the lookup has no effect for a known account (Docs/Performance.md, "Refusals returned, and an
        // instance's owner first"). Any other record looks its account up (a new account takes the next partition).
        var instancePlace: ByteTable<InstanceEntry>.Place?
        var account: Int32 = -1
        var partition = -1
        let instanceHash = instanceHash ?? ByteTable<InstanceEntry>.keyHash(fields.instance)
        if case .instance = fields.subject, let place = instances.find(fields.instance, hashed: instanceHash) {
            instancePlace = place
            let owner = instances[place].account
            if accountName(owner, equals: fields.account) {
                (account, partition) = (owner, Int(accounts[value: owner]))
            }
        }
        if account < 0 { (account, partition) = accountNumber(fields.account) }
        let owned = partition >= 0
        if owned { summary.records += 1 }
        if let lastTime, fields.time < lastTime {
            return malformedOutcome(
                TraceMalformation(
                    field: "time",
                    reason: "\(fields.time) is earlier than the record before (\(lastTime))",
                    chineseReason: "\(fields.time) 早于上一条记录（\(lastTime)）"
                ),
                owned: owned
            )
        }
        if summary.interval.from == nil { summary.interval.from = fields.time }
        lastTime = fields.time
        switch fields.subject {
        case .launch:
            let (instance, isNew) = instances.insert(fields.instance, hashed: instanceHash, value: (account, -1))
            guard isNew else {
                let id = TimeText.escaped(TraceLineParser.string(fields.instance))
                return malformedOutcome(
                    TraceMalformation(
                        field: "instance",
                        reason: "\(id) was launched before",
                        chineseReason: "\(id) 此前已创建"
                    ),
                    owned: owned
                )
            }
            guard owned else { return .nothing }
            let slot = launchesByPartition[partition]
            launchesByPartition[partition] += 1
            instances[instance].slot = slot
            return record(
                fields,
                into: &batches,
                partition: partition,
                instance: slot,
                accountNumber: account,
                carriesAccount: true,
                instanceID: carriesInstanceIDs ? fields.instance : Self.noText
            )
        case .account:
            guard owned else { return .nothing }
            return record(
                fields,
                into: &batches,
                partition: partition,
                instance: -1,
                accountNumber: account,
                carriesAccount: true,
                instanceID: Self.noText
            )
        case .instance:
            guard let instance = instancePlace else {
                let id = TimeText.escaped(TraceLineParser.string(fields.instance))
                return malformedOutcome(
                    TraceMalformation(
                        field: "instance",
                        reason: "unknown instance \(id) (never launched)",
                        chineseReason: "未知实例 \(id)（从未创建）"
                    ),
                    owned: owned
                )
            }
            let (owner, slot) = instances[instance]
            guard owner == account else {
                let id = TimeText.escaped(TraceLineParser.string(fields.instance))
                let ownerName = TimeText.escaped(withAccountName(owner) { TraceLineParser.string($0) })
                let named = TimeText.escaped(TraceLineParser.string(fields.account))
                return malformedOutcome(
                    TraceMalformation(
                        field: "account",
                        reason: "\(id) belongs to \(ownerName), not \(named)",
                        chineseReason: "\(id) 属于 \(ownerName)，不属于 \(named)"
                    ),
                    owned: owned
                )
            }
            guard owned else { return .nothing }
            return record(
                fields,
                into: &batches,
                partition: partition,
                instance: slot,
                accountNumber: account,
                carriesAccount: false,
                instanceID: Self.noText
            )
        }
    }

    /// No text: a record that carries none.
    private static var noText: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: nil, count: 0) }

    /// Adds the record to its partition's batch, with its account's name when `carriesAccount` (a launch, an
    /// account-level op) and the name has not gone to the partition before, and `instanceID`.
    private mutating func record(
        _ fields: TraceLineParser.Fields,
        into batches: inout [RecordBatch],
        partition: Int,
        instance: Int32,
        accountNumber: Int32,
        carriesAccount: Bool,
        instanceID: UnsafeBufferPointer<UInt8>
    ) -> Outcome {
        // Only a `.rich` operation's words are handed on (the last rich line's may still be here). A plain one builds
        // no optional operation to destroy after it (25 instructions a record).
        var operation = fields.operation
        if case .rich = operation, let richOperation { operation = batches[partition].keep(richOperation) }
        func append(account: UnsafeBufferPointer<UInt8>) {
            batches[partition].append(
                time: fields.time,
                line: lineNumber,
                instance: instance,
                accountNumber: accountNumber,
                operation: operation,
                account: account,
                instanceID: instanceID
            )
        }
        if carriesAccount && !accountNameSent[Int(accountNumber)] {
            // The account as the trace first spelled it (canonically equivalent spellings are one account).
            accountNameSent[Int(accountNumber)] = true
            withAccountName(accountNumber) { append(account: $0) }
        } else {
            append(account: Self.noText)
        }
        return .record
    }

    /// The account's number and partition; a new account gets the next partition in turn, or -1 when it is
    /// another shard's.
    private mutating func accountNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> (number: Int32, partition: Int) {
        if let number = accounts.number(of: bytes) { return (number, Int(accounts[value: number])) }
        let name = TraceLineParser.string(bytes)
        var partition = -1
        if options.shard?.owns(account: name) ?? true {
            partition = nextPartition
            nextPartition = (nextPartition + 1) % partitions
        }
        let (number, _) = accounts.add(bytes, value: Int32(partition))
        accountNameSpans.append((accountNameBytes.count, bytes.count))
        accountNameBytes.append(contentsOf: bytes)
        accountNameWords.append(ByteTable<Int32>.packed(bytes) ?? (0, 0))
        accountNameSent.append(false)
        return (number, partition)
    }

    /// Calls `body` with the bytes of account `number`'s name as first spelt.
    private func withAccountName<Result>(
        _ number: Int32,
        _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        let span = accountNameSpans[Int(number)]
        return accountNameBytes.withUnsafeBufferPointer {
            body(UnsafeBufferPointer(rebasing: $0[span.start..<span.start + span.count]))
        }
    }

    /// Whether account `number`'s name as first spelt is exactly `bytes`. Always inlined: a call from the mutating
    /// ``read(_:into:)-(LineGroup,_)`` copied the whole reader (696 bytes) for every record of an instance.
    @inline(__always)
    private func accountName(_ number: Int32, equals bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // A name of 1 to 15 bytes (nearly every one) is compared by its packed words: equal words are equal bytes.
        if let words = ByteTable<Int32>.packed(bytes) {
            let name = accountNameWords[Int(number)]
            return name.low == words.low && name.high == words.high
        }
        return withAccountName(number) { name in
            name.count == bytes.count
                && (name.isEmpty || memcmp(name.baseAddress!, bytes.baseAddress!, name.count) == 0)
        }
    }

    private mutating func malformedOutcome(_ malformation: TraceMalformation, owned: Bool) -> Outcome {
        malformed(malformation, owned: owned) ? .nothing : .stop
    }

    /// Counts a malformed line (when this replay owns it) and stops unless malformed lines are skipped. Every
    /// shard stops at the same line, as a whole replay would.
    private mutating func malformed(_ malformation: TraceMalformation, owned: Bool) -> Bool {
        guard options.skipMalformed else {
            if owned { summary.malformed += 1 }
            stopped = ReplayError(
                file: summary.file,
                line: lineNumber,
                reason: malformation.description,
                chineseReason: malformation.chineseDescription
            )
            return false
        }
        if owned {
            summary.malformed += 1
            if summary.malformedLines.count < ReplaySummary.listedMalformedLines {
                summary.malformedLines.append(
                    .init(
                        line: lineNumber,
                        reason: malformation.description,
                        chineseReason: malformation.chineseDescription
                    )
                )
            }
        }
        return true
    }

    /// The reader's summary and where the fleets' clocks end (`--until`, else the last record's time), or the
    /// error that stopped reading.
    func finish() throws(ReplayError) -> (summary: ReplaySummary, end: Instant?) {
        if let stopped { throw stopped }
        if !sawHeader {
            throw ReplayError(
                file: summary.file,
                line: nil,
                reason: "no header line \"\(TraceRecord.header)\"",
                chineseReason: "没有表头行“\(TraceRecord.header)”"
            )
        }
        return (summary, options.until ?? lastTime)
    }
}
