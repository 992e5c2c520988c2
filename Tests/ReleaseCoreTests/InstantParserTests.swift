import Foundation
import ProviderRegistry
import ReleaseTestKit
import Testing

@testable import ReleaseCore

/// The reader's timestamp parser, which remembers the last minute and day it read (``InstantParser``), against
/// ``Instant/parse(utf8:)``: the same answer for any bytes, in any order, whatever minute and day it remembers.
@Suite("A trace time is read exactly, whatever minute and day the reader remembers")
struct InstantParserTests {
    /// `CLOUDRELEASE_PROPERTY_RUNS` sets the number of random timestamps (default 20,000).
    static let runs = PropertyRunner<AnyInstance>.configuredRuns(fallback: 20_000)

    /// Days that share their first eight bytes or differ only in them, the ends of months and a leap day.
    static let days = [
        "2026-01-01", "2026-01-02", "2026-01-31", "2026-02-28", "2026-02-29", "2024-02-29", "2026-12-31",
        "2027-01-01", "2026-11-01", "2026-10-01", "1970-01-01", "9999-12-31", "1969-12-31", "2026-00-10",
    ]

    /// A timestamp on one of ``days``, often damaged at one byte (a digit, a separator, a length).
    static func timestamp(using random: inout SplitMix64) -> [UInt8] {
        let day = days[Int.random(in: 0..<days.count, using: &random)]
        let time = String(
            format: "T%02d:%02d:%02dZ",
            Int.random(in: 0..<25, using: &random),
            Int.random(in: 0..<61, using: &random),
            Int.random(in: 0..<61, using: &random)
        )
        var bytes = Array((day + time).utf8)
        switch Int.random(in: 0..<6, using: &random) {
        case 0: bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0x20..<0x7F, using: &random)
        case 1: bytes.removeLast()
        case 2: bytes.append(0x5A)
        default: break
        }
        return bytes
    }

    @Test("Random timestamps, in random order, parse as Instant.parse parses them one by one")
    func agreesWithParse() {
        var random = SplitMix64(seed: 0x7_1A3E)
        var parser = InstantParser()
        var accepted = 0
        for _ in 0..<Self.runs {
            let bytes = Self.timestamp(using: &random)
            let expected = bytes.withUnsafeBufferPointer { Instant.parse(utf8: $0) }
            let remembered = bytes.withUnsafeBufferPointer { parser.parse(utf8: $0) }
            #expect(remembered == expected, "\(String(decoding: bytes, as: UTF8.self))")
            if expected != nil { accepted += 1 }
        }
        // Both answers occur often enough to matter (in any run long enough to tell).
        if Self.runs >= 100 { #expect(accepted > Self.runs / 4 && accepted < Self.runs * 3 / 4) }
    }

    @Test(
        "Timestamps of a few minutes, damaged anywhere, parse as Instant.parse parses them, whatever minute is kept"
    )
    func agreesWithinMinutes() {
        var random = SplitMix64(seed: 0x5EC0_4D5)
        var parser = InstantParser()
        var valid = 0
        let minutes = [
            "2026-01-01T10:00", "2026-01-01T10:01", "2026-01-01T11:00", "2026-01-02T10:00", "2026-02-29T10:00",
        ]
        for _ in 0..<Self.runs {
            let second = Int.random(in: 0..<62, using: &random)
            var bytes = Array((minutes[Int.random(in: 0..<minutes.count, using: &random)] + ":").utf8)
            bytes += Array(String(format: "%02d", second).utf8) + [0x5A]
            if Int.random(in: 0..<3, using: &random) == 0 {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0x20..<0x7F, using: &random)
            }
            let expected = bytes.withUnsafeBufferPointer { Instant.parse(utf8: $0) }
            let parsed = bytes.withUnsafeBufferPointer { parser.parse(utf8: $0) }
            #expect(parsed == expected, "\(String(decoding: bytes, as: UTF8.self))")
            if expected != nil { valid += 1 }
        }
        // Both answers occur often enough to matter (in any run long enough to tell).
        if Self.runs >= 100 { #expect(valid > Self.runs / 3 && valid < Self.runs * 3 / 4) }
    }

    @Test("A second of the minute before is read with that minute, and a new minute on its own")
    func minuteRemembered() {
        var parser = InstantParser()
        for text in ["2026-01-01T10:00:59Z", "2026-01-01T10:00:07Z", "2026-01-01T10:01:07Z", "2026-01-01T10:00:00Z"] {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBufferPointer { parser.parse(utf8: $0) } == Instant(iso8601: text), "\(text)")
        }
        for damaged in ["2026-01-01T10:00:60Z", "2026-01-01T10:00-07Z", "2026-01-01T10:00:07z", "2026-01-01T10:00:0xZ"]
        {
            let bytes = Array(damaged.utf8)
            #expect(bytes.withUnsafeBufferPointer { parser.parse(utf8: $0) } == nil, "\(damaged)")
        }
    }

    @Test("A day after a day that differs only in its last two bytes is read as its own day")
    func nextDayInTheSameMonth() {
        var parser = InstantParser()
        let first = Array("2026-01-01T10:00:00Z".utf8)
        let second = Array("2026-01-02T10:00:00Z".utf8)
        let one = first.withUnsafeBufferPointer { parser.parse(utf8: $0) }
        let two = second.withUnsafeBufferPointer { parser.parse(utf8: $0) }
        #expect(one == Instant(iso8601: "2026-01-01T10:00:00Z"))
        #expect(two == Instant(iso8601: "2026-01-02T10:00:00Z"))
    }
}
