#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file a chunk at a time and hands out its lines as byte buffers, never holding the whole file.
///
/// Memory is bounded: a line longer than `maximumLineLength` bytes (for example a file with no newline at
/// all, such as `/dev/zero`) is an error at its line number, not an ever-growing buffer.
package struct LineReader {
    /// Why a file could not be read: the OS's reason, and the line when the problem is one line.
    package struct ReadError: Error {
        package var message: String
        package var line: Int?
        /// The message in Chinese (`--lang zh`).
        package var chinese: String?
    }

    /// The longest line accepted, in bytes without its LF or CRLF (a trace line is well under 200).
    static let defaultMaximumLineLength = 64 << 10
    /// The most bytes one read asks for: 1 MiB, which the 1M replay read as fast as 4 MiB, or faster, with 3 MB less
    /// resident (Docs/Performance.md, "Reads of 1 MiB").
    static let defaultChunkSize = 1 << 20

    private let descriptor: Int32
    private let chunkSize: Int
    private let maximumLineLength: Int
    private let gzipDecoder: any GzipStreamDecoder.Type
    /// The file's size in bytes when it was opened (0 for pipes and devices).
    let size: Int

    /// Opens `path` for reading (`-`: standard input); refuses a directory and says why any other open fails.
    init(
        path: String,
        chunkSize: Int = defaultChunkSize,
        maximumLineLength: Int = defaultMaximumLineLength,
        gzipDecoder: any GzipStreamDecoder.Type = Inflater.self
    )
        throws(ReadError)
    {
        let descriptor = path == "-" ? STDIN_FILENO : open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw ReadError(
                message: "cannot open the file: \(LineReader.reason(errno))",
                chinese: "无法打开文件：\(LineReader.reason(errno))"
            )
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            if descriptor != STDIN_FILENO { close(descriptor) }
            throw ReadError(
                message: "cannot inspect the file: \(LineReader.reason(code))",
                chinese: "无法查看文件：\(LineReader.reason(code))"
            )
        }
        if status.st_mode & S_IFMT == S_IFDIR {
            if descriptor != STDIN_FILENO { close(descriptor) }
            throw ReadError(message: "is a directory, not a file", chinese: "是目录，不是文件")
        }
        self.descriptor = descriptor
        self.chunkSize = chunkSize
        self.maximumLineLength = maximumLineLength
        self.gzipDecoder = gzipDecoder
        self.size = status.st_mode & S_IFMT == S_IFREG ? Int(status.st_size) : 0
    }

    /// The OS's words for an `errno` value.
    static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// Calls `body` with each line (without its LF or CRLF) and the number of bytes read so far; `body`
    /// returns false to stop early. A gzip file (it starts with the gzip magic bytes) is decompressed as it is
    /// read. A UTF-8 byte-order mark before the first line is skipped. Returns the number of lines delivered;
    /// throws for I/O errors, a damaged compressed stream, and a line over the length limit.
    @discardableResult
    func forEachLine(_ body: (_ line: UnsafeBufferPointer<UInt8>, _ bytesRead: Int) -> Bool) throws(ReadError) -> Int {
        try forEachLine({ line, bytesRead, _ in body(line, bytesRead) }, chunkEnded: { true })
    }

    /// Calls `body` with each line as ``forEachLine(_:)`` does, and says where the line lies: in the chunk just read
    /// (`inChunk`), where it stays valid until `chunkEnded` is called, or in a buffer of the reader's own (a line
    /// cut by a chunk's end), valid only during the call. `chunkEnded` is called once the chunk's last whole line
    /// has been handed out; it returns false to stop, as `body` does.
    @discardableResult
    func forEachLine(
        _ body: (_ line: UnsafeBufferPointer<UInt8>, _ bytesRead: Int, _ inChunk: Bool) -> Bool,
        chunkEnded: () -> Bool
    ) throws(ReadError) -> Int {
        defer { if descriptor != STDIN_FILENO { close(descriptor) } }
        var splitter = LineSplitter(maximumLineLength: maximumLineLength)
        // Room for the gzip magic even when reads are smaller (each read still asks for at most `chunkSize`).
        var buffer = [UInt8](repeating: 0, count: max(chunkSize, Inflater.magic.count))
        let descriptor = self.descriptor
        let chunkSize = self.chunkSize
        // The format is told by the first bytes, and a read may return fewer than asked (a pipe hands over what
        // it has): read until there are enough to tell, or the input ends.
        var count = 0
        while count < Inflater.magic.count {
            let read = try buffer.withUnsafeMutableBytes { bytes in
                Result { () throws(ReadError) in
                    let room = UnsafeMutableRawBufferPointer(
                        rebasing: bytes[count..<min(bytes.count, count + chunkSize)]
                    )
                    return try Self.readChunk(descriptor, into: room, line: 1)
                }
            }.get()
            if read == 0 { break }
            count += read
        }
        if Inflater.isGzip(buffer[0..<count]) {
            // The source counts compressed bytes for the progress figure; it reads at most a chunk at a time too.
            let compressedRead = Counter(count)
            var inflater = gzipDecoder.init(prefix: Array(buffer[0..<count])) { (bytes) throws(ReadError) in
                let room = UnsafeMutableRawBufferPointer(rebasing: bytes[0..<min(bytes.count, chunkSize)])
                let read = try Self.readChunk(descriptor, into: room, line: nil)
                compressedRead.value += read
                return read
            }
            buffer = []
            while true {
                let chunk: ArraySlice<UInt8>?
                do {
                    chunk = try inflater.next(chunkSize: chunkSize)
                } catch {
                    throw ReadError(
                        message: error.description,
                        line: error.isReadFailure ? nil : splitter.delivered + 1,
                        chinese: error.chineseDescription
                    )
                }
                guard let chunk else { break }
                let keepGoing = try chunk.withUnsafeBufferPointer { bytes in
                    Result { () throws(ReadError) in
                        try splitter.feed(bytes, bytesRead: compressedRead.value, body, chunkEnded: chunkEnded)
                    }
                }.get()
                if !keepGoing { return splitter.delivered }
            }
            return try splitter.finish(bytesRead: compressedRead.value) { body($0, $1, false) }
        }
        var bytesRead = 0
        while count > 0 {
            bytesRead += count
            let keepGoing = try buffer.withUnsafeBufferPointer { whole in
                Result { () throws(ReadError) in
                    try splitter.feed(
                        UnsafeBufferPointer(rebasing: whole[0..<count]),
                        bytesRead: bytesRead,
                        body,
                        chunkEnded: chunkEnded
                    )
                }
            }.get()
            if !keepGoing { return splitter.delivered }
            count = try buffer.withUnsafeMutableBytes { bytes in
                Result { () throws(ReadError) in
                    let room = UnsafeMutableRawBufferPointer(rebasing: bytes[0..<chunkSize])
                    return try Self.readChunk(descriptor, into: room, line: splitter.delivered + 1)
                }
            }.get()
        }
        return try splitter.finish(bytesRead: bytesRead) { body($0, $1, false) }
    }

    /// One `read`, retried on EINTR; the OS's reason on failure.
    private static func readChunk(
        _ descriptor: Int32,
        into buffer: UnsafeMutableRawBufferPointer,
        line: Int?
    ) throws(ReadError) -> Int {
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            let reason = LineReader.reason(errno)
            throw ReadError(message: "read failed: \(reason)", line: line, chinese: "读取失败：\(reason)")
        }
    }

    /// A number an escaping closure adds to.
    private final class Counter {
        var value: Int
        init(_ value: Int) { self.value = value }
    }

}

