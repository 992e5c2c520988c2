import Foundation
import TestSupport
import Testing

/// Documentation that can drift from behaviour, each class caught by a test (issue 8 §4): help examples run,
/// every relative link in README.md and Docs/ resolves, terminal conventions hold.
@Suite("Docs and help stay true")
struct DocsDriftTests {
    static let subcommands = ["compare", "simulate", "explain", "replay", "merge", "generate-trace"]

    /// The example command lines of a subcommand's `--help`.
    static func helpExamples(_ subcommand: String) throws -> [String] {
        // A wide COLUMNS keeps ArgumentParser from wrapping an example line.
        let help = try BuiltTool.run([subcommand, "--help"], environment: ["COLUMNS": "400"]).stdout
        guard let start = help.range(of: "Examples:\n") else { return [] }
        var lines: [String] = []
        for line in help[start.upperBound...].split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("cloud-release ") else { break }
            lines.append(trimmed)
        }
        return lines
    }

    @Test("Every example in every --help runs and exits 0", arguments: subcommands)
    func helpExamplesRun(subcommand: String) throws {
        let examples = try Self.helpExamples(subcommand)
        #expect(!examples.isEmpty)
        // A scratch directory with the repository's Examples/, so that writing examples touch nothing real.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("help-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: scratch.appendingPathComponent("Docs"),
            withIntermediateDirectories: true
        )
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.createSymbolicLink(
            at: scratch.appendingPathComponent("Examples"),
            withDestinationURL: repositoryRoot.appendingPathComponent("Examples")
        )
        for example in examples {
            // Comments are explanations; a pipe into another tool (jq) is the reader's business.
            var line = example.components(separatedBy: " #")[0]
            line = line.components(separatedBy: " | ")[0]
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", line]
            process.currentDirectoryURL = scratch
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] =
                BuiltTool.executable.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "")
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            let err = Pipe()
            process.standardError = err
            try process.run()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(example): \(stderr)")
        }
    }

    @Test("Every relative link in README.md and Docs/ points at a file in the repository")
    func linksResolve() throws {
        let documents =
            ["README.md"]
            + (try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("Docs").path))
            .filter { $0.hasSuffix(".md") }.map { "Docs/\($0)" }
        let pattern = try NSRegularExpression(pattern: #"\]\(([^)\s]+)\)"#)
        var checked = 0
        for document in documents {
            let url = repositoryRoot.appendingPathComponent(document)
            let text = try String(contentsOf: url, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let target = String(text[Range(match.range(at: 1), in: text)!])
                if target.hasPrefix("http://") || target.hasPrefix("https://") || target.hasPrefix("#") { continue }
                let path = target.components(separatedBy: "#")[0]
                let resolved = url.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
                #expect(FileManager.default.fileExists(atPath: resolved.path), "\(document) links to \(target)")
                checked += 1
            }
        }
        #expect(checked > 10)
    }

    @Test("No document cites a seed file name a reader cannot open")
    func noSeedFileNames() throws {
        for document in [
            "README.md", "Docs/Architecture.md", "Docs/Library.md", "Docs/Testing.md", "Docs/Semantics.md",
        ] {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent(document), encoding: .utf8)
            #expect(!text.contains("_695645b9e7217268"), "\(document)")
            #expect(!text.contains("_2cb1d64adc6fe7ba"), "\(document)")
        }
    }

    /// Whether util-linux `script` is here to give the CLI a pseudo-terminal.
    static let hasScript = FileManager.default.isExecutableFile(atPath: "/usr/bin/script")

    /// Runs `cloud-release compare` under a pseudo-terminal (util-linux `script`), with extra environment.
    static func compareOnTerminal(_ environment: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = [
            "-qec", "env -u NO_COLOR -u COLUMNS \(environment) '\(BuiltTool.executable.path)' compare", "/dev/null",
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }

    @Test(
        "Colour only on a terminal, and never with NO_COLOR or TERM=dumb",
        .enabled(if: hasScript, "needs util-linux script(1) for a pseudo-terminal (apt-get install bsdutils)")
    )
    func colourConventions() throws {
        #expect(try Self.compareOnTerminal("TERM=xterm").contains("\u{1B}["))
        #expect(try !Self.compareOnTerminal("TERM=xterm NO_COLOR=1").contains("\u{1B}["))
        #expect(try !Self.compareOnTerminal("TERM=dumb").contains("\u{1B}["))
        #expect(try BuiltTool.run(["compare"]).stdout.contains("\u{1B}[") == false)
    }

    @Test("Text tables fit COLUMNS, counting a CJK character as two columns", arguments: [80, 100, 120])
    func fitsColumns(columns: Int) throws {
        for arguments in [["compare"], ["compare", "--profiles"], ["simulate", "Examples/resource-fate.json"]] {
            let output = try BuiltTool.run(arguments, environment: ["COLUMNS": "\(columns)"]).stdout
            for line in output.split(separator: "\n") {
                let width = line.unicodeScalars.reduce(0) { total, scalar in
                    total
                        + ((0x2E80...0x9FFF).contains(scalar.value) || (0xFF00...0xFF60).contains(scalar.value) ? 2 : 1)
                }
                #expect(width <= columns, "\(arguments) at \(columns): \(line)")
            }
        }
    }
}
