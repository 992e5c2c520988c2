import ProviderRegistry
import ReleaseCore

extension TraceReplayer {
    /// Replays the trace at `path` on `jobs` cores and returns its summary, which equals a one-core replay's
    /// (wall time aside).
    ///
    /// The file is read and parsed once, by one reader on the calling thread (plain or gzip, a pipe too). Accounts
    /// are dealt to two partitions a job, each with its own fleet, and each account's records go to its partition in
    /// batches. `jobs - 1` workers apply batches, each taking whichever partition has one waiting and no one else
    /// applying it; the reader applies batches too whenever the batches in flight reach their budget, and at the end.
    /// So `jobs` threads share the work whatever its mix of reading and applying, and a partition's batches are
    /// applied in order, one at a time. Accounts never interact, so the partitions' counts add up to the whole
    /// (Docs/Traces.md, "Shards"; Docs/Performance.md, "Partitions any core applies").
    /// `progress` gets the bytes read so far and the file's size.
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
        let partitions = jobs * PartitionPool.partitionsPerJob
        var reader = TraceReader(
            summary: ReplaySummary(file: path, options: options),
            options: options,
            partitions: partitions,
            carriesInstanceIDs: false
        )
        let pool = PartitionPool(partitions: partitions, file: path, options: options)
        let workers = (1..<jobs).map { _ in LaneThread { pool.work() } }
        var pending = (0..<partitions).map { _ in PartitionPool.emptyBatch() }
        // A partition's first batches are small and double up to `batchSize`, so that the workers start once the
        // reader has read a few hundred lines rather than eight thousand (Docs/Performance.md, "Refusals counted by
        // their words, machines moved, workers fed from the start").
        var handOver = Array(repeating: PartitionPool.firstBatchSize, count: partitions)
        let readFailure: ReplayError?
        do {
            // Lines are read a group at a time (``TraceReader/read(_:into:)-(LineGroup,_)``); a batch is handed on
            // once it holds at least its partition's `handOver` records.
            try lineReader.forEachGroup(progress: progress) { group in
                let keepGoing = reader.read(group, into: &pending)
                for partition in pending.indices where pending[partition].count >= handOver[partition] {
                    pool.push(&pending[partition], to: partition, start: reader.firstTime!)
                    handOver[partition] = min(2 * handOver[partition], PartitionPool.batchSize)
                }
                pool.applyWhileFull()
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
        if let start = reader.firstTime {
            for partition in pending.indices where !pending[partition].isEmpty {
                pool.push(&pending[partition], to: partition, start: start)
            }
        }
        pool.close(start: reader.firstTime, end: (try? outcome.get())?.end)
        // The reader applies and finishes partitions beside the workers until every one is finished; every worker
        // is joined, even when the replay failed: no thread outlives the call.
        pool.work()
        for worker in workers { worker.join() }
        let (read, end) = try outcome.get()
        var summary = try ReplaySummary.combining(
            read,
            parts: try pool.counts().map { (part) throws(ReplayError) in try part.get() },
            end: end,
            prices: options.prices
        )
        summary.wallSeconds = (clock.now - started).secondsDouble
        if !options.freesStateAtEnd {
            KeptUntilExit.keep(pool)
            KeptUntilExit.keep(reader)
        }
        return summary
    }
}

/// The partitions of a parallel replay: each one's queue of batches and its applier, and the budget of batches in
/// flight, shared by the reader and the workers under one lock.
///
/// A thread applies a partition's batch only after claiming the partition, and gives it back after, so that a
/// partition's batches are applied in the order read, one at a time, by whichever thread is free; the lock hands
/// the applier's state from one thread to the next. Once the reader has closed the pool, a partition whose
/// batches are all applied is claimed once more to run its fleet to the end and count it.
private final class PartitionPool: @unchecked Sendable {
    /// Partitions a job: enough that a free thread nearly always finds one with a batch no one is applying, few
    /// enough that each fleet's fixed room stays small (Docs/Performance.md, "Partitions any core applies").
    static let partitionsPerJob = 2
    static let batchSize = 2_048
    /// A partition's first batch: 64 records, then twice as many at each batch up to ``batchSize``.
    static let firstBatchSize = 64
    /// 16 batches in flight in all (32,768 records once the batches have grown to 2,048): beyond that the reader
    /// applies batches itself rather than read further (Docs/Performance.md, "Partitions any core applies").
    static let batchesInFlight = 16

    static func emptyBatch() -> RecordBatch {
        RecordBatch(capacity: batchSize + LineGroup.linesPerGroup)
    }

    /// One partition: its batches waiting, in order, and its applier, which only the claiming thread touches.
    private final class Partition {
        var batches: [RecordBatch] = []
        var applier: TraceApplier
        var isClaimed = false
        var result: Result<ReplaySummary, ReplayError>?

        init(file: String, options: TraceReplayer.Options) {
            applier = TraceApplier(file: file, options: options, indexesInstanceIDs: false)
        }
    }

    /// What a claiming thread is to do with its partition.
    private enum Task {
        case apply(RecordBatch, start: Instant)
        case finish(start: Instant?, end: Instant?)
    }

