public import ArgumentParser
public import ProviderRegistry
public import ReleaseCore
public import Reporting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct CloudRelease: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cloud-release",
        abstract:
            "Compare, explain, simulate, forecast and replay how Aliyun ECS and Tencent CVM release instances.",
        discussion: """
            Every answer comes from running the provider models; every rule cites its source document.

            Exit codes: 0 ok, 1 an expectation in a scenario failed, 2 a usage, input or I/O error (said on \
            standard error with the file, line and field, or the OS's reason).

            Examples:
              cloud-release compare
              cloud-release compare --profiles --format markdown
              cloud-release explain --provider tencent --protected --command release
            """,
        version: "0.1.0",
        subcommands: [
            Compare.self, Simulate.self, Explain.self, ForecastCommand.self, Replay.self, Merge.self,
            GenerateTrace.self,
        ]
    )

    /// Runs the command with the documented exit codes: 0 ok (and help), 1 an expectation failed,
    /// 2 a usage or input error (ArgumentParser's own usage code is 64; this tool promises 2).
    static func main() {
        Output.prepare()
        do {
            // A bad configuration file stops everything before a command runs (exit 2, with its reason).
            _ = try ConfigFile.current.get()
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            terminate(exit.rawValue)
        } catch let input as InputError {
            let lines = input.message(in: Speech.language).split(separator: "\n", omittingEmptySubsequences: false)
            Output.error(lines.map { "cloud-release: \($0)\n" }.joined())
            terminate(2)
        } catch {
            if exitCode(for: error) == .success { self.exit(withError: error) }
            let message = fullMessage(for: error)
            // ArgumentParser words its own usage errors in English; Chinese output says what they are first.
            let isChinese = message.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
            if Speech.language == .zh && !isChinese { Output.error("cloud-release：命令行参数有误（以下说明为英文）：\n") }
            Output.error(message + "\n")
            terminate(2)
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}
extension CommandWord: ExpressibleByArgument {}
extension LaunchPhase: ExpressibleByArgument {}
extension PublicAddress: ExpressibleByArgument {}
extension SnapshotKind: ExpressibleByArgument {}

/// A stop mode in the words of scenario files and traces.
enum StopModeOption: String, ExpressibleByArgument, CaseIterable {
    case keepCharging = "keep-charging"
    case stopCharging = "stop-charging"

    var mode: StopChargingMode {
        switch self {
        case .keepCharging: return .keepCharging
        case .stopCharging: return .stopCharging
        }
    }
}

extension ProviderModel: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
    public var defaultValueDescription: String { description }
    public static var allValueStrings: [String] { allModels.map(\.description) }
}

/// `--provider`, shared by the commands that run chosen models.
struct ModelOptions: ParsableArguments {
    @Option(
        name: .customLong("provider"),
        help: "A provider model to run (repeatable). Default: every provider under its seed profile."
    )
    var providers: [ProviderModel] = []

    /// The models the user chose, or the configuration file's, or `fallback`.
    func chosen(default fallback: [ProviderModel]) -> [ProviderModel] {
        if !providers.isEmpty { return providers }
        if let configured = ConfigFile.settings?.providers, !configured.isEmpty { return configured }
        return fallback
    }
}

/// `--format` for the commands that print text, Markdown or JSON.
struct OutputOptions: ParsableArguments {
    @Option(
        name: [.customShort("f"), .customLong("format")],
        help: "Output format (default: text, or the configuration file's)."
    )
    var chosenFormat: OutputFormat?

    /// The format asked for, or the configuration file's, or text.
    var format: OutputFormat { chosenFormat ?? ConfigFile.settings?.format ?? .text }
}

/// Whether `descriptor` is a terminal (progress only then).
func isTerminal(_ descriptor: Int32) -> Bool {
    isatty(descriptor) == 1
}

/// What the terminal asks of text output.
enum Terminal {
    /// Colour only on a terminal, and never with `NO_COLOR` set (no-color.org) or `TERM=dumb`.
    static func wantsColour(_ descriptor: Int32) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isTerminal(descriptor)
    }

    /// The width text tables fit: `COLUMNS` when it is a number from 60 to 1000, else 120.
    static var width: Int {
        guard let text = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(text),
            (60...1_000).contains(columns)
        else { return 120 }
        return columns
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ends the process with `status` (the C library's `exit`, named apart from `ParsableCommand.exit(withError:)`).
func terminate(_ status: Int32) -> Never {
    exit(status)
}
