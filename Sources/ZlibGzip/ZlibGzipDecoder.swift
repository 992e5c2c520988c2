import CZlib
package import FleetReplay

/// zlib's inflate as the replay's gzip decoder: on this machine it inflates the 1,000,000-instance trace in
/// about 1 s where the package's own ``Inflater`` takes 2.5 s (Docs/Performance.md, "zlib"), and the reader
/// that inflates is the replay's one sequential stage.
///
/// It keeps the library decoder's contract: each member's CRC-32 and length are checked (zlib's gzip mode,
/// RFC 1952), concatenated members are one stream, and a damaged or truncated stream is an error with the
/// compressed byte where it was found, in the words the library decoder uses for the same fault.
package struct ZlibGzipDecoder: GzipStreamDecoder {
    private let stream: Stream

    package init(prefix: [UInt8], source: @escaping Inflater.Source) {
        stream = Stream(prefix: prefix, source: source)
    }

    package mutating func next(chunkSize: Int) throws(Inflater.DataError) -> ArraySlice<UInt8>? {
        try stream.next(chunkSize: max(1, chunkSize))
    }
}

/// The z_stream and its input buffer, at fixed addresses for as long as zlib points into them.
private final class Stream {
    /// zlib's window bits for a gzip wrapper only (15 + 16): a zlib or raw stream is not a gzip trace.
    private static let gzipOnly: Int32 = 31
    private static let inputSize = 1 << 20

    private var z = z_stream()
    /// The compressed bytes: the prefix first (the line reader's first read, which may be a whole chunk of
    /// several MiB), then a read at a time.
    private let input: UnsafeMutableBufferPointer<UInt8>
    private let source: Inflater.Source
    /// Compressed bytes read before the current input buffer.
    private var consumedBefore = 0
    private var inputCount = 0
    private var sourceEnded = false
    private var finished = false
    private var setUpFailure: Inflater.DataError?

    init(prefix: [UInt8], source: @escaping Inflater.Source) {
        self.source = source
        input = .allocate(capacity: max(Self.inputSize, prefix.count))
        let count = prefix.count
        _ = UnsafeMutableBufferPointer(rebasing: input[0..<count]).initialize(from: prefix)
        inputCount = count
        z.next_in = input.baseAddress
        z.avail_in = UInt32(count)
        let status = inflateInit2_(&z, Self.gzipOnly, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        if status != Z_OK {
            setUpFailure = Inflater.DataError(
                reason: "zlib could not start (\(status))",
                chineseReason: "zlib 无法启动（\(status)）",
                offset: 0
            )
        }
    }

    deinit {
        if setUpFailure == nil { inflateEnd(&z) }
        input.deallocate()
    }

    /// The compressed bytes consumed so far.
    private var offset: Int { consumedBefore + inputCount - Int(z.avail_in) }

    func next(chunkSize: Int) throws(Inflater.DataError) -> ArraySlice<UInt8>? {
        if let setUpFailure { throw setUpFailure }
        var output = [UInt8](repeating: 0, count: chunkSize)
        var produced = 0
        while produced < chunkSize && !finished {
            if z.avail_in == 0 {
                try refill()
                if z.avail_in == 0 { throw failure(endsEarly) }
            }
            let status = output.withUnsafeMutableBufferPointer { buffer in
                z.next_out = buffer.baseAddress! + produced
                z.avail_out = UInt32(chunkSize - produced)
                let status = inflate(&z, Z_NO_FLUSH)
                produced = chunkSize - Int(z.avail_out)
                return status
            }
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                // One member ended (its CRC-32 and length checked); another may follow, as `cat a.gz b.gz` makes.
                if z.avail_in == 0 { try refill() }
                if z.avail_in == 0 {
                    finished = true
                } else {
                    inflateReset(&z)
                }
            case Z_BUF_ERROR:
                // No progress without more input: refilled above unless the file has ended.
                if sourceEnded && z.avail_in == 0 { throw failure(endsEarly) }
            default:
                throw failure(Self.words(forZlibMessage: z.msg.map { String(cString: $0) } ?? "error \(status)"))
            }
        }
        return produced == 0 ? nil : output[0..<produced]
    }

    /// Reads the next compressed bytes into the input buffer (none at the end of the file).
    private func refill() throws(Inflater.DataError) {
        guard !sourceEnded else { return }
        consumedBefore += inputCount
        inputCount = 0
        let read: Int
        do {
            read = try source(UnsafeMutableRawBufferPointer(input))
        } catch {
            throw Inflater.DataError(
                reason: error.message,
                chineseReason: error.chinese,
                offset: consumedBefore,
                isReadFailure: true
            )
        }
        if read == 0 { sourceEnded = true }
        inputCount = read
        z.next_in = input.baseAddress
        z.avail_in = UInt32(read)
    }

    private let endsEarly = ("the file ends in the middle of the compressed data", "文件在压缩数据中途结束")

    private func failure(_ words: (String, String)) -> Inflater.DataError {
        Inflater.DataError(reason: words.0, chineseReason: words.1, offset: offset)
    }

    /// zlib's message for a damaged stream in the words the library decoder uses for the same fault (zlib's own
    /// message, in both languages, for any other).
    private static func words(forZlibMessage message: String) -> (String, String) {
        switch message {
        case "incorrect header check": return ("a gzip member must start with 1F 8B", "gzip 成员必须以 1F 8B 开头")
        case "unknown compression method": return ("the compression method is not DEFLATE", "压缩方法不是 DEFLATE")
        case "unknown header flags set": return ("reserved header flags are set", "设置了保留的头部标志")
        case "incorrect data check": return ("the CRC-32 does not match: the data is damaged", "CRC-32 不符：数据已损坏")
        case "incorrect length check": return ("the length does not match: the data is damaged", "长度不符：数据已损坏")
        case "invalid stored block lengths": return ("a stored block's length check fails", "未压缩块的长度校验失败")
        case "invalid block type": return ("a block has the reserved type 3", "块使用了保留类型 3")
        case "invalid distance too far back":
            return ("a back-reference reaches before the start", "回溯引用超出了数据开头")
        default: return ("zlib: \(message)", "zlib 报告：\(message)")
        }
    }
}