    /// One mutex, and a condition for each kind of waiter: the workers (and the reader at the end) wait for a
    /// partition with a task, the reader for room in the budget. A batch pushed or applied wakes one waiter of the
    /// kind it concerns, not every thread (a replay asked for more jobs than cores woke them all at each batch);
    /// closing the pool, and the last finish, wake every worker.
    private let condition = ConditionLock(conditions: 2)
    private static let taskWaiters = 0
    private static let roomWaiters = 1
    private let partitions: [Partition]
    private var inFlight = 0
    /// Batches applied and emptied, kept for the reader to fill again (at most the batches in flight and one a
    /// partition).
    private var spareBatches: [RecordBatch] = []
    private var isClosed = false
    private var start: Instant?
    private var end: Instant?
    private var finished = 0
    /// Where the next search for a partition begins, so that the partitions are taken in turn.
    private var nextSearch = 0

    init(partitions count: Int, file: String, options: TraceReplayer.Options) {
        partitions = (0..<count).map { _ in Partition(file: file, options: options) }
    }

    /// Queues `batch` for `partition` and leaves an empty batch in its place: one applied before, emptied, when
    /// there is one. `start` is the replay's first record's time (every fleet starts there).
    ///
    /// Batches are handed round rather than made anew: a new batch's 135 KB of records, freed on the other core,
    /// were pages given back to the kernel and asked for again (system time 19.9 -> 12.3 ms on the 100k trace:
    /// Docs/Performance.md, "Batches handed round").
    func push(_ batch: inout RecordBatch, to partition: Int, start: Instant) {
        condition.lock()
        partitions[partition].batches.append(batch)
        inFlight += 1
        self.start = start
        let spare = spareBatches.popLast()
        condition.signal(Self.taskWaiters)
        condition.unlock()
        batch = spare ?? Self.emptyBatch()
    }

    /// Applies batches on the calling thread (the reader's) while the batches in flight fill their budget, so that
    /// memory stays bounded however long the trace and the reader's core is never idle.
    func applyWhileFull() {
        condition.lock()
        while inFlight >= Self.batchesInFlight {
            if !runClaimedTask(finishing: false) { condition.wait(Self.roomWaiters) }
        }
        condition.unlock()
    }

    /// No more batches; the fleets run to `end`.
    func close(start: Instant?, end: Instant?) {
        condition.lock()
        isClosed = true
        if self.start == nil { self.start = start }
        self.end = end
        // Every partition now has a task (its batches, or its finish): every waiting worker may take one.
        condition.broadcast(Self.taskWaiters)
        condition.unlock()
    }

    /// Applies batches, and once the pool is closed finishes partitions, until every partition is finished.
    func work() {
        condition.lock()
        while finished < partitions.count {
            if !runClaimedTask(finishing: isClosed) { condition.wait(Self.taskWaiters) }
        }
        condition.unlock()
    }

    /// Each partition's counts, or the fault it met: read once every thread has returned from ``work()``.
    func counts() -> [Result<ReplaySummary, ReplayError>] {
        partitions.map { $0.result! }
    }

    /// Claims a partition with a batch waiting (or, when `finishing`, one with none left to finish), runs its task
    /// with the lock released, and gives the partition back; false when no partition has a task now. Called with
    /// the lock held, and returns with it held.
    private func runClaimedTask(finishing: Bool) -> Bool {
        guard let (partition, task) = claimTask(finishing: finishing) else { return false }
        condition.unlock()
        // The batch applied, emptied for the reader to fill again; the task is consumed so that the batch's storage
        // is held once and emptied in place.
        let applied: RecordBatch?
        switch consume task {
        case .apply(var batch, let start):
            partition.applier.start(at: start)
            partition.applier.apply(batch)
            batch.removeAll()
            applied = batch
        case .finish(let start, let end):
            if let start { partition.applier.start(at: start) }
            var counts = ReplaySummary(file: "", profiles: [:])
            partition.applier.finish(end: end, into: &counts)
            partition.result = partition.applier.fault.map { .failure($0) } ?? .success(counts)
            applied = nil
        }
        condition.lock()
        partition.isClaimed = false
        if let applied {
            inFlight -= 1
            spareBatches.append(applied)
            condition.signal(Self.roomWaiters)
            // The partition given back has a task again (its next batch, or its finish once closed).
            if !partition.batches.isEmpty || isClosed { condition.signal(Self.taskWaiters) }
        } else {
            finished += 1
            if finished == partitions.count { condition.broadcast(Self.taskWaiters) }
        }
        return true
    }

    /// The next partition in turn that no thread holds and has a batch waiting, or (when `finishing`) none left
    /// and no result yet, claimed, with its task. Called with the lock held.
    private func claimTask(finishing: Bool) -> (Partition, Task)? {
        for step in 0..<partitions.count {
            let partition = partitions[(nextSearch + step) % partitions.count]
            guard !partition.isClaimed else { continue }
            if !partition.batches.isEmpty {
                nextSearch = (nextSearch + step + 1) % partitions.count
                partition.isClaimed = true
                return (partition, .apply(partition.batches.removeFirst(), start: start!))
            }
            if finishing && partition.result == nil {
                partition.isClaimed = true
                return (partition, .finish(start: start, end: end))
            }
        }
        return nil
    }
}
