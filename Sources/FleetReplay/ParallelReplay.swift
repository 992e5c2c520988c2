import Glibc
import ProviderRegistry
import ReleaseCore

extension TraceReplayer {
    /// Replays the trace at `path` on `jobs` cores and returns its summary, which equals a one-core replay's
    /// (wall time aside).
    ///
    /// The file is read and parsed once, by one reader on the calling thread (plain or gzip, a pipe
    /// too); each account's records go in batches to one of `jobs` appliers, each on its own thread with its own
    /// fleet, and their counts are added at the end. Accounts never interact, so the partitions' counts add up
    /// to the whole (Docs/Traces.md, "Shards"). `progress` gets the bytes read so far and the file's size.
    public static func replaySummary(
        path: String,
        options: Options = Options(),
        jobs: Int,
        progress: (@Sendable (_ bytesRead: Int, _ totalBytes: Int) -> Void)? = nil
    ) throws(ReplayError) -> ReplaySummary {
        guard jobs > 1 else {
            // The fleet is not returned, so it need not index instance ids beside the reader.
            return try replay(
                path: path,
                options: options,
                chunkSize: LineReader.defaultChunkSize,
                indexesInstanceIDs: false,
                progress: progress
            ).0
        }
        let clock = ContinuousClock()
        let started = clock.now
        let lineReader: LineReader
        do {
            lineReader = try LineReader(
                path: path,
                chunkSize: LineReader.defaultChunkSize,
                gzipDecoder: options.gzipDecoder
            )
        } catch {
            throw ReplayError(file: path, line: nil, reason: error.message, chineseReason: error.chinese)
        }
        var reader = TraceReader(
            summary: ReplaySummary(file: path, options: options),
            options: options,
            partitions: jobs
        )
        let budget = BatchBudget()
        let lanes = (0..<jobs).map { _ in ApplierLane(file: path, options: options, budget: budget) }
        let threads = lanes.map { lane in LaneThread { lane.run() } }
        var pending = (0..<jobs).map { _ in ApplierLane.emptyBatch() }
        let readFailure: ReplayError?
        do {
            // Lines are read a group at a time (``TraceReader/read(_:into:)-(LineGroup,_)``); a batch is handed on
            // once it holds at least `batchSize` records.
            try lineReader.forEachGroup(progress: progress) { group in
                let keepGoing = reader.read(group, into: &pending)
                for partition in pending.indices where pending[partition].count >= ApplierLane.batchSize {
                    lanes[partition].push(pending[partition], start: reader.firstTime!)
                    pending[partition] = ApplierLane.emptyBatch()
                }
                return keepGoing
            }
            readFailure = nil
        } catch {
            readFailure = ReplayError(file: path, line: error.line, reason: error.message, chineseReason: error.chinese)
        }
        let outcome = Result { () throws(ReplayError) in
            if let readFailure { throw readFailure }
            return try reader.finish()
        }
        for (partition, lane) in lanes.enumerated() {
            if let start = reader.firstTime, !pending[partition].isEmpty {
                lanes[partition].push(pending[partition], start: start)
            }
            lane.close(start: reader.firstTime, end: (try? outcome.get())?.end)
        }
        // Every lane is joined, even when the replay failed: no thread outlives the call.
        for thread in threads { thread.join() }
        let parts = lanes.map { $0.counts() }
        let (read, end) = try outcome.get()
        var summary = try ReplaySummary.combining(
            read,
            parts: try parts.map { (part) throws(ReplayError) in try part.get() },
            end: end,
            prices: options.prices
        )
        summary.wallSeconds = (clock.now - started).secondsDouble
        return summary
    }
}

/// How many batches the reader has handed on and no applier has finished, across all lanes: the reader waits while
/// the budget is spent, so that memory stays bounded however long the trace.
///
/// The budget is shared rather than one per lane, so that a lane that falls behind for a while can hold more while
/// the others keep busy, instead of stopping the reader while another lane runs dry. The reader and the appliers are
/// more threads than a two-core machine has cores, so each is off its core for whole scheduler slices
/// (Docs/Performance.md, "Room in the appliers' queues").
private final class BatchBudget: @unchecked Sendable {
    /// 32 batches of 2,048 records: 65,536 records in flight in all, 6 MB less than 32 batches per lane held, and as
    /// fast at 1M (Docs/Performance.md, "Room in the appliers' queues").
    static let batchesInFlight = 32

    private let condition = ConditionLock()
    private var inFlight = 0

    /// Waits for room for one more batch, and takes it.
    func acquire() {
        condition.lock()
        while inFlight >= Self.batchesInFlight { condition.wait() }
        inFlight += 1
        condition.unlock()
    }

    /// Gives back a finished batch's room.
    func release() {
        condition.lock()
        inFlight -= 1
        condition.signal()
        condition.unlock()
    }
}

/// One partition's applier on its own thread, fed batches of records through a queue whose batches count against
/// the replay's ``BatchBudget``.
private final class ApplierLane: @unchecked Sendable {
    static let batchSize = getenv("CR_BATCH").map { Int(atoi($0)) } ?? 2_048

    static func emptyBatch() -> RecordBatch {
        RecordBatch(capacity: batchSize + LineGroup.fileCapacity)
    }

    private let condition = ConditionLock()
    private var queue: [RecordBatch] = []
    private var start: Instant?
    private var end: Instant?
    private var closed = false
    private var applier: TraceApplier
    private var result: Result<ReplaySummary, ReplayError>?

    private let budget: BatchBudget

    init(file: String, options: TraceReplayer.Options, budget: BatchBudget) {
        applier = TraceApplier(file: file, options: options, indexesInstanceIDs: false)
        self.budget = budget
    }

    /// Queues a batch; `start` is the replay's first record's time (every fleet starts there).
    func push(_ batch: RecordBatch, start: Instant) {
        budget.acquire()
        condition.lock()
        queue.append(batch)
        self.start = start
        condition.broadcast()
        condition.unlock()
    }

    /// No more batches; the fleet runs to `end`.
    func close(start: Instant?, end: Instant?) {
        condition.lock()
        closed = true
        if self.start == nil { self.start = start }
        self.end = end
        condition.broadcast()
        condition.unlock()
    }

    /// Applies batches until the lane is closed and empty, then counts.
    func run() {
        if let n = getenv("CR_NICE") { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Int32(atoi(n))) }
        while true {
            condition.lock()
            while queue.isEmpty && !closed { condition.wait() }
            guard !queue.isEmpty else {
                condition.unlock()
                break
            }
            let batch = queue.removeFirst()
            let start = self.start!
            condition.broadcast()
            condition.unlock()
            applier.start(at: start)
            applier.apply(batch)
            budget.release()
        }
        condition.lock()
        let (start, end) = (self.start, self.end)
        condition.unlock()
        if let start { applier.start(at: start) }
        var counts = ReplaySummary(file: "", profiles: [:])
        applier.finish(end: end, into: &counts)
        result = applier.fault.map { .failure($0) } ?? .success(counts)
    }

    /// This lane's counts, or the fault it met: read once its thread has been joined.
    func counts() -> Result<ReplaySummary, ReplayError> {
        result!
    }
}
