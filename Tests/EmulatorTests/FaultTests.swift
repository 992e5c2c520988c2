import EmulatorFrontEnds
import Foundation
import ReleaseCore
import Reporting
import Testing

@testable import AliyunECSWire
@testable import EmulatorCore
@testable import TencentCVMWire

/// Faults on demand (`/_cloudrelease/faults`): the cloud's own failure answers for the next N or a seeded share
/// of matching requests, which change nothing but are journaled, and survive a restart.
@Suite("Emulator faults")
struct FaultTests {
    static func inject(_ client: TestClient, _ members: [(String, JSONValue)]) -> TestClient.Answer {
        client.control("POST", "faults", .object(members))
    }

    @Test(
        "each fault kind answers with the provider's own code and status, and changes nothing (EM9)",
        arguments: [
            ("throttle", "Throttling.User", 400, "RequestLimitExceeded"),
            ("internalError", "InternalError", 500, "InternalError"),
            ("instanceBusy", "IncorrectInstanceStatus", 403, "OperationDenied.InstanceOperationInProgress"),
        ]
    )
    func kinds(kind: String, ecsCode: String, ecsStatus: Int, cvmCode: String) {
        let client = TestClient()
        let ecs = client.runAliyun()
        let cvm = client.runTencent()
        #expect(Self.inject(client, [("fault", .string(kind)), ("count", 2)]).status == 200)
        let before = client.emulator.snapshot()
        let stop = client.aliyun("StopInstance", ["InstanceId": ecs])
        #expect(stop.code == ecsCode)
        #expect(stop.status == ecsStatus)
        let terminate = client.tencent("TerminateInstances", .object([("InstanceIds", [.string(cvm)])]))
        #expect(terminate.code == cvmCode)
        #expect(terminate.status == 200)
        // Only the faults' counts moved; the instances are as they were.
        #expect(client.emulator.snapshot()["instances"] == before["instances"])
        // Spent: the third request is served.
        #expect(client.aliyun("StopInstance", ["InstanceId": ecs]).status == 200)
        #expect(client.control("GET", "faults")["faults"]?.count == 0)
    }

    @Test("a fault hits only the provider, action, account and instance it names")
    func matching() {
        let client = TestClient()
        let first = client.runAliyun()
        let second = client.runAliyun()
        _ = Self.inject(
            client,
            [
                ("fault", "throttle"), ("provider", "aliyun"), ("action", "StopInstance"), ("account", "alice"),
                ("instance", .string(second)), ("count", 5),
            ]
        )
        #expect(client.aliyun("StopInstance", ["InstanceId": first]).status == 200)
        #expect(client.aliyun("StartInstance", ["InstanceId": first]).status == 200)
        #expect(client.aliyun("StopInstance", ["InstanceId": second], key: .bob).code == "InvalidInstanceId.NotFound")
        #expect(client.aliyun("StopInstance", ["InstanceId": second]).code == "Throttling.User")
        #expect(client.tencent("DescribeInstances").code == nil)
    }

    @Test("a rate with a seed fails the same requests every run")
    func seededRate() {
        func outcomes() -> [Bool] {
            let client = TestClient()
            _ = Self.inject(client, [("fault", "internalError"), ("rate", .double(0.4)), ("seed", 7)])
            return (0..<40).map { _ in client.aliyun("DescribeInstances").status == 500 }
        }
        let first = outcomes()
        #expect(first == outcomes())
        #expect(first.contains(true) && first.contains(false))
    }

    @Test("latency serves the request and holds the answer; drop answers nothing and does nothing")
    func latencyAndDrop() {
        let client = TestClient()
        _ = Self.inject(client, [("fault", "latency"), ("latencyMilliseconds", 250), ("count", 1)])
        let slow = client.aliyun("RunInstances", ["ImageId": "img"])
        #expect(slow.status == 200)
        #expect(slow.response.delayMilliseconds == 250)
        _ = Self.inject(client, [("fault", "drop"), ("count", 1)])
        let before = client.emulator.snapshot()["instances"]
        let dropped = client.aliyun("RunInstances", ["ImageId": "img"])
        #expect(dropped.response.dropsConnection)
        #expect(client.emulator.snapshot()["instances"] == before)
    }

    @Test("faults and their counts are journaled and restored; a bad fault is refused")
    func journaled() throws {
        let journaled = JournalTests.JournaledClient()
        let client = journaled.client
        _ = Self.inject(client, [("fault", "throttle"), ("count", 3)])
        _ = client.aliyun("DescribeInstances")
        journaled.collect()
        #expect(journaled.file.contains { $0.hasPrefix("# emulator faulted ") })
        let restored = try journaled.restored()
        #expect(restored.snapshot() == client.emulator.snapshot())
        #expect(restored.faults.first?.remaining == 2)
        for bad: [(String, JSONValue)] in [
            [("fault", "meteor")], [("fault", "throttle")], [("fault", "throttle"), ("rate", .double(0.5))],
            [("fault", "latency"), ("count", 1)], [("fault", "throttle"), ("count", 0)],
        ] {
            #expect(Self.inject(client, bad).status == 400)
        }
        #expect(client.control("DELETE", "faults/fault-9").status == 404)
        #expect(client.control("DELETE", "faults").json["cleared"] == .int(1))
    }
}

