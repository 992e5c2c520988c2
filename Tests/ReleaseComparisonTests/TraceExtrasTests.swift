import FleetReplay
import ProviderRegistry
import ReleaseCore
import Reporting
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
        arguments: ["data-disk:maybe", "eip public-ip", "spot spot", "protected protected"]
    )
    func malformed(_ words: String) {
        #expect(throws: TraceMalformation.self) {
            try TraceRecord(parsing: "2026-01-01T00:00:00Z,acct,i-1,launch,aliyun postpaid \(words)")
        }
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
        options.prices = PriceTable(perHour: [.compute: 1])
        let (priced, _) = try TraceReplayer.replay(text: trace, options: options)
        #expect(priced.unpricedSubscriptions == ["aliyun": 1])
        #expect(priced.rendered(as: .text).contains("Not priced: the period fees of 1 aliyun subscription instances"))
        let (plain, _) = try TraceReplayer.replay(text: trace)
        #expect(plain.unpricedSubscriptions == nil)
    }
}
