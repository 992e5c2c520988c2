public import ArgumentParser
import Foundation
import ReleaseComparison

@main
struct CloudRelease: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cloud-release",
        abstract: "Compare and simulate how Aliyun ECS and Tencent CVM release instances.",
        discussion: """
            Every answer comes from running the provider models; every rule cites its source document.

            Exit codes: 0 ok, 1 an expectation in a scenario failed, 2 a usage, input or I/O error (said on
            standard error with the file, line and field, or the OS's reason).

            Examples:
              cloud-release compare
              cloud-release compare --profiles --format markdown
              cloud-release explain --provider tencent --protected --command release
            """,
        version: "0.1.0",
        subcommands: [Compare.self, Simulate.self, Explain.self, Replay.self, GenerateTrace.self]
    )

    /// Runs the command with the documented exit codes: 0 ok (and help), 1 an expectation failed,
    /// 2 a usage or input error (ArgumentParser's own usage code is 64; this tool promises 2).
    static func main() {
        Output.prepare()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let input as InputError {
            let lines = input.message.split(separator: "\n", omittingEmptySubsequences: false)
            Output.error(lines.map { "cloud-release: \($0)\n" }.joined())
            Foundation.exit(2)
        } catch {
            if exitCode(for: error) == .success { self.exit(withError: error) }
            Output.error(fullMessage(for: error) + "\n")
            Foundation.exit(2)
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}

/// Whether standard output is a terminal (colour and progress only then).
func isTerminal(_ descriptor: Int32) -> Bool {
    isatty(descriptor) == 1
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
