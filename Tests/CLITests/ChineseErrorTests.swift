import FleetReplay
import Foundation
import ProviderRegistry
import ReleaseComparison
import ReleaseCore
import Reporting
import Scenarios
import TestSupport
import Testing

/// Errors speak Chinese too (issue 12.2): every problem the scenario decoder, the trace reader and the CLI report
/// carries its reason in Chinese, found by breaking the examples at random (a problem without one is caught).
@Suite("Chinese errors")
struct ChineseErrorTests {
    /// Whether `text` holds a CJK ideograph.
    static func isChinese(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
    }

    /// Values that break a scenario in many different ways where they replace one of its JSON values.
    static let badValues = [
        "\"zz\"", "7", "true", "[]", "{}", "null", "\"+999999999999d\"", "\"-1h\"", "\"1969-01-01T00:00:00Z\"",
        "\"+1h\"", "[\"zz\"]", "{\"zz\": 1}", "\"\"", "\"9999-12-31T23:59:59Z\"", "{\"phase\": 7}", "[{}]",
    ]

    static let examples: [String] = {
        let directory = repositoryRoot.appendingPathComponent("Examples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    /// The ranges of a JSON text's values: strings, numbers, literals, and bracketed arrays and objects.
    static func valueRanges(_ text: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var stack: [Int] = []
        var index = 0
        while index < text.count {
            switch text[index] {
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < text.count && text[index] != UInt8(ascii: "\"") {
                    if text[index] == UInt8(ascii: "\\") { index += 1 }
                    index += 1
                }
                ranges.append(start..<min(index + 1, text.count))
            case UInt8(ascii: "["), UInt8(ascii: "{"): stack.append(index)
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if let start = stack.popLast() { ranges.append(start..<(index + 1)) }
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                let start = index
                while index + 1 < text.count, !",]} \n".utf8.contains(text[index + 1]) { index += 1 }
                ranges.append(start..<(index + 1))
            default: break
            }
            index += 1
        }
        return ranges
    }

    @Test("Every scenario problem has a Chinese reason", arguments: examples)
    func scenarioProblems(example: String) throws {
        let original = Array(try Data(contentsOf: repositoryRoot.appendingPathComponent("Examples/\(example)")))
        let ranges = Self.valueRanges(original)
        var random = SplitMix64(seed: UInt64(example.utf8.count) &* 7_919)
        let runs = Int(ProcessInfo.processInfo.environment["CHINESE_ERROR_RUNS"] ?? "") ?? 60
        var refused = 0
        for _ in 0..<runs {
            var mutated = original
            // One or two values replaced (the later first, so the earlier range stays valid), or a byte cut.
            if Int.random(in: 0..<8, using: &random) == 0 {
                mutated.removeSubrange(Int.random(in: 0..<mutated.count, using: &random)..<mutated.count)
            } else {
                for range in [ranges.randomElement(using: &random)!, ranges.randomElement(using: &random)!]
                    .sorted(by: { $0.lowerBound > $1.lowerBound })
                where range.upperBound <= mutated.count {
                    mutated.replaceSubrange(range, with: Array(Self.badValues.randomElement(using: &random)!.utf8))
                }
            }
            do {
                _ = try Scenario.decode(utf8: mutated, file: example)
            } catch {
                refused += 1
                for problem in [error] + error.more {
                    #expect(
                        problem.chineseReason.map(Self.isChinese) == true,
                        "no Chinese for: \(problem.reason)"
                    )
                }
                #expect(error.description(in: .zh).split(separator: "\n").count == error.more.count + 1)
            }
        }
        #expect(refused > 0)
    }

    /// Field values that break a trace line in many ways.
    static let badFields = [
        "", "zz", "2026-13-01T00:00:00Z", "1969-01-01T00:00:00Z", "launch", "launch zz postpaid",
        "launch aliyun zz", "launch tencent postpaid zz", "stop zz", "release zz", "schedule-release", "renew zz",
        "protect maybe", "start now", "arrears", "a,b", "\u{FF}", "i-000001", "acct-02", "prepaid:zz",
    ]

    @Test("Every malformed trace line has a Chinese reason, in the summary and when the replay stops")
    func traceProblems() throws {
        let original = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Examples/fleet.csv"),
            encoding: .utf8
        )
        let lines = original.split(separator: "\n").map(String.init)
        var random = SplitMix64(seed: 12)
        let runs = Int(ProcessInfo.processInfo.environment["CHINESE_ERROR_RUNS"] ?? "") ?? 300
        var malformed = 0
        for _ in 0..<runs {
            var mutated = lines
            let index = Int.random(in: 2..<lines.count, using: &random)
            var fields = mutated[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[Int.random(in: 0..<fields.count, using: &random)] = Self.badFields.randomElement(using: &random)!
            mutated[index] = fields.joined(separator: ",")
            let text = mutated.joined(separator: "\n")
            let (summary, _) = try TraceReplayer.replay(text: text, options: .init(skipMalformed: true))
            malformed += summary.malformed
            for line in summary.malformedLines {
                #expect(line.chineseReason.map(Self.isChinese) == true, "no Chinese for: \(line.reason)")
            }
            do {
                _ = try TraceReplayer.replay(text: text)
            } catch {
                #expect(error.chineseReason.map(Self.isChinese) == true, "no Chinese for: \(error.reason)")
            }
        }
        #expect(malformed > runs / 2)
    }

    @Test("A trace the replay cannot read at all says why in Chinese: no header, a bad header, damaged gzip")
    func unreadableTraces() throws {
        let inputs: [[UInt8]] = [
            Array("# only a comment\n".utf8), Array("time,account\n".utf8), [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF],
            [0x1F, 0x8B, 9, 0],
        ]
        for input in inputs {
            do {
                _ = try TraceReplayer.replay(utf8: input)
                Issue.record("\(input) was read")
            } catch {
                #expect(error.chineseReason.map(Self.isChinese) == true, "no Chinese for: \(error.reason)")
            }
        }
    }

    @Test(
        "The CLI's own errors are in Chinese under --lang zh: every CLI regression, and usage errors",
        arguments: InputRobustnessTests.regressions("cli")
    )
    func cliErrors(name: String) throws {
        let arguments = String(decoding: try InputRobustnessTests.bytes("cli", name), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast()
        let run = try BuiltTool.run(Array(arguments), environment: ["LANG": "zh_CN.UTF-8"])
        #expect(run.status == 2)
        #expect(Self.isChinese(run.stderr), "\(name): \(run.stderr)")
    }

    @Test("--lang on the command line decides the error's language, before the locale")
    func commandLineDecides() throws {
        let zh = try BuiltTool.run(["simulate", "Examples/no-such-file.json", "--lang", "zh"])
        #expect(zh.stderr.contains("无法读取文件"), "\(zh.stderr)")
        let en = try BuiltTool.run(
            ["simulate", "Examples/no-such-file.json", "--lang=en"],
            environment: ["LANG": "zh_CN"]
        )
        #expect(en.stderr.contains("cannot read the file"), "\(en.stderr)")
        let usage = try BuiltTool.run(["replay", "Examples/fleet.csv", "--jobs", "0", "--lang", "zh"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--jobs 必须在 1 到 256 之间"), "\(usage.stderr)")
        // A price file is read while the options are validated: its error is in Chinese too.
        let prices = try BuiltTool.run([
            "replay", "Examples/fleet.csv", "--prices", "Examples/fleet.csv", "--lang", "zh",
        ])
        #expect(prices.status == 2)
        #expect(prices.stderr.contains("Examples/fleet.csv：不是价格的 JSON 对象"), "\(prices.stderr)")
    }
}

extension ChineseErrorTests {
    @Test("Every [MODEL] choice is worded in Chinese too (both providers and costing), and shown so under --lang zh")
    func modelChoices() {
        let choices =
            ProviderModel.Kind.allCases.flatMap { $0.providerType.sourceCatalogue.values.filter(\.isModelChoice) }
            + PriceTable.modelChoices
        #expect(choices.count > 20)
        for choice in choices {
            #expect(choice.chineseDocument.map(Self.isChinese) == true, "no Chinese for \(choice.code)")
        }
        let comparison = Comparison.run(models: ProviderModel.seedModels, language: .zh)
        #expect(comparison.modelChoices.allSatisfy { Self.isChinese($0.choice) })
        #expect(comparison.sources.filter(\.isModelChoice).allSatisfy { Self.isChinese($0.citation) })
    }
}
