import EmulatorFrontEnds
import Foundation
import ProviderRegistry
import ReleaseCore
import Reporting
import Testing

@testable import AliyunECSWire
@testable import EmulatorCore
@testable import TencentCVMWire

/// The journal: what `--state DIR` appends before each answer, and what a restart rebuilds from it.
@Suite("Journal")
struct JournalTests {
    /// A client whose every batch is collected as the server would append it.
    final class JournaledClient {
        let client: TestClient
        var file: [String]

        init(_ configure: (inout EmulatorConfiguration) -> Void = { _ in }) {
            client = TestClient(configure)
            file = client.emulator.journalPreamble()
        }

        func collect() {
            let batch = client.emulator.takeJournal()
            file = batch.startsOver ? client.emulator.journalPreamble() + batch.lines : file + batch.lines
        }

        var text: String { file.joined(separator: "\n") + "\n" }

        /// An emulator restarted from the journal collected so far (the server's restart, in memory).
        func restored() throws -> Emulator {
            try Emulator.restoring(configuration: client.emulator.configuration, wallClock: client.wall, journal: text)
                .0
        }
    }

    /// A history touching every journaled kind of change on both providers.
    static func history(_ journaled: JournaledClient) {
        let client = journaled.client
        func step(_ action: () -> Void) {
            action()
            journaled.collect()
        }
        var aliyun = "", tencent = "", created = ""
        step { aliyun = client.runAliyun(["DeletionProtection": "true", "ClientToken": "token-1"]) }
        step { created = client.aliyun("CreateInstance", ["ImageId": "img"])["InstanceId"]?.text ?? "" }
        step { tencent = client.runTencent([("InstanceName", "web-1")]) }
        step { _ = client.tencent("StopInstances", .object([("InstanceIds", [.string(tencent)])])) }
        step { _ = client.tencent("TerminateInstances", .object([("InstanceIds", [.string(tencent)])])) }
        step { _ = client.advance(1_800) }
        step { _ = client.control("POST", "tencent/instances/\(tencent)/restore") }
        step {
            _ = client.tencent(
                "ImportInstancesActionTimer",
                .object([
                    ("InstanceIds", [.string(tencent)]),
                    (
                        "ActionTimer",
                        .object([("ActionTime", .string((client.now + .hours(5)).iso8601))])
                    ),
                ])
            )
        }
        step {
            _ = client.aliyun(
                "ModifyInstanceAutoReleaseTime",
                ["InstanceId": aliyun, "AutoReleaseTime": (client.now + .hours(3)).iso8601]
            )
        }
        step { _ = client.control("POST", "accounts/alice/arrears") }
        step { _ = client.advance(3_600) }
        step { _ = client.control("POST", "accounts/alice/topup") }
        step { _ = client.aliyun("DeleteInstance", ["InstanceId": created]) }
        step { _ = client.aliyun("DescribeInstances") }
        // The resources, network and tags of issue 21: kept on every line a restart replays.
        var kept = ""
        step {
            kept = client.runAliyun([
                "DataDisk.1.Size": "300", "DataDisk.1.DeleteWithInstance": "false", "SecurityGroupId": "sg-j",
                "VSwitchId": "vsw-j", "UserData": "ZWNobw==", "SystemDisk.Size": "80",
            ])
        }
        step { _ = client.aliyun("DeleteInstance", ["InstanceId": kept, "Force": "true"]) }
        step {
            _ = client.control(
                "POST",
                "instances",
                .object([
                    ("provider", "tencent"), ("account", "alice"), ("region", "ap-guangzhou"), ("id", "ins-jeip0001"),
                    ("address", "eip"), ("dataDisks", .array([.object([("deleteWithInstance", .bool(false))])])),
                ])
            )
        }
        // A subscription converted to pay-as-you-go (issue 23): the journal's convert-to-postpaid line.
        var converted = ""
        step { converted = client.runAliyun(["InstanceChargeType": "PrePaid", "Period": "1"]) }
        step {
            _ = client.aliyun(
                "ModifyInstanceChargeType",
                ["InstanceIds": "[\"\(converted)\"]", "InstanceChargeType": "PostPaid"]
            )
        }
        step {
            _ = client.tencent(
                "TagResources",
                .object([
                    ("ResourceList", .array(["qcs::cvm:ap-guangzhou::instance/ins-jeip0001"])),
                    ("Tags", .array([.object([("TagKey", "k"), ("TagValue", "v")])])),
                ])
            )
        }
    }

