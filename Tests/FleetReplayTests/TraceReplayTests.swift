import FleetReplay
import Foundation
import ProviderRegistry
import ReleaseComparison
import ReleaseCore
import Reporting
import Scenarios
import Testing

/// Trace format v1 (../shared/docs/trace-format.md, Docs/Traces.md).
@Suite("Trace replay")
struct TraceReplayTests {
    /// The example from the trace format document.
    static let documentExample = """
        # cloud-release trace v1
        time,account,instance,op,arg
        2026-01-01T00:00:00Z,acct-01,i-000001,launch,aliyun postpaid
        2026-01-01T00:00:00Z,acct-01,i-000002,launch,tencent postpaid protected
        2026-01-01T00:00:00Z,acct-02,i-000003,launch,aliyun prepaid:2026-03-01T00:00:00Z
        2026-01-01T00:05:00Z,acct-01,i-000001,stop,stop-charging
        2026-01-01T00:06:00Z,acct-01,i-000001,release,
        2026-01-01T00:07:00Z,acct-01,i-000002,release,
        2026-01-01T01:00:00Z,acct-01,i-000002,restore,
        2026-01-01T02:00:00Z,acct-01,,arrears,
        2026-01-02T03:00:00Z,acct-01,,topup,

        """

    @Test("The format document's example replays with every record accounted for")
    func documentExample() throws {
        let (summary, replayed) = try TraceReplayer.replay(text: Self.documentExample)
        #expect(summary.records == 9)
        #expect(summary.applied == 7)
        #expect(summary.rejected == 2)
        #expect(summary.malformed == 0)
        #expect(summary.records == summary.applied + summary.rejected + summary.malformed)
        #expect(
            summary.rejections["tencent"] == [
                "UnsupportedOperation.InstancesProtected": 1, "UnsupportedOperation.InstanceStateRunning": 1,
            ]
        )
        let fleet = try #require(replayed)
        #expect(fleet[fleet.handle(named: "i-000001")!].phase == .released)
        // Arrears at 02:00 shut i-000002 down at 04:00; the top-up the next day at 03:00 came before 26 h.
        #expect(fleet[fleet.handle(named: "i-000002")!].phase == .running)
        #expect(fleet[fleet.handle(named: "i-000003")!].phase == .running)
        #expect(summary.instances == ["aliyun": ["running": 1, "released": 1], "tencent": ["running": 1]])
        #expect(summary.interval.to == Instant(iso8601: "2026-01-02T03:00:00Z"))
        // Aliyun compute: i-000001 ran 5 minutes (then stop-charging); i-000003 is a prepaid subscription.
        #expect(summary.billedSeconds["aliyun"]?["compute"] == Int64(300))
        // Tencent compute: i-000002 billed until its arrears shutdown at 04:00, then again from 03:00 next day.
        #expect(summary.billedSeconds["tencent"]?["compute"] == Int64(4 * 3_600))
    }

    @Test(
        "Lines fed one at a time through consume(line:) replay as the whole text, and a stop is kept",
        arguments: [false, true]
    )
    func linesFedOneByOne(withError: Bool) throws {
        var text = ""
        TraceGenerator(instances: 200, seed: 3).generate { text += $0 }
        if withError { text += "2026-12-31T00:00:00Z,acct-0,never-launched,stop,\n" }
        text += "2027-01-01T00:00:00Z,acct-0,,arrears,\n"
        var replayer = TraceReplayer(file: "fed")
        var fed = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            fed += 1
            guard replayer.consume(line: String(line)) else { break }
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        let whole = Result { () throws(ReplayError) in try TraceReplayer.replay(text: text, file: "fed").0 }
        let streamed = Result { () throws(ReplayError) in try replayer.finish().0 }
        switch (whole, streamed) {
        case (.success(var whole), .success(var streamed)):
            #expect(!withError)
            #expect(fed == lines)
            whole.wallSeconds = 0
            streamed.wallSeconds = 0
            #expect(streamed == whole)
        case (.failure(let whole), .failure(let streamed)):
            #expect(withError)
            // Reading stopped at the bad line, like the whole replay, with the same error.
            #expect(fed == lines - 2)
            #expect("\(streamed)" == "\(whole)")
        default:
            Issue.record("the whole text and the lines fed one by one disagree: \(whole) against \(streamed)")
        }
    }

    struct MalformedRow: CustomTestStringConvertible, Sendable {
        var line: String
        var reason: String
        var testDescription: String { reason }
    }

    @Test(
        "A malformed line stops the replay with file:line: why",
        arguments: [
            MalformedRow(line: "2026-01-01T00:00:00Z,acct,i-1,launch", reason: "expected 5 comma-separated fields"),
            MalformedRow(line: "2026-01-01 00:00:00,acct,i-9,launch,aliyun postpaid", reason: "time: "),
            MalformedRow(line: "2026-01-01T00:00:00Z,,i-9,launch,aliyun postpaid", reason: "account: "),
            MalformedRow(line: "2026-01-01T00:00:00Z,acct,i-1,reboot,", reason: "op: unknown op \"reboot\""),
            MalformedRow(line: "2026-01-01T00:00:00Z,acct,i-404,start,", reason: "unknown instance i-404"),
            MalformedRow(line: "2026-01-01T00:00:00Z,other,i-1,start,", reason: "i-1 belongs to acct, not other"),
            MalformedRow(line: "2025-12-31T23:59:59Z,acct,i-1,start,", reason: "is earlier than the record before"),
            MalformedRow(line: "2026-01-01T00:00:00Z,acct,i-1,launch,aliyun postpaid", reason: "launched before"),
            MalformedRow(line: "2026-01-01T00:00:00Z,acct,i-1,release,now", reason: "release takes words"),
            MalformedRow(line: "2026-01-01T00:00:00Z,acct,i-1,arrears,", reason: "account-level"),
            MalformedRow(line: "2026-01-01T00:00:00Z,acct,,start,", reason: "needs an instance id"),
            MalformedRow(line: "2026-01-01T00:00:00Z,acct,i-2,launch,gcp postpaid", reason: "unknown provider"),
            MalformedRow(line: "2026-01-01T00:00:00Z,acct,i-1,protect,maybe", reason: "protect takes on or off"),
        ]
    )
    func malformed(row: MalformedRow) {
        let text = "time,account,instance,op,arg\n2026-01-01T00:00:00Z,acct,i-1,launch,aliyun postpaid\n\(row.line)\n"
        do {
            _ = try TraceReplayer.replay(text: text, file: "t.csv")
            Issue.record("expected the replay to stop")
        } catch {
            #expect(error.description.hasPrefix("t.csv:3: "))
            #expect(error.description.contains(row.reason), "\(error.description)")
        }
    }

    /// The reader compares a record's account with its instance's owner by the name's packed words (up to 15 bytes)
    /// or its bytes (longer): names that differ only after their first eight bytes, or only in their last, are two
    /// accounts.
    @Test(
        "A record under another account than its instance's owner is malformed, however alike the two names",
        arguments: [
            ("account-a", "account-b"), ("account-12345678", "account-12345679"), ("acct-1", "acct-10"),
            ("a-rather-long-account-name-1", "a-rather-long-account-name-2"),
        ]
    )
    func ownerComparedWhole(owner: String, other: String) {
        expectOwnerRefused(owner: owner, other: other)
    }

    /// Replays `owner` launching i-1 and `other` starting it: the replay stops at line 3, where i-1 belongs to `owner`.
    private func expectOwnerRefused(owner: String, other: String) {
        let text = """
            time,account,instance,op,arg
            2026-01-01T00:00:00Z,\(owner),i-1,launch,aliyun postpaid
            2026-01-01T00:00:01Z,\(other),i-1,start,

            """
        do {
            _ = try TraceReplayer.replay(text: text, file: "t.csv")
            Issue.record("\(other) was taken for \(owner): expected the replay to stop at line 3")
        } catch {
            #expect(error.description.hasPrefix("t.csv:3: "))
            #expect(error.description.contains("i-1 belongs to \(owner), not \(other)"), "\(error.description)")
        }
    }

    /// The general form of the above: for names of every length from 1 to 20 bytes (both sides of the 15-byte packed
    /// limit and of each word), another account whose name differs from the owner's in any one byte, or is one byte
    /// shorter or longer, is not the owner.
    @Test("Any one byte, or one byte of length, makes another account than the owner, at every name length to 20")
    func ownerComparedAtEveryByte() {
        for length in 1...20 {
            let owner = String(repeating: "a", count: length)
            var others = (0..<length).map { place in
                String(owner.prefix(place)) + "b" + String(owner.dropFirst(place + 1))
            }
            others.append(owner + "a")
            if length > 1 { others.append(String(owner.dropLast())) }
            for other in others { expectOwnerRefused(owner: owner, other: other) }
        }
    }

    struct ArgumentRow: CustomTestStringConvertible, Sendable {
        var op: String
        /// An argument the op takes, and a word that cannot follow it.
        var argument: String
        var oneMore: String
        var testDescription: String { "\(op) \"\(argument)\" + \"\(oneMore)\"" }
    }

    @Test(
        "An op's argument has exactly the words Docs/Traces.md allows it: the same argument with one word more is malformed at its line",
        arguments: [
            ArgumentRow(op: "schedule-release", argument: "2026-01-02T00:00:00Z", oneMore: "2026-01-03T00:00:00Z"),
            ArgumentRow(op: "renew", argument: "2026-03-01T00:00:00Z", oneMore: "2026-04-01T00:00:00Z"),
            ArgumentRow(op: "protect", argument: "on", oneMore: "off"),
            ArgumentRow(op: "protect", argument: "off", oneMore: "on"),
            ArgumentRow(op: "start", argument: "", oneMore: "now"),
            ArgumentRow(op: "cancel-schedule", argument: "", oneMore: "all"),
            ArgumentRow(op: "restore", argument: "", oneMore: "stopped"),
            ArgumentRow(op: "unsubscribe", argument: "", oneMore: "refund"),
            ArgumentRow(op: "convert-ip-to-eip", argument: "", oneMore: "eip"),
            ArgumentRow(op: "convert-to-postpaid", argument: "", oneMore: "postpaid"),
        ]
    )
    func argumentWords(row: ArgumentRow) throws {
        let launch =
            "time,account,instance,op,arg\n2026-01-01T00:00:00Z,acct,i-1,launch,aliyun prepaid:2026-02-01T00:00:00Z\n"
        let valid = launch + "2026-01-01T01:00:00Z,acct,i-1,\(row.op),\(row.argument)\n"
        _ = try TraceReplayer.replay(text: valid, file: "t.csv")
        let argument = row.argument.isEmpty ? row.oneMore : row.argument + " " + row.oneMore
        let extra = launch + "2026-01-01T01:00:00Z,acct,i-1,\(row.op),\(argument)\n"
        #expect(throws: (any Error).self, "\(row.op) \(argument) was read") {
            _ = try TraceReplayer.replay(text: extra, file: "t.csv")
        }
        do { _ = try TraceReplayer.replay(text: extra, file: "t.csv") } catch {
            #expect(error.description.hasPrefix("t.csv:3: "), "\(error.description)")
        }
    }

    @Test(
        "A record has exactly five fields: a field more or fewer, on any line of a trace, is malformed as such",
        arguments: [-1, 1, 4]
    )
    func exactlyFiveFields(extraFields: Int) throws {
        var lines: [String] = []
        TraceGenerator(instances: 12, seed: 5).generate { chunk in
            lines += chunk.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        }
        let header = TraceRecord.header
        let records = lines.filter { !$0.hasPrefix("#") && $0 != header }.prefix(40)
        #expect(records.count == 40)
        for (index, record) in records.enumerated() {
            let changed: String
            if extraFields < 0 {
                // The last two fields run together.
                let last = try #require(record.lastIndex(of: ","))
                changed = String(record[..<last]) + ";" + String(record[record.index(after: last)...])
            } else {
                changed = record + String(repeating: ",x", count: extraFields)
            }
            let text = ([header] + records.prefix(index) + [changed]).joined(separator: "\n") + "\n"
            do {
                _ = try TraceReplayer.replay(text: text, file: "t.csv")
                Issue.record("line \(index + 2) with \(5 + extraFields) fields was read: \(changed)")
            } catch {
                #expect(
                    error.description.hasPrefix(
                        "t.csv:\(index + 2): expected 5 comma-separated fields, found \(5 + extraFields)"
                    ),
                    "\(error.description)"
                )
            }
        }
    }

    @Test("With skip-malformed every bad line is counted and listed, and nothing else changes")
    func skipMalformed() throws {
        let text = """
            time,account,instance,op,arg
            2026-01-01T00:00:00Z,acct,i-1,launch,aliyun postpaid
            garbage
            2026-01-01T00:01:00Z,acct,i-1,stop,
            2026-01-01T00:02:00Z,acct,i-1,teleport,
            2026-01-01T00:03:00Z,acct,i-1,release,

            """
        var options = TraceReplayer.Options()
        options.skipMalformed = true
        let (summary, _) = try TraceReplayer.replay(text: text, options: options)
        #expect(summary.records == 5)
        #expect(summary.malformed == 2)
        #expect(summary.malformedLines.map(\.line) == [3, 5])
        #expect(summary.applied == 3)
        #expect(summary.instances["aliyun"] == ["released": 1])
    }

    @Test("Skipped malformed lines are all counted but only the first 1,000 listed, whole or merged from shards")
    func malformedListIsBounded() throws {
        let bad = 2_500
        let text =
            "time,account,instance,op,arg\n"
            + (0..<bad).map { "2026-01-01T00:00:00Z,acct-\($0 % 7),i-\($0),teleport," }.joined(separator: "\n")
        var options = TraceReplayer.Options()
        options.skipMalformed = true
        let (whole, _) = try TraceReplayer.replay(text: text, options: options)
        #expect(whole.malformed == bad)
        #expect(whole.malformedLines.count == ReplaySummary.listedMalformedLines)
        #expect(whole.malformedLines.map(\.line) == Array(2...(ReplaySummary.listedMalformedLines + 1)))
        let listing = "... and 2,480 more (the first 1,000 are listed with --format json)"
        #expect(whole.rendered(as: .text).contains(listing))
        var shards: [ReplaySummary] = []
        for index in 0..<3 {
            options.shard = TraceShard(index: index, count: 3)
            shards.append(try TraceReplayer.replay(text: text, options: options).0)
        }
        let merged = try ReplaySummary.merged(shards)
        #expect(merged.malformed == bad)
        #expect(merged.malformedLines == whole.malformedLines)
    }

    @Test("Comments, CRLF line ends and a header are required and handled; a bad header stops at once")
    func headerAndLineEnds() throws {
        let text =
            "# comment\r\ntime,account,instance,op,arg\r\n# another\r\n2026-01-01T00:00:00Z,a,i-1,launch,tencent postpaid\r\n"
        let (summary, _) = try TraceReplayer.replay(text: text)
        #expect(summary.records == 1 && summary.applied == 1)
        #expect(throws: ReplayError.self) { try TraceReplayer.replay(text: "time,account,op\n") }
        #expect(throws: ReplayError.self) { try TraceReplayer.replay(text: "# only a comment\n") }
    }

    @Test("A word the provider does not have is a rejection with its parameter error, not a malformed line")
    func providerWords() throws {
        let text = """
            time,account,instance,op,arg
            2026-01-01T00:00:00Z,a,i-1,launch,aliyun postpaid
            2026-01-01T00:00:00Z,a,i-2,launch,tencent postpaid
            2026-01-01T00:01:00Z,a,i-1,release,immediately
            2026-01-01T00:01:00Z,a,i-2,release,force

            """
        let (summary, _) = try TraceReplayer.replay(text: text)
        #expect(summary.rejections == ["aliyun": ["InvalidParameter": 1], "tencent": ["UnknownParameter": 1]])
    }

    @Test("A refused launch makes later records for that id rejections (NotFound), not malformed lines")
    func refusedLaunch() throws {
        let text = """
            time,account,instance,op,arg
            2026-01-01T00:00:00Z,a,i-1,launch,aliyun prepaid:2026-02-01T00:00:00Z protected
            2026-01-01T00:01:00Z,a,i-1,start,

            """
        let (summary, _) = try TraceReplayer.replay(text: text)
        #expect(summary.rejections == ["aliyun": ["ChargeTypeViolation": 1, "InvalidInstanceId.NotFound": 1]])
    }

    @Test("A price table turns billed seconds into a cost forecast, exactly; seconds stay the base unit")
    func prices() throws {
        var options = TraceReplayer.Options()
        options.prices = PriceBook(PriceTable(decimalPerHour: [.compute: "0.36", .disk: "0.036"])!)
        let (summary, _) = try TraceReplayer.replay(text: Self.documentExample, options: options)
        // Tencent: 4 h of compute and 4 h of its disk (see the document example test): 1.44 + 0.144, not 1.5840000000000003.
        #expect(summary.cost?["tencent"]?["compute"] == Decimal(string: "1.44"))
        #expect(summary.cost?["tencent"]?["total"] == Decimal(string: "1.584"))
        #expect(summary.currency == "CNY")
        #expect(summary.billedSeconds["tencent"]?["compute"] == Int64(4 * 3_600))
        #expect(PriceTable().cost(of: [.compute: .hours(5)]) == .zero("CNY"))
    }

    @Test("--until takes every record up to and including its second, at every record's time of a trace")
    func untilIsInclusive() throws {
        var lines: [String] = []
        TraceGenerator(instances: 8, seed: 21).generate { chunk in
            lines += chunk.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        }
        let records = lines.filter { !$0.hasPrefix("#") && $0 != TraceRecord.header }
        let text = ([TraceRecord.header] + records).joined(separator: "\n") + "\n"
        let times = try records.map { try #require(Instant(iso8601: String($0.prefix { $0 != "," }))) }
        for until in Set(times) {
            var options = TraceReplayer.Options()
            options.until = until
            let summary = try TraceReplayer.replay(text: text, file: "t.csv", options: options).0
            #expect(summary.records == times.filter { $0 <= until }.count, "until \(until.iso8601)")
        }
    }

    @Test("--until runs the clock to that time and stops reading at the first later record")
    func until() throws {
        var options = TraceReplayer.Options()
        options.until = Instant(iso8601: "2026-01-01T01:30:00Z")
        let (summary, fleet) = try TraceReplayer.replay(text: Self.documentExample, options: options)
        #expect(summary.records == 7)
        #expect(summary.stoppedBeforeLine == 10)
        #expect(summary.interval.to == options.until)
        #expect(fleet?.now == options.until)
    }

    @Test("Replaying the same trace twice gives the same summary and timeline, byte for byte")
    func determinism() throws {
        var text = ""
        TraceGenerator(instances: 300, seed: 42).generate { text += $0 }
        var options = TraceReplayer.Options()
        options.recordTimeline = true
        var (first, firstFleet) = try TraceReplayer.replay(text: text, options: options)
        var (second, secondFleet) = try TraceReplayer.replay(text: text, options: options)
        first.wallSeconds = 0
        second.wallSeconds = 0
        #expect(first == second)
        #expect(first.rendered(as: .json) == second.rendered(as: .json))
        #expect(firstFleet?.timeline == secondFleet?.timeline)
        #expect((firstFleet?.timeline?.count ?? 0) > 1_000)
    }
}
