import Foundation
import ProviderRegistry
import ReleaseCore
import ReleaseTestKit
import Testing
import ZlibGzip

@testable import FleetReplay

/// A trace is read the same whatever the reads' sizes: a line, its CR, its LF, a byte-order mark and a gzip
/// header may each straddle two reads (a pipe hands over what it has), and a line's length is its own bytes, LF
/// or CRLF alike (Docs/Traces.md; issue 24 §3). Random traces, every chunk size from one byte up.
@Suite("Line reading: any chunk size, LF or CRLF, plain or compressed")
struct LineReadingTests {
    /// `CLOUDRELEASE_PROPERTY_RUNS` sets the number of random cases (default 1,000).
    static let runs = PropertyRunner<AnyInstance>.configuredRuns(fallback: 1_000)

    /// How a generated trace ends its lines.
    enum Ending: CaseIterable {
        case lf, crlf, mixed
    }

    /// The gzip member of `bytes` in stored (uncompressed) DEFLATE blocks of `blockSize` bytes (RFC 1951 §3.2.4,
    /// RFC 1952): what `gzip` would read back, with the block boundaries a test chooses.
    static func gzipStored(_ bytes: [UInt8], blockSize: Int) -> [UInt8] {
        var member: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        var blocks = stride(from: 0, to: bytes.count, by: blockSize).map {
            Array(bytes[$0..<min($0 + blockSize, bytes.count)])
        }
        if blocks.isEmpty { blocks = [[]] }
        for (index, block) in blocks.enumerated() {
            member.append(index == blocks.count - 1 ? 1 : 0)  // BFINAL, BTYPE 00 (stored), then byte-aligned
            let length = UInt16(block.count)
            member += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            member += block
        }
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        for value in [~crc, UInt32(truncatingIfNeeded: bytes.count)] {
            member += (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        }
        return member
    }

    static func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID().uuidString).csv")
        try Data(bytes).write(to: url)
        return url
    }

    /// Where reading stops before a line it cannot read, the replay answers as if that line were never reached:
    /// the replay reads lines in groups, and the reader has read ahead of the group when it fails.
    @Test(
        "A stop before an unreadable line wins over it, at one job and at two",
        arguments: [(1, "malformed"), (2, "malformed"), (1, "until"), (2, "until"), (1, "none"), (2, "none")]
    )
    func stopBeforeUnreadableLine(jobs: Int, stop: String) throws {
        var lines = [
            TraceRecord.header,
            "2026-01-01T00:00:00Z,acct,i-1,launch,aliyun postpaid",
            stop == "malformed" ? "2026-01-01T00:01:00Z,acct,i-1,unknown-op," : "2026-01-01T00:01:00Z,acct,i-1,stop,",
            "2026-01-01T00:02:00Z,acct,i-1,start,",
        ]
        lines.append(String(repeating: "x", count: LineReader.defaultMaximumLineLength + 1))
        let url = try Self.temporaryFile(Array((lines.joined(separator: "\n") + "\n").utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        var options = TraceReplayer.Options()
        if stop == "until" { options.until = Instant(iso8601: "2026-01-01T00:00:30Z") }
        do {
            let summary = try TraceReplayer.replaySummary(path: url.path, options: options, jobs: jobs)
            #expect(stop == "until", "the replay should have failed")
            #expect(summary.stoppedBeforeLine == 3)
            #expect(summary.records == 1)
        } catch {
            #expect(stop != "until", "\(error)")
            // The malformed line's own error, or (with nothing to stop at) the over-long line's.
            #expect(error.line == (stop == "malformed" ? 3 : 5), "\(error)")
        }
    }

    @Test("Every line comes back as written, and a line over the limit is refused at its number, at any chunk size")
    func anyChunkSize() throws {
        var random = SplitMix64(seed: 0x11_4E5)
        // Printable bytes, a comma and a CR inside a line (only a CR just before the LF ends a line).
        let alphabet = Array("abc,019#: -".utf8) + [0x0D]
        for run in 0..<Self.runs {
            var lines: [[UInt8]] = (0..<Int.random(in: 0...8, using: &random)).map { _ in
                var line = (0..<Int.random(in: 0...12, using: &random)).map { _ in
                    alphabet.randomElement(using: &random)!
                }
                while line.last == 0x0D { line.removeLast() }
                return line
            }
            // A first line may merely start like a byte-order mark (EF, or EF BB, then something else): its bytes
            // are its own, wherever a read ends.
            if !lines.isEmpty, Int.random(in: 0..<3, using: &random) == 0 {
                lines[0] = Array(LineSplitter.byteOrderMark.prefix(Int.random(in: 1...2, using: &random))) + lines[0]
            }
            let ending = Ending.allCases.randomElement(using: &random)!
            let bom = Bool.random(using: &random)
            // Without a final line end, the last line must hold something to be a line at all.
            let finalEnding = lines.last?.isEmpty ?? true ? true : Bool.random(using: &random)
            var bytes: [UInt8] = bom ? [0xEF, 0xBB, 0xBF] : []
            for (index, line) in lines.enumerated() {
                bytes += line
                guard index < lines.count - 1 || finalEnding else { continue }
                let crlf = ending == .crlf || (ending == .mixed && Bool.random(using: &random))
                bytes += crlf ? [0x0D, 0x0A] : [0x0A]
            }
            let compressed = Int.random(in: 0..<4, using: &random) == 0
            let file = compressed ? Self.gzipStored(bytes, blockSize: Int.random(in: 1...40, using: &random)) : bytes
            let chunkSize =
                Bool.random(using: &random)
                ? Int.random(in: 1...8, using: &random) : Int.random(in: 1...(file.count + 2), using: &random)
            // A limit at, just under or just over the longest line's length, or none that matters.
            let longest = lines.map(\.count).max() ?? 0
            let limit =
                Bool.random(using: &random)
                ? max(0, longest + Int.random(in: -1...1, using: &random)) : LineReader.defaultMaximumLineLength
            let url = try Self.temporaryFile(file)
            defer { try? FileManager.default.removeItem(at: url) }
            var read: [[UInt8]] = []
            var failedAt: Int?
            do {
                let reader = try LineReader(path: url.path, chunkSize: chunkSize, maximumLineLength: limit)
                try reader.forEachLine { line, _ in
                    read.append(Array(line))
                    return true
                }
            } catch {
                failedAt = error.line ?? -1
            }
            // The same lines a group at a time: those in the chunk read where they lie, those cut by a chunk's end
            // copied, each group handed over before the next read.
            var grouped: [[UInt8]] = []
            var groupFailedAt: Int?
            do {
                let reader = try LineReader(path: url.path, chunkSize: chunkSize, maximumLineLength: limit)
                try reader.forEachGroup(progress: nil) { group in
                    group.withLines { for line in $0 { grouped.append(Array(line)) } }
                    return true
                }
            } catch {
                groupFailedAt = error.line ?? -1
            }
            let tooLong = lines.firstIndex { $0.count > limit }
            let expectedLines = tooLong.map { Array(lines.prefix($0)) } ?? lines
            let described =
                "run \(run): \(ending), BOM \(bom), final line end \(finalEnding), gzip \(compressed), chunk \(chunkSize), "
                + "limit \(limit), lines \(lines.map { String(decoding: $0, as: UTF8.self) })"
            #expect(read == expectedLines, "\(described)")
            #expect(failedAt == tooLong.map { $0 + 1 }, "\(described)")
            #expect(grouped == expectedLines, "groups: \(described)")
            #expect(groupFailedAt == failedAt, "groups: \(described)")
            if read != expectedLines || failedAt != tooLong.map({ $0 + 1 }) { return }
        }
    }

    @Test("A compressed trace that breaks off names the line being read: the one after the last delivered")
    func brokenCompressedTraceNamesItsLine() throws {
        var random = SplitMix64(seed: 0xB40_CE4)
        for run in 0..<(Self.runs / 4) {
            let lines: [[UInt8]] = (0..<Int.random(in: 1...10, using: &random)).map { index in
                Array("line \(index) \(String(repeating: "x", count: Int.random(in: 0...20, using: &random)))".utf8)
            }
            let plain: [UInt8] = lines.flatMap { $0 + [UInt8(0x0A)] }
            let member = Self.gzipStored(plain, blockSize: Int.random(in: 1...30, using: &random))
            // Cut anywhere after the gzip header and before the trailer's end: the stream breaks off.
            let cut = Int.random(in: 10..<(member.count - 1), using: &random)
            let url = try Self.temporaryFile(Array(member.prefix(cut)))
            defer { try? FileManager.default.removeItem(at: url) }
            let chunkSize = Int.random(in: 1...(cut + 2), using: &random)
            var delivered = 0
            var failedAt: Int?
            do {
                let reader = try LineReader(
                    path: url.path,
                    chunkSize: chunkSize,
                    maximumLineLength: LineReader.defaultMaximumLineLength
                )
                try reader.forEachLine { _, _ in
                    delivered += 1
                    return true
                }
            } catch {
                failedAt = error.line ?? -1
            }
            let described = "run \(run): \(lines.count) lines, cut at \(cut) of \(member.count), chunk \(chunkSize)"
            #expect(failedAt == delivered + 1, "\(described)")
            if failedAt != delivered + 1 { return }
        }
    }

    @Test(
        "A trace replays the same from a file read a chunk at a time, LF or CRLF, plain or compressed, as in one piece"
    )
    func replayAnyChunkSize() throws {
        var random = SplitMix64(seed: 0x11_4E6)
        for run in 0..<max(1, Self.runs / 10) {
            var text = ""
            TraceGenerator(
                instances: Int.random(in: 1...12, using: &random),
                recordsPerInstance: Int.random(in: 1...6, using: &random),
                accounts: Int.random(in: 1...3, using: &random),
                seed: random.next()
            ).generate { text += $0 }
            let whole = try TraceReplayer.replay(text: text, file: "trace").0
            var bytes: [UInt8] = []
            let crlf = Bool.random(using: &random)
            for byte in text.utf8 { bytes += byte == 0x0A && crlf ? [0x0D, 0x0A] : [byte] }
            let bom = Bool.random(using: &random)
            if bom { bytes.insert(contentsOf: LineSplitter.byteOrderMark, at: 0) }
            let finalEnding = Bool.random(using: &random)
            if !finalEnding { bytes.removeLast(crlf ? 2 : 1) }
            let compressed = Bool.random(using: &random)
            if compressed { bytes = Self.gzipStored(bytes, blockSize: Int.random(in: 1...500, using: &random)) }
            let chunkSize =
                Bool.random(using: &random)
                ? Int.random(in: 1...8, using: &random) : Int.random(in: 1...(bytes.count + 2), using: &random)
            let url = try Self.temporaryFile(bytes)
            defer { try? FileManager.default.removeItem(at: url) }
            // The library's decoder or zlib's (the executable's), a compressed stream read in the same odd pieces.
            let zlib = Bool.random(using: &random)
            var options = TraceReplayer.Options()
            if zlib { options.gzipDecoder = ZlibGzipDecoder.self }
            let described =
                "run \(run): CRLF \(crlf), BOM \(bom), final line end \(finalEnding), gzip \(compressed), chunk \(chunkSize), zlib \(zlib)"
            var read: ReplaySummary
            do {
                read = try TraceReplayer.replay(
                    path: url.path,
                    options: options,
                    chunkSize: chunkSize,
                    indexesInstanceIDs: true,
                    progress: nil
                ).0
            } catch {
                Issue.record("\(described): \(error)")
                return
            }
            read.file = whole.file
            read.wallSeconds = whole.wallSeconds
            #expect(read == whole, "\(described)")
            if read != whole { return }
            #expect(read.records > 0)
        }
    }
}
