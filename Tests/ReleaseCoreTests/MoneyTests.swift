import ReleaseCore
import Testing

@Suite("Exact money")
struct MoneyTests {
    func yuan(_ text: String) -> Money { Money(decimal: text, currency: "CNY")! }

    @Test("Decimal prices add exactly: 0.1 + 0.2 is 0.30, not 0.30000000000000004")
    func exactSums() {
        #expect((yuan("0.1") + yuan("0.2")).rounded() == "0.30")
        #expect((yuan("0.1") + yuan("0.2")) == yuan("0.3"))
        // A third of a cent an hour, billed for three hours and summed a thousand times: exactly 10 yuan.
        let hourly = yuan("0.003333")
        var total = Money.zero("CNY")
        for _ in 0..<1_000 { total = total + hourly.billed(for: .hours(3)) }
        #expect(total.decimalText == "9.999")
        #expect(yuan("0.36").billed(for: Seconds(1)).decimalText == "0.0001")
        #expect(yuan("0.36").billed(for: .hours(4)).rounded() == "1.44")
    }

    @Test(
        "Rounding is half to even, once, when shown",
        arguments: [
            ("0.125", 2, "0.12"), ("0.135", 2, "0.14"), ("2.5", 0, "2"), ("3.5", 0, "4"), ("0.000001", 6, "0.000001"),
            ("1000000000", 2, "1000000000.00"), ("12", 2, "12.00"),
        ]
    )
    func rounding(text: String, places: Int, expected: String) {
        #expect(yuan(text).rounded(places: places) == expected)
    }

    @Test(
        "Anything but a plain decimal with at most six places is not a price",
        arguments: [
            "", ".5", "5.", "-1", "1e3", "0.1234567", "NaN", "inf", "1,5", " 1", "1000000000.000001", "0x10", "１",
        ]
    )
    func notPrices(text: String) {
        #expect(Money(decimal: text, currency: "CNY") == nil)
    }

    @Test("Subscription periods: a month per month begun, calendar months, a month's end clamped")
    func calendarMonths() {
        let start = Instant(iso8601: "2026-01-31T00:00:00Z")!
        #expect(start.addingCalendarMonths(1) == Instant(iso8601: "2026-02-28T00:00:00Z")!)
        #expect(start.addingCalendarMonths(13) == Instant(iso8601: "2027-02-28T00:00:00Z")!)
        #expect(
            Instant(iso8601: "2028-01-31T10:00:00Z")!.addingCalendarMonths(1) == Instant(
                iso8601: "2028-02-29T10:00:00Z"
            )!
        )
        let launch = Instant(iso8601: "2026-01-15T00:00:00Z")!
        #expect(launch.calendarMonths(until: Instant(iso8601: "2026-02-15T00:00:00Z")!) == 1)
        #expect(launch.calendarMonths(until: Instant(iso8601: "2026-02-15T00:00:01Z")!) == 2)
        #expect(launch.calendarMonths(until: Instant(iso8601: "2027-01-15T00:00:00Z")!) == 12)
        #expect(launch.calendarMonths(until: launch) == 0)
        #expect(launch.calendarMonths(until: launch + Seconds(1)) == 1)
    }

    @Test("A price table prices each family, and subscription months")
    func table() {
        let table = PriceTable(decimalPerHour: [.compute: "0.52", .disk: "0.03"], subscriptionPerMonth: "280")!
        #expect(table.cost(of: [.compute: .hours(10), .disk: .hours(10), .elasticIP: .hours(10)]).rounded() == "5.50")
        #expect(table.subscriptionCost(months: 3)?.rounded() == "840.00")
        #expect(PriceTable().subscriptionCost(months: 3) == nil)
        #expect(PriceTable(decimalPerHour: [.compute: "abc"]) == nil)
    }

    @Test(
        "PM3: whole calendar months left are the most months that fit, one month fewer than bought unless the end sits on the grid, for any instant and length",
        arguments: [0, 1, 2, 3]
    )
    func wholeCalendarMonths(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<200 {
            let from = Instant(secondsSince1970: 1_700_000_000 + Int64(random.next() % 300_000_000))
            let end = from + Seconds(Int64(random.next() % 200_000_000))
            let whole = from.wholeCalendarMonths(until: end)
            // The most months that fit: `whole` fit, one more does not.
            #expect(from.addingCalendarMonths(whole) <= end)
            #expect(from.addingCalendarMonths(whole + 1) > end)
            let bought = from.calendarMonths(until: end)
            #expect(whole == bought || whole == bought - 1)
            #expect((whole == bought) == (end == from || from.addingCalendarMonths(bought) == end))
        }
        let launch = Instant(iso8601: "2026-01-10T00:00:00Z")!
        let expiry = Instant(iso8601: "2026-04-10T00:00:00Z")!
        #expect(launch.wholeCalendarMonths(until: expiry) == 3)
        #expect((launch + .days(1)).wholeCalendarMonths(until: expiry) == 2)
        #expect(expiry.wholeCalendarMonths(until: launch) == 0)
        let table = PriceTable(decimalPerHour: [:], subscriptionPerMonth: "260")!
        #expect(table.refund(returningAt: launch + .days(1), expiresAt: expiry)?.rounded() == "520.00")
        #expect(PriceTable().refund(returningAt: launch, expiresAt: expiry) == nil)
    }
}
