/// An exact amount of money in one currency.
///
/// Prices are written as decimals with up to six places (`0.52` yuan an hour) and bills are whole seconds, so the
/// amount is kept as an integer count of 1/3,600,000,000 of the currency unit: a price per hour times any whole
/// number of seconds is then exact, sums are exact, and rounding happens once, when an amount is shown (half to
/// even, to the cent by default). No binary fraction ever enters: `0.1 + 0.2` is `0.30`.
public struct Money: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The currency's code (`CNY`, `USD`).
    public let currency: String
    /// The amount in 1/3,600,000,000 of the unit (a micro-unit per hour, per second).
    public let scaled: Int128

    /// How many `scaled` steps make one unit of the currency.
    public static let scale: Int128 = 3_600_000_000
    /// The largest amount a price may state (a billion units an hour or a period): with it, the cost of every
    /// meter over the whole supported range of instants stays far inside 128 bits.
    public static let maximumPrice: Int128 = 1_000_000_000

    /// No money in `currency`.
    public static func zero(_ currency: String) -> Money { Money(currency: currency, scaled: 0) }

    /// An amount from its scaled integer.
    public init(currency: String, scaled: Int128) {
        self.currency = currency
        self.scaled = scaled
    }

    /// A price written as a decimal (`12`, `0.52`, `0.000001`): digits, at most one point, at most six places,
    /// not negative, at most ``maximumPrice``. Nil for anything else (`1e3`, `-1`, `0.1234567`, `NaN`).
    public init?(decimal text: some StringProtocol, currency: String) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 10, whole.allSatisfy(\.isASCIIDigit) else {
            return nil
        }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || !fraction.isEmpty, fraction.count <= 6, fraction.allSatisfy(\.isASCIIDigit) else {
            return nil
        }
        guard let units = Int128(String(whole)), units <= Self.maximumPrice else { return nil }
        let micros = Int128(String(fraction) + String(repeating: "0", count: 6 - fraction.count)) ?? 0
        let amount = units * 1_000_000 + micros
        guard amount <= Self.maximumPrice * 1_000_000 else { return nil }
        self.init(currency: currency, scaled: amount * 3_600)
    }

    /// This amount as a price per hour, billed for `seconds`.
    public func billed(for seconds: Seconds) -> Money {
        Money(currency: currency, scaled: saturating(scaled / 3_600, times: Int128(seconds.count)))
    }

    /// This amount `count` times (a price per period, for `count` periods).
    public func times(_ count: Int64) -> Money {
        Money(currency: currency, scaled: saturating(scaled, times: Int128(count)))
    }

    /// The sum, or nil when the amounts are in different currencies (saturating at the largest amount).
    public func adding(_ other: Money) -> Money? {
        guard currency == other.currency else { return nil }
        return self + other
    }

    /// The sum of amounts the package knows share a currency (a price table's, a book's); a library user adds
    /// with ``adding(_:)``, which refuses to mix currencies.
    package static func + (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "adding \(lhs.currency) to \(rhs.currency)")
        let (sum, overflow) = lhs.scaled.addingReportingOverflow(rhs.scaled)
        return Money(currency: lhs.currency, scaled: overflow ? .max : sum)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.scaled < rhs.scaled }

    /// The amount rounded half to even to `places` decimals (0 to 6), as text without the currency: `12.34`.
    public func rounded(places: Int = 2) -> String {
        let places = min(max(places, 0), 6)
        var step: Int128 = Self.scale
        for _ in 0..<places { step /= 10 }
        let (quotient, remainder) = scaled.quotientAndRemainder(dividingBy: step)
        var steps = quotient
        if remainder * 2 > step || (remainder * 2 == step && quotient % 2 != 0) { steps += 1 }
        var divisor: Int128 = 1
        for _ in 0..<places { divisor *= 10 }
        let whole = steps / divisor
        let fraction = String(steps % divisor)
        guard places > 0 else { return String(whole) }
        return "\(whole).\(String(repeating: "0", count: places - fraction.count))\(fraction)"
    }

    /// The exact amount to the micro-unit (six places, trailing zeros dropped): `12.5`, `0.000278`.
    public var decimalText: String {
        var text = rounded(places: 6)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// `12.34 CNY`.
    public var description: String { "\(rounded()) \(currency)" }
}

private func saturating(_ lhs: Int128, times rhs: Int128) -> Int128 {
    let (product, overflow) = lhs.multipliedReportingOverflow(by: rhs)
    return overflow ? .max : product
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
