import Foundation
import ProviderRegistry
import ReleaseComparison
import ReleaseCore
import Reporting
import Scenarios
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
}
