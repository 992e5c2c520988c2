public import ArgumentParser
import Reporting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Language: ExpressibleByArgument {}

/// `--lang en|zh`: the language of human-readable output. Without it, the configuration file's `language`, then
/// `LC_ALL`/`LC_MESSAGES`/`LANG` (a `zh…` locale is Chinese), then English. JSON keys and codes never change.
struct LanguageOption: ParsableArguments {
    @Option(
        name: .customLong("lang"),
        help: "The language of the text: en or zh (default: from the configuration file, then LC_ALL/LANG)."
    )
    var lang: Language?

    var language: Language { lang ?? Speech.language }
}

/// The language of the tool's own messages, errors included: `--lang` as the command line gives it (read before
/// the arguments are parsed, so that a usage error is in it too), then the configuration file's, then the locale.
/// ArgumentParser's own words ("Error:", "Usage:", a missing argument) stay English.
enum Speech {
    static let language: Language = {
        var arguments = CommandLine.arguments.dropFirst()[...]
        while let argument = arguments.popFirst(), argument != "--" {
            if argument == "--lang", let value = arguments.first, let language = Language(rawValue: value) {
                return language
            }
            if argument.hasPrefix("--lang="), let language = Language(rawValue: String(argument.dropFirst(7))) {
                return language
            }
        }
        return ConfigFile.settings?.language ?? Language.preferred(environment: ProcessInfo.processInfo.environment)
    }()

    /// `english` or `chinese`, in ``language``.
    static func say(_ english: String, _ chinese: String) -> String { language == .zh ? chinese : english }
}
