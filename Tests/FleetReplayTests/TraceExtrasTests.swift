import FleetReplay
import Foundation
import ProviderRegistry
import ReleaseCore
import Reporting
import TestSupport
import Testing

/// The launch op's compatible extension: data disks, a public address, snapshots and spot.
@Suite("Trace launch words")
struct TraceExtrasTests {
    @Test("every extras word parses, describes the instance, and writes back the same line")
    func roundTrip() throws {
        let line =
            "2026-01-01T00:00:00Z,acct,i-1,launch,tencent postpaid protected data-disk:keep data-disk:delete local-disk eip snapshot:auto snapshot:manual spot"
        let record = try TraceRecord(parsing: line)
        guard case .launch(let kind, let charge, let isProtected, let extras) = record.operation else {
            Issue.record("not a launch")
            return
        }
        #expect(kind == .tencent && charge == .payAsYouGo && isProtected)
        #expect(extras.dataDisks == [.keep, .delete, .local])
        #expect(extras.publicAddress == .elasticIP)
        #expect(extras.snapshots == [.automatic, .manual])
        #expect(extras.isSpot)
        #expect(record.line == line)
        let description = TraceRecord.launchDescription(
            id: "i-1",
            charge: charge,
            isProtected: isProtected,
            extras: extras
        )
        #expect(description.disks.map(\.role) == [.system, .data, .data, .local])
        #expect(description.disks[1].isElastic && !description.disks[1].deleteWithInstance)
        #expect(description.snapshots.count == 2)
        // v1 launches stay as they were.
        let plain = try TraceRecord(parsing: "2026-01-01T00:00:00Z,acct,i-2,launch,aliyun postpaid")
        #expect(plain.operation == .launch(.aliyun, .payAsYouGo, isProtected: false))
    }

