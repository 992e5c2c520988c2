/// One provider's prices in one currency: an hourly price per meter family and the price of one subscription
/// month, to turn billed time into money.
///
/// Seconds stay the base unit everywhere; prices are applied last, by whoever knows them (the providers' list
/// prices depend on region, instance type and disk kind, so the package ships none as fact). Amounts are exact
/// (``Money``): a family without a price costs nothing and is reported as unpriced by the callers that care.
public struct PriceTable: Hashable, Sendable {
    /// The currency of every price (`CNY` by default: both providers bill their Chinese accounts in yuan).
    public private(set) var currency: String
    /// The price of one hour of each meter family, every one in ``currency`` (set through ``setPrice(named:to:)``).
    public private(set) var perHour: [MeterFamily: Money]
    /// The price of one month of a subscription instance (its period fee); nil when unpriced.
    public private(set) var subscriptionPerMonth: Money?

    /// An empty table in `currency`.
    public init(currency: String = "CNY") {
        self.currency = currency
        self.perHour = [:]
        self.subscriptionPerMonth = nil
    }

    /// A table of prices; nil when an amount is not in `currency` (a table never mixes currencies, so its sums
    /// never add one currency to another).
    public init?(currency: String, perHour: [MeterFamily: Money], subscriptionPerMonth: Money? = nil) {
        guard perHour.values.allSatisfy({ $0.currency == currency }),
            subscriptionPerMonth.map({ $0.currency == currency }) ?? true
        else { return nil }
        self.currency = currency
        self.perHour = perHour
        self.subscriptionPerMonth = subscriptionPerMonth
    }

    /// A table from decimal texts (`"0.52"`); nil when one is not a price (see ``Money/init(decimal:currency:)``).
    public init?(currency: String = "CNY", decimalPerHour: [MeterFamily: String], subscriptionPerMonth: String? = nil) {
        var perHour: [MeterFamily: Money] = [:]
        for (family, text) in decimalPerHour {
            guard let price = Money(decimal: text, currency: currency) else { return nil }
            perHour[family] = price
        }
        var month: Money?
        if let subscriptionPerMonth {
            guard let price = Money(decimal: subscriptionPerMonth, currency: currency) else { return nil }
            month = price
        }
        self.init(currency: currency, perHour: perHour, subscriptionPerMonth: month)
    }

    /// The cost of `seconds` billed on `family`.
    public func cost(of seconds: Seconds, _ family: MeterFamily) -> Money {
        perHour[family]?.billed(for: seconds) ?? .zero(currency)
    }

    /// The cost of billed seconds per family.
    public func cost(of billed: [MeterFamily: Seconds]) -> Money {
        MeterFamily.allCases.reduce(.zero(currency)) { total, family in
            total + cost(of: billed[family] ?? .zero, family)
        }
    }

    /// The costing choices no source makes ([MODEL], listed in Docs/Semantics.md).
    public static let modelChoices: [Citation] = [
        .model(
            "PM1",
            "a subscription is bought in whole calendar months: from its launch to its expiry, and from the old expiry "
                + "to the new one for each accepted renewal (a month begun is a month bought); a refused renewal buys nothing",
            "包年包月按整自然月购买：从创建到到期，以及每次被接受的续费从原到期时间到新到期时间（开始的月份即算购买"
                + "一个月）；被拒绝的续费不购买任何时长"
        ),
        .model(
            "PM2",
            "amounts are exact (prices with up to six decimals times whole seconds) and rounded once, half to even, "
                + "when shown: to the cent in text, to the micro-unit in JSON",
            "金额是精确值（最多六位小数的价格乘以整秒），只在显示时按四舍六入五成双舍入一次：文本到分，JSON 到百万分之一"
        ),
        .model(
            "PM3",
            "a subscription returned early is refunded its whole calendar months left before the expiry, at the "
                + "month's price (a month begun is used, as PM1 buys it); vouchers, discounts and the providers' "
                + "return quotas are not modelled",
            "提前退订的包年包月实例按到期前剩余的完整自然月、以月价格退款（已开始的月份视为已使用，与 PM1 一致）；"
                + "代金券、折扣和云厂商的退还配额不建模"
        ),
    ]

