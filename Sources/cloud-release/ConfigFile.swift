import ProviderRegistry
import ReleaseCore
import Reporting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Defaults from a JSON file named by `CLOUDRELEASE_CONFIG` (Docs/Configuration.md): the models, the output format,
/// the prices (Docs/Prices.md) and the language. Command-line options win over it.
///
/// ```json
/// {"providers": ["aliyun@2024", "tencent"], "format": "markdown", "prices": {"compute": 0.12}, "language": "en"}
/// ```
struct ConfigFile: Sendable {
    var providers: [ProviderModel] = []
    var format: OutputFormat?
    var prices: PriceBook?
    var language: Language?

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
        var prices: [String: PriceFile.Field]?
        var language: String?
    }

    static func load(_ path: String) throws(InputError) -> ConfigFile {
        let bytes = try readInputFile(path, limit: 1 << 20)
        let raw: Raw
        do {
            raw = try JSONDecoder().decode(Raw.self, from: Data(bytes))
        } catch let error as DecodingError {
            let problem = decodingProblem(error)
            let place = "\(path) (CLOUDRELEASE_CONFIG)"
            throw InputError("\(place): \(problem.english)", "\(place)：\(problem.chinese)")
        } catch {
            throw InputError(
                "\(path) (CLOUDRELEASE_CONFIG): not a JSON object of providers, format, prices, language",
                "\(path) (CLOUDRELEASE_CONFIG)：不是含 providers、format、prices、language 的 JSON 对象"
            )
        }
        var config = ConfigFile()
        for (index, name) in (raw.providers ?? []).enumerated() {
            guard let model = ProviderModel(parsing: name) else {
                let models = ProviderModel.allModels.map(\.description)
                throw InputError(
                    "\(path) (CLOUDRELEASE_CONFIG): providers[\(index)]: \"\(TimeText.escaped(name))\" is not a model "
                        + "(\(models.joined(separator: ", ")))",
                    "\(path) (CLOUDRELEASE_CONFIG)：providers[\(index)]：“\(TimeText.escaped(name))”不是模型"
                        + "（\(models.joined(separator: "、"))）"
                )
            }
            config.providers.append(model)
        }
        /// A key's value as one of a fixed set of words, or why not.
        func word<Value: RawRepresentable<String>>(
            _ text: String?,
            _ key: String,
            _ expected: String
        ) throws(InputError)
            -> Value?
        {
            guard let text else { return nil }
            guard let value = Value(rawValue: text) else {
                throw InputError(
                    "\(path) (CLOUDRELEASE_CONFIG): \(key): \"\(TimeText.escaped(text))\" is not \(expected)",
                    "\(path) (CLOUDRELEASE_CONFIG)：\(key)：“\(TimeText.escaped(text))”不是 \(expected)"
                )
            }
            return value
        }
        config.format = try word(raw.format, "format", "text, markdown or json")
        if let prices = raw.prices {
            config.prices = try PriceFile.book(from: prices, place: "\(path) (CLOUDRELEASE_CONFIG)", keys: ["prices"])
        }
        config.language = try word(raw.language, "language", "en or zh")
        return config
    }
}
