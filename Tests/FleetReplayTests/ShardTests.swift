import FleetReplay
import Foundation
import ProviderRegistry
import ReleaseCore
import ReleaseTestKit
import Reporting
import TestSupport
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
        // A replay that leaves its state to the process's end (the executable's) answers the same, on one core or
        // more.
        var leaving = options
        leaving.freesStateAtEnd = false
        for jobs in [1, 2] {
            let left = try TraceReplayer.replaySummary(path: path, options: leaving, jobs: jobs)
            #expect(Self.comparable(left) == Self.comparable(whole), "\(jobs) jobs, state left to the end")
        }
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

    @Test("A merge refuses missing (any one of them), repeated or foreign shards")
    func mergeRefuses() throws {
        let path = try Self.file(Self.generated(instances: 60, seed: 9))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = TraceReplayer.Options()
        var shards: [ReplaySummary] = []
        for index in 0..<3 {
            options.shard = TraceShard(index: index, count: 3)
            shards.append(try TraceReplayer.replay(path: path, options: options).0)
        }
        for missing in shards.indices {
            var others = shards
            others.remove(at: missing)
            #expect(throws: MergeError.self, "shard \(missing) missing") { try ReplaySummary.merged(others) }
        }
        #expect(throws: MergeError.self) { try ReplaySummary.merged(shards + [shards[0]]) }
        #expect(throws: MergeError.self) { try ReplaySummary.merged([try TraceReplayer.replay(path: path).0]) }
        options.shard = TraceShard(index: 0, count: 3)
        options.newerProfiles = true
        let other = try TraceReplayer.replay(path: path, options: options).0
        #expect(throws: MergeError.self) { try ReplaySummary.merged([other, shards[1], shards[2]]) }
    }

    /// What a shard's summary records of how it was replayed, each changed alone on one shard.
    enum ReplaySetting: String, CaseIterable, Sendable {
        case file, format, profiles, intervalStart, intervalEnd, stoppedBeforeLine, prices, currency
    }

    @Test(
        "Shards that differ in any one setting of their replay (file, format, profiles, interval, where --until stopped, prices, currency) are refused; unchanged, they merge",
        arguments: ReplaySetting.allCases
    )
    func mergeRefusesAnyOtherSetting(setting: ReplaySetting) throws {
        let path = try Self.file(Self.generated(instances: 40, seed: 11))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = TraceReplayer.Options()
        options.prices = Self.book(["*": ["compute": "1.00"]], currency: "CNY")
        var shards: [ReplaySummary] = []
        for index in 0..<2 {
            options.shard = TraceShard(index: index, count: 2)
            shards.append(try TraceReplayer.replay(path: path, options: options).0)
        }
        _ = try ReplaySummary.merged(shards)
        var changed = shards[1]
        switch setting {
        case .file: changed.file += ".old"
        case .format: changed.format += " (older)"
        case .profiles: changed.profiles["aliyun"] = "other"
        case .intervalStart: changed.interval.from = changed.interval.from.map { $0 - Seconds(1) }
        case .intervalEnd: changed.interval.to = changed.interval.to.map { $0 + Seconds(1) }
        case .stoppedBeforeLine: changed.stoppedBeforeLine = (changed.stoppedBeforeLine ?? 0) + 7
        case .prices: changed.prices = nil
        case .currency: changed.currency = "USD"
        }
        #expect(throws: MergeError.self, "\(setting) differed and the shards merged") {
            try ReplaySummary.merged([shards[0], changed])
        }
    }

    /// A generated trace with damage a user's trace may have, at random lines: a record moved to another account,
    /// a launch repeated later (of an instance its provider accepted or refused), an instance never launched, a
    /// line that is not a record, a record earlier than the one before.
    static func damaged(instances: Int, seed: UInt64) -> String {
        var random = SplitMix64(seed: seed)
        var lines = generated(instances: instances, seed: seed).split(separator: "\n").map(String.init)
        let launches = lines.indices.filter { lines[$0].contains(",launch,") }
        for _ in 0..<max(4, lines.count / 25) {
            let index = 1 + Int(random.next() % UInt64(lines.count - 1))
            var fields = lines[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5 else { continue }
            switch random.next() % 5 {
            case 0: fields[1] = "acct-\(random.next() % 7)"
            case 1:
                let launch = lines[launches[Int(random.next() % UInt64(launches.count))]]
                var copied = launch.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                copied[0] = fields[0]
                fields = copied
            case 2: fields[2] = "i-never-\(random.next() % 3)"
            case 3: fields = ["not", "a", "record"]
            default: fields[0] = "2020-01-01T00:00:00Z"
            }
            lines[index] = fields.joined(separator: ",")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(
        "Any damage is judged and counted as in the whole replay, on any number of cores or shards",
        arguments: [11, 12, 13, 14, 15] as [UInt64]
    )
    func damagedTraceSplitsAlike(seed: UInt64) throws {
        let path = try Self.file(Self.damaged(instances: 300, seed: seed))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let options = TraceReplayer.Options(skipMalformed: true)
        let whole = try TraceReplayer.replay(path: path, options: options).0
        #expect(whole.malformed > 0)
        for jobs in [2, 3, 8] {
            let parallel = try TraceReplayer.replaySummary(path: path, options: options, jobs: jobs)
            #expect(Self.comparable(parallel) == Self.comparable(whole), "\(jobs) jobs")
        }
        var shards: [ReplaySummary] = []
        for index in 0..<3 {
            var shardOptions = options
            shardOptions.shard = TraceShard(index: index, count: 3)
            shards.append(try TraceReplayer.replaySummary(path: path, options: shardOptions, jobs: 2))
        }
        #expect(Self.comparable(try ReplaySummary.merged(shards)) == Self.comparable(whole))
        // Without skipping, every split stops at the same first malformed line.
        let stop = #expect(throws: ReplayError.self) { try TraceReplayer.replay(path: path) }
        let parallelStop = #expect(throws: ReplayError.self) {
            try TraceReplayer.replaySummary(path: path, options: TraceReplayer.Options(), jobs: 3)
        }
        #expect(stop?.line != nil && stop?.line == parallelStop?.line)
        #expect(stop?.description == parallelStop?.description)
    }

    @Test("An account's name reaches its partition once, with the first record that needs it, whatever its fate")
    func accountNameSentOnce() throws {
        // Account a's name goes with its arrears; its first launch is refused (no slot in the fleet), so its second
        // launch, which carries no name, takes the one kept from the arrears.
        let trace = """
            time,account,instance,op,arg
            2026-01-01T00:00:00Z,b,i-3,launch,aliyun postpaid
            2026-01-01T00:00:30Z,a,,arrears,
            2026-01-01T00:01:00Z,a,i-1,launch,tencent postpaid
            2026-01-01T00:01:30Z,b,i-4,launch,tencent postpaid
            2026-01-01T00:02:00Z,a,,topup,
            2026-01-01T00:03:00Z,a,i-2,launch,aliyun postpaid
            2026-01-01T00:06:00Z,a,i-5,launch,aliyun postpaid
            2026-01-01T00:07:00Z,b,i-4,stop,
            """
        let path = try Self.file(trace)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (whole, fleet) = try TraceReplayer.replay(path: path)
        #expect(whole.rejected == 1)
        #expect(whole.applied == 7)
        #expect(fleet?.count == 4)
        for jobs in [1, 2, 3] {
            let parallel = try TraceReplayer.replaySummary(path: path, options: TraceReplayer.Options(), jobs: jobs)
            #expect(Self.comparable(parallel) == Self.comparable(whole), "\(jobs) jobs")
        }
    }

    @Test("A relaunch is malformed whatever its provider would answer, in a whole replay and split alike")
    func relaunchIsMalformed() throws {
        let trace = """
            time,account,instance,op,arg
            2026-01-01T00:00:00Z,a,i-1,launch,tencent postpaid
            2026-01-01T00:00:00Z,b,i-2,launch,aliyun postpaid
            2026-01-01T01:00:00Z,a,,arrears,
            2026-01-01T01:00:00Z,b,,arrears,
            2026-01-01T02:00:00Z,a,i-1,launch,tencent postpaid
            2026-01-01T02:00:00Z,b,i-2,launch,aliyun postpaid
            2026-01-01T02:00:00Z,b,i-3,launch,aliyun postpaid
            2026-01-01T03:00:00Z,b,i-3,launch,aliyun postpaid
            """
        let path = try Self.file(trace)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let options = TraceReplayer.Options(skipMalformed: true)
        let whole = try TraceReplayer.replay(path: path, options: options).0
        // i-1 and i-2 were accepted, i-3 refused (its account is in arrears); each relaunch is malformed.
        #expect(whole.malformed == 3)
        #expect(whole.malformedLines.map(\.line) == [6, 7, 9])
        #expect(whole.malformedLines.allSatisfy { $0.reason.hasSuffix("was launched before") })
        let parallel = try TraceReplayer.replaySummary(path: path, options: options, jobs: 2)
        #expect(Self.comparable(parallel) == Self.comparable(whole))
    }

    @Test("Ids that Unicode holds equal name one instance and one account (as Swift strings compare them)")
    func canonicallyEqualIDs() throws {
        // U+212A KELVIN SIGN is canonically "K"; "é" precomposed and "e" with U+0301 are one letter.
        let trace = """
            time,account,instance,op,arg
            2026-01-01T00:00:00Z,caf\u{E9},i-\u{212A},launch,tencent postpaid
            2026-01-01T00:01:00Z,cafe\u{301},i-K,stop,
            2026-01-01T00:02:00Z,caf\u{E9},i-\u{212A},start,
            """
        let path = try Self.file(trace)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let whole = try TraceReplayer.replay(path: path).0
        #expect(whole.malformed == 0)
        #expect(whole.applied == 3)
        let parallel = try TraceReplayer.replaySummary(path: path, options: TraceReplayer.Options(), jobs: 2)
        #expect(Self.comparable(parallel) == Self.comparable(whole))
    }

    @Test("More batches than the budget in flight, nearly all one partition's, replay as the whole does")
    func budgetSpentByOnePartition() throws {
        // Two accounts, one with nearly every instance: its partition holds nearly every batch in flight, so the
        // reader and the workers take turns on it, one at a time and in order, and the reader applies batches
        // whenever the budget is spent (ParallelReplay.swift, PartitionPool).
        var text = ""
        TraceGenerator(instances: 16_000, recordsPerInstance: 8, accounts: 1, seed: 31).generate { text += $0 }
        text += "2026-01-08T00:00:00Z,second,i-second,launch,aliyun postpaid\n"
        let path = try Self.file(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let whole = try TraceReplayer.replay(path: path).0
        #expect(whole.records > 100_000)
        for jobs in [2, 3, 4, 8] {
            let parallel = try TraceReplayer.replaySummary(path: path, options: TraceReplayer.Options(), jobs: jobs)
            #expect(Self.comparable(parallel) == Self.comparable(whole), "jobs \(jobs)")
        }
    }

    @Test("A record of an instance under an account it does not belong to still numbers that account in turn")
    func strangerNamingAnInstance() throws {
        // "b" is first seen naming a-1's instance (malformed, skipped): it takes the next partition there, as every
        // account does at its first line, so the partitions and shards below match the whole replay.
        let trace = """
            time,account,instance,op,arg
            2026-01-01T00:00:00Z,a,i-1,launch,tencent postpaid
            2026-01-01T00:01:00Z,b,i-1,stop,
            2026-01-01T00:02:00Z,c,i-2,launch,aliyun postpaid
            2026-01-01T00:03:00Z,b,i-3,launch,tencent postpaid
            2026-01-01T00:04:00Z,a,i-1,stop,
            2026-01-01T00:05:00Z,b,i-3,stop,
            2026-01-01T00:06:00Z,c,i-2,release,
            """
        let path = try Self.file(trace)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let options = TraceReplayer.Options(skipMalformed: true)
        let whole = try TraceReplayer.replay(path: path, options: options).0
        #expect(whole.malformedLines.map(\.line) == [3])
        #expect(whole.malformedLines.first?.reason == "account: i-1 belongs to a, not b")
        #expect(whole.applied + whole.rejected == 6)
        for jobs in [2, 3] {
            let parallel = try TraceReplayer.replaySummary(path: path, options: options, jobs: jobs)
            #expect(Self.comparable(parallel) == Self.comparable(whole), "jobs \(jobs)")
        }
    }

    @Test("An account keeps the spelling the trace first gave it, whichever equivalent spelling a launch uses")
    func firstSpellingOfAnAccount() throws {
        let trace = """
            time,account,instance,op,arg
            2026-01-01T00:00:00Z,cafe\u{301},,arrears,
            2026-01-01T00:01:00Z,caf\u{E9},,topup,
            2026-01-01T00:02:00Z,caf\u{E9},i-1,launch,tencent postpaid
            """
        let path = try Self.file(trace)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fleet = try #require(try TraceReplayer.replay(path: path).1)
        #expect(fleet.accounts.map { Array($0.unicodeScalars) } == [Array("cafe\u{301}".unicodeScalars)])
    }

    @Test("A trace read from a pipe is read once and applied on --jobs cores, with the whole replay's summary")
    func pipeIsOnePass() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c", "cat Examples/fleet.csv | '\(BuiltTool.executable.path)' replay /dev/stdin --jobs 2 --format json",
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

    @Test(
        "A replay from a pipe whose writer stays open ends at its --until line, at one job and at two",
        arguments: [1, 2]
    )
    func pipeStopsAtUntil(jobs: Int) throws {
        let process = Process()
        process.executableURL = BuiltTool.executable
        process.arguments = [
            "replay", "/dev/stdin", "--until", "2026-01-01T00:00:30Z", "--jobs", "\(jobs)", "--format", "json",
        ]
        let input = Pipe()
        let out = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            try? input.fileHandleForWriting.close()
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
        let lines = """
            time,account,instance,op,arg
            2026-01-01T00:00:00Z,acct,i-1,launch,aliyun postpaid
            2026-01-01T00:01:00Z,acct,i-1,stop,

            """
        // The writer keeps the pipe open: the replay must end at the line past --until, not wait for more.
        input.fileHandleForWriting.write(Data(lines.utf8))
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!process.isRunning, "the replay waited for more input after its --until line")
        guard !process.isRunning else { return }
        let summary = try JSONDecoder().decode(ReplaySummary.self, from: out.fileHandleForReading.readDataToEndOfFile())
        #expect(summary.stoppedBeforeLine == 3)
        #expect(summary.applied == 1)
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

    /// A price book from per-table decimal texts (`*`: every provider without its own table).
    static func book(_ tables: [String: [String: String]], currency: String) -> PriceBook {
        var book = PriceBook(currency: currency)
        for (key, prices) in tables {
            var table = PriceTable(currency: currency)
            for (name, text) in prices {
                guard let price = Money(decimal: text, currency: currency), table.setPrice(named: name, to: price)
                else {
                    preconditionFailure("\(name)=\(text) is not a price")
                }
            }
            book.setTable(table, forKey: key)
        }
        return book
    }

    /// A random price as a price file writes it: up to six decimals, from 0 to the largest a price may be.
    static func amount(using random: inout SplitMix64) -> String {
        let units = Int64.random(in: 0...(Bool.random(using: &random) ? 100 : 1_000_000_000), using: &random)
        let micros = units == 1_000_000_000 ? 0 : Int64.random(in: 0...999_999, using: &random)
        let fraction = String(micros)
        return micros == 0 && Bool.random(using: &random)
            ? "\(units)" : "\(units).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }

    /// The same amount one micro-unit up or down, or another random amount: any difference at all.
    static func otherAmount(than text: String, using random: inout SplitMix64) -> String {
        let scaled = Money(decimal: text, currency: "CNY")!.scaled / 3_600
        let nearby = [scaled - 1, scaled + 1].filter { $0 >= 0 && $0 <= 1_000_000_000_000_000 }
        var micros = Bool.random(using: &random) ? nearby.randomElement(using: &random)! : scaled
        while micros == scaled {
            micros = Money(decimal: Self.amount(using: &random), currency: "CNY")!.scaled / 3_600
        }
        let fraction = String(micros % 1_000_000)
        return "\(micros / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }

    /// One change to a replay's prices, and the words the refusal must name.
    enum PriceChange: CaseIterable {
        case amount, removedPrice, addedPrice, currency, addedTable, removedTable, unpriced
    }

    @Test("Shards replayed with any difference in prices are refused, naming it; shards with the same prices merge")
    func mergeRefusesOtherPrices() throws {
        let path = try Self.file(Self.generated(instances: 30, seed: 24))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var random = SplitMix64(seed: 0x9_81CE)
        let keys = [PriceBook.fallbackKey] + ProviderModel.Kind.allCases.map(\.rawValue)
        /// A shard's summary as `merge` reads it: written as JSON and read back.
        func shard(_ index: Int, _ book: PriceBook?) throws -> ReplaySummary {
            var options = TraceReplayer.Options()
            options.prices = book
            options.shard = TraceShard(index: index, count: 2)
            let summary = try TraceReplayer.replay(path: path, options: options).0
            return try JSONDecoder().decode(ReplaySummary.self, from: Data(summary.rendered(as: .json).utf8))
        }
        for run in 0..<max(1, PropertyRunner<AnyInstance>.configuredRuns(fallback: 1_000) / 10) {
            // Random tables (the fallback, a provider's own) of random prices, in a random currency.
            var tables: [String: [String: String]] = [:]
            for key in keys where tables.isEmpty || Bool.random(using: &random) {
                tables[key] = [:]
                for name in PriceTable.priceNames where Bool.random(using: &random) {
                    tables[key]![name] = Self.amount(using: &random)
                }
            }
            let currency = ["CNY", "USD"].randomElement(using: &random)!
            let book = Self.book(tables, currency: currency)
            let first = try shard(0, book)
            // The same prices: the merge is the whole replay's summary, in either order.
            let same = [first, try shard(1, book)].shuffled(using: &random)
            var wholeOptions = TraceReplayer.Options()
            wholeOptions.prices = book
            var whole = try TraceReplayer.replay(path: path, options: wholeOptions).0
            whole.wallSeconds = 0
            #expect(Self.comparable(try ReplaySummary.merged(same)) == whole, "run \(run): \(tables)")
            // One difference, anywhere.
            var changed = tables
            var otherCurrency = currency
            var priced = true
            let change = PriceChange.allCases.randomElement(using: &random)!
            let named: String
            switch change {
            case .amount, .removedPrice:
                let candidates = tables.flatMap { key, prices in prices.keys.map { (key, $0) } }.sorted {
                    "\($0)" < "\($1)"
                }
                guard let (key, name) = candidates.randomElement(using: &random) else { continue }
                changed[key]![name] =
                    change == .amount ? Self.otherAmount(than: tables[key]![name]!, using: &random) : nil
                named = "\(key) \(name)"
            case .addedPrice:
                let candidates = tables.flatMap { key, prices in
                    PriceTable.priceNames.filter { prices[$0] == nil }.map { (key, $0) }
                }.sorted { "\($0)" < "\($1)" }
                guard let (key, name) = candidates.randomElement(using: &random) else { continue }
                changed[key]![name] = Self.amount(using: &random)
                named = "\(key) \(name)"
            case .currency:
                otherCurrency = currency == "CNY" ? "USD" : "CNY"
                named = "prices are in"
            case .addedTable:
                guard let key = keys.filter({ tables[$0] == nil }).randomElement(using: &random) else { continue }
                changed[key] = [:]
                for name in PriceTable.priceNames where Bool.random(using: &random) {
                    changed[key]![name] = Self.amount(using: &random)
                }
                named = key
            case .removedTable:
                let key = tables.keys.sorted().randomElement(using: &random)!
                changed[key] = nil
                named = key
            case .unpriced:
                priced = false
                // Said as such ("replayed with prices, the other without"), not as a currency of "none".
                named = "without"
            }
            let other = try shard(1, priced ? Self.book(changed, currency: otherCurrency) : nil)
            let parts = [first, other].shuffled(using: &random)
            do {
                _ = try ReplaySummary.merged(parts)
                Issue.record("run \(run): \(change) (\(named)) merged: \(tables) and \(changed) in \(otherCurrency)")
                return
            } catch {
                #expect(error.reason.contains("is of another replay"), "run \(run): \(error.reason)")
                #expect(error.reason.contains(named), "run \(run): \(change): \(error.reason)")
            }
        }
    }
}

extension ShardTests {
    @Test(
        "A command names its own instance after launches the provider refused, on one core and on several",
        arguments: [1, 2, 3]
    )
    func handlesAfterRefusedLaunches(jobs: Int) throws {
        // a1 is in arrears, so its launches are refused; the instances after them are numbered past the refusals.
        let path = try Self.file(
            """
            time,account,instance,op,arg
            2026-01-01T00:00:00Z,a1,,arrears,
            2026-01-01T00:00:00Z,a1,i-1,launch,aliyun postpaid
            2026-01-01T00:00:00Z,a2,i-2,launch,aliyun postpaid
            2026-01-01T00:00:00Z,a1,i-3,launch,tencent postpaid
            2026-01-01T00:00:00Z,a2,i-4,launch,tencent postpaid
            2026-01-01T00:00:00Z,a2,i-5,launch,aliyun postpaid
            2026-01-01T00:01:00Z,a2,i-2,stop,
            2026-01-01T00:02:00Z,a2,i-5,release,force
            2026-01-01T00:03:00Z,a1,i-3,stop,

            """
        )
        defer { try? FileManager.default.removeItem(atPath: path) }
        let summary = try TraceReplayer.replaySummary(path: path, options: TraceReplayer.Options(), jobs: jobs)
        #expect(summary.instances["aliyun"] == ["stopped": 1, "released": 1])
        #expect(summary.instances["tencent"] == ["running": 1])
        // The two refused launches and the stop of the instance whose launch was refused.
        #expect(summary.rejected == 3)
        #expect(summary.applied == 6)
    }
}