    /// The refund of a subscription returned at `now` that would run until `expiresAt`: its whole calendar months
    /// left ([MODEL] PM3) at the month's price; nil when the table has no subscription price.
    public func refund(returningAt now: Instant, expiresAt: Instant) -> Money? {
        subscriptionCost(months: now.wholeCalendarMonths(until: expiresAt))
    }

    /// The period fees of `months` subscription months, or nil when the table has no subscription price.
    public func subscriptionCost(months: Int64) -> Money? {
        subscriptionPerMonth?.times(months)
    }

    /// The names prices go by in price files, `--price` and replay summaries: each meter family's, and
    /// `subscriptionPerMonth`.
    public static let priceNames = MeterFamily.allCases.map(\.rawValue) + ["subscriptionPerMonth"]

    /// The prices by their names (see ``priceNames``).
    public var pricesByName: [String: Money] {
        var prices = Dictionary(uniqueKeysWithValues: perHour.map { ($0.key.rawValue, $0.value) })
        if let subscriptionPerMonth { prices["subscriptionPerMonth"] = subscriptionPerMonth }
        return prices
    }

    /// Sets the price named `name` (see ``priceNames``); false, and nothing set, when no price goes by it or the
    /// price is not in the table's currency.
    public mutating func setPrice(named name: String, to price: Money) -> Bool {
        guard price.currency == currency else { return false }
        if name == "subscriptionPerMonth" {
            subscriptionPerMonth = price
        } else if let family = MeterFamily(rawValue: name) {
            perHour[family] = price
        } else {
            return false
        }
        return true
    }
}

/// The prices of every provider in one currency: a table per provider, and a table for providers without their
/// own (the `--price family=amount` options give only that one).
public struct PriceBook: Hashable, Sendable {
    /// The currency of every table.
    public private(set) var currency: String
    /// Each provider's own table, every one in ``currency`` (set through ``setTable(_:forKey:)``).
    public private(set) var tables: [ProviderID: PriceTable]
    /// The table of a provider without its own.
    public private(set) var fallback: PriceTable?

    /// An empty book in `currency`.
    public init(currency: String = "CNY") {
        self.currency = currency
        self.tables = [:]
        self.fallback = nil
    }

    /// A book; nil when a table is not in `currency`.
    public init?(currency: String, tables: [ProviderID: PriceTable], fallback: PriceTable? = nil) {
        guard tables.values.allSatisfy({ $0.currency == currency }), fallback.map({ $0.currency == currency }) ?? true
        else { return nil }
        self.currency = currency
        self.tables = tables
        self.fallback = fallback
    }

    /// The same table for every provider.
    public init(_ table: PriceTable) {
        self.currency = table.currency
        self.tables = [:]
        self.fallback = table
    }

    /// The table that prices `provider`'s meters, if any.
    public func table(for provider: ProviderID) -> PriceTable? {
        tables[provider] ?? fallback
    }

    /// The key of the fallback table in price files and replay summaries (a provider's own table is under its id).
    public static let fallbackKey = "*"

    /// The tables by their keys in price files and replay summaries: providers' ids, and ``fallbackKey``.
    public var tablesByKey: [String: PriceTable] {
        var byKey = Dictionary(uniqueKeysWithValues: tables.map { ($0.key.rawValue, $0.value) })
        if let fallback { byKey[Self.fallbackKey] = fallback }
        return byKey
    }

    /// Sets the table under `key`: the fallback for ``fallbackKey``, else the provider with that id; false, and
    /// nothing set, when the table is not in the book's currency.
    @discardableResult
    public mutating func setTable(_ table: PriceTable, forKey key: String) -> Bool {
        guard table.currency == currency else { return false }
        if key == Self.fallbackKey { fallback = table } else { tables[ProviderID(rawValue: key)] = table }
        return true
    }
}
