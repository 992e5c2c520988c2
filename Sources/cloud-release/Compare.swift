import ArgumentParser
import ProviderRegistry
import ReleaseComparison
import Reporting

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Show the providers side by side, derived by running probe scenarios through the models.",
        discussion: """
            Each cell is the outcome of a small scenario run on the model, with the source codes of the rules
            that produced it; codes marked * (or [MODEL]) are product choices where the sources are silent.

            Examples:
              cloud-release compare                       # seed profiles, aligned text
              cloud-release compare --profiles            # both dated profiles of each provider
              cloud-release compare --format markdown > Docs/Semantics.md
              cloud-release compare --format json | jq '.rows[] | select(.id == "arrears")'
            """
    )

    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "Show each provider under its seed and its newer profile.")
    var profiles = false

    @OptionGroup var language: LanguageOption

    func run() throws {
        let format = output.format
        let language = language.language
        let comparison = Comparison.run(
            models: profiles ? ProviderModel.allModels : ProviderModel.seedModels,
            language: language
        )
        try Output.write(
            comparison.rendered(
                as: format,
                colour: format == .text && Terminal.wantsColour(1),
                width: Terminal.width,
                language: language
            )
        )
    }
}
