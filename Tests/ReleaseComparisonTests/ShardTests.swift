import FleetReplay
import Foundation
import ReleaseCore
import Testing

/// Accounts never interact, so a replay splits by account: merging every shard's summary, or replaying on
/// several cores, gives exactly the whole replay's summary (issue 11).
@Suite("Sharded and parallel replay equal the whole")
struct ShardTests {
    static func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("shard-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func generated(instances: Int, seed: UInt64) -> String {
        var text = ""
        TraceGenerator(instances: instances, recordsPerInstance: 6, accounts: max(1, instances / 40), seed: seed)
            .generate { text += $0 }
        return text
    }

    /// The summary without what legitimately differs (wall time).
    static func comparable(_ summary: ReplaySummary) -> ReplaySummary {
        var summary = summary
        summary.wallSeconds = 0
        return summary
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var instances: Int
        var seed: UInt64
        var testDescription: String { "\(instances) instances, seed \(seed)" }
    }

    @Test(
        "Merging N shards equals the whole replay",
        arguments: [Case(instances: 50, seed: 1), Case(instances: 400, seed: 2), Case(instances: 2_000, seed: 3)]
    )
    func mergeEqualsWhole(row: Case) throws {
        let path = try Self.file(Self.generated(instances: row.instances, seed: row.seed))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = TraceReplayer.Options()
        options.prices = PriceBook(
            PriceTable(
                decimalPerHour: [.compute: "0.37", .disk: "0.013", .elasticIP: "0.02", .snapshot: "0.001"],
                subscriptionPerMonth: "99.5"
            )!
        )
        let whole = try TraceReplayer.replay(path: path, options: options).0
        for count in [1, 2, 3, 7] {
            var shards: [ReplaySummary] = []
            for index in (0..<count).reversed() {
                var shardOptions = options
                shardOptions.shard = TraceShard(index: index, count: count)
                shards.append(try TraceReplayer.replay(path: path, options: shardOptions).0)
            }
            #expect(shards.map(\.records).reduce(0, +) == whole.records)
            let merged = try ReplaySummary.merged(shards)
            #expect(Self.comparable(merged) == Self.comparable(whole), "\(count) shards")
        }
        let parallel = try TraceReplayer.replaySummary(path: path, options: options, jobs: 3)
        #expect(Self.comparable(parallel) == Self.comparable(whole))
    }

    @Test("Malformed lines across accounts are judged and counted once, as in the whole replay")
    func malformedAcrossShards() throws {
        let trace = """
            time,account,instance,op,arg
            2026-01-01T00:00:00Z,a,i-1,launch,tencent postpaid
            2026-01-01T00:00:00Z,b,i-2,launch,aliyun postpaid
            2026-01-01T00:00:00Z,c,i-3,launch,aliyun prepaid:2026-01-05T00:00:00Z protected
            2026-01-01T00:01:00Z,b,i-1,stop,
            2026-01-01T00:02:00Z,a,i-2,launch,tencent postpaid
            2026-01-01T00:03:00Z,c,i-9,release,
            2026-01-01T00:04:00Z,c,i-3,release,
            2026-01-01T00:04:00Z,a,i-3,release,
            bad line
            2026-01-01T00:03:00Z,a,i-1,start,
            2026-01-01T01:00:00Z,a,,arrears,
            2026-01-01T02:00:00Z,d,i-4,launch,tencent postpaid
            """
        let path = try Self.file(trace)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = TraceReplayer.Options(skipMalformed: true)
        let whole = try TraceReplayer.replay(path: path, options: options).0
        #expect(whole.malformed == 6)
        for count in [2, 3, 5] {
            var shards: [ReplaySummary] = []
            for index in 0..<count {
                options.shard = TraceShard(index: index, count: count)
                shards.append(try TraceReplayer.replay(path: path, options: options).0)
            }
            #expect(Self.comparable(try ReplaySummary.merged(shards)) == Self.comparable(whole), "\(count) shards")
        }
        // Without skipping, every shard stops at the first malformed line, like the whole replay.
        options = TraceReplayer.Options()
        options.shard = TraceShard(index: 1, count: 2)
        #expect(throws: ReplayError.self) { try TraceReplayer.replay(path: path, options: options) }
    }

    @Test("A merge refuses missing, repeated or foreign shards")
    func mergeRefuses() throws {
        let path = try Self.file(Self.generated(instances: 60, seed: 9))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = TraceReplayer.Options()
        var shards: [ReplaySummary] = []
        for index in 0..<3 {
            options.shard = TraceShard(index: index, count: 3)
            shards.append(try TraceReplayer.replay(path: path, options: options).0)
        }
        #expect(throws: MergeError.self) { try ReplaySummary.merged(Array(shards.prefix(2))) }
        #expect(throws: MergeError.self) { try ReplaySummary.merged(shards + [shards[0]]) }
        #expect(throws: MergeError.self) { try ReplaySummary.merged([try TraceReplayer.replay(path: path).0]) }
        options.shard = TraceShard(index: 0, count: 3)
        options.newerProfiles = true
        let other = try TraceReplayer.replay(path: path, options: options).0
        #expect(throws: MergeError.self) { try ReplaySummary.merged([other, shards[1], shards[2]]) }
    }

    @Test("A trace read from a pipe is replayed in one pass, whatever --jobs says")
    func pipeIsOnePass() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c", "cat Examples/fleet.csv | '\(CLITests.executable.path)' replay /dev/stdin --jobs 2 --format json",
        ]
        process.currentDirectoryURL = repositoryRoot
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let piped = try JSONDecoder().decode(ReplaySummary.self, from: data)
        var whole = try TraceReplayer.replay(path: repositoryRoot.appendingPathComponent("Examples/fleet.csv").path).0
        whole.file = piped.file
        #expect(Self.comparable(piped) == Self.comparable(whole))
    }

    @Test("An account's shard is a stable hash: the same on every machine and run")
    func stableHash() {
        #expect(TraceShard.hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(TraceShard.hash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(TraceShard(parsing: "2/4") == TraceShard(index: 2, count: 4))
        #expect(TraceShard(parsing: "4/4") == nil)
        #expect(TraceShard(parsing: "-1/4") == nil)
        #expect(TraceShard(parsing: "1/0") == nil)
    }
}
