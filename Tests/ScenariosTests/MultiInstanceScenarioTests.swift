import Foundation
import ProviderRegistry
import ReleaseCore
import Scenarios
import Testing

/// Several instances in one scenario (issue 23 item 4): the API's batch is all or nothing, the console's batch
/// goes member by member, an account event reaches every instance; a file that leaves a step's instance unsaid is
/// refused at its line.
@Suite("Scenarios with several instances")
struct MultiInstanceScenarioTests {
    /// A scenario of `count` stopped pay-as-you-go instances `i-0`…, those in `protected` with release protection,
    /// released together at +1h in `batch`.
    static func batchScenario(count: Int, protected: Set<Int>, batch: String) throws -> Scenario {
        let instances = (0..<count).map { index in
            #"{"id": "i-\#(index)", "phase": "stopped", "protected": \#(protected.contains(index))}"#
        }
        let ids = (0..<count).map { "\"i-\($0)\"" }.joined(separator: ", ")
        return try Scenario.decode(
            """
            {"name": "batch", "instances": [\(instances.joined(separator: ", "))],
             "steps": [{"at": "+1h", "command": "release", "instances": [\(ids)], "batch": "\(batch)",
                        "expect": {"phase": "released"}}]}
            """,
            file: "batch.json"
        )
    }

    /// The checks of `report` for `model`, by instance id, in column order.
    static func results(_ report: ScenarioReport, _ model: ProviderModel) -> [String: (phase: String, cell: String)] {
        var results: [String: (phase: String, cell: String)] = [:]
        for (index, column) in report.columns.enumerated() where column.hasPrefix("\(model) ") {
            let id = String(column.dropFirst("\(model) ".count))
            results[id] = (report.final[index].phase, report.rows.last?.cells[index] ?? "")
        }
        return results
    }

    @Test(
        "Q5 [MODEL] (AD2, TD1): the API's batch is all or nothing: any protected member, anywhere in the batch, refuses every member and changes none",
        arguments: ProviderModel.allModels
    )
    func apiBatchIsAllOrNothing(model: ProviderModel) throws {
        for count in 2...4 {
            for mask in 0..<(1 << count) {
                let protected = Set((0..<count).filter { mask & (1 << $0) != 0 })
                let report = try Self.batchScenario(count: count, protected: protected, batch: "api")
                    .run(on: [model])
                let results = Self.results(report, model)
                #expect(results.count == count)
                // The step's expectation names no instance: it is checked on every member of the batch.
                #expect(report.checks.count == count, "\(model) \(count)")
                let expected = model.kind == .aliyun ? "released" : "recycleBin"
                for (id, result) in results {
                    if protected.isEmpty {
                        #expect(result.phase == expected, "\(model) \(count) \(protected): \(id)")
                    } else {
                        #expect(result.phase == "stopped", "\(model) \(count) \(protected): \(id)")
                        #expect(result.cell.contains("refused"), "\(model) \(count) \(protected): \(id)")
                    }
                }
            }
        }
    }

    @Test(
        "Seeds 002/003: the console's batch releases every unprotected member and refuses each protected one with the provider's code",
        arguments: ProviderModel.allModels
    )
    func consoleBatchGoesMemberByMember(model: ProviderModel) throws {
        let code =
            model.kind == .aliyun ? "InvalidOperation.DeletionProtection" : "UnsupportedOperation.InstancesProtected"
        for count in 2...4 {
            for mask in 0..<(1 << count) {
                let protected = Set((0..<count).filter { mask & (1 << $0) != 0 })
                let report = try Self.batchScenario(count: count, protected: protected, batch: "console")
                    .run(on: [model])
                for (id, result) in Self.results(report, model) {
                    let index = Int(id.dropFirst(2))!
                    if protected.contains(index) {
                        #expect(result.phase == "stopped" && result.cell.contains(code), "\(model) \(protected): \(id)")
                    } else {
                        #expect(result.phase != "stopped", "\(model) \(protected): \(id)")
                    }
                }
            }
        }
    }

