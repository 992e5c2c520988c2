public import ReleaseCore

/// A JSON price object's values, as any JSON reader gives them (Docs/Prices.md): the one reading of price files,
/// the configuration file's `prices` and a scenario file's `prices`.
public indirect enum PriceValue: Hashable, Sendable {
    /// A price written as a string (`"0.52"`), or a currency code.
    case text(String)
    /// A price written as a JSON number, read as the shortest decimal that is the number.
    case number(Double)
    /// A provider's table (or the flat form's whole object).
    case object([String: PriceValue])
    /// Anything else (a boolean, null, an array): never a price.
    case other
}

/// Why a price object is not valid: the keys leading to the value (`["aliyun", "compute"]`; empty for the
/// object itself) and why, in English and Chinese.
public struct PriceObjectProblem: Error, Hashable, Sendable {
    /// The keys from the object to the value in question.
    public var path: [String]
    /// Why, in English.
    public var reason: String
    /// Why, in Chinese.
    public var chineseReason: String
}

extension PriceBook {
    /// The book a price object describes (Docs/Prices.md): an optional `currency` (three capital letters, `CNY` by
    /// default) and, per provider in the registry or `*`, prices by name (``PriceTable/priceNames``); or the flat
    /// form, one table for every provider.
    public static func reading(_ object: [String: PriceValue]) throws(PriceObjectProblem) -> PriceBook {
        let currency: String
        switch object["currency"] {
        case nil:
            currency = "CNY"
        case .text(let text) where text.count == 3 && text.allSatisfy({ $0.isASCII && $0.isUppercase }):
            currency = text
        default:
            throw PriceObjectProblem(
                path: ["currency"],
                reason: "not a three-letter currency code such as CNY",
                chineseReason: "不是三个字母的货币代码（如 CNY）"
            )
        }
        if object.keys.allSatisfy({ $0 == "currency" || PriceTable.priceNames.contains($0) }) {
            return PriceBook(try table(object, currency: currency, path: []))
        }
        let providers = ProviderModel.Kind.allCases.map(\.rawValue).sorted()
        var book = PriceBook(currency: currency)
        for (key, value) in object.sorted(by: { $0.key < $1.key }) where key != "currency" {
            guard key == fallbackKey || providers.contains(key) else {
                let shown = TimeText.escaped(String(key.prefix(40)))
                throw PriceObjectProblem(
                    path: [],
                    reason: "\"\(shown)\" is not a provider (\(providers.joined(separator: ", ")), or * for any other)",
                    chineseReason: "“\(shown)”不是云厂商（\(providers.joined(separator: "、"))，或用 * 表示其他任何云厂商）"
                )
            }
            guard case .object(let prices) = value else {
                throw PriceObjectProblem(path: [key], reason: "not an object of prices", chineseReason: "不是价格对象")
            }
            book.setTable(try table(prices, currency: currency, path: [key]), forKey: key)
        }
        return book
    }

    private static func table(
        _ prices: [String: PriceValue],
        currency: String,
        path: [String]
    ) throws(PriceObjectProblem) -> PriceTable {
        var table = PriceTable(currency: currency)
        for (name, value) in prices.sorted(by: { $0.key < $1.key }) where name != "currency" {
            guard let price = Money(priceValue: value, currency: currency) else {
                let shown = TimeText.escaped(String(value.shownText.prefix(40)))
                throw PriceObjectProblem(
                    path: path + [name],
                    reason: "\"\(shown)\" is not a price (a decimal from 0 to 1000000000 with at most six places)",
                    chineseReason: "“\(shown)”不是价格（0 至 1000000000 的小数，最多六位小数）"
                )
            }
            guard table.setPrice(named: name, to: price) else {
                let shown = TimeText.escaped(String(name.prefix(40)))
                throw PriceObjectProblem(
                    path: path,
                    reason: "\"\(shown)\" is not compute, disk, elasticIP, snapshot or subscriptionPerMonth",
                    chineseReason: "“\(shown)”不是 compute、disk、elasticIP、snapshot 或 subscriptionPerMonth"
                )
            }
        }
        return table
    }
}

extension Money {
    /// An amount written as a price value: a decimal string, or a JSON number read as the shortest decimal that
    /// is the number (`0.52` is 0.52 exactly); nil for anything ``Money/init(decimal:currency:)`` refuses.
    public init?(priceValue value: PriceValue, currency: String) {
        switch value {
        case .text(let text): self.init(decimal: text, currency: currency)
        case .number(let number) where number.isFinite:
            // `"\(0.52)"` is "0.52"; a whole number prints as "12.0".
            let text = "\(number)"
            self.init(decimal: text.hasSuffix(".0") ? String(text.dropLast(2)) : text, currency: currency)
        case .number, .object, .other: return nil
        }
    }
}

extension PriceValue: Decodable {
    /// Reads any JSON value: a string, a number (a boolean is not one), an object of values; anything else is
    /// ``other``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else if (try? container.decode(Bool.self)) != nil {
            self = .other
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let object = try? container.decode([String: PriceValue].self) {
            self = .object(object)
        } else {
            self = .other
        }
    }
}

extension PriceValue {
    /// The value as a reader shows it in an error.
    fileprivate var shownText: String {
        switch self {
        case .text(let text): return text
        case .number(let number): return number.isFinite ? "\(number)" : "not finite"
        case .object, .other: return "not a number"
        }
    }
}
