public import ReleaseCore

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension Money {
    /// The exact amount as a Foundation decimal (to the micro-unit), for JSON numbers that are exactly the amount
    /// (`1.584`, never `1.5840000000000003`; Docs/Prices.md).
    public var decimal: Decimal { Decimal(string: decimalText, locale: Locale(identifier: "en_US_POSIX")) ?? 0 }
}
