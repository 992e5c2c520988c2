import FleetReplay
import Foundation
import TestSupport
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Runs the built `cloud-release` executable and compares its output with Golden/ files.
/// Regenerate them with `UPDATE_GOLDEN=1 swift test --filter CLITests` and review the diff.
@Suite("cloud-release CLI")
struct CLITests {
    struct Golden: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var status: Int32 = 0
        var testDescription: String { "cloud-release " + arguments.joined(separator: " ") }
    }

    static let goldens: [Golden] = [
        Golden(name: "help.txt", arguments: ["--help"]),
        Golden(name: "help-compare.txt", arguments: ["compare", "--help"]),
        Golden(name: "help-simulate.txt", arguments: ["simulate", "--help"]),
        Golden(name: "help-explain.txt", arguments: ["explain", "--help"]),
        Golden(name: "help-replay.txt", arguments: ["replay", "--help"]),
        Golden(name: "help-merge.txt", arguments: ["merge", "--help"]),
        Golden(name: "help-generate-trace.txt", arguments: ["generate-trace", "--help"]),
        Golden(name: "help-forecast.txt", arguments: ["forecast", "--help"]),
        Golden(
            name: "simulate-restore.html",
            arguments: ["simulate", "Examples/restore-after-1h.json", "--format", "html"]
        ),
        Golden(
            name: "replay.html",
            arguments: ["replay", "Tests/CLITests/Golden/fleet.csv", "--format", "html"]
        ),
        Golden(
            name: "simulate-override.xml",
            arguments: [
                "simulate", "Examples/arrears-timeline.json", "--provider", "tencent@2025", "--format", "junit",
            ],
            status: 1
        ),
        Golden(
            name: "forecast.txt",
            arguments: [
                "forecast", "--at", "2026-11-24T23:00:00Z", "Examples/inventory/ecs-describe-instances.json",
                "Examples/inventory/cvm-describe-instances.json", "Examples/inventory/cvm-action-timers.json",
            ]
        ),
        Golden(
            name: "forecast.json",
            arguments: [
                "forecast", "--at", "2026-11-24T23:00:00Z", "--format", "json",
                "Examples/inventory/ecs-describe-instances.json", "Examples/inventory/cvm-describe-instances.json",
                "Examples/inventory/cvm-action-timers.json",
            ]
        ),
        Golden(name: "compare.txt", arguments: ["compare"]),
        Golden(name: "compare-profiles.md", arguments: ["compare", "--profiles", "--format", "markdown"]),
        Golden(name: "compare.json", arguments: ["compare", "--format", "json"]),
        Golden(name: "simulate-restore.txt", arguments: ["simulate", "Examples/restore-after-1h.json"]),
        Golden(
            name: "simulate-arrears.md",
            arguments: ["simulate", "Examples/arrears-timeline.json", "--format", "markdown"]
        ),
        Golden(name: "simulate-fate.json", arguments: ["simulate", "Examples/resource-fate.json", "--format", "json"]),
        Golden(
            name: "simulate-override.txt",
            arguments: ["simulate", "Examples/arrears-timeline.json", "--provider", "tencent@2025"],
            status: 1
        ),
        Golden(name: "explain.txt", arguments: ["explain", "--command", "release", "--public-address", "elasticIP"]),
        Golden(
            name: "explain.md",
            arguments: ["explain", "--command", "release", "--protected", "--format", "markdown"]
        ),
        Golden(
            name: "explain.json",
            arguments: ["explain", "--command", "schedule-release", "--time", "+10min", "--format", "json"]
        ),
        Golden(
            name: "explain-bin.txt",
            arguments: ["explain", "--phase", "recycle-bin", "--command", "restore", "--at", "+1h"]
        ),
        Golden(
            name: "explain-suspended.txt",
            arguments: ["explain", "--phase", "suspended", "--command", "release", "--provider", "tencent@2025"]
        ),
        Golden(
            name: "explain-disks.json",
            arguments: [
                "explain", "--command", "release", "--flags", "force", "--data-disk", "keep", "--data-disk", "local",
                "--snapshot", "manual", "--snapshot", "automatic", "--spot", "--format", "json",
            ]
        ),
        Golden(name: "replay.txt", arguments: ["replay", "Tests/CLITests/Golden/fleet.csv"]),
        Golden(
            name: "replay.json",
            arguments: ["replay", "Tests/CLITests/Golden/fleet.csv", "--format", "json"]
        ),
    ]

    /// Wall time differs run to run; everything else must match byte for byte.
    static func normalized(_ text: String) -> String {
        text.replacingOccurrences(
            of: #""wallSeconds" : [0-9.e+-]+"#,
            with: #""wallSeconds" : 0"#,
            options: .regularExpression
        )
        .replacingOccurrences(of: #"; [0-9.]+ s wall"#, with: "; 0.00 s wall", options: .regularExpression)
    }

    @Test("Golden output", arguments: goldens)
    func golden(_ golden: Golden) throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: BuiltTool.executable.path),
            "build cloud-release first (swift build)"
        )
        let run = try BuiltTool.run(golden.arguments)
        #expect(run.status == golden.status, "\(run.stderr)")
        let path = repositoryRoot.appendingPathComponent("Tests/CLITests/Golden/\(golden.name)")
        let actual = Self.normalized(run.stdout)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
            try actual.write(to: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: path, encoding: .utf8)
        #expect(
            actual == expected,
            "\(golden.name) differs; run UPDATE_GOLDEN=1 swift test --filter CLITests and review"
        )
    }

    struct Failure: CustomTestStringConvertible, Sendable {
        var arguments: [String]
        var stderr: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    @Test(
        "Bad input exits 2 with a one-line reason and prints nothing to stdout",
        arguments: [
            Failure(
                arguments: ["simulate", "Tests/CLITests/Golden/bad-scenario.json"],
                stderr: "bad-scenario.json:5:18: steps[0].command"
            ),
            Failure(arguments: ["simulate", "no-such-file.json"], stderr: "no-such-file.json: cannot read the file"),
            Failure(
                arguments: ["replay", "Tests/CLITests/Golden/bad-fleet.csv"],
                stderr: "bad-fleet.csv:4: op: unknown op"
            ),
            Failure(arguments: ["replay", "no-such.csv"], stderr: "no-such.csv: cannot open"),
            Failure(arguments: ["compare", "--format", "yaml"], stderr: "yaml"),
            Failure(
                arguments: ["explain", "--command", "reboot"],
                stderr: "'reboot' is invalid for '--command <command>'"
            ),
            Failure(arguments: ["explain", "--command", "release", "--flags", "fast"], stderr: "--flags: \"fast\""),
            Failure(arguments: ["frobnicate"], stderr: "frobnicate"),
            Failure(arguments: ["forecast", "no-such.json"], stderr: "no-such.json: cannot read the file"),
            Failure(arguments: ["forecast", "--at", "yesterday", "Examples/fleet.csv"], stderr: "--at yesterday"),
            // A file that is JSON but no summary: the decoder's problem is named by its field.
            Failure(
                arguments: ["merge", "Examples/restore-after-1h.json"],
                stderr: "Examples/restore-after-1h.json: not a replay summary in JSON (format: missing)"
            ),
        ]
    )
    func failure(_ failure: Failure) throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: BuiltTool.executable.path),
            "build cloud-release first (swift build)"
        )
        let run = try BuiltTool.run(failure.arguments)
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains(failure.stderr), "\(run.stderr)")
    }

    @Test(
        "The README's transcripts are what the commands print today",
        arguments: [
            ["compare"], ["simulate", "Examples/restore-after-1h.json"],
        ]
    )
    func readmeTranscripts(arguments: [String]) throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: BuiltTool.executable.path),
            "build cloud-release first (swift build)"
        )
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let prompt = "$ swift run cloud-release " + arguments.joined(separator: " ") + "\n"
        let start = try #require(readme.range(of: prompt), "README has no transcript of \(arguments)")
        let rest = readme[start.upperBound...]
        let end = try #require(rest.range(of: "```"))
        #expect(
            String(rest[..<end.lowerBound]) == (try BuiltTool.run(arguments)).stdout,
            "regenerate the README transcript"
        )
    }

    @Test("JUnit output is well-formed XML with one test case per expectation and the failures marked")
    func junit() throws {
        let run = try BuiltTool.run([
            "simulate", "Examples/arrears-timeline.json", "Examples/restore-after-1h.json", "--provider",
            "tencent@2025",
            "--format", "junit",
        ])
        #expect(run.status == 1)
        let parser = XMLParser(data: Data(run.stdout.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(run.stdout.components(separatedBy: "<testcase ").count - 1 > 5)
        #expect(run.stdout.contains("<failure message="))
    }

    @Test("replay --per-instance: a CSV line per instance whose billed seconds add up to the summary's")
    func perInstance() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let trace = directory.appendingPathComponent("fleet.csv").path
        let csv = directory.appendingPathComponent("instances.csv").path
        #expect(
            try BuiltTool.run(["generate-trace", "--instances", "300", "--seed", "5", "--output", trace]).status == 0
        )
        let run = try BuiltTool.run(["replay", trace, "--format", "json", "--per-instance", csv])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try JSONDecoder().decode(ReplaySummary.self, from: Data(run.stdout.utf8))
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.first == PerInstanceReport.header)
        #expect(lines.count - 1 == summary.instances.values.flatMap(\.values).reduce(0, +))
        var sums: [String: [String: Int64]] = [:]
        let columns = lines[0].split(separator: ",").map(String.init)
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            for (index, column) in columns.enumerated() where column.hasSuffix("_seconds") {
                sums[fields[2], default: [:]][String(column.dropLast("_seconds".count)), default: 0] += Int64(
                    fields[index]
                )!
            }
        }
        #expect(sums == summary.billedSeconds)
    }

    @Test("CLOUDRELEASE_CONFIG: its models, format and prices are defaults the options override; a bad file exits 2")
    func configFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.json")
        try Data(
            #"{"providers": ["tencent@2025"], "format": "json", "prices": {"compute": 0.5}, "language": "en"}"#.utf8
        )
        .write(to: good)
        let configured = try BuiltTool.run(
            ["explain", "--command", "release"],
            environment: ["CLOUDRELEASE_CONFIG": good.path]
        )
        #expect(configured.status == 0)
        #expect(configured.stdout.hasPrefix("["))
        #expect(configured.stdout.contains("\"model\" : \"tencent@2025\""))
        let overridden = try BuiltTool.run(
            ["explain", "--command", "release", "--format", "text", "--provider", "aliyun"],
            environment: ["CLOUDRELEASE_CONFIG": good.path]
        )
        #expect(overridden.stdout.hasPrefix("aliyun: "))
        let replay = try BuiltTool.run(
            ["replay", "Examples/fleet.csv"],
            environment: ["CLOUDRELEASE_CONFIG": good.path]
        )
        #expect(replay.stdout.contains("Cost forecast"))
        for (text, reason) in [
            (#"{"format": "yaml"}"#, "format: \"yaml\""), (#"{"providers": ["huawei"]}"#, "providers[0]"),
            (#"{"prices": {"compute": -1}}"#, "prices.compute"),
            (#"{"language": "fr"}"#, "language: \"fr\" is not en or zh"),
            ("[1, 2]", "CLOUDRELEASE_CONFIG"),
        ] {
            let bad = directory.appendingPathComponent("bad.json")
            try Data(text.utf8).write(to: bad)
            let run = try BuiltTool.run(["compare"], environment: ["CLOUDRELEASE_CONFIG": bad.path])
            #expect(run.status == 2)
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.contains(reason), "\(run.stderr)")
        }
    }

    @Test("- reads a scenario from standard input")
    func standardInput() throws {
        let file = repositoryRoot.appendingPathComponent("Examples/restore-after-1h.json")
        let piped = try BuiltTool.run(["simulate", "-", "--format", "json"], input: file)
        let named = try BuiltTool.run(["simulate", "Examples/restore-after-1h.json", "--format", "json"])
        #expect(piped.status == 0)
        #expect(
            piped.stdout.replacingOccurrences(
                of: "\"file\" : \"-\"",
                with: "\"file\" : \"Examples/restore-after-1h.json\""
            ) == named.stdout
        )
    }

    @Test("Help on every subcommand shows examples")
    func help() throws {
        for command in ["compare", "simulate", "explain", "forecast", "replay", "merge", "generate-trace"] {
            let run = try BuiltTool.run([command, "--help"])
            #expect(run.status == 0)
            #expect(run.stdout.contains("Examples:"), "\(command)")
        }
    }

    @Test("generate-trace writes the whole file or nothing, and the same seed writes the same trace")
    func generateTrace() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = directory.appendingPathComponent("a.csv").path
        let second = directory.appendingPathComponent("b.csv").path
        #expect(
            try BuiltTool.run(["generate-trace", "--instances", "50", "--seed", "9", "--output", first]).status == 0
        )
        #expect(
            try BuiltTool.run(["generate-trace", "--instances", "50", "--seed", "9", "--output", second]).status == 0
        )
        #expect(FileManager.default.contents(atPath: first) == FileManager.default.contents(atPath: second))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["a.csv", "b.csv"])
        let replay = try BuiltTool.run(["replay", first])
        #expect(replay.status == 0)
        #expect(replay.stdout.contains("250 records"))
    }
}