/// The live page and the changes it shows.
@Suite("Emulator live page")
struct LivePageTests {
    @Test("GET /_cloudrelease/ is one HTML page in the asked language; /changes lists the journal's last changes")
    func page() {
        let client = TestClient()
        let english = client.send(RawRequest(method: "GET", target: "/_cloudrelease/", headers: [], body: []))
        #expect(english.status == 200)
        #expect(english.response.header("Content-Type") == "text/html; charset=utf-8")
        #expect(english.response.bodyText.contains("Virtual clock"))
        #expect(!english.response.bodyText.contains("{{"))
        let chinese = client.send(RawRequest(method: "GET", target: "/_cloudrelease/?lang=zh", headers: [], body: []))
        #expect(chinese.response.bodyText.contains("虚拟时钟"))
        #expect(chinese.response.bodyText.contains("回收站"))
        let id = client.runTencent()
        _ = client.tencent("TerminateInstances", .object([("InstanceIds", [.string(id)])]))
        let changes = client.control("GET", "changes")["changes"]
        guard case .array(let lines)? = changes else {
            Issue.record("no changes")
            return
        }
        #expect(lines.contains { $0.text?.contains(",\(id),launch") == true })
        #expect(lines.contains { $0.text?.contains(",\(id),release") == true })
        #expect(!lines.contains { $0.text?.hasPrefix("# emulator commit") == true })
        #expect(client.emulator.snapshot()["instances"]?.first?["meters"] != nil)
    }
}

/// `--transition-seconds`: transitional states take virtual-clock time, so waiters that poll are exercised.
@Suite("Emulator timed transitions")
struct TimedTransitionTests {
    @Test("Pending, Stopping and Starting show until their virtual duration has passed (EM10)")
    func aliyun() {
        let client = TestClient { $0.transitionSeconds = EmulatorConfiguration.TransitionSeconds() }
        let id = client.runAliyun()
        #expect(client.aliyunStatus(id) == "Pending")
        _ = client.advance(29)
        #expect(client.aliyunStatus(id) == "Pending")
        _ = client.advance(1)
        #expect(client.aliyunStatus(id) == "Running")
        #expect(client.aliyun("StopInstance", ["InstanceId": id]).status == 200)
        #expect(client.aliyunStatus(id) == "Stopping")
        _ = client.advance(20)
        #expect(client.aliyunStatus(id) == "Stopped")
        #expect(client.aliyun("StartInstance", ["InstanceId": id]).status == 200)
        #expect(client.aliyunStatus(id) == "Starting")
        _ = client.advance(20)
        #expect(client.aliyunStatus(id) == "Running")
    }

    @Test("a CVM termination's LatestOperationState is OPERATING, then SUCCESS; a restart keeps the countdown")
    func tencent() throws {
        let journaled = JournalTests.JournaledClient {
            var durations = EmulatorConfiguration.TransitionSeconds()
            durations.terminate = 15
            $0.transitionSeconds = durations
        }
        let client = journaled.client
        let id = client.runTencent()
        _ = client.advance(30)
        _ = client.tencent("TerminateInstances", .object([("InstanceIds", [.string(id)])]))
        #expect(client.tencentInstance(id)?["LatestOperationState"]?.text == "OPERATING")
        journaled.collect()
        let restored = try journaled.restored()
        #expect(restored.snapshot() == client.emulator.snapshot())
        _ = client.advance(15)
        #expect(client.tencentInstance(id)?["LatestOperationState"]?.text == "SUCCESS")
    }

    @Test("durations parse from the option's text", arguments: ["default", "launch=5", "stop=0,terminate=60"])
    func parsing(text: String) {
        #expect(EmulatorConfiguration.TransitionSeconds(parsing: text) != nil)
        #expect(EmulatorConfiguration.TransitionSeconds(parsing: "lunch=5") == nil)
        #expect(EmulatorConfiguration.TransitionSeconds(parsing: "stop=-1") == nil)
    }
}

/// `--clock running`: the virtual clock follows the wall clock between requests.
@Suite("Emulator running clock")
struct RunningClockTests {
    @Test("the virtual clock catches up with the wall clock before each request, and a manual move shifts it")
    func follows() throws {
        let journaled = JournalTests.JournaledClient { $0.clockRuns = true }
        let client = journaled.client
        let start = client.now
        let id = client.runTencent()
        _ = client.tencent("TerminateInstances", .object([("InstanceIds", [.string(id)])]))
        client.wall = client.wall + .hours(3)
        #expect(client.control("GET", "clock")["mode"]?.text == "running")
        #expect(client.now == start + .hours(3))
        // T2: the bin's 2 hours passed on the wall clock, so the instance is gone.
        #expect(client.tencentInstance(id) == nil)
        _ = client.advance(3_600)
        client.wall = client.wall + .minutes(1)
        _ = client.control("GET", "clock")
        #expect(client.now == start + .hours(4) + .minutes(1))
        journaled.collect()
        let restored = try journaled.restored()
        #expect(restored.snapshot() == client.emulator.snapshot())
    }
}
