import FleetReplay
import Foundation
import ProviderRegistry
import ReleaseComparison
import ReleaseCore
import Reporting
import Scenarios
import TestSupport
import Testing

/// Every input the fuzzer (Fuzz/Harness) or an audit found to trap, hang, eat memory or lose data is a file in
/// Fuzz/Regressions, named `accept-*` (must be read) or `refuse-*` (must be refused with a located error);
/// these tests run them all (issue 8 §3, Docs/Testing.md).
@Suite("Input robustness")
struct InputRobustnessTests {
    static func regressions(_ kind: String) -> [String] {
        let directory = repositoryRoot.appendingPathComponent("Fuzz/Regressions/\(kind)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    static func bytes(_ kind: String, _ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: repositoryRoot.appendingPathComponent("Fuzz/Regressions/\(kind)/\(name)")))
    }

    @Test(
        "Scenario regressions: accepted ones run on every model, refused ones say where",
        arguments: regressions("scenarios")
    )
    func scenario(name: String) throws {
        let input = try Self.bytes("scenarios", name)
        do {
            let scenario = try Scenario.decode(utf8: input, file: name)
            #expect(name.hasPrefix("accept-"), "\(name) was accepted")
            let report = scenario.run(on: ProviderModel.allModels)
            #expect(report.passed, "\(report.rendered(as: .text))")
        } catch {
            #expect(name.hasPrefix("refuse-"), "\(name): \(error.description)")
            #expect(error.description.hasPrefix("\(name):"))
        }
    }

    @Test(
        "Trace regressions: accepted ones replay, refused ones stop with file:line: why",
        arguments: regressions("traces")
    )
    func trace(name: String) throws {
        let path = repositoryRoot.appendingPathComponent("Fuzz/Regressions/traces/\(name)").path
        do {
            let (summary, _) = try TraceReplayer.replay(path: path)
            #expect(name.hasPrefix("accept-"), "\(name) was accepted")
            #expect(summary.records == summary.applied + summary.rejected + summary.malformed)
        } catch {
            #expect(name.hasPrefix("refuse-"), "\(name): \(error.description)")
            #expect(error.line != nil, "\(error.description)")
        }
    }

    @Test("CLI regressions exit 2 with a reason on stderr and nothing on stdout", arguments: regressions("cli"))
    func cli(name: String) throws {
        let arguments = String(decoding: try Self.bytes("cli", name), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast()
        let run = try BuiltTool.run(Array(arguments))
        #expect(run.status == 2, "\(name): \(run.stderr)")
        #expect(!run.stderr.isEmpty)
        #expect(run.stdout.isEmpty)
    }

    @Test("Every problem in a scenario file is reported, one line each")
    func everyProblem() throws {
        let input = try Self.bytes("scenarios", "refuse-several-problems.json")
        #expect(throws: ScenarioError.self) { try Scenario.decode(utf8: input, file: "s.json") }
        do {
            _ = try Scenario.decode(utf8: input, file: "s.json")
        } catch {
            let lines = error.description.split(separator: "\n")
            #expect(lines.count == 3, "\(error.description)")
            #expect(lines[0].contains("steps[0].command"))
            #expect(lines[1].contains("steps[1].event"))
            #expect(lines[2].contains("steps[2].at"))
        }
    }

    @Test("A byte that is not UTF-8 is refused at its line and column, never replaced")
    func nonUTF8Located() throws {
        let input = Array(#"{ "name": "a"#.utf8) + [0xFF] + Array(#"" }"#.utf8)
        do {
            _ = try Scenario.decode(utf8: input, file: "s.json")
            Issue.record("accepted")
        } catch {
            #expect(error.description.hasPrefix("s.json:1:13: byte 0xFF is not UTF-8"), "\(error.description)")
        }
    }

    @Test("A one-line scenario of 20,000 steps decodes (positions are computed in linear time)")
    func longOneLineScenario() throws {
        let steps = Array(repeating: #"{"at":"+1s"}"#, count: 20_000).joined(separator: ",")
        let text = #"{"name":"long","instance":{},"steps":["# + steps + "]}"
        let scenario = try Scenario.decode(text, file: "long.json")
        #expect(scenario.steps.count == 20_000)
    }

    @Test("Output that cannot be written is an error (exit 2), not a silent success")
    func fullDisk() throws {
        guard FileManager.default.isWritableFile(atPath: "/dev/full") else { return }
        let process = Process()
        process.executableURL = BuiltTool.executable
        process.arguments = ["compare"]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
        let err = Pipe()
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(stderr.contains("No space left on device"), "\(stderr)")
    }

    @Test("generate-trace --output refuses a directory and leaves it whole")
    func outputDirectoryRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keep = directory.appendingPathComponent("keep.txt")
        try Data("keep".utf8).write(to: keep)
        let run = try BuiltTool.run(["generate-trace", "--instances", "5", "--output", directory.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("is a directory"), "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: keep.path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.deletingLastPathComponent().path)
            .filter { $0.hasPrefix(directory.lastPathComponent + ".partial") }
        #expect(leftovers.isEmpty)
    }

    @Test("generate-trace replaces an existing file atomically and leaves no temporary file")
    func outputReplacesFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gt-\(UUID().uuidString).csv")
        try Data("old".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try BuiltTool.run(["generate-trace", "--instances", "5", "--output", file.path])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains(TraceRecord.header))
        let siblings = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
        #expect(!siblings.contains { $0.hasPrefix(file.lastPathComponent + ".partial") })
    }

    @Test("Times outside 1970-9999 and durations past the supported span are refused with a reason")
    func supportedRange() {
        #expect(Instant(iso8601: "1969-12-31T23:59:59Z") == nil)
        #expect(Instant(iso8601: "9999-12-31T23:59:59Z") == Instant.supportedRange.upperBound)
        #expect(Instant.supportedRange.upperBound.checkedAdding(Seconds(1)) == nil)
        #expect(Instant.supportedRange.lowerBound.checkedAdding(Seconds(-1)) == nil)
        #expect(Instant.supportedRange.lowerBound.checkedAdding(Seconds(Int64.max)) == nil)
        #expect(TimeText.duration("99999999999999999999d") == nil)
        #expect(TimeText.duration("9223372036854775807s") == nil)
        guard case .failure(let refusal) = TimeText.parseDuration("+999999999999999999d".dropFirst().description) else {
            Issue.record("accepted")
            return
        }
        #expect(refusal.reason.contains("longer than the supported"))
    }

    @Test(
        "Every raw control character inside a JSON string is refused where it stands (RFC 8259: U+0000 to U+001F)",
        arguments: 0..<0x20
    )
    func rawControlCharacterInString(byte: Int) throws {
        let before = Array(#"{"name": "a"#.utf8)
        let input = before + [UInt8(byte)] + Array(#"b", "providers": ["aliyun"], "steps": []}"#.utf8)
        #expect {
            try Scenario.decode(utf8: input, file: "s.json")
        } throws: { error in
            let text = "\(error)"
            return text.contains("control character in a string") && text.hasPrefix("s.json:1:")
        }
    }

    /// Every string of up to three characters from a number's alphabet, and longer random ones.
    static let numberCandidates: [String] = {
        let alphabet = Array("-+.eE0123456789")
        var texts: [String] = []
        var layer = [""]
        for _ in 1...3 {
            layer = layer.flatMap { text in alphabet.map { text + String($0) } }
            texts += layer
        }
        var random = SplitMix64(seed: 8259)
        for _ in 0..<400 {
            texts.append(
                String((0..<Int.random(in: 4...9, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            )
        }
        return texts
    }()

    @Test("A JSON number is read exactly when RFC 8259 §6's grammar takes it (not 01, 1., -.5, 1.e5, 1e)")
    func jsonNumberGrammar() throws {
        let grammar = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/
        for text in Self.numberCandidates {
            // A number where the name's string belongs: read as a number, it then fails as the wrong type.
            let input =
                Array(#"{"name": "#.utf8) + Array(text.utf8) + Array(#", "providers": ["aliyun"], "steps": []}"#.utf8)
            let isNumber = text.wholeMatch(of: grammar) != nil
            do {
                _ = try Scenario.decode(utf8: input, file: "s.json")
                Issue.record("\(text): decoded")
            } catch {
                let syntax = "\(error)".contains("malformed number") || "\(error)".contains("unexpected")
                #expect(syntax == !isNumber, "\(text): \(error)")
            }
        }
    }

    @Test("A scenario error's column counts characters, not bytes, and a byte-order mark is not one of them")
    func jsonErrorColumns() throws {
        let alphabet = ["a", "中", "文", "é", "😀", " "]
        var random = SplitMix64(seed: 2024)
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0...8, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
                .joined()
            let bom = Bool.random(using: &random)
            let line = #"{"name": ""# + text + #"", @}"#
            let input = (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(line.utf8)
            let column = line.unicodeScalars.count - 1  // the `@`, counted from 1
            #expect {
                try Scenario.decode(utf8: input, file: "s.json")
            } throws: { error in
                "\(error)".hasPrefix("s.json:1:\(column):")
            }
        }
    }

    @Test("Scenario JSON nests at most 64 levels: 64 are read, 65 are refused as too deep")
    func jsonNestingLimit() throws {
        for levels in [63, 64, 65] {
            // The document's object is one level; the rest are arrays.
            let nested = String(repeating: "[", count: levels - 1) + String(repeating: "]", count: levels - 1)
            let input = Array(#"{"name": "a", "providers": ["aliyun"], "steps": [], "x": \#(nested)}"#.utf8)
            do {
                _ = try Scenario.decode(utf8: input, file: "s.json")
                Issue.record("\(levels) levels decoded")
            } catch {
                #expect("\(error)".contains("nesting deeper than 64 levels") == (levels > 64), "\(levels): \(error)")
            }
        }
    }

    @Test("Echoed text is truncated and control characters escaped")
    func echoEscaped() throws {
        let id = String(repeating: "x", count: 500) + "\u{1B}[31m"
        let trace = "time,account,instance,op,arg\n2026-01-01T00:00:00Z,a,\(id),stop,\n"
        do {
            _ = try TraceReplayer.replay(text: trace)
            Issue.record("accepted")
        } catch {
            #expect(!error.description.contains("\u{1B}"))
            #expect(error.description.count < 200, "\(error.description)")
        }
        #expect(TimeText.escaped("a\u{1B}b\"") == #"a\u{1b}b\""#)
    }
}
