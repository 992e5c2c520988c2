import Foundation
import ProviderRegistry
import ReleaseComparison
import ReleaseCore
import Reporting
import Scenarios
import TestSupport
import Testing

/// Cost next to billed time in simulate and explain (Docs/Prices.md).
@Suite("Prices in simulate and explain")
struct PricingTests {
    static let prices = PriceBook(
        currency: "CNY",
        tables: [ProviderID(rawValue: "tencent"): PriceTable(decimalPerHour: [.compute: "0.48", .disk: "0.028"])!],
        fallback: PriceTable(decimalPerHour: [.compute: "0.52", .disk: "0.03"], subscriptionPerMonth: "280")!
    )!

    @Test("a table's cost is the sum over every meter family it bills, whichever families bill (snapshots too)")
    func costSumsEveryFamily() throws {
        let table = try #require(
            PriceTable(decimalPerHour: [.compute: "1", .disk: "0.1", .elasticIP: "0.01", .snapshot: "0.001"])
        )
        // Every subset of the families, each billed a different number of hours.
        for mask in 0..<(1 << MeterFamily.allCases.count) {
            var billed: [MeterFamily: Seconds] = [:]
            var expected = Money.zero("CNY")
            for (index, family) in MeterFamily.allCases.enumerated() where mask & (1 << index) != 0 {
                billed[family] = .hours(Int64(index + 1))
                expected = try #require(expected.adding(table.cost(of: .hours(Int64(index + 1)), family)))
            }
            #expect(table.cost(of: billed) == expected, "families \(billed.keys.sorted())")
        }
        #expect(table.cost(of: [.snapshot: .hours(1)]).decimalText == "0.001")
    }

    @Test("prices never mix currencies: a table, a book or a sum in two currencies is refused, not a trap")
    func currenciesNeverMix() throws {
        let yuan = try #require(Money(decimal: "1", currency: "CNY"))
        let dollar = try #require(Money(decimal: "1", currency: "USD"))
        #expect(yuan.adding(dollar) == nil)
        #expect(yuan.adding(yuan)?.decimalText == "2")
        #expect(PriceTable(currency: "CNY", perHour: [.compute: dollar]) == nil)
        #expect(PriceTable(currency: "CNY", perHour: [.compute: yuan], subscriptionPerMonth: dollar) == nil)
        var table = PriceTable(currency: "CNY")
        let setDollar = table.setPrice(named: "compute", to: dollar)
        let setYuan = table.setPrice(named: "compute", to: yuan)
        #expect(!setDollar && setYuan)
        let usd = try #require(PriceTable(currency: "USD", perHour: [.compute: dollar]))
        #expect(PriceBook(currency: "CNY", tables: [ProviderID(rawValue: "aliyun"): usd]) == nil)
        #expect(PriceBook(currency: "CNY", tables: [:], fallback: usd) == nil)
        var book = PriceBook(currency: "CNY")
        let setUSD = book.setTable(usd, forKey: "aliyun")
        let setCNY = book.setTable(table, forKey: "aliyun")
        #expect(!setUSD && setCNY)
        #expect(book.table(for: ProviderID(rawValue: "aliyun"))?.perHour[.compute] == yuan)
    }

    @Test("simulate: each model's billed meters at its provider's prices, exactly")
    func simulate() throws {
        let url = repositoryRoot.appendingPathComponent("Examples/restore-after-1h.json")
        let scenario = try Scenario.decode(String(contentsOf: url, encoding: .utf8), file: url.path)
        let report = scenario.run().priced(with: Self.prices)
        let tencent = try #require(report.columns.firstIndex(of: "tencent"))
        // 4 h of compute and 4 h of the system disk: 4 × (0.48 + 0.028) = 2.032.
        #expect(report.final[tencent].cost == "2.032")
        #expect(report.final[tencent].currency == "CNY")
        #expect(report.rendered(as: .text).contains("cost (CNY)"))
        #expect(!scenario.run().rendered(as: .text).contains("cost (CNY)"))
        // JSON writes the amount as a number, exactly (Docs/Prices.md), and reads it back.
        let json = report.rendered(as: .json)
        #expect(json.contains("\"cost\" : 2.032,"))
        let decoded = try JSONDecoder().decode(ScenarioReport.self, from: Data(json.utf8))
        #expect(decoded.final[tencent].cost == "2.032")
    }

    @Test("simulate: a subscription's months are priced at the month's price")
    func subscriptionMonths() throws {
        let scenario = try Scenario.decode(
            """
            {"name": "prepaid", "providers": ["aliyun"],
             "instance": {"charge": "prepaid", "expires": "+3d"},
             "steps": [{"at": "+1h", "note": "an hour later"}]}
            """,
            file: "prepaid.json"
        )
        let report = scenario.run().priced(with: Self.prices)
        #expect(report.final[0].subscriptionMonths == 1)
        #expect(report.final[0].cost == "280")
    }

    @Test("explain: the hourly and daily cost before and after the command")
    func explain() {
        let explanation = Explanation.explain(
            .release(),
            on: InstanceDescription(id: "i-1"),
            model: ProviderModel(.tencent),
            prices: Self.prices
        )
        #expect(explanation.cost?.perHourBefore == "0.5080")
        #expect(explanation.cost?.perDayBefore == "12.19")
        #expect(explanation.cost?.perHourAfter == "0.0000")
        #expect(explanation.cost?.billingAfter == [])
        #expect(explanation.rendered(as: .text).contains("cost (CNY): before 0.5080 an hour (12.19 a day)"))
        let unpriced = Explanation.explain(
            .release(),
            on: InstanceDescription(id: "i-1"),
            model: ProviderModel(.tencent)
        )
        #expect(unpriced.cost == nil)
    }

    // MARK: - Prices and cost expectations in scenario files (issue 23 item 7)

    /// A one-step scenario on Tencent: launched running, destroyed at `+<hours>h` (compute and the system disk
    /// bill until then, nothing bills in the recycle bin under the seed, seed 002), checked at `+<hours>h`.
    static func tencentDestroy(hours: Int, prices: String, cost: String) -> String {
        """
        {"name": "cost", "providers": ["tencent"], "prices": \(prices),
         "instance": {"charge": "postpaid"},
         "steps": [{"at": "+\(hours)h", "command": "release", "expect": {"cost": \(cost)}}]}
        """
    }

    /// `price` (at most six places) times `count`, exactly, as a decimal with six places: written without the
    /// library's Money, so the check below is against independent arithmetic.
    static func times(_ price: String, _ count: Int) -> String {
        let parts = price.split(separator: ".", maxSplits: 1)
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        let micros = Int(parts[0])! * 1_000_000 + Int(fraction + String(repeating: "0", count: 6 - fraction.count))!
        let product = micros * count
        let text = String(product % 1_000_000)
        return "\(product / 1_000_000).\(String(repeating: "0", count: 6 - text.count))\(text)"
    }

    @Test(
        "a cost expectation holds exactly when the amount is the price times the billed hours, for any price and hours",
        arguments: [(1, 0), (2, 1), (3, 7), (26, 42)]
    )
    func costExpectationIsExact(hours: Int, seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<20 {
            let compute = "\(random.next() % 100).\(String(format: "%06d", Int(random.next() % 1_000_000)))"
            let disk = "0.\(String(format: "%06d", Int(random.next() % 1_000_000)))"
            let prices = #"{"tencent": {"compute": "\#(compute)", "disk": "\#(disk)"}}"#
            let computeCost = Self.times(compute, hours)
            let diskCost = Self.times(disk, hours)
            let computeParts = computeCost.split(separator: ".").map { Int($0)! }
            let diskParts = diskCost.split(separator: ".").map { Int($0)! }
            var micros = (computeParts[0] + diskParts[0]) * 1_000_000 + computeParts[1] + diskParts[1]
            let totalCost = "\(micros / 1_000_000).\(String(format: "%06d", micros % 1_000_000))"
            let good = #"{"compute": "\#(computeCost)", "disk": "\#(diskCost)", "total": "\#(totalCost)"}"#
            let report = try Scenario.decode(Self.tencentDestroy(hours: hours, prices: prices, cost: good), file: "c")
                .run()
            #expect(report.checks.count == 3 && report.passed, "\(report.checks)")
            // A micro-unit off, either way, fails that item only.
            micros += random.next() % 2 == 0 ? 1 : -1
            let wrongTotal = "\(micros / 1_000_000).\(String(format: "%06d", micros % 1_000_000))"
            let bad = #"{"compute": "\#(computeCost)", "total": "\#(wrongTotal)"}"#
            let failed = try Scenario.decode(Self.tencentDestroy(hours: hours, prices: prices, cost: bad), file: "c")
                .run()
            #expect(failed.checks.map(\.passed) == [true, false], "\(failed.checks)")
        }
    }

    @Test("a cost is compared at the places written, rounded half to even")
    func costAtWrittenPlaces() throws {
        // 1 h at 1.045 is 1.045: "1.04" (half to even), "1.045" and "1" hold; "1.05" and "1.0450001" do not.
        let prices = #"{"tencent": {"compute": "1.045"}}"#
        for (written, holds) in [
            (#""1.04""#, true), (#""1.045""#, true), ("1", true), (#""1.05""#, false), (#""1.045001""#, false),
            ("1.045", true),
        ] {
            let report = try Scenario.decode(
                Self.tencentDestroy(hours: 1, prices: prices, cost: #"{"compute": \#(written)}"#),
                file: "c"
            ).run()
            #expect(report.checks.map(\.passed) == [holds], "\(written): \(report.checks)")
        }
    }

    @Test("a subscription's cost is its months bought so far, renewals included (PM1), and counts in the total")
    func subscriptionCostExpectation() throws {
        let scenario = try Scenario.decode(
            """
            {"name": "prepaid", "providers": ["aliyun", "tencent"],
             "prices": {"*": {"compute": "1", "subscriptionPerMonth": "280"}},
             "instance": {"charge": "prepaid", "expires": "+20d"},
             "steps": [
               {"at": "+1h", "expect": {"cost": {"subscription": "280", "compute": "0", "total": "280"}}},
               {"at": "+2h", "command": "renew", "time": "+50d",
                "expect": {"cost": {"subscription": "560", "total": "560"}}}]}
            """,
            file: "prepaid.json"
        )
        let report = scenario.run()
        #expect(report.checks.count == 10 && report.passed, "\(report.checks)")
        // The file's prices price the report too.
        #expect(report.final.map(\.cost) == ["560", "560"])
    }

    @Test(
        "a cost that cannot be checked is an error at its line: no prices, no table for a model, an unknown item, not an amount, a bad price",
        arguments: [
            (
                #"{"name": "c", "instance": {}, "steps": [{"expect": {"cost": {"total": "1"}}}]}"#,
                "steps[0].expect.cost", "a cost needs prices"
            ),
            (
                #"{"name": "c", "prices": {"aliyun": {"compute": "1"}}, "instance": {}, "steps": [{"expect": {"cost": {"total": "1"}}}]}"#,
                "steps[0].expect.cost", "no table for tencent"
            ),
            (
                #"{"name": "c", "prices": {"compute": "1"}, "instance": {}, "steps": [{"expect": {"cost": {"gpu": "1"}}}]}"#,
                "steps[0].expect.cost", "\"gpu\" is not a meter"
            ),
            (
                #"{"name": "c", "prices": {"compute": "1"}, "instance": {}, "steps": [{"expect": {"cost": {"total": "1.2345678"}}}]}"#,
                "steps[0].expect.cost.total", "not an amount"
            ),
            (
                #"{"name": "c", "prices": {"compute": "1"}, "instance": {}, "steps": [{"expect": {"cost": {"total": true}}}]}"#,
                "steps[0].expect.cost.total", "not an amount"
            ),
            (
                #"{"name": "c", "prices": {"aliyun": {"compute": "-1"}}, "instance": {}, "steps": [{"expect": {"phase": "running"}}]}"#,
                "prices.aliyun.compute", "is not a price"
            ),
            (
                #"{"name": "c", "prices": {"gcp": {}}, "instance": {}, "steps": [{"expect": {"phase": "running"}}]}"#,
                "prices", "\"gcp\" is not a provider"
            ),
            (
                #"{"name": "c", "prices": [1], "instance": {}, "steps": [{"expect": {"phase": "running"}}]}"#,
                "prices", "expected an object of prices"
            ),
        ]
    )
    func costThatCannotBeChecked(file: String, field: String, reason: String) throws {
        do {
            _ = try Scenario.decode(file, file: "cost.json")
            Issue.record("accepted: \(file)")
        } catch {
            #expect(error.field == field && error.reason.contains(reason), "\(error)")
            #expect(error.more.isEmpty, "\(error)")
            #expect(error.chineseReason != nil)
        }
    }

    @Test("a price problem in a scenario is reported at the value it names")
    func pricePosition() throws {
        let text = """
            {"name": "c",
             "prices": {"tencent":
               {"disk": "x"}},
             "instance": {}, "steps": []}
            """
        do {
            _ = try Scenario.decode(text, file: "cost.json")
            Issue.record("accepted")
        } catch {
            #expect(error.line == 3 && error.column == 13, "\(error)")
            #expect(error.description.hasPrefix("cost.json:3:13: prices.tencent.disk: \"x\" is not a price"))
        }
    }

    @Test(
        "PM1 with AM5/TM10: a subscription converted to pay-as-you-go keeps the months it bought (the refund is not priced)"
    )
    func convertedSubscriptionKeepsItsMonths() throws {
        let scenario = try Scenario.decode(
            """
            {"name": "converted", "prices": {"*": {"compute": "1", "subscriptionPerMonth": "280"}},
             "instance": {"charge": "prepaid", "expires": "+20d"},
             "steps": [
               {"at": "+1h", "command": "convert-to-postpaid"},
               {"at": "+3h", "expect": {"cost": {"subscription": "280", "compute": "2", "total": "282"}}}]}
            """,
            file: "converted.json"
        )
        let report = scenario.run()
        #expect(report.passed && report.checks.count == 6, "\(report.checks)")
        #expect(report.final.map(\.subscriptionMonths) == [1, 1])
    }
}
