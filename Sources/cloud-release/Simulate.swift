import ArgumentParser
import Reporting
import Scenarios

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a scenario file on each provider and check its expectations.",
        discussion: """
            A scenario is one instance, timed steps (commands, events, time advances) and expectations; the
            format is in Docs/Scenarios.md and Docs/scenario.schema.json. Failed expectations exit with 1, so
            your assumptions about the clouds can live in CI as tests.
            A scenario that checks nothing is an error naming its file and line (exit 2):
            no expectation applies to the models run, or one names a provider the file
            does not run. --dry-run only watches such a scenario run.

            Examples:
              cloud-release simulate Examples/restore-after-1h.json
              cloud-release simulate Examples/restore-after-1h.json --provider tencent@2025
              cloud-release simulate Examples/*.json --format json
              cloud-release simulate Examples/*.json --format junit > scenarios.xml   # one test case per expectation
              cat scenario.json | cloud-release simulate -
              cloud-release simulate Examples/restore-after-1h.json --format html > timeline.html
              cloud-release simulate draft.json --dry-run   # a draft, no checks yet
            """
    )

    @Argument(help: "Scenario files (JSON); - reads standard input.", completion: .file(extensions: ["json"]))
    var files: [String]

    @OptionGroup var models: ModelOptions

    @OptionGroup var pricing: PriceOptions

    @OptionGroup var language: LanguageOption

    @Flag(
        help: """
            Run scenarios that check nothing (no expectations, or expectations only for providers not run) \
            without refusing them: a look at the timeline, not a test.
            """
    )
    var dryRun = false

    /// Simulate's own formats: the shared ones and JUnit XML.
    enum Format: String, CaseIterable, ExpressibleByArgument {
        case text, markdown, json, junit, html
    }

    @Option(
        name: .shortAndLong,
        help:
            "Output format (junit: JUnit XML, one test case per expectation; html: one self-contained page with the timelines)."
    )
    var format: Format = .text

    func validate() throws {
        guard !files.isEmpty else {
            throw ValidationError(Speech.say("give at least one scenario file", "请至少给出一个场景文件"))
        }
    }

    func run() throws {
        let models = models.providers.isEmpty ? nil : models.providers
        // Read and validate every file before printing anything: a bad file prints nothing half-done.
        var scenarios: [(String, Scenario)] = []
        for file in files {
            let bytes = try readInputFile(file)
            do {
                scenarios.append((file, try Scenario.decode(utf8: bytes, file: file)))
            } catch {
                throw InputError(message: error.description, chinese: error.description(in: .zh))
            }
        }
        // A scenario that checks nothing must not pass as a test (issue 23): refused before anything runs.
        if !dryRun {
            let unchecked = scenarios.compactMap { file, scenario in
                scenario.uncheckedExpectations(file: file, on: models)
            }
            if var first = unchecked.first {
                first.more += unchecked.dropFirst().flatMap { [$0] + $0.more }
                throw InputError(message: first.description, chinese: first.description(in: .zh))
            }
        }
        let prices = try pricing.book()
        // JUnit reports are read by CI tools, not people: their test names stay in the file's own words.
        let language = format == .junit ? .en : language.language
        let reports = scenarios.map { file, scenario in
            let report = scenario.run(file: file, on: models, language: language)
            // A file's own prices price its report (and its cost expectations); --prices the others.
            return scenario.prices == nil ? prices.map { report.priced(with: $0) } ?? report : report
        }
        switch format {
        case .json:
            try Output.write(reports.count == 1 ? reports[0].rendered(as: .json) : renderJSON(reports))
        case .junit:
            try Output.write(ScenarioReport.junit(reports))
        case .html:
            let timelines = scenarios.map { _, scenario in scenario.timelines(on: models, language: language) }
            try Output.write(ScenarioReport.html(reports, timelines: timelines, language: language))
        case .text, .markdown:
            let shared: OutputFormat = format == .text ? .text : .markdown
            let colour = format == .text && Terminal.wantsColour(1)
            try Output.write(
                reports.map { $0.rendered(as: shared, colour: colour, width: Terminal.width, language: language) }
                    .joined(separator: "\n")
            )
        }
        if reports.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }

    private func renderJSON(_ reports: [ScenarioReport]) -> String { JSONOutput.encode(reports) }
}
