import Foundation
import ProviderRegistry
import ReleaseCore
import Reporting

/// Defaults from a JSON file named by `CLOUDRELEASE_CONFIG` (Docs/Configuration.md): the models, the output format,
/// the hourly prices and the language. Command-line options win over it.
///
/// ```json
/// {"providers": ["aliyun@2024", "tencent"], "format": "markdown", "prices": {"compute": 0.12}, "language": "en"}
/// ```
struct ConfigFile: Sendable {
    var providers: [ProviderModel] = []
    var format: OutputFormat?
    var prices: [MeterFamily: Double] = [:]

    /// The file's settings, read once: nil without `CLOUDRELEASE_CONFIG`, or why the file cannot be used.
    static let current: Result<ConfigFile?, InputError> = {
        guard let path = ProcessInfo.processInfo.environment["CLOUDRELEASE_CONFIG"], !path.isEmpty else {
            return .success(nil)
        }
        do throws(InputError) {
            return .success(try load(path))
        } catch {
            return .failure(error)
        }
    }()

    /// The settings, or none when there is no file (a bad file stops the program before any command runs).
    static var settings: ConfigFile? { (try? current.get()) ?? nil }

    private struct Raw: Decodable {
        var providers: [String]?
        var format: String?
        var prices: [String: Double]?
        var language: String?
    }

    static func load(_ path: String) throws(InputError) -> ConfigFile {
        let bytes = try readInputFile(path, limit: 1 << 20)
        let raw: Raw
        do {
            raw = try JSONDecoder().decode(Raw.self, from: Data(bytes))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw InputError(
                message:
                    "\(path) (CLOUDRELEASE_CONFIG): \(field.isEmpty ? "" : "\(field): ")\(context.debugDescription)"
            )
        } catch {
            throw InputError(
                message: "\(path) (CLOUDRELEASE_CONFIG): not a JSON object of providers, format, prices, language"
            )
        }
        var config = ConfigFile()
        for (index, name) in (raw.providers ?? []).enumerated() {
            guard let model = ProviderModel(parsing: name) else {
                throw InputError(
                    message:
                        "\(path) (CLOUDRELEASE_CONFIG): providers[\(index)]: \"\(TimeText.escaped(name))\" is not a model "
                        + "(\(ProviderModel.allModels.map(\.description).joined(separator: ", ")))"
                )
            }
            config.providers.append(model)
        }
        if let format = raw.format {
            guard let parsed = OutputFormat(rawValue: format) else {
                throw InputError(
                    message:
                        "\(path) (CLOUDRELEASE_CONFIG): format: \"\(TimeText.escaped(format))\" is not text, markdown or json"
                )
            }
            config.format = parsed
        }
        for (name, price) in (raw.prices ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let family = MeterFamily(rawValue: name) else {
                throw InputError(
                    message:
                        "\(path) (CLOUDRELEASE_CONFIG): prices: \"\(TimeText.escaped(name))\" is not compute, disk, elasticIP or snapshot"
                )
            }
            guard price.isFinite, price >= 0, price <= PriceTable.maximumHourlyPrice else {
                throw InputError(
                    message:
                        "\(path) (CLOUDRELEASE_CONFIG): prices.\(name): an hourly price is a number from 0 to \(Int(PriceTable.maximumHourlyPrice))"
                )
            }
            config.prices[family] = price
        }
        if let language = raw.language, language != "en" {
            throw InputError(
                message:
                    "\(path) (CLOUDRELEASE_CONFIG): language: \"\(TimeText.escaped(language))\": only en is available (zh is not yet)"
            )
        }
        return config
    }
}