extension LineReader {
    /// Hands `body` the lines a group at a time (``LineGroup``: up to 32 lines, and never more than one chunk gave, a
    /// read or what the inflater made of one, so that a pipe's lines are handed over as they come), the last group
    /// partial; `body` returns false to stop. `progress` gets the bytes read so far and the file's size, every 4 MiB.
    /// When reading fails, the lines already read are handed over first, as they would have been one by one: if
    /// `body` stops at one of them (an error, or `--until`), the failure after it was never reached and nothing is
    /// thrown; otherwise the failure is about the line after the last one handed over.
    func forEachGroup(
        progress: ((_ bytesRead: Int, _ totalBytes: Int) -> Void)?,
        _ body: (LineGroup) -> Bool
    ) throws(ReadError) {
        var group = LineGroup()
        var keepGoing = true
        var nextProgress = 0
        let total = size
        do {
            try forEachLine(
                { line, bytesRead, inChunk in
                    if let progress, bytesRead >= nextProgress {
                        progress(bytesRead, total)
                        nextProgress = bytesRead + (4 << 20)
                    }
                    group.append(line, inChunk: inChunk)
                    if group.isFull {
                        keepGoing = body(group)
                        group.removeAll()
                    }
                    return keepGoing
                },
                chunkEnded: {
                    // The group's lines in the chunk are valid only until the next read: handed over now.
                    if keepGoing && !group.isEmpty {
                        keepGoing = body(group)
                        group.removeAll()
                    }
                    return keepGoing
                }
            )
            if keepGoing && !group.isEmpty { _ = body(group) }
        } catch {
            // The lines before the failure were handed over when their chunk ended (``LineSplitter`` ends it before it
            // throws): a stop at one of them means the failure was never reached.
            if keepGoing { throw error }
        }
    }
}

