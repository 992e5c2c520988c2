public import ArgumentParser
import Foundation
import Reporting

extension Language: ExpressibleByArgument {}

/// `--lang en|zh`: the language of human-readable output. Without it, the configuration file's `language`, then
/// `LC_ALL`/`LC_MESSAGES`/`LANG` (a `zh…` locale is Chinese), then English. JSON keys and codes never change.
struct LanguageOption: ParsableArguments {
    @Option(
        name: .customLong("lang"),
        help: "The language of the text: en or zh (default: from the configuration file, then LC_ALL/LANG)."
    )
    var lang: Language?

    var language: Language {
        lang ?? ConfigFile.settings?.language ?? Language.preferred(environment: ProcessInfo.processInfo.environment)
    }
}
