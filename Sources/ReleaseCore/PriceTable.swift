/// Prices per hour for each meter family, to turn billed seconds into money.
///
/// Seconds are the base unit everywhere; a price table is applied last, by whoever knows their prices. The
/// currency is whatever the prices are in.
public struct PriceTable: Hashable, Sendable, Codable {
    /// The price of one hour of each meter family; families without a price cost nothing.
    public var perHour: [MeterFamily: Double]

    /// The largest hourly price a boundary accepts: with it, the bill of every meter over the whole
    /// ``Instant/supportedRange`` stays a finite number.
    public static let maximumHourlyPrice = 1_000_000_000.0

    /// A table of hourly prices.
    public init(perHour: [MeterFamily: Double]) {
        self.perHour = perHour
    }

    /// The cost of `seconds` billed on `family`.
    public func cost(of seconds: Seconds, _ family: MeterFamily) -> Double {
        Double(seconds.count) / 3_600 * (perHour[family] ?? 0)
    }

    /// The cost of billed seconds per family.
    public func cost(of billed: [MeterFamily: Seconds]) -> Double {
        // Summed in a fixed order, so the same bill gives the same total in every process.
        MeterFamily.allCases.reduce(0) { total, family in total + cost(of: billed[family] ?? .zero, family) }
    }
}
