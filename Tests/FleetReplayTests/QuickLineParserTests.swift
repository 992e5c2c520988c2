import Foundation
import ProviderRegistry
import ReleaseCore
import Testing

@testable import FleetReplay

/// The reader's quick path (``QuickLineParser``) and the byte searches under it: a line the quick path reads is read
/// exactly as ``TraceLineParser/parseFields(_:commas:times:rich:)`` reads it, and any other line is left to that
/// parser, which alone judges and explains (Docs/Performance.md, "The usual lines read quickly").
@Suite("Quick line parser")
struct QuickLineParserTests {
    /// Every form the quick path reads, each op with the arguments it takes there: a release with each flag alone.
    static let usualLines =
        usualFixedLines + ProviderModel.releaseFlags.map { "2026-01-02T00:00:00Z,acct-1,i-1,release,\($0.word)" }

    static let usualFixedLines = [
        "2026-01-01T00:00:00Z,acct-1,i-1,launch,aliyun postpaid",
        "2026-01-01T00:00:00Z,acct-1,i-1,launch,tencent postpaid",
        "2026-01-01T00:00:00Z,acct-1,i-1,launch,tencent postpaid protected",
        "2026-01-01T00:00:00Z,acct-1,i-1,launch,aliyun prepaid:2026-03-01T00:00:00Z",
        "2026-01-01T00:00:00Z,acct-1,i-1,launch,tencent prepaid:2026-03-01T00:00:00Z protected",
        "2026-01-01T00:00:09Z,acct-1,i-1,stop,",
        "2026-01-01T00:00:09Z,acct-1,i-1,stop,force",
        "2026-01-01T00:00:09Z,acct-1,i-1,stop,keep-charging",
        "2026-01-01T00:00:09Z,acct-1,i-1,stop,stop-charging",
        "2026-01-01T23:59:59Z,acct-1,i-1,start,",
        "2026-01-02T00:00:00Z,acct-1,i-1,renew,2027-01-01T00:00:00Z",
        "2026-01-02T00:00:00Z,acct-1,,topup,",
        "2026-01-02T00:00:00Z,acct-1,,arrears,",
        "2026-01-02T00:00:00Z,acct-1,i-1,release,",
        "2026-01-02T00:00:00Z,acct-1,i-1,restore,",
        "2026-01-02T00:00:00Z,acct-1,i-1,protect,on",
        "2026-01-02T00:00:00Z,acct-1,i-1,protect,off",
        "2026-01-02T00:00:00Z,acct-1,i-1,unsubscribe,",
        "2026-01-02T00:00:00Z,acct-1,i-1,cancel-schedule,",
        "2026-01-02T00:00:00Z,acct-1,i-1,schedule-release,2026-01-02T01:02:03Z",
        "2026-01-02T00:00:00Z,acct-1,i-1,convert-ip-to-eip,",
        "2026-01-02T00:00:00Z,acct-1,i-1,convert-to-postpaid,",
        "2026-02-28T12:34:56Z,an-account-with-a-long-name,i-0123456789abcdef0123,start,",
    ]