    @Test("AD1/AD2: a batch sends the step's flags to every member: running instances go only with force (Aliyun)")
    func batchSendsTheFlags() throws {
        for (flags, expected) in [("[]", "IncorrectInstanceStatus"), (#"["force"]"#, "none")] {
            let scenario = try Scenario.decode(
                """
                {"name": "flags", "providers": ["aliyun"], "instances": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
                 "steps": [{"at": "+1h", "command": "release", "instances": ["a", "b", "c"], "flags": \(flags),
                            "expect": {"error": "\(expected)"}}]}
                """,
                file: "flags.json"
            )
            let report = scenario.run()
            #expect(report.checks.count == 3 && report.passed, "\(flags): \(report.checks)")
        }
    }

    @Test("An account event reaches every instance of the scenario; an instance's command only its own")
    func accountEventReachesEveryInstance() throws {
        let scenario = try Scenario.decode(
            """
            {"name": "arrears", "instances": [{"id": "a"}, {"id": "b"}, {"id": "c", "phase": "stopped"}],
             "steps": [
               {"at": "+1h", "command": "stop", "instance": "a", "expect": {"phase": "stopped"}},
               {"at": "+2h", "event": "arrears",
                "expect": {"tencent": {"deadlines": {"arrearsShutdown": "+4h"}},
                           "aliyun": {"deadlines": {"arrearsRelease": "+15d 2h"}}}},
               {"at": "+2h", "expect": [{"instance": "b", "phase": "running"}]}]}
            """,
            file: "arrears.json"
        )
        let report = scenario.run()
        // The stop checks a; the arrears checks every instance on both providers; the last step checks b only.
        #expect(report.checks.filter { $0.line == 3 }.map(\.model) == ["aliyun a", "tencent a"])
        #expect(report.checks.filter { $0.line == 5 || $0.line == 6 }.count == 6)
        #expect(report.checks.filter { $0.line == 7 }.map(\.model) == ["aliyun b", "tencent b"])
        #expect(report.passed, "\(report.checks.filter { !$0.passed })")
        // b was not stopped by a's command.
        let columns = report.columns
        #expect(report.rows[1].cells[columns.firstIndex(of: "aliyun b")!].isEmpty)
    }

    @Test(
        "A step with several instances is checked whole: each problem at its line and field",
        arguments: [
            (#""instance": {}, "instances": [{"id": "a"}]"#, "[]", "instances", "not both"),
            (#""instances": [{"id": "a"}, {}]"#, "[]", "instances[1].id", "its own id"),
            (#""instances": [{"id": "a"}, {"id": "a"}]"#, "[]", "instances[1].id", "unique"),
            (#""instances": []"#, "[]", "instances", "from 1 to 64"),
            (
                #""instances": [{"id": "a"}, {"id": "b"}]"#, #"[{"command": "stop"}]"#, "steps[0].instance",
                "name the one the step acts on"
            ),
            (
                #""instances": [{"id": "a"}, {"id": "b"}]"#, #"[{"event": "settle"}]"#, "steps[0].instance",
                "name the one"
            ),
            (
                #""instances": [{"id": "a"}, {"id": "b"}]"#, #"[{"command": "stop", "instance": "z"}]"#,
                "steps[0].instance", "no instance \"z\""
            ),
            (
                #""instances": [{"id": "a"}, {"id": "b"}]"#, #"[{"command": "stop", "instances": ["a", "b"]}]"#,
                "steps[0].instances", "only a release"
            ),
            (
                #""instances": [{"id": "a"}, {"id": "b"}]"#, #"[{"command": "release", "instances": ["a"]}]"#,
                "steps[0].instances", "at least two"
            ),
            (
                #""instances": [{"id": "a"}, {"id": "b"}]"#, #"[{"command": "release", "instances": ["a", "a"]}]"#,
                "steps[0].instances[1]", "named twice"
            ),
            (
                #""instances": [{"id": "a"}, {"id": "b"}]"#,
                #"[{"command": "release", "instance": "a", "batch": "console"}]"#, "steps[0].batch",
                "only a release of several"
            ),
            (
                #""instances": [{"id": "a"}, {"id": "b"}]"#, #"[{"event": "arrears", "instance": "a"}]"#,
                "steps[0].instance", "the account's"
            ),
            (
                #""instances": [{"id": "a"}, {"id": "b"}]"#,
                #"[{"command": "stop", "instance": "a", "expect": {"instance": "q", "phase": "running"}}]"#,
                "steps[0].expect.instance", "no instance \"q\""
            ),
            (
                #""instances": [{"id": "a", "publicAddress": "elasticIP"}, {"id": "b"}]"#,
                #"[{"at": "+1h", "expect": {"fates": {"publicAddress": "retained"}}}]"#,
                "steps[0].expect.fates.publicAddress", "names no resource"
            ),
        ]
    )
    func refused(instances: String, steps: String, field: String, reason: String) throws {
        let text = #"{"name": "n", \#(instances), "steps": \#(steps)}"#
        do {
            _ = try Scenario.decode(text, file: "several.json")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.field == field && error.reason.contains(reason), "\(error)")
            #expect(error.chineseReason != nil)
        }
    }

    @Test("Each instance of several is named after its id, and so is its default system disk")
    func defaultDiskNamedAfterInstance() throws {
        let scenario = try Scenario.decode(
            #"{"name": "n", "instances": [{"id": "a"}, {"id": "b"}], "steps": []}"#,
            file: "several.json"
        )
        #expect(scenario.instances.map(\.description.disks.first?.id) == ["a-system", "b-system"])
        let report = scenario.run()
        #expect(report.columns == ["aliyun a", "aliyun b", "tencent a", "tencent b"])
    }
}