/// A few lines read as a group (``TraceReader/read(_:into:)-(LineGroup,_)``): where they lie in the chunk just read,
/// and a copy of any line that does not (one cut by a chunk's end). The reader hands a group over before it reads
/// the next chunk (``LineReader/forEachGroup(progress:_:)``), so a line is copied only when it has to be: copying
/// every line into the group was a tenth of the reader's instructions (Docs/Performance.md, "The usual lines read
/// quickly").
struct LineGroup {
    /// How many lines a group holds at most.
    static let linesPerGroup = 32

    /// Where a line lies: `start` in the chunk when it is there, else `offset` in ``copies``.
    private typealias Slot = (start: UnsafePointer<UInt8>?, offset: Int, count: Int)

    /// Room for a group's slots, allocated once: a line is written into its slot in place, where an array's append
    /// checked its storage's uniqueness and room for each of a replay's lines (43 instructions a line;
    /// Docs/Performance.md, "Lines in their slots, plain records without an optional"). A group is handed over to be
    /// read, never kept, so copies sharing the room is safe.
    private final class Slots {
        let slots: UnsafeMutablePointer<Slot>
        init(capacity: Int) { slots = .allocate(capacity: capacity) }
        deinit { slots.deallocate() }
    }

    /// How many lines the group holds.
    let capacity: Int
    private let room: Slots
    /// How many lines the group holds now.
    private(set) var count = 0
    private var copies: [UInt8] = []

    /// A group of at most `capacity` lines. It never waits for more lines than a read gave (a pipe's writer may pause):
    /// the group is handed over when the chunk ends, full or not.
    init(capacity: Int = linesPerGroup) {
        self.capacity = max(1, capacity)
        room = Slots(capacity: self.capacity)
    }

    var isFull: Bool { count >= capacity }
    var isEmpty: Bool { count == 0 }

    /// Adds `line`: where it lies when it is in the chunk (`inChunk`, valid until the group is handed over), else a
    /// copy of it. The group is not full.
    mutating func append(_ line: UnsafeBufferPointer<UInt8>, inChunk: Bool) {
        precondition(count < capacity, "a full group of lines is handed over before another line is added")
        if inChunk, let start = line.baseAddress {
            (room.slots + count).initialize(to: (UnsafePointer(start), 0, line.count))
        } else {
            (room.slots + count).initialize(to: (nil, copies.count, line.count))
            copies.append(contentsOf: line)
        }
        count += 1
    }

    mutating func removeAll() {
        count = 0
        if !copies.isEmpty { copies.removeAll(keepingCapacity: true) }
    }

    /// Calls `body` with the group's lines, valid only during the call (the list of them is on the stack: a group
    /// is handed over 150,000 times in a million-instance replay).
    func withLines<Result>(_ body: (UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>) -> Result) -> Result {
        copies.withUnsafeBufferPointer { copied in
            withUnsafeTemporaryAllocation(of: UnsafeBufferPointer<UInt8>.self, capacity: count) { found in
                for index in 0..<count {
                    let line = room.slots[index]
                    let start = line.start ?? copied.baseAddress.map { UnsafePointer($0 + line.offset) }
                    found.initializeElement(at: index, to: UnsafeBufferPointer(start: start, count: line.count))
                }
                return body(UnsafeBufferPointer(found))
            }
        }
    }
}

/// Cuts a stream of byte chunks into lines, carrying a partial line from one chunk to the next; a line over the
/// limit is an error at its line number.
///
/// Chunks may be cut anywhere (a pipe hands over what it has): between a CR and its LF, inside a line, inside the
/// byte-order mark. The lines are the same whatever the cuts, and a line's length is its own bytes, without its
/// LF or CRLF, so a CRLF file and its LF twin are refused at the same line or not at all.
struct LineSplitter {
    /// The UTF-8 byte-order mark, skipped before the first line.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    let maximumLineLength: Int
    private var carry: [UInt8] = []
    /// How many bytes of the byte-order mark the input has begun with so far, while it may still be one; nil once
    /// the first line has begun (or the mark was skipped).
    private var markBytesSeen: Int? = 0
    /// Lines handed out so far.
    private(set) var delivered = 0

    init(maximumLineLength: Int) {
        self.maximumLineLength = maximumLineLength
    }

