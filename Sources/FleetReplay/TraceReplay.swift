public import ProviderRegistry
public import ReleaseCore
public import Reporting

/// Why a replay stopped.
public struct ReplayError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// The 1-based line, if the error is about one.
    public var line: Int?
    /// Why.
    public var reason: String
    /// Why, in Chinese (`--lang zh`).
    public var chineseReason: String? = nil

    /// `file:line: why`.
    public var description: String { description(in: .en) }

    /// `file:line: why`, the why in `language` (English where there is no Chinese).
    public func description(in language: Language) -> String {
        let why = language == .zh ? chineseReason ?? reason : reason
        return line.map { "\(file):\($0): \(why)" } ?? "\(file): \(why)"
    }
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
        /// Keep every instance's billing intervals (for per-instance billed time; memory grows with the bill).
        public var perInstanceBilling = false
        /// Prices to turn billed time and subscription months into a cost forecast.
        public var prices: PriceBook?
        /// Replay only the accounts of one shard (see ``TraceShard``); nil replays every account.
        public var shard: TraceShard?
        /// What decompresses a gzip trace: the package's own ``Inflater`` unless the caller brings another (the
        /// `cloud-release` executable brings zlib's).
        package var gzipDecoder: any GzipStreamDecoder.Type = Inflater.self
        /// Whether the replay frees its state (its fleets, the reader's tables) before it returns. A program that
        /// exits once it has the summary (the `cloud-release` executable) leaves that to its end, as compilers do
        /// (clang's `-disable-free`): freeing a million machines one at a time, and unmapping their memory, took
        /// 15 ms after the last record of the 1M replay's 1.3 s, on one core (Docs/Performance.md, "State left to
        /// the process's end").
        package var freesStateAtEnd = true

        public init(until: Instant? = nil, skipMalformed: Bool = false, newerProfiles: Bool = false) {
            self.until = until
            self.skipMalformed = skipMalformed
            self.newerProfiles = newerProfiles
        }
    }

    private var reader: TraceReader
    private var applier: TraceApplier
    /// The one batch the reader fills: each record is applied as it is added (``consume(line:)``), or each group's
    /// as the group is read (``consume(_:)``).
    private var batch = [RecordBatch(capacity: batchSize)]
    /// The records the batch holds before it is emptied.
    private static let batchSize = 1_024
    /// The fleet after the replay (nil until the first record).
    public var fleet: Fleet<BuiltInInstance>? { applier.fleet }

    /// A replayer for `file` (the name used in messages and the summary).
    public init(file: String, options: Options = Options()) {
        self.init(file: file, options: options, indexesInstanceIDs: true)
    }

    /// A replayer whose fleet indexes instance ids only when asked: a replay that returns only its summary
    /// leaves the numbering to the reader.
    init(file: String, options: Options, indexesInstanceIDs: Bool) {
        reader = TraceReader(
            summary: ReplaySummary(file: file, options: options),
            options: options,
            partitions: 1,
            carriesInstanceIDs: indexesInstanceIDs
        )
        applier = TraceApplier(file: file, options: options, indexesInstanceIDs: indexesInstanceIDs)
    }

    /// Replays the trace file at `path`; `progress` gets the bytes read so far and the file size.
    public static func replay(
        path: String,
        options: Options = Options(),
        progress: ((_ bytesRead: Int, _ totalBytes: Int) -> Void)? = nil
    ) throws(ReplayError) -> (ReplaySummary, Fleet<BuiltInInstance>?) {
        try replay(
            path: path,
            options: options,
            chunkSize: LineReader.defaultChunkSize,
            indexesInstanceIDs: true,
            progress: progress
        )
    }

    /// Replays the trace file at `path` read `chunkSize` bytes at a time at most (tests read a byte at a time, as
    /// a pipe may hand them over).
    static func replay(
        path: String,
        options: Options,
        chunkSize: Int,
        indexesInstanceIDs: Bool,
        progress: ((_ bytesRead: Int, _ totalBytes: Int) -> Void)?
    ) throws(ReplayError) -> (ReplaySummary, Fleet<BuiltInInstance>?) {
        let clock = ContinuousClock()
        let started = clock.now
        var replayer = TraceReplayer(file: path, options: options, indexesInstanceIDs: indexesInstanceIDs)
        let reader: LineReader
        do {
            reader = try LineReader(path: path, chunkSize: chunkSize, gzipDecoder: options.gzipDecoder)
        } catch {
            throw ReplayError(file: path, line: nil, reason: error.message, chineseReason: error.chinese)
        }
        do {
            // Lines are read a group at a time (``TraceReader/read(_:into:)-(LineGroup,_)``).
            try reader.forEachGroup(progress: progress) { replayer.consume($0) }
        } catch {
            throw ReplayError(file: path, line: error.line, reason: error.message, chineseReason: error.chinese)
        }
        var (summary, fleet) = try replayer.finish()
        summary.wallSeconds = (clock.now - started).secondsDouble
        if !options.freesStateAtEnd { KeptUntilExit.keep(replayer) }
        return (summary, fleet)
    }

    /// Replays a trace held in a string (for tests and small inputs).
    public static func replay(
        text: String,
        file: String = "<text>",
        options: Options = Options()
    ) throws(ReplayError)
        -> (ReplaySummary, Fleet<BuiltInInstance>?)
    {
        try replay(utf8: Array(text.utf8), file: file, options: options)
    }

    /// Replays a trace held in memory as bytes (which need not be valid UTF-8: ids that are not are
    /// malformed lines); gzip-compressed bytes are decompressed as they are read.
    public static func replay(
        utf8: [UInt8],
        file: String = "<bytes>",
        options: Options = Options()
    ) throws(ReplayError)
        -> (ReplaySummary, Fleet<BuiltInInstance>?)
    {
        var replayer = TraceReplayer(file: file, options: options)
        // The lines are cut by the same splitter as a file's (CRLF, a byte-order mark, the length limit), the
        // whole text as one chunk; compressed bytes are decompressed a chunk at a time.
        var splitter = LineSplitter(maximumLineLength: LineReader.defaultMaximumLineLength)
        var keepGoing = true
        func feed(_ bytes: UnsafeBufferPointer<UInt8>) throws(LineReader.ReadError) -> Bool {
            try splitter.feed(bytes, bytesRead: 0) { line, _ in replayer.consume(line) }
        }
        do {
            if Inflater.isGzip(utf8) {
                var inflater = Inflater(prefix: utf8) { _ in 0 }
                while keepGoing, let chunk = try inflater.next(chunkSize: LineReader.defaultChunkSize) {
                    keepGoing = try chunk.withUnsafeBufferPointer { bytes in
                        Result { () throws(LineReader.ReadError) in try feed(bytes) }
                    }.get()
                }
            } else {
                keepGoing = try utf8.withUnsafeBufferPointer { bytes in
                    Result { () throws(LineReader.ReadError) in try feed(bytes) }
                }.get()
            }
            if keepGoing { _ = try splitter.finish(bytesRead: 0) { line, _ in replayer.consume(line) } }
        } catch let error as Inflater.DataError {
            throw ReplayError(
                file: file,
                line: splitter.delivered + 1,
                reason: error.description,
                chineseReason: error.chineseDescription
            )
        } catch let error as LineReader.ReadError {
            throw ReplayError(file: file, line: error.line, reason: error.message, chineseReason: error.chinese)
        } catch {
            throw ReplayError(file: file, line: nil, reason: "\(error)")
        }
        return try replayer.finish()
    }

    /// Feeds one line of a trace as the file holds it, without its LF or CRLF (the header and comments too, in
    /// order); returns false when the replay must stop reading (an error, or `until`), and ``finish()`` then says
    /// why. For lines from a source of your own; ``replay(path:options:progress:)`` reads files and pipes.
    public mutating func consume(line: String) -> Bool {
        var line = line
        return line.withUTF8 { consume($0) }
    }

    /// Feeds one line's bytes; returns false when the replay must stop reading.
    package mutating func consume(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        let outcome = reader.read(line, into: &batch)
        if !applier.isStarted, let start = reader.firstTime { applier.start(at: start) }
        switch outcome {
        case .nothing: return true
        case .stop: return false
        case .record:
            applier.apply(batch[0].records[batch[0].count - 1], in: batch[0])
            // Emptied now and then, not per record (emptying three arrays costs more than a record's parse).
            if batch[0].count == Self.batchSize { batch[0].removeAll() }
            return true
        }
    }

    /// Feeds a group of lines (read together, then applied); returns false when the replay must stop reading.
    mutating func consume(_ group: LineGroup) -> Bool {
        batch[0].removeAll()
        let keepGoing = reader.read(group, into: &batch)
        if !applier.isStarted, let start = reader.firstTime { applier.start(at: start) }
        applier.apply(batch[0])
        batch[0].removeAll()
        return keepGoing
    }

    /// Runs the clock to the end and builds the summary; throws the error that stopped the replay, if any.
    public mutating func finish() throws(ReplayError) -> (ReplaySummary, Fleet<BuiltInInstance>?) {
        let (read, end) = try reader.finish()
        if let fault = applier.fault { throw fault }
        if !applier.isStarted, let start = reader.firstTime { applier.start(at: start) }
        var counts = ReplaySummary(file: read.file, profiles: [:])
        applier.finish(end: end, into: &counts)
        let summary = try ReplaySummary.combining(read, parts: [counts], end: end, prices: reader.options.prices)
        return (summary, applier.fleet)
    }
}

extension Duration {
    var secondsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// State a replay leaves for the process's end to free (``TraceReplayer/Options/freesStateAtEnd``): held by a
/// reference that is never released.
enum KeptUntilExit {
    private final class Box<Value> {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    /// Keeps `value` alive until the process ends.
    static func keep<Value>(_ value: consuming Value) {
        _ = Unmanaged.passRetained(Box(value))
    }
}
