import ArgumentParser
import Foundation
import ProviderRegistry
import ReleaseCore

/// Reads prices (Docs/Prices.md): a JSON object of a `currency` and, per provider (or `*` for every provider
/// without its own), each meter family's hourly price and `subscriptionPerMonth`; or, the older flat form, one
/// hourly price per family for every provider. Prices are decimal strings (`"0.52"`) or numbers, read as the
/// shortest decimal that is the number (so `0.52` is 0.52 exactly).
///
/// ```json
/// {"currency": "CNY",
///  "aliyun": {"compute": "0.52", "disk": "0.03", "elasticIP": "0.02", "snapshot": "0.001", "subscriptionPerMonth": "280"},
///  "*": {"compute": "0.5"}}
/// ```
enum PriceFile {
    /// One JSON value of a price file: a price's text or number, or an object of them.
    indirect enum Field: Decodable, Sendable {
        case text(String)
        case number(Double)
        case object([String: Field])
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else if (try? container.decode(Bool.self)) != nil {
                self = .other
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else if let object = try? container.decode([String: Field].self) {
                self = .object(object)
            } else {
                self = .other
            }
        }
    }

    /// The book `object` describes; `place` names the file (and key) in errors.
    static func book(from object: [String: Field], place: String) throws(InputError) -> PriceBook {
        let currency: String
        switch object["currency"] {
        case nil:
            currency = "CNY"
        case .text(let text) where text.count == 3 && text.allSatisfy({ $0.isASCII && $0.isUppercase }):
            currency = text
        default:
            throw InputError(
                "\(place): currency: not a three-letter currency code such as CNY",
                "\(place)：currency：不是三个字母的货币代码（如 CNY）"
            )
        }
        let providers = Set(ProviderModel.Kind.allCases.map(\.rawValue))
        let isFlat = object.keys.allSatisfy(PriceTable.priceNames.contains)
        if isFlat {
            return PriceBook(try table(object, currency: currency, place: place))
        }
        var book = PriceBook(currency: currency)
        for (key, value) in object.sorted(by: { $0.key < $1.key }) where key != "currency" {
            guard key == PriceBook.fallbackKey || providers.contains(key) else {
                throw InputError(
                    "\(place): \"\(TimeText.escaped(key))\" is not a provider (\(providers.sorted().joined(separator: ", ")), or * for any other)",
                    "\(place)：“\(TimeText.escaped(key))”不是云厂商（\(providers.sorted().joined(separator: "、"))，或用 * 表示其他任何云厂商）"
                )
            }
            guard case .object(let prices) = value else {
                throw InputError("\(place): \(key): not an object of prices", "\(place)：\(key)：不是价格对象")
            }
            book.setTable(try table(prices, currency: currency, place: "\(place): \(key)"), forKey: key)
        }
        return book
    }

    /// Reads a price file.
    static func load(_ path: String) throws(InputError) -> PriceBook {
        let bytes = try readInputFile(path, limit: 1 << 20)
        let object: [String: Field]
        do {
            object = try JSONDecoder().decode([String: Field].self, from: Data(bytes))
        } catch {
            throw InputError("\(path): not a JSON object of prices", "\(path)：不是价格的 JSON 对象")
        }
        return try book(from: object, place: path)
    }

    private static func table(
        _ prices: [String: Field],
        currency: String,
        place: String
    ) throws(InputError) -> PriceTable {
        var table = PriceTable(currency: currency)
        for (name, value) in prices.sorted(by: { $0.key < $1.key }) where name != "currency" {
            let text: String
            switch value {
            case .text(let string): text = string
            case .number(let number): text = number.isFinite ? "\(number)" : "not finite"
            case .object, .other: text = "not a number"
            }
            // `"\(0.52)"` is "0.52"; a whole number prints as "12.0".
            let decimal = text.hasSuffix(".0") ? String(text.dropLast(2)) : text
            guard let price = Money(decimal: decimal, currency: currency) else {
                let shown = TimeText.escaped(String(text.prefix(40)))
                throw InputError(
                    "\(place).\(name): \"\(shown)\" is not a price (a decimal from 0 to 1000000000 with at most six places)",
                    "\(place).\(name)：“\(shown)”不是价格（0 至 1000000000 的小数，最多六位小数）"
                )
            }
            guard table.setPrice(named: name, to: price) else {
                throw InputError(
                    "\(place): \"\(TimeText.escaped(name))\" is not compute, disk, elasticIP, snapshot or subscriptionPerMonth",
                    "\(place)：“\(TimeText.escaped(name))”不是 compute、disk、elasticIP、snapshot 或 subscriptionPerMonth"
                )
            }
        }
        return table
    }
}

/// The prices a command runs with (Docs/Prices.md): `--price` options (one table for every provider), else
/// `--prices FILE`, else the configuration file's `prices`; none when nothing is given.
struct PriceOptions: ParsableArguments {
    @Option(
        help:
            "A price for every provider (repeatable; a decimal in CNY): compute=0.52, disk=0.03, elasticIP=0.02, snapshot=0.001 an hour, or subscriptionPerMonth=280."
    )
    var price: [String] = []

    @Option(
        help: "A price file: per provider, hourly prices per meter and a subscription month's (Docs/Prices.md).",
        completion: .file(extensions: ["json"])
    )
    var prices: String?

    /// The prices, or nil when none are given; a bad price or file is a validation error (exit 2).
    func book() throws -> PriceBook? {
        if !price.isEmpty && prices != nil {
            throw ValidationError(
                Speech.say("--price and --prices: give prices one way, not both", "--price 与 --prices：只能用一种方式给出价格")
            )
        }
        if let prices { return try PriceFile.load(prices) }
        guard !price.isEmpty else { return ConfigFile.settings?.prices }
        var table = PriceTable()
        for entry in price {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw notAPrice(entry)
            }
            guard let amount = Money(decimal: parts[1], currency: table.currency) else {
                throw ValidationError(
                    Speech.say(
                        "--price: \"\(TimeText.escaped(entry))\": a price is a decimal from 0 to 1000000000 with at most six places",
                        "--price：“\(TimeText.escaped(entry))”：价格是 0 至 1000000000 的小数，最多六位小数"
                    )
                )
            }
            guard table.setPrice(named: parts[0], to: amount) else { throw notAPrice(entry) }
        }
        return PriceBook(table)
    }

    private func notAPrice(_ entry: String) -> ValidationError {
        let form = "<compute|disk|elasticIP|snapshot|subscriptionPerMonth>=<price>"
        return ValidationError(
            Speech.say(
                "--price: \"\(TimeText.escaped(entry))\" is not \(form)",
                "--price：“\(TimeText.escaped(entry))”不是 \(form)"
            )
        )
    }
}