    /// Hands `body` each complete line of `bytes` (with what an earlier chunk left); false when `body` stopped.
    mutating func feed(
        _ bytes: UnsafeBufferPointer<UInt8>,
        bytesRead: Int,
        _ body: (_ line: UnsafeBufferPointer<UInt8>, _ bytesRead: Int) -> Bool
    ) throws(LineReader.ReadError) -> Bool {
        try feed(bytes, bytesRead: bytesRead, { line, bytesRead, _ in body(line, bytesRead) }, chunkEnded: { true })
    }

    /// Hands `body` each complete line of `bytes` as ``feed(_:bytesRead:_:)`` does, and says whether the line lies in
    /// `bytes` (`inChunk`: valid until `chunkEnded` is called, once the chunk's last whole line is handed out) or in
    /// the splitter's own buffer (a line the chunk before began: valid only during the call). False when `body` or
    /// `chunkEnded` stopped.
    mutating func feed(
        _ bytes: UnsafeBufferPointer<UInt8>,
        bytesRead: Int,
        _ body: (_ line: UnsafeBufferPointer<UInt8>, _ bytesRead: Int, _ inChunk: Bool) -> Bool,
        chunkEnded: () -> Bool
    ) throws(LineReader.ReadError) -> Bool {
        var start = 0
        if let seen = markBytesSeen {
            // The mark's bytes so far are held back until the input either completes it or turns out not to.
            var matched = seen
            while matched < Self.byteOrderMark.count, start < bytes.count, bytes[start] == Self.byteOrderMark[matched] {
                matched += 1
                start += 1
            }
            if matched == Self.byteOrderMark.count {
                markBytesSeen = nil
            } else if start == bytes.count {
                markBytesSeen = matched
                return true
            } else {
                // Not a mark: the bytes held back are the first line's own.
                markBytesSeen = nil
                carry.append(contentsOf: Self.byteOrderMark.prefix(seen))
                start = 0
            }
        }
        do {
            // `memchr` finds each LF a vector at a time, where a byte loop took a fifth of the reader's instructions.
            while start < bytes.count, let base = bytes.baseAddress,
                let found = memchr(base + start, 0x0A, bytes.count - start)
            {
                let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                var keepGoing = true
                if carry.isEmpty {
                    let line = Self.trimmingCR(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                    try check(line.count)
                    keepGoing = body(line, bytesRead, true)
                } else {
                    carry.append(contentsOf: bytes[start..<index])
                    keepGoing = try carry.withUnsafeBufferPointer { (whole) throws(LineReader.ReadError) in
                        let line = Self.trimmingCR(whole)
                        try check(line.count)
                        return body(line, bytesRead, false)
                    }
                    carry.removeAll(keepingCapacity: true)
                }
                delivered += 1
                if !keepGoing { return false }
                start = index + 1
            }
        } catch {
            // A line over the limit ends the reading here, and with it the chunk: the lines handed out from it are
            // handed on before the error is.
            _ = chunkEnded()
            throw error
        }
        if !chunkEnded() { return false }
        carry.append(contentsOf: bytes[start..<bytes.count])
        // A CR at the end may be the first half of a CRLF: it is not the line's until a byte other than LF follows.
        try check(carry.last == 0x0D ? carry.count - 1 : carry.count)
        return true
    }

    /// Hands out a last line without a newline, if any; returns the number of lines delivered.
    mutating func finish(
        bytesRead: Int,
        _ body: (_ line: UnsafeBufferPointer<UInt8>, _ bytesRead: Int) -> Bool
    ) throws(LineReader.ReadError) -> Int {
        if let seen = markBytesSeen, seen > 0 {
            // The input ended inside what might have been a mark: those bytes are its only line, under the same
            // limit as any other.
            carry = Array(Self.byteOrderMark.prefix(seen))
            try check(carry.count)
        }
        markBytesSeen = nil
        if !carry.isEmpty {
            _ = carry.withUnsafeBufferPointer { body(Self.trimmingCR($0), bytesRead) }
            delivered += 1
        }
        return delivered
    }

    private func check(_ length: Int) throws(LineReader.ReadError) {
        guard length <= maximumLineLength else {
            throw LineReader.ReadError(
                message: "the line is longer than \(maximumLineLength) bytes (is this a text file with newlines?)",
                line: delivered + 1,
                chinese: "该行超过 \(maximumLineLength) 字节（这是带换行的文本文件吗？）"
            )
        }
    }

    private static func trimmingCR(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        if let last = line.last, last == 0x0D { return UnsafeBufferPointer(rebasing: line.dropLast()) }
        return line
    }
}
