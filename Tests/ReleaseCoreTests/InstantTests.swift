import Foundation
import ReleaseCore
import Testing

@Suite("Instants and durations")
struct InstantTests {
    @Test(
        "ISO-8601 UTC round trip",
        arguments: ["1970-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "2024-02-29T23:59:59Z", "2100-12-31T12:34:56Z"]
    )
    func roundTrip(text: String) throws {
        let instant = try #require(Instant(iso8601: text))
        #expect(instant.iso8601 == text)
    }

    @Test("Known epoch offsets")
    func epochOffsets() {
        #expect(Instant(iso8601: "1970-01-01T00:00:00Z")?.secondsSince1970 == 0)
        #expect(Instant(iso8601: "2026-01-01T00:00:00Z")?.secondsSince1970 == 1_767_225_600)
        #expect(Instant(secondsSince1970: -1).iso8601 == "1969-12-31T23:59:59Z")
    }

    @Test(
        "Anything but YYYY-MM-DDTHH:MM:SSZ is rejected",
        arguments: [
            "", "2026-01-01", "2026-01-01T00:00:00", "2026-01-01T00:00:00+08:00", "2026-01-01 00:00:00Z",
            "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
            "2026-01-01T00:00:60Z", "2026-01-01T00:00:00.5Z", "２026-01-01T00:00:00Z",
        ]
    )
    func rejects(text: String) {
        #expect(Instant(iso8601: text) == nil)
    }

    @Test("Every instant has a description, the ends of Int64 included (the proleptic calendar's years there)")
    func describesTheEnds() {
        #expect(Instant(secondsSince1970: .max).iso8601 == "292277026596-12-04T15:30:07Z")
        #expect(Instant(secondsSince1970: .min).iso8601 == "-292277022657-01-27T08:29:52Z")
        #expect(Instant(secondsSince1970: -86_400).iso8601 == "1969-12-31T00:00:00Z")
        #expect(Instant(secondsSince1970: -86_401).iso8601 == "1969-12-30T23:59:59Z")
        // Years before 1 AD keep their sign before four digits (the proleptic calendar's year 0 is 1 BC).
        #expect(Instant(secondsSince1970: -62_167_219_201).iso8601 == "-0001-12-31T23:59:59Z")
        #expect(Instant(secondsSince1970: -62_167_219_200).iso8601 == "0000-01-01T00:00:00Z")
    }

    @Test("Start of minute drops the seconds")
    func startOfMinute() {
        #expect(Instant(iso8601: "2030-01-01T10:15:42Z")!.startOfMinute == Instant(iso8601: "2030-01-01T10:15:00Z"))
        #expect(Instant(secondsSince1970: -1).startOfMinute == Instant(secondsSince1970: -60))
    }

    @Test("Calendar years keep the wall-clock time; 29 February becomes 28 February")
    func calendarYears() {
        #expect(
            Instant(iso8601: "2026-03-05T01:02:03Z")!.addingCalendarYears(3) == Instant(iso8601: "2029-03-05T01:02:03Z")
        )
        #expect(
            Instant(iso8601: "2028-02-29T00:00:00Z")!.addingCalendarYears(3) == Instant(iso8601: "2031-02-28T00:00:00Z")
        )
    }

    @Test("Durations print compactly")
    func durations() {
        #expect(Seconds.hours(26).description == "26h")
        #expect(Seconds.days(15).description == "15d")
        #expect(Seconds.minutes(30).description == "30min")
        #expect(Seconds(61).description == "1min 1s")
        #expect((Seconds.days(15) + Seconds.hours(2)).description == "15d 2h")
        #expect(Seconds.days(1).description == "1d")
        #expect(Seconds(-300).description == "-5min")
    }
}

@Suite("Deadlines, meters and the ledger")
struct BookkeepingTests {
    @Test("Setting a deadline kind again replaces it; cancel and take forget it, a stale take does not")
    func deadlineSet() {
        var set = DeadlineSet()
        var effects: [Effect] = []
        let t = Instant(secondsSince1970: 1_000)
        // A kind declared outside the core, as a provider module declares its own, second in its machine's list.
        let providerKind = DeadlineKind(name: "providerKind", releasesInstance: false)
        let kinds = [DeadlineKind.scheduledRelease, providerKind] + DeadlineKind.shared.dropFirst()
        for (kind, at) in [(DeadlineKind.scheduledRelease, t), (providerKind, t), (.scheduledRelease, t + Seconds(5))] {
            let listed = set.set(kind, at: at, in: kinds, into: &effects)
            #expect(listed)
        }
        #expect(set.all(of: kinds) == [Deadline(providerKind, at: t), Deadline(.scheduledRelease, at: t + Seconds(5))])
        #expect(!set.isPending(Deadline(.scheduledRelease, at: t), rank: 0))
        set.cancel(.scheduledRelease, in: kinds, into: &effects)
        set.cancel(.scheduledRelease, in: kinds, into: &effects)
        #expect(effects.filter { $0 == .deadlineCancelled(.scheduledRelease) }.count == 1)
        let staleTaken = set.take(Deadline(providerKind, at: t + Seconds(1)), rank: 1)
        #expect(!staleTaken)
        let taken = set.take(Deadline(providerKind, at: t), rank: 1)
        #expect(taken)
        #expect(set.all(of: kinds).isEmpty)
        #expect(set.isEmpty)
    }

    @Test("Starting a running meter or stopping a stopped one has no effect")
    func runningMeters() {
        var meters = RunningMeters()
        var effects: [Effect] = []
        meters.start(.disk(3), into: &effects)
        meters.start(.disk(3), into: &effects)
        meters.start(.compute, into: &effects)
        meters.stop(.snapshot(1), into: &effects)
        #expect(effects == [.meterStarted(.disk(3)), .meterStarted(.compute)])
        #expect(meters.all == [.compute, .disk(3)])
    }

    @Test("The ledger sums billed seconds inside any window")
    func ledger() {
        var ledger = MeterLedger()
        let t = Instant(secondsSince1970: 0)
        ledger.record([.meterStarted(.compute), .meterStarted(.elasticIP)], at: t)
        ledger.record([.meterStopped(.compute)], at: t + Seconds(100))
        ledger.record([.meterStarted(.compute)], at: t + Seconds(200))
        #expect(ledger.billedSeconds(.compute, from: t, to: t + Seconds(300)) == Seconds(200))
        #expect(ledger.billedSeconds(.compute, from: t + Seconds(50), to: t + Seconds(250)) == Seconds(100))
        #expect(ledger.billedSeconds(.elasticIP, from: t, to: t + Seconds(300)) == Seconds(300))
        #expect(ledger.billedSeconds(from: t, to: t + Seconds(300)) == Seconds(500))
    }
}

@Suite("The core stays provider-neutral")
struct NeutralityTests {
    @Test("ReleaseCore's sources name no provider")
    func namesNoProvider() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/ReleaseCore")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOfFile: folder.appendingPathComponent(file).path, encoding: .utf8)
                .lowercased()
            for name in ["aliyun", "alibaba", "tencent", "qcloud"] {
                #expect(!text.contains(name), "\(file) names \(name)")
            }
        }
    }
}