    @Test("a restart from the journal answers exactly as before")
    func roundTrip() throws {
        let journaled = JournaledClient()
        Self.history(journaled)
        let before = journaled.client
        let (restored, load) = try Emulator.restoring(
            configuration: before.emulator.configuration,
            wallClock: before.wall,
            journal: journaled.text
        )
        #expect(load.tornLines == 0)
        #expect(journaled.text.contains(",convert-to-postpaid,"))
        #expect(load.committedBatches >= 12)
        let after = TestClient()
        after.emulator = restored
        #expect(after.now == before.now)
        #expect(after.control("GET", "instances").json == before.control("GET", "instances").json)
        #expect(
            after.aliyun("DescribeInstances").payload["Instances"]
                == before.aliyun("DescribeInstances").payload["Instances"]
        )
        #expect(after.tencent("DescribeInstances")["InstanceSet"] == before.tencent("DescribeInstances")["InstanceSet"])
        #expect(
            after.tencent("DescribeInstancesActionTimer")["ActionTimers"]
                == before.tencent("DescribeInstancesActionTimer")["ActionTimers"]
        )
        // The resource listings and tags answer the same after the restart.
        for (action, key) in [("DescribeDisks", "Disks"), ("DescribeEipAddresses", "EipAddresses")] {
            #expect(
                after.aliyun(action, ["RegionId": "cn-hangzhou"]).payload[key]
                    == before.aliyun(action, ["RegionId": "cn-hangzhou"]).payload[key]
            )
        }
        #expect(after.tencent("DescribeDisks")["DiskSet"] == before.tencent("DescribeDisks")["DiskSet"])
        #expect(after.tencent("DescribeAddresses")["AddressSet"] == before.tencent("DescribeAddresses")["AddressSet"])
        #expect(
            after.tencent("GetResources")["ResourceTagMappingList"]
                == before.tencent("GetResources")["ResourceTagMappingList"]
        )
        #expect(before.tencent("GetResources")["ResourceTagMappingList"] != .array([]))
        // The ClientToken survives: a retry after the restart creates nothing.
        let retried = after.aliyun(
            "RunInstances",
            ["ImageId": "img", "ClientToken": "token-1", "DeletionProtection": "true"]
        )
        #expect(retried.status == 200)
        #expect(
            after.control("GET", "instances")["instances"]?.count
                == before.control("GET", "instances")["instances"]?.count
        )
        // New ids continue after the old ones.
        let known = Set(
            before.control("GET", "instances")["instances"].map { list -> [String] in
                guard case .array(let items) = list else { return [] }
                return items.compactMap { $0["instance"]?.text }
            } ?? []
        )
        #expect(!known.contains(after.runAliyun()))
    }

    @Test("a torn last batch is reported and not applied")
    func tornTail() throws {
        let journaled = JournaledClient()
        Self.history(journaled)
        let committed = journaled.text
        let listedBefore = journaled.client.tencent("DescribeInstances")["TotalCount"]
        _ = journaled.client.runTencent()
        let batch = journaled.client.emulator.takeJournal().lines
        let torn = committed + batch.dropLast().joined(separator: "\n") + "\n" + "2026-01-0"
        let (restored, load) = try Emulator.restoring(
            configuration: journaled.client.emulator.configuration,
            wallClock: journaled.client.wall,
            journal: torn
        )
        #expect(load.tornLines == batch.count)
        #expect(load.committedBytes == committed.utf8.count)
        let after = TestClient()
        after.emulator = restored
        // The torn launch is not applied: the same instances as at the last commit.
        #expect(after.tencent("DescribeInstances")["TotalCount"] == listedBefore)
    }

    @Test("a malformed journal line is refused with its line number, not skipped")
    func malformedLine() throws {
        let journaled = JournaledClient()
        let client = journaled.client
        let id = client.runTencent()
        journaled.collect()
        _ = client.tencent("TerminateInstances", .object([("InstanceIds", [.string(id)])]))
        journaled.collect()
        let broken = journaled.text.replacingOccurrences(of: ",release,", with: ",release,sideways")
        let line = try #require(
            broken.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("sideways") }
        )
        let error = try #require(throws: JournalError.self) {
            _ = try Emulator.restoring(
                configuration: client.emulator.configuration,
                wallClock: client.wall,
                journal: broken
            )
        }
        #expect(error.line == line + 1)
    }

    @Test(
        "a ClientToken answer that is not an object with a list of rules is refused at restore, with its line",
        arguments: ["5", #"{"InstanceId":"i-1","_rules":"AD4"}"#, #"{"_rules":[1]}"#]
    )
    func malformedTokenAnswer(answer: String) throws {
        let journaled = JournaledClient()
        let client = journaled.client
        _ = client.runAliyun(["ClientToken": "token-1"])
        journaled.collect()
        var lines = journaled.file
        let index = try #require(lines.firstIndex { $0.hasPrefix("# emulator token ") })
        lines[index] = #"# emulator token {"key":"token-1","answer":"# + answer + "}"
        // The journal as written restores; with the answer broken, a retried create would have nothing to answer
        // with, so the line is refused where it stands.
        _ = try Emulator.restoring(
            configuration: client.emulator.configuration,
            wallClock: client.wall,
            journal: journaled.text
        )
        let error = try #require(throws: JournalError.self) {
            _ = try Emulator.restoring(
                configuration: client.emulator.configuration,
                wallClock: client.wall,
                journal: lines.joined(separator: "\n") + "\n"
            )
        }
        #expect(error.line == index + 1)
        #expect(error.reason.contains("token"))
    }

    @Test("a reset starts a new journal")
    func reset() {
        let journaled = JournaledClient()
        _ = journaled.client.runAliyun()
        journaled.collect()
        _ = journaled.client.control("POST", "reset")
        let batch = journaled.client.emulator.takeJournal()
        #expect(batch.startsOver)
    }
}

/// The virtual clock across a restart (Docs/Emulator.md, journal).
@Suite("Journal: the clock")
struct JournalClockTests {
    @Test("a restored emulator keeps the virtual clock's lead over the wall clock: both clocks then move together")
    func clockLeadSurvivesRestart() throws {
        let journaled = JournalTests.JournaledClient { $0.clockRuns = true }
        let client = journaled.client
        _ = client.runAliyun()
        _ = client.advance(3_600)
        journaled.collect()
        let before = client.now
        var restored = try journaled.restored()
        #expect(restored.now == before)
        // Ten minutes of wall time later, the restarted emulator is where the first one is.
        client.wall = client.wall + .minutes(10)
        let request = client.aliyunRequest("DescribeInstances", [:])
        _ = client.send(request)
        _ = restored.handle(request, wallClock: client.wall)
        #expect(client.now == before + .minutes(10))
        #expect(restored.now == client.now)
    }
}