    /// Lines the general parser reads (or refuses) that the quick path leaves to it: words of their own, other
    /// spellings of the usual words, text that is not ASCII, every malformation.
    static let unusualLines = [
        "2026-01-01T00:00:00Z,acct-1,i-1,release,immediately force",
        "2026-01-01T00:00:00Z,acct-1,i-1,release, force",
        "2026-01-01T00:00:00Z,acct-1,i-1,release,forc",
        "2026-01-01T00:00:00Z,acct-1,i-1,release,Force",
        "2026-01-01T00:00:00Z,acct-1,i-1,launch,aliyun postpaid spot",
        "2026-01-01T00:00:00Z,acct-1,i-1,launch,aliyun postpaid data-disk:keep protected",
        "2026-01-01T00:00:00Z,acct-1,i-1,launch,aliyun  postpaid",
        "2026-01-01T00:00:00Z,acct-1,i-1,launch,aliyun postpaid ",
        "2026-01-01T00:00:00Z,acct-1,i-1,launch, aliyun postpaid",
        "2026-01-01T00:00:00Z,acct-1,i-1,stop,force stop-charging",
        "2026-01-01T00:00:00Z,acct-1,i-1,stop, force",
        "2026-01-01T00:00:00Z,acct-1,i-1,start,  ",
        "2026-01-01T00:00:00Z,acct-1,i-1,protect, on",
        "2026-01-01T00:00:00Z,acct-é,i-1,start,",
        "2026-01-01T00:00:00Z,acct-1,i-é,start,",
        "2026-01-01T00:00:00Z,acct-1,i-1,schedule-release, 2026-01-02T01:02:03Z",
        // Malformed: each must reach the parser that explains it.
        "2026-01-01T00:00:00Z,,i-1,start,",
        "2026-01-01T00:00:00Z,acct-1,i-1,start",
        "2026-01-01T00:00:00Z,acct-1,i-1,start,,",
        "2026-13-01T00:00:00Z,acct-1,i-1,start,",
        "2026-01-01 00:00:00Z,acct-1,i-1,start,",
        "2026-01-01T00:00:00Z,acct-1,i-1,begin,",
        "2026-01-01T00:00:00Z,acct-1,i-1,start,now",
        "2026-01-01T00:00:00Z,acct-1,,start,",
        "2026-01-01T00:00:00Z,acct-1,i-1,topup,",
        "2026-01-01T00:00:00Z,acct-1,i-1,launch,google postpaid",
        "2026-01-01T00:00:00Z,acct-1,i-1,launch,aliyun prepaid:2026-02-30T00:00:00Z",
        "2026-01-01T00:00:00Z,acct-1,i-1,renew,2027-01-01",
        "2026-01-01T00:00:00Z,acct-1,i-1,protect,yes",
        "2026-01-01T00:00:00Z,acct-1,i-1,stop,pause",
    ]

    @Test("Every usual form is read quickly, as the general parser reads it", arguments: usualLines)
    func usualFormReadAsTheGeneralParserReadsIt(line: String) throws {
        let quick = try #require(Self.quickFields(line), "the quick path left a usual line: \(line)")
        let general = try #require(Self.generalFields(line))
        #expect(quick == general, "\(line)")
    }

    @Test("An unusual or malformed line is left to the general parser", arguments: unusualLines)
    func unusualFormLeftToTheGeneralParser(line: String) {
        #expect(Self.quickFields(line) == nil, "\(line)")
    }

