import FleetReplay
import Foundation
import ProviderRegistry
import ReleaseComparison
import ReleaseCore
import Reporting
import Scenarios
import TestSupport
import Testing

@Suite("Scenario files")
struct ScenarioTests {
    static let examples: [String] = {
        let folder = repositoryRoot.appendingPathComponent("Examples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    @Test("There are at least ten example scenarios")
    func enoughExamples() {
        #expect(Self.examples.count >= 10)
    }

    @Test("Every example scenario passes on its models", arguments: examples)
    func example(name: String) throws {
        let path = repositoryRoot.appendingPathComponent("Examples/\(name)").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let scenario = try Scenario.decode(text, file: "Examples/\(name)")
        let report = scenario.run(file: "Examples/\(name)")
        #expect(!report.checks.isEmpty, "an example must check something")
        for check in report.checks where !check.passed {
            Issue.record("\(check.line): \(check.model): \(check.what), found \(check.found ?? "-")")
        }
    }

    struct BadFile: CustomTestStringConvertible, Sendable {
        var json: String
        var message: String
        var testDescription: String { message }
    }

    @Test(
        "A bad scenario file names file:line:column, the field and why",
        arguments: [
            BadFile(
                json: #"{"name": "x", "instance": {}, "steps": [], "extra": 1}"#,
                message: "s.json:1:44: extra: unknown member"
            ),
            BadFile(json: #"{"instance": {}, "steps": []}"#, message: "s.json:1:1: name: missing"),
            BadFile(
                json:
                    #"{"name": "x", "instance": {}, "steps": [{"at": "+1h", "expect": {"billed": {"disk:none": "1h"}}}]}"#,
                message: "steps[0].expect.billed: \"disk:none\" is neither a meter"
            ),
            BadFile(
                json: "{\"name\": \"x\",\n \"instance\": {\"charge\": \"monthly\"}, \"steps\": []}",
                message: "s.json:2:25: instance.charge: \"monthly\" is not one of"
            ),
            BadFile(
                json: #"{"name": "x", "instance": {"charge": "prepaid"}, "steps": []}"#,
                message: "instance.expires: a prepaid instance needs"
            ),
            BadFile(
                json: #"{"name": "x", "instance": {}, "steps": [{"at": "+2h"}, {"at": "+1h"}]}"#,
                message: "steps[1].at: 2026-01-01T01:00:00Z is earlier"
            ),
            BadFile(
                json: #"{"name": "x", "instance": {}, "steps": [{"at": "tomorrow"}]}"#,
                message: "steps[0].at: \"tomorrow\" is neither"
            ),
            BadFile(
                json: #"{"name": "x", "instance": {}, "steps": [{"command": "schedule-release"}]}"#,
                message: "steps[0].time: schedule-release needs a time"
            ),
            BadFile(
                json: #"{"name": "x", "instance": {}, "steps": [{"command": "release", "flags": ["fast"]}]}"#,
                message: "steps[0].flags[0]: \"fast\" is not one of"
            ),
            BadFile(
                json: #"{"name": "x", "instance": {}, "steps": [{"expect": {"fates": {"disk:nope": "released"}}}]}"#,
                message: "fates.disk:nope: names no resource"
            ),
            BadFile(
                json: #"{"name": "x", "instance": {}, "steps": [{"expect": {"error": "X"}}]}"#,
                message: "only a command step can expect an error"
            ),
            BadFile(
                json: #"{"name": "x", "instance": {}, "steps": [{"command": "start", "event": "arrears"}]}"#,
                message: "a command or an event, not both"
            ),
            BadFile(
                json: #"{"name": "x", "providers": ["gcp"], "instance": {}, "steps": []}"#,
                message: "providers[0]: \"gcp\" is not a provider model"
            ),
            BadFile(json: #"{"name": "x", "instance": {}, "steps": [}"#, message: "s.json:1:41: unexpected character"),
            BadFile(json: #"{"name": "x", "name": "y"}"#, message: "duplicate member \"name\""),
        ]
    )
    func badFile(bad: BadFile) {
        do {
            _ = try Scenario.decode(bad.json, file: "s.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains(bad.message), "\(error.description)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("Durations and times in scenario files")
    func timeText() {
        #expect(TimeText.duration("2h") == Seconds.hours(2))
        #expect(TimeText.duration("1d 2h 3min 4s") == Seconds(86_400 + 7_200 + 180 + 4))
        #expect(TimeText.duration("15d2h") == Seconds.days(15) + Seconds.hours(2))
        #expect(TimeText.duration("") == nil)
        #expect(TimeText.duration("2 hours") == nil)
        #expect(TimeText.duration("h") == nil)
        let start = Instant(iso8601: "2026-01-01T00:00:00Z")!
        #expect(TimeText.instant("+90s", start: start) == start + Seconds(90))
        #expect(TimeText.instant("2026-01-02T00:00:00Z", start: start) == start + .days(1))
    }

    @Test(
        "Order within one second: a step before the deadlines due then comes first; by default they fire first",
        arguments: [("before-deadlines", "running", "none"), ("after-deadlines", "released", "refused")]
    )
    func sameSecondOrder(order: String, phase: String, outcome: String) throws {
        let text = """
            {"name": "order", "instance": {"charge": "postpaid"}, "steps": [
              {"at": "+0s", "command": "schedule-release", "time": "+1h"},
              {"at": "+1h", "command": "cancel-schedule", "order": "\(order)", "expect": {"phase": "\(phase)"}},
              {"at": "+2h", "expect": {"phase": "\(phase)"}}
            ]}
            """
        let report = try Scenario.decode(text, file: "order.json").run(file: "order.json")
        #expect(!report.checks.isEmpty)
        for check in report.checks where !check.passed {
            Issue.record("\(check.line): \(check.model): \(check.what), found \(check.found ?? "-")")
        }
        // The cancel itself: accepted before the deadline, refused once it has released the instance.
        let cancelRows = report.rows.filter { $0.label.contains("cancel-schedule") }
        #expect(cancelRows.count == 1)
        let refused = cancelRows.first?.cells.allSatisfy { $0.hasPrefix("refused") } ?? false
        #expect(refused == (outcome == "refused"), "\(cancelRows)")
        // An order on a step without a command or event is refused, naming the field.
        let bad = #"{"name": "x", "instance": {}, "steps": [{"at": "+1h", "order": "before-deadlines"}]}"#
        #expect(throws: (any Error).self) { try Scenario.decode(bad, file: "s.json") }
    }
}
