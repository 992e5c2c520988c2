import ArgumentParser
import ProviderRegistry
import ReleaseCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
    /// One JSON value of a price file (the library's reading of it).
    typealias Field = PriceValue

    /// The book `object` describes (the one reading, ``PriceBook/reading(_:)``); `place` names the file in errors,
    /// key) in errors, and `keys` the keys leading to the object in its file.
    static func book(from object: [String: Field], place: String, keys: [String] = []) throws(InputError) -> PriceBook {
        do throws(PriceObjectProblem) {
            return try PriceBook.reading(object)
        } catch {
            let path = keys + error.path
            let at = path.isEmpty ? place : "\(place): \(path.joined(separator: "."))"
            throw InputError("\(at): \(error.reason)", "\(at)：\(error.chineseReason)")
        }
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