    /// Usual lines with bytes replaced, inserted or removed at random (commas, spaces, digits, letters, bytes that
    /// are not ASCII): whatever the quick path reads, the general parser reads the same, and the quick path never
    /// reads a line the general parser refuses.
    @Test("Lines changed at random are read quickly only as the general parser reads them")
    func changedLinesReadAsTheGeneralParserReadsThem() {
        var random = SplitMix64(seed: 0x51C1)
        let alphabet = Array(",, :-Z0123456789TZaceilnoprstuy".utf8) + [0x80, 0xC3, 0xA9, 0xFF, 0x09]
        let runs = Int(ProcessInfo.processInfo.environment["CLOUDRELEASE_PROPERTY_RUNS"] ?? "") ?? 20_000
        var readQuickly = 0
        for _ in 0..<runs {
            var bytes = Array(Self.usualLines.randomElement(using: &random)!.utf8)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let place = Int.random(in: 0...bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0 where place < bytes.count: bytes[place] = alphabet.randomElement(using: &random)!
                case 1: bytes.insert(alphabet.randomElement(using: &random)!, at: place)
                default: if place < bytes.count { bytes.remove(at: place) }
                }
            }
            guard let quick = Self.quickFields(bytes) else { continue }
            readQuickly += 1
            let general = Self.generalFields(bytes)
            #expect(general == quick, "\(String(decoding: bytes, as: UTF8.self))")
        }
        // Some changes leave a usual line (a digit for a digit): the comparison above did run.
        #expect(readQuickly > runs / 50)
    }

    @Test("Commas are found as a byte-by-byte search finds them, up to five")
    func commasFoundAsAByteSearchFindsThem() {
        var random = SplitMix64(seed: 0xC0AA)
        let alphabet = Array(",,,abc 0123".utf8) + [0x2B, 0x2D, 0xAC, 0x6C, 0x00, 0x01, 0x80, 0xFF]
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...80, using: &random)).map { _ in alphabet.randomElement(using: &random)!
            }
            let expected = bytes.indices.filter { bytes[$0] == 0x2C }
            bytes.withUnsafeBufferPointer { line in
                let commas = TraceLineParser.commas(line)
                #expect(commas.count == min(expected.count, 5), "\(bytes)")
                if expected.count == 4 {
                    let found = commas.all.map { [$0.0, $0.1, $0.2, $0.3] }
                    #expect(found == expected, "\(bytes)")
                } else {
                    #expect(commas.all == nil, "\(bytes)")
                }
            }
        }
    }

    @Test("A word's zero bytes, and only they, are marked: every byte value in every place")
    func zeroBytesMarkedExactly() {
        var random = SplitMix64(seed: 0x2E60)
        for value in 0...255 {
            for place in 0..<8 {
                // One byte of `value` among neighbours that are zero, one, or random: a borrow from a zero byte below
                // must not mark a one above it.
                for background: UInt8 in [0x00, 0x01, 0x80, 0xFF, UInt8.random(in: 0...255, using: &random)] {
                    var bytes = [UInt8](repeating: background, count: 8)
                    bytes[place] = UInt8(value)
                    let word = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
                    var expected: UInt64 = 0
                    for (index, byte) in bytes.enumerated() where byte == 0 { expected |= 0x80 << (8 * UInt64(index)) }
                    #expect(TraceLineParser.zeroBytes(word) == expected, "\(bytes)")
                }
            }
        }
    }

    @Test("ASCII is recognised eight bytes at a time as a byte scan recognises it")
    func asciiAsAByteScanFindsIt() {
        var random = SplitMix64(seed: 0xA5C1)
        for _ in 0..<20_000 {
            var bytes = (0..<Int.random(in: 0...40, using: &random)).map { _ in
                UInt8.random(in: 0...0x7F, using: &random)
            }
            if !bytes.isEmpty && Bool.random(using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0x80...0xFF, using: &random)
            }
            let expected = bytes.allSatisfy { $0 < 0x80 }
            #expect(bytes.withUnsafeBufferPointer { TraceLineParser.isASCII($0) } == expected, "\(bytes)")
        }
    }

    // MARK: - Helpers

    /// What a parser read: the fields and the operation whole.
    struct Read: Equatable {
        var time: Instant
        var account: [UInt8]
        var instance: [UInt8]
        var operation: TraceRecord.Operation
        var subject: RecordSubject
    }

    static func quickFields(_ line: String) -> Read? { quickFields(Array(line.utf8)) }

    static func quickFields(_ bytes: [UInt8]) -> Read? {
        bytes.withUnsafeBufferPointer { line in
            var times = InstantParser()
            guard
                let fields = QuickLineParser.fields(line, commas: TraceLineParser.commas(line), times: &times)
            else { return nil }
            // The quick path never reads an operation with words of its own.
            if case .rich = fields.operation { return nil }
            return Read(fields, rich: nil)
        }
    }

    static func generalFields(_ line: String) -> Read? { generalFields(Array(line.utf8)) }

    static func generalFields(_ bytes: [UInt8]) -> Read? {
        bytes.withUnsafeBufferPointer { line in
            var times = InstantParser()
            var rich: TraceRecord.Operation?
            guard
                case .success(let fields) = TraceLineParser.parseFields(
                    line,
                    commas: TraceLineParser.commas(line),
                    times: &times,
                    rich: &rich
                )
            else { return nil }
            return Read(fields, rich: rich)
        }
    }
}

extension QuickLineParserTests.Read {
    init(_ fields: TraceLineParser.Fields, rich: TraceRecord.Operation?) {
        self.init(
            time: fields.time,
            account: Array(fields.account),
            instance: Array(fields.instance),
            operation: fields.operation.traceOperation(rich: rich),
            subject: fields.subject
        )
    }
}
