/// A streaming gzip decoder as the line reader drives it: the first compressed bytes (read while telling the
/// format) and a source of the rest, then decompressed bytes a chunk at a time until nil. ``Inflater`` is the
/// package's own, in Swift; the `cloud-release` executable brings zlib's instead (Docs/Performance.md, "zlib").
///
/// Every implementation checks each member's CRC-32 and length, reads concatenated members as one stream, and
/// reports a damaged or truncated stream as a ``Inflater/DataError`` (a failed read with `isReadFailure`).
package protocol GzipStreamDecoder: SendableMetatype {
    /// A decoder whose first compressed bytes are `prefix`; `source` fills a buffer with more (0 at the end).
    init(prefix: [UInt8], source: @escaping Inflater.Source)
    /// The next decompressed bytes (up to about `chunkSize`), or nil at the end of the stream.
    mutating func next(chunkSize: Int) throws(Inflater.DataError) -> ArraySlice<UInt8>?
}

/// A streaming gzip decoder (RFC 1952 members holding RFC 1951 DEFLATE data), so a compressed trace is read as
/// it is decompressed: memory stays bounded by the 32 KiB window and one output chunk, whatever the file's size.
///
/// It pulls compressed bytes from `source` as it needs them and hands out decompressed bytes a chunk at a time.
/// Every member's CRC-32 and length are checked; concatenated members (as `cat a.gz b.gz` makes) are one stream.
/// A damaged or truncated stream is an error that says where, never a trap or a hang.
package struct Inflater: GzipStreamDecoder {
    /// Why a stream could not be decompressed, and at which compressed byte (or the OS's reason a read failed).
    package struct DataError: Error, CustomStringConvertible {
        package var reason: String
        package var chineseReason: String?
        package var offset: Int
        package var isReadFailure = false

        package init(reason: String, chineseReason: String?, offset: Int, isReadFailure: Bool = false) {
            self.reason = reason
            self.chineseReason = chineseReason
            self.offset = offset
            self.isReadFailure = isReadFailure
        }

        package var description: String {
            isReadFailure ? reason : "not a readable gzip file: \(reason) (at compressed byte \(offset))"
        }
        package var chineseDescription: String? {
            chineseReason.map { isReadFailure ? $0 : "不是可读的 gzip 文件：\($0)（压缩数据第 \(offset) 字节处）" }
        }
    }

    /// Fills the buffer with up to its size of compressed bytes; returns how many (0 at the end).
    package typealias Source = (UnsafeMutableRawBufferPointer) throws(LineReader.ReadError) -> Int

    private static let windowSize = 32 << 10
    private let source: Source
    private var input: [UInt8]
    private var inputStart = 0
    private var inputEnd: Int
    private var consumedBefore = 0
    private var sourceEnded = false
    private var bits: UInt64 = 0
    private var bitCount = 0
    /// The output not yet handed out, after up to `windowSize` bytes already handed out (the back-reference window).
    private var output: [UInt8] = []
    private var handedOut = 0
    private var crc: UInt32 = 0xFFFF_FFFF
    private var memberLength: UInt32 = 0
    private var state: State = .memberHeader

    private enum State {
        case memberHeader
        case blockHeader
        case stored(remaining: Int, final: Bool)
        case huffman(literals: HuffmanTable, distances: HuffmanTable, final: Bool)
        case memberTrailer
        case finished
    }

    /// A decoder whose first compressed bytes are `prefix` (already read while sniffing the format).
    package init(prefix: [UInt8], source: @escaping Source) {
        self.source = source
        input = prefix + [UInt8](repeating: 0, count: max(0, (64 << 10) - prefix.count))
        inputEnd = prefix.count
    }

    /// The bytes a gzip member starts with (RFC 1952 §2.3.1: ID1, ID2).
    package static let magic: [UInt8] = [0x1F, 0x8B]

    /// Whether `bytes` start like a gzip member.
    static func isGzip(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: magic)
    }

    /// The next decompressed bytes (up to about `chunkSize`), or nil at the end of the stream.
    package mutating func next(chunkSize: Int) throws(DataError) -> ArraySlice<UInt8>? {
        // Keep only the window of what was already handed out.
        if handedOut > Self.windowSize {
            output.removeFirst(handedOut - Self.windowSize)
            handedOut = Self.windowSize
        }
        while output.count - handedOut < chunkSize {
            if case .finished = state { break }
            try step()
        }
        guard output.count > handedOut else { return nil }
        let chunk = output[handedOut...]
        handedOut = output.count
        return chunk
    }

    private var offset: Int { consumedBefore + inputStart - bitCount / 8 }

    private func failure(_ reason: String, _ chinese: String) -> DataError {
        DataError(reason: reason, chineseReason: chinese, offset: offset)
    }

    // MARK: Input

    /// Makes at least `count` (≤ 56) bits available; false at the end of the input.
    private mutating func fill(_ count: Int) throws(DataError) -> Bool {
        while bitCount < count {
            if inputStart == inputEnd {
                guard try refill() else { return false }
            }
            bits |= UInt64(input[inputStart]) << UInt64(bitCount)
            inputStart += 1
            bitCount += 8
        }
        return true
    }

    private mutating func refill() throws(DataError) -> Bool {
        if sourceEnded { return false }
        consumedBefore += inputEnd
        inputStart = 0
        inputEnd = 0
        let source = self.source
        let result = input.withUnsafeMutableBytes { buffer in
            Result { () throws(LineReader.ReadError) -> Int in try source(buffer) }
        }
        let count: Int
        switch result {
        case .success(let read): count = read
        case .failure(let error):
            throw DataError(
                reason: error.message,
                chineseReason: error.chinese,
                offset: consumedBefore,
                isReadFailure: true
            )
        }
        if count == 0 {
            sourceEnded = true
            return false
        }
        inputEnd = count
        return true
    }

    private mutating func take(_ count: Int) throws(DataError) -> Int {
        guard count > 0 else { return 0 }
        guard try fill(count) else {
            throw failure("the file ends in the middle of the compressed data", "文件在压缩数据中途结束")
        }
        let value = Int(bits & ((1 << UInt64(count)) - 1))
        bits >>= UInt64(count)
        bitCount -= count
        return value
    }

    private mutating func byte() throws(DataError) -> UInt8 { UInt8(try take(8)) }

    private mutating func alignToByte() {
        let drop = bitCount % 8
        bits >>= UInt64(drop)
        bitCount -= drop
    }

    // MARK: Members and blocks

    private mutating func step() throws(DataError) {
        switch state {
        case .memberHeader:
            try readMemberHeader()
        case .blockHeader:
            try readBlockHeader()
        case .stored(let remaining, let final):
            let count = min(remaining, 1 << 16)
            for _ in 0..<count { emit(try byte()) }
            state = remaining > count ? .stored(remaining: remaining - count, final: final) : afterBlock(final: final)
        case .huffman(let literals, let distances, let final):
            if try decodeSymbols(literals: literals, distances: distances, budget: 1 << 16) {
                state = afterBlock(final: final)
            }
        case .memberTrailer:
            try readMemberTrailer()
        case .finished:
            break
        }
    }

    private func afterBlock(final: Bool) -> State { final ? .memberTrailer : .blockHeader }

    private mutating func readMemberHeader() throws(DataError) {
        guard try fill(8) else {
            state = .finished
            return
        }
        let id1 = try byte()
        let id2 = try byte()
        guard id1 == 0x1F, id2 == 0x8B else {
            throw failure("a gzip member must start with 1F 8B", "gzip 成员必须以 1F 8B 开头")
        }
        guard try byte() == 8 else { throw failure("the compression method is not DEFLATE", "压缩方法不是 DEFLATE") }
        let flags = try byte()
        guard flags & 0xE0 == 0 else { throw failure("reserved header flags are set", "设置了保留的头部标志") }
        for _ in 0..<6 { _ = try byte() }  // modification time, extra flags, operating system
        if flags & 0x04 != 0 {
            let length = try take(16)
            for _ in 0..<length { _ = try byte() }
        }
        if flags & 0x08 != 0 { while try byte() != 0 {} }  // file name
        if flags & 0x10 != 0 { while try byte() != 0 {} }  // comment
        if flags & 0x02 != 0 { _ = try take(16) }  // header CRC
        crc = 0xFFFF_FFFF
        memberLength = 0
        state = .blockHeader
    }

    private mutating func readMemberTrailer() throws(DataError) {
        alignToByte()
        let expectedCRC = UInt32(try take(16)) | UInt32(try take(16)) << 16
        let expectedLength = UInt32(try take(16)) | UInt32(try take(16)) << 16
        guard expectedCRC == ~crc else {
            throw failure("the CRC-32 does not match: the data is damaged", "CRC-32 不符：数据已损坏")
        }
        guard expectedLength == memberLength else {
            throw failure("the length does not match: the data is damaged", "长度不符：数据已损坏")
        }
        // Another member may follow (concatenated files); anything else after a member is an error.
        alignToByte()
        state = .memberHeader
    }

    private mutating func readBlockHeader() throws(DataError) {
        let final = try take(1) == 1
        switch try take(2) {
        case 0:
            alignToByte()
            let length = try take(16)
            let complement = try take(16)
            guard length == ~complement & 0xFFFF else {
                throw failure("a stored block's length check fails", "未压缩块的长度校验失败")
            }
            state = .stored(remaining: length, final: final)
        case 1:
            state = .huffman(literals: Self.fixedLiterals, distances: Self.fixedDistances, final: final)
        case 2:
            let (literals, distances) = try readDynamicTables()
            state = .huffman(literals: literals, distances: distances, final: final)
        default:
            throw failure("a block has the reserved type 3", "块使用了保留类型 3")
        }
    }

    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private mutating func readDynamicTables() throws(DataError) -> (HuffmanTable, HuffmanTable) {
        let literalCount = try take(5) + 257
        let distanceCount = try take(5) + 1
        let codeLengthCount = try take(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw failure("a block declares too many codes", "块声明的编码过多")
        }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount { codeLengthLengths[Self.codeLengthOrder[index]] = UInt8(try take(3)) }
        guard let codeLengths = HuffmanTable(lengths: codeLengthLengths) else {
            throw failure("a block's code-length code is not a valid prefix code", "块的码长编码不是有效的前缀码")
        }
        var lengths: [UInt8] = []
        lengths.reserveCapacity(literalCount + distanceCount)
        while lengths.count < literalCount + distanceCount {
            let symbol = try decode(codeLengths)
            switch symbol {
            case 0...15:
                lengths.append(UInt8(symbol))
            case 16:
                guard let previous = lengths.last else {
                    throw failure("a repeat code has nothing to repeat", "重复编码没有可重复的内容")
                }
                lengths += repeatElement(previous, count: 3 + (try take(2)))
            case 17:
                lengths += repeatElement(0, count: 3 + (try take(3)))
            default:
                lengths += repeatElement(0, count: 11 + (try take(7)))
            }
        }
        guard lengths.count == literalCount + distanceCount else {
            throw failure("code lengths overrun the block", "码长超出了块")
        }
        guard lengths[256] != 0 else { throw failure("a block has no end-of-block code", "块没有块结束编码") }
        guard let literals = HuffmanTable(lengths: Array(lengths[0..<literalCount])),
            let distances = HuffmanTable(lengths: Array(lengths[literalCount...]), allowIncomplete: true)
        else { throw failure("a block's codes are not valid prefix codes", "块的编码不是有效的前缀码") }
        return (literals, distances)
    }

    private static let lengthBase: [Int] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    private static let lengthExtra: [Int] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    private static let distanceBase: [Int] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577,
    ]
    private static let distanceExtra: [Int] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]

    private static let fixedLiterals: HuffmanTable = {
        var lengths = [UInt8](repeating: 8, count: 288)
        for index in 144..<256 { lengths[index] = 9 }
        for index in 256..<280 { lengths[index] = 7 }
        return HuffmanTable(lengths: lengths)!
    }()
    // 30 of the 32 five-bit codes: incomplete by design (RFC 1951 3.2.6).
    private static let fixedDistances = HuffmanTable(lengths: [UInt8](repeating: 5, count: 30), allowIncomplete: true)!

    /// Decodes literals and copies until the end of the block (true) or until about `budget` bytes were made.
    private mutating func decodeSymbols(
        literals: HuffmanTable,
        distances: HuffmanTable,
        budget: Int
    ) throws(DataError) -> Bool {
        let goal = output.count + budget
        while output.count < goal {
            let symbol = try decode(literals)
            if symbol < 256 {
                emit(UInt8(symbol))
            } else if symbol == 256 {
                return true
            } else {
                let lengthIndex = symbol - 257
                guard lengthIndex < 29 else { throw failure("an invalid length code \(symbol)", "无效的长度编码 \(symbol)") }
                let length = Self.lengthBase[lengthIndex] + (try take(Self.lengthExtra[lengthIndex]))
                let distanceIndex = try decode(distances)
                guard distanceIndex < 30 else {
                    throw failure("an invalid distance code \(distanceIndex)", "无效的距离编码 \(distanceIndex)")
                }
                let distance = Self.distanceBase[distanceIndex] + (try take(Self.distanceExtra[distanceIndex]))
                guard distance <= output.count else {
                    throw failure("a back-reference reaches before the start", "回溯引用超出了数据开头")
                }
                let from = output.count - distance
                for index in 0..<length { emit(output[from + index]) }
            }
        }
        return false
    }

    private mutating func decode(_ table: HuffmanTable) throws(DataError) -> Int {
        // Near the end of the input fewer than `maximumLength` bits may remain; the code may still be shorter.
        _ = try fill(table.maximumLength)
        let entry = table.entries[Int(bits & table.mask)]
        let length = Int(entry & 0xF)
        guard length > 0, length <= bitCount else {
            throw length == 0
                ? failure("a code that no symbol has", "出现了不对应任何符号的编码")
                : failure("the file ends in the middle of a code", "文件在编码中途结束")
        }
        bits >>= UInt64(length)
        bitCount -= length
        return Int(entry >> 4)
    }

    @inline(__always)
    private mutating func emit(_ byte: UInt8) {
        output.append(byte)
        crc = Self.crcTable[Int(UInt8(truncatingIfNeeded: crc) ^ byte)] ^ (crc >> 8)
        memberLength &+= 1
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
}

