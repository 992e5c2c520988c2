import Foundation
import ProviderRegistry
import Reporting
import Scenarios
import TestSupport
import Testing

/// Issue 23 (C): scenarios that check nothing must not pass.
@Suite("Scenarios that check nothing are refused")
struct UncheckedScenarioTests {
    static func scenario(_ text: String) throws -> Scenario {
        try Scenario.decode(utf8: Array(text.utf8), file: "s.json")
    }

    @Test("An expectation for a model the file does not run is an error at its line")
    func expectationForAModelNotRun() throws {
        let scenario = try Self.scenario(
            """
            {
              "name": "x",
              "providers": ["aliyun"],
              "instance": {"charge": "postpaid"},
              "steps": [
                {"at": "+1h", "command": "stop",
                 "expect": {"tencent@2025": {"phase": "stopping"}}}
              ]
            }
            """
        )
        let problem = try #require(scenario.uncheckedExpectations(file: "s.json"))
        #expect(problem.file == "s.json")
        #expect(problem.line == 7)
        #expect(problem.description.hasPrefix("s.json:7:"))
        #expect(problem.description.contains("tencent@2025"))
        #expect(problem.description(in: .zh).contains("不适用"))
        // Run on the model it names, it still names a model the file itself never runs.
        #expect(scenario.uncheckedExpectations(file: "s.json", on: [ProviderModel(parsing: "tencent@2025")!]) != nil)
    }

    @Test("A file with no expectations is an error")
    func noExpectations() throws {
        let scenario = try Self.scenario(
            """
            {"name": "x", "instance": {"charge": "postpaid"}, "steps": [{"at": "+1h", "command": "stop"}]}
            """
        )
        let problem = try #require(scenario.uncheckedExpectations(file: "s.json"))
        #expect(problem.description.contains("checks nothing"))
        #expect(problem.description(in: .zh).contains("没有任何期望"))
    }

    @Test("--provider naming models the file expects nothing of checks nothing; naming one it expects checks it")
    func narrowedRun() throws {
        let scenario = try Self.scenario(
            """
            {"name": "x", "instance": {"charge": "postpaid"},
             "steps": [{"at": "+1h", "command": "stop", "expect": {"aliyun": {"phase": "stopping"}}}]}
            """
        )
        #expect(scenario.uncheckedExpectations(file: "s.json") == nil)
        #expect(scenario.uncheckedExpectations(file: "s.json", on: [ProviderModel(parsing: "aliyun@2024")!]) == nil)
        let problem = try #require(
            scenario.uncheckedExpectations(file: "s.json", on: [ProviderModel(parsing: "tencent")!])
        )
        #expect(problem.description.hasPrefix("s.json:2:"))
    }

    @Test("Every example checks something on every model it runs")
    func examplesCheckSomething() throws {
        let folder = repositoryRoot.appendingPathComponent("Examples")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(!files.isEmpty)
        for file in files {
            let bytes = try Array(Data(contentsOf: folder.appendingPathComponent(file)))
            let scenario = try Scenario.decode(utf8: bytes, file: file)
            #expect(scenario.uncheckedExpectations(file: file) == nil, "\(file)")
        }
    }
}