    @Test(
        "an unknown or repeated word is malformed",
        arguments: [
            "data-disk:maybe", "eip public-ip", "public-ip eip", "eip eip", "public-ip public-ip", "spot spot",
            "protected protected",
        ]
    )
    func malformed(_ words: String) {
        #expect(throws: TraceMalformation.self) {
            try TraceRecord(parsing: "2026-01-01T00:00:00Z,acct,i-1,launch,aliyun postpaid \(words)")
        }
    }

    @Test("The fates a replay counts are the fates each released machine lists, in its order")
    func countedFatesAreListedFates() throws {
        var lines = [TraceRecord.header]
        let words = ["", "data-disk:keep eip", "data-disk:delete local-disk public-ip snapshot:auto", "eip spot"]
        var number = 0
        for provider in ["aliyun", "tencent"] {
            for extras in words {
                for release in ["force", "immediately", "release-address", "immediately release-address", ""] {
                    number += 1
                    lines.append("2026-01-01T00:00:00Z,acct,i-\(number),launch,\(provider) postpaid \(extras)")
                    lines.append("2026-01-01T00:00:00Z,acct,i-\(number),release,\(release)")
                }
            }
        }
        var options = TraceReplayer.Options()
        options.skipMalformed = true
        let (_, replayed) = try TraceReplayer.replay(text: lines.joined(separator: "\n") + "\n", options: options)
        let fleet = try #require(replayed)
        var released = 0
        for index in 0..<Int32(fleet.count) {
            let handle = Fleet<BuiltInInstance>.InstanceHandle(index: index)
            let machine = fleet[handle]
            var counted: [ResourceFate] = []
            fleet.withMachine(handle) { $0.forEachResourceFate { counted.append($0) } }
            #expect(counted == machine.resourceFates.map(\.fate), "\(machine.instance.id)")
            if !counted.isEmpty { released += 1 }
        }
        #expect(released >= 8)
    }

    @Test("T2/A1: a kept data disk and an EIP outlive a release; the replay counts their fates")
    func fatesInReplay() throws {
        let trace = """
            time,account,instance,op,arg
            2026-01-01T00:00:00Z,acct,i-1,launch,aliyun postpaid data-disk:keep eip
            2026-01-01T01:00:00Z,acct,i-1,release,force
            """
        let (summary, _) = try TraceReplayer.replay(text: trace)
        #expect(summary.applied == 2)
        let fates = summary.resourceFates["aliyun"] ?? [:]
        #expect((fates["retained"] ?? 0) >= 2, "\(summary.resourceFates)")
    }

    @Test("with prices, the summary says which subscriptions' period fees the cost leaves out")
    func unpricedSubscriptions() throws {
        let trace = """
            time,account,instance,op,arg
            2026-01-01T00:00:00Z,acct,i-1,launch,aliyun prepaid:2026-03-01T00:00:00Z
            2026-01-01T00:00:00Z,acct,i-2,launch,tencent postpaid
            2026-01-02T00:00:00Z,acct,i-2,stop,
            """
        var options = TraceReplayer.Options()
        options.prices = PriceBook(PriceTable(decimalPerHour: [.compute: "1"])!)
        let (priced, _) = try TraceReplayer.replay(text: trace, options: options)
        #expect(priced.unpricedSubscriptions == ["aliyun": 1])
        #expect(priced.rendered(as: .text).contains("Not priced: the period fees of 1 aliyun subscription instances"))
        let (plain, _) = try TraceReplayer.replay(text: trace)
        #expect(plain.unpricedSubscriptions == nil)
    }

    @Test("Subscription months are bought at launch and at each renewal, and priced when the table has a month's price")
    func subscriptionCost() throws {
        let trace = """
            time,account,instance,op,arg
            2026-01-15T00:00:00Z,acct,i-1,launch,aliyun prepaid:2026-03-15T00:00:00Z
            2026-01-15T00:00:00Z,acct,ins-1,launch,tencent prepaid:2026-02-20T00:00:00Z
            2026-02-01T00:00:00Z,acct,i-1,renew,2026-04-15T00:00:00Z
            2026-02-01T00:00:00Z,acct,ins-1,renew,2026-01-01T00:00:00Z
            """
        var options = TraceReplayer.Options()
        options.prices = PriceBook(
            currency: "CNY",
            tables: [
                ProviderID(rawValue: "aliyun"): PriceTable(
                    decimalPerHour: [.compute: "0.5"],
                    subscriptionPerMonth: "280"
                )!
            ],
            fallback: PriceTable(decimalPerHour: [.compute: "0.5"])!
        )
        let (summary, _) = try TraceReplayer.replay(text: trace, options: options)
        // Aliyun: 2 months at launch + 1 month renewed; Tencent: 2 months begun (a refused renewal buys none).
        #expect(summary.subscriptionMonths == ["aliyun": 3, "tencent": 2])
        #expect(summary.cost?["aliyun"]?["subscription"] == Decimal(string: "840"))
        #expect(summary.cost?["aliyun"]?["total"] == Decimal(string: "840"))
        #expect(summary.cost?["tencent"]?["subscription"] == nil)
        #expect(summary.unpricedSubscriptions == ["tencent": 1])
        let text = summary.rendered(as: .text)
        #expect(text.contains("Subscription months bought: aliyun 3, tencent 2"))
        #expect(text.contains("subscription"))
        #expect(text.contains("840.00"))
    }

    @Test("A price file: per provider, decimals or numbers, errors that name the key")
    func priceFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prices-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("prices.json")
        try #"{"currency": "CNY", "aliyun": {"compute": "0.52", "subscriptionPerMonth": 280}, "*": {"compute": 0.1}}"#
            .write(to: good, atomically: true, encoding: .utf8)
        let run = try BuiltTool.run([
            "replay", "Tests/FleetReplayTests/Fixtures/gzip/trace.csv", "--prices", good.path, "--format", "json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains(#""subscriptionPerMonth" : 280"#))
        #expect(run.stdout.contains(#""currency" : "CNY""#))
        for (content, message) in [
            (#"{"aliyun": {"compute": "0.1234567"}}"#, #"aliyun.compute: "0.1234567" is not a price"#),
            (#"{"gcp": {"compute": "1"}}"#, #""gcp" is not a provider"#),
            (#"{"aliyun": {"gpu": "1"}}"#, #""gpu" is not compute, disk, elasticIP, snapshot or subscriptionPerMonth"#),
            (#"{"currency": "yuan"}"#, "currency: not a three-letter currency code"),
            (#"{"aliyun": {"compute": true}}"#, "aliyun.compute"),
            ("[1, 2]", "not a JSON object of prices"),
        ] {
            let bad = folder.appendingPathComponent("bad.json")
            try content.write(to: bad, atomically: true, encoding: .utf8)
            let refused = try BuiltTool.run([
                "replay", "Tests/FleetReplayTests/Fixtures/gzip/trace.csv", "--prices", bad.path,
            ])
            #expect(refused.status == 2)
            #expect(refused.stderr.contains(bad.path) && refused.stderr.contains(message), "\(refused.stderr)")
        }
    }

    @Test(
        "a release word given twice is malformed, each word alone and all of them once are read (Docs/Traces.md)",
        arguments: ProviderModel.releaseFlags.map(\.word)
    )
    func releaseWordTwice(word: String) throws {
        let line = "2026-01-01T00:00:00Z,acct,i-1,release,"
        #expect(throws: TraceMalformation.self) { try TraceRecord(parsing: line + "\(word) \(word)") }
        let once = try TraceRecord(parsing: line + word)
        #expect(once.line == line + word)
        let all = ProviderModel.releaseFlags.map(\.word).joined(separator: " ")
        #expect(throws: Never.self) { try TraceRecord(parsing: line + all) }
        #expect(throws: TraceMalformation.self) { try TraceRecord(parsing: line + all + " " + word) }
    }
}