/// A canonical Huffman code as one lookup table indexed by the next `maximumLength` input bits (least significant
/// first, as DEFLATE packs them): each entry is the symbol above its code length (0: no symbol has that code).
struct HuffmanTable {
    let entries: [UInt16]
    let maximumLength: Int
    let mask: UInt64

    /// The table for these code lengths (0: the symbol is unused); nil when they do not form a prefix code. A
    /// code may be incomplete only where DEFLATE allows it (`allowIncomplete`: a distance code of one symbol).
    init?(lengths: [UInt8], allowIncomplete: Bool = false) {
        let maximum = Int(lengths.max() ?? 0)
        guard maximum <= 15 else { return nil }
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths where length > 0 { counts[Int(length)] += 1 }
        // Kraft: the codes must not oversubscribe the space (and, unless allowed, must fill it).
        var left = 1
        for length in 1...15 {
            left = left * 2 - counts[length]
            if left < 0 { return nil }
        }
        if left > 0 && !allowIncomplete && lengths.contains(where: { $0 > 0 }) && counts.reduce(0, +) > 1 {
            return nil
        }
        let tableLength = max(1, maximum)
        var entries = [UInt16](repeating: 0, count: 1 << tableLength)
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + counts[length - 1]) << 1
            nextCode[length] = code
        }
        for (symbol, lengthByte) in lengths.enumerated() where lengthByte > 0 {
            let length = Int(lengthByte)
            let assigned = nextCode[length]
            nextCode[length] += 1
            var reversed = 0
            for bit in 0..<length where assigned & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
            var index = reversed
            while index < entries.count {
                entries[index] = UInt16(symbol) << 4 | UInt16(length)
                index += 1 << length
            }
        }
        self.entries = entries
        self.maximumLength = tableLength
        self.mask = (1 << UInt64(tableLength)) - 1
    }
}
