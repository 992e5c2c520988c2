import EmulatorFrontEnds
import Foundation
import ReleaseCore
import Reporting
import Testing

@testable import AliyunECSWire
@testable import EmulatorCore
@testable import TencentCVMWire

/// A request is a transaction: everything is read and checked before anything changes, so a refused request
/// leaves every client-readable field and the journal as they were; and no request can cost unbounded work.
@Suite("Emulator transactions and bounds")
struct TransactionTests {
    /// The snapshot and the journal lines a request leaves, with its answer.
    struct Outcome {
        var answer: TestClient.Answer
        var changed: Bool
        var journaled: [String]
    }

    static func outcome(_ client: TestClient, _ request: () -> TestClient.Answer) -> Outcome {
        _ = client.emulator.takeJournal()
        let before = client.emulator.snapshot()
        let answer = request()
        let lines = client.emulator.takeJournal().lines
        return Outcome(answer: answer, changed: client.emulator.snapshot() != before, journaled: lines)
    }

    static func isRefusal(_ answer: TestClient.Answer) -> Bool { answer.code != nil || answer.status >= 400 }

    // MARK: Refused ⇒ unchanged

    @Test(
        "ECS ModifyInstanceAttribute refused for any parameter renames nothing",
        arguments: [
            ["InstanceName": "renamed", "DeletionProtection": "maybe"],
            ["InstanceName": "x"],
            ["InstanceName": String(repeating: "n", count: 129)],
        ]
    )
    func aliyunModifyRefusedRenamesNothing(parameters: [String: String]) {
        let client = TestClient()
        let id = client.runAliyun(["InstanceName": "original"])
        let result = Self.outcome(client) {
            client.aliyun("ModifyInstanceAttribute", parameters.merging(["InstanceId": id]) { a, _ in a })
        }
        #expect(Self.isRefusal(result.answer))
        #expect(!result.changed)
        #expect(result.journaled.isEmpty)
        #expect(client.emulator.records[id]?.name == "original")
    }

    @Test("CVM ModifyInstancesAttribute refused by the model (an instance in the recycle bin) renames no instance")
    func tencentModifyRefusedByModelRenamesNothing() {
        let client = TestClient()
        let live = client.runTencent([("InstanceName", "live")])
        let binned = client.runTencent([("InstanceName", "binned")])
        _ = client.tencent("TerminateInstances", .object([("InstanceIds", [.string(binned)])]))
        let result = Self.outcome(client) {
            client.tencent(
                "ModifyInstancesAttribute",
                .object([
                    ("InstanceIds", [.string(live), .string(binned)]), ("InstanceName", "renamed"),
                    ("DisableApiTermination", "maybe"),
                ])
            )
        }
        #expect(Self.isRefusal(result.answer))
        #expect(!result.changed)
        #expect(client.emulator.records[live]?.name == "live")
    }

    @Test("a HEAD (or any method but GET and POST) runs no action", arguments: ["HEAD", "PUT", "DELETE", "OPTIONS"])
    func otherMethodsRunNothing(method: String) {
        let client = TestClient()
        var request = client.aliyunRequest("RunInstances", ["ImageId": "img"])
        request.method = method
        let result = Self.outcome(client) { client.send(request) }
        #expect(result.answer.status == 405)
        #expect(result.answer.response.header("Allow") == "GET, POST")
        #expect(!result.changed)
        #expect(client.emulator.records.isEmpty)
    }

    @Test(
        "ECS StopInstances/StartInstances naming an instance twice are refused whole (EM1)",
        arguments: [false, true]
    )
    func aliyunBatchDuplicateRefusedWhole(start: Bool) {
        let client = TestClient()
        let first = client.runAliyun()
        let second = client.runAliyun()
        if start {
            for id in [first, second] { _ = client.aliyun("StopInstance", ["InstanceId": id]) }
        }
        let action = start ? "StartInstances" : "StopInstances"
        let result = Self.outcome(client) {
            client.aliyun(
                action,
                [
                    "InstanceId.1": first, "InstanceId.2": second, "InstanceId.3": first,
                    "BatchOptimization": "SuccessFirst",
                ]
            )
        }
        #expect(result.answer.code == "InvalidParameter")
        #expect(result.answer.response.header("X-CloudRelease-Rules") == "EM1")
        #expect(!result.changed)
    }

    // MARK: Sizes the wire refuses with the provider's limit and code

    @Test("ECS data disks: N of DataDisk.N is 1 to 16 without gaps (RunInstances)")
    func aliyunDataDiskLimit() {
        let client = TestClient()
        func disks(_ numbers: [Int]) -> [String: String] {
            Dictionary(uniqueKeysWithValues: numbers.map { ("DataDisk.\($0).Size", "20") })
        }
        let sixteen = client.aliyun("RunInstances", disks(Array(1...16)).merging(["ImageId": "img"]) { a, _ in a })
        #expect(sixteen.status == 200)
        let id = sixteen["InstanceIdSets"]?["InstanceIdSet"]?.firstString ?? ""
        #expect(client.emulator.snapshot()["instances"]?.first?["disks"]?.count == 17)
        #expect(!id.isEmpty)
        for numbers in [Array(1...17), [1, 3]] {
            let result = Self.outcome(client) {
                client.aliyun("RunInstances", disks(numbers).merging(["ImageId": "img"]) { a, _ in a })
            }
            #expect(result.answer.code == "InvalidParameter")
            #expect(!result.changed)
        }
    }

    @Test("CVM data disks: at most 1 local and 20 cloud (RunInstances DataDisks)")
    func tencentDataDiskLimit() {
        let client = TestClient()
        func disks(cloud: Int, local: Int) -> JSONValue {
            .array(
                Array(repeating: .object([("DiskType", "CLOUD_PREMIUM")]), count: cloud)
                    + Array(repeating: .object([("DiskType", "LOCAL_BASIC")]), count: local)
            )
        }
        #expect(client.tencent("RunInstances", .object([("DataDisks", disks(cloud: 20, local: 1))])).code == nil)
        for (cloud, local) in [(21, 0), (0, 2), (64, 0)] {
            let result = Self.outcome(client) {
                client.tencent("RunInstances", .object([("DataDisks", disks(cloud: cloud, local: local))]))
            }
            #expect(result.answer.code == "InvalidParameterValue.LimitExceeded")
            #expect(!result.changed)
        }
    }

    @Test(
        "values kept in every journal line are bounded: names, images, types, zones, client tokens",
        arguments: [
            ("ImageId", String(repeating: "i", count: 900_000)), ("InstanceType", String(repeating: "t", count: 65)),
            ("ZoneId", "zone with spaces"), ("InstanceName", String(repeating: "名", count: 129)),
            ("ClientToken", String(repeating: "c", count: 65)),
        ]
    )
    func aliyunLaunchValueBounds(parameter: String, value: String) {
        let client = TestClient()
        let result = Self.outcome(client) { client.aliyun("RunInstances", [parameter: value]) }
        #expect(result.answer.status == 400)
        #expect(result.answer.json["Message"]?.text?.contains(parameter) == true)
        #expect(!result.changed)
    }

    @Test("a CVM InstanceName over 60 bytes is InvalidInstanceName.TooLong (the CVM error catalogue)")
    func tencentNameBound() {
        let client = TestClient()
        #expect(
            client.tencent("RunInstances", .object([("InstanceName", .string(String(repeating: "n", count: 60)))])).code
                == nil
        )
        let result = Self.outcome(client) {
            client.tencent("RunInstances", .object([("InstanceName", .string(String(repeating: "名", count: 21)))]))
        }
        #expect(result.answer.code == "InvalidInstanceName.TooLong")
        #expect(!result.changed)
    }

    @Test(
        "an ActionTime that an offset carries past year 9999 is refused, so every accepted time can be journaled",
        arguments: ["9999-12-31T23:59:59-08:00", "9999-12-31T20:00:00-04:01"]
    )
    func actionTimeRange(time: String) throws {
        let client = TestClient()
        let id = client.runTencent()
        let result = Self.outcome(client) {
            client.tencent(
                "ImportInstancesActionTimer",
                .object([("InstanceIds", [.string(id)]), ("ActionTimer", .object([("ActionTime", .string(time))]))])
            )
        }
        #expect(result.answer.code == "InvalidParameterValue")
        #expect(!result.changed)
    }

    // MARK: Bounded work

    @Test("a flat CVM name of thousands of parts is refused, not recursed into", arguments: [9, 5_500, 50_000])
    func deepFlatNames(parts: Int) {
        let client = TestClient()
        let name = Array(repeating: "A", count: parts).joined(separator: ".")
        let request = RawRequest(
            method: "GET",
            target: "/?Action=DescribeInstances&Version=2017-03-12&Region=ap-guangzhou&\(name)=1",
            headers: [("Host", "127.0.0.1")],
            body: []
        )
        let answer = client.send(request)
        #expect(answer.status == 200)
        #expect(answer.code != nil)
    }

    @Test("folding is linear and exact: 32,000 flat names fold into the lists they name")
    func manyFlatNames() throws {
        let pairs = (0..<32_000).map { (name: "F\($0 % 1_000).\($0 / 1_000).Name", value: "v\($0)") }
        let folded = try TencentParameters(flat: pairs)
        #expect(folded.root.count == 1_000)
        #expect(folded["F7"]?.count == 32)
        #expect(folded["F7"]?.first?["Name"]?.text == "v7")
        #expect(throws: APIError.self) {
            try TencentParameters(flat: [(name: "A", value: "1"), (name: "A.0", value: "2")])
        }
        #expect(throws: APIError.self) {
            try TencentParameters(flat: [(name: "A.0", value: "1"), (name: "A", value: "2")])
        }
        #expect(try TencentParameters(flat: [(name: "A", value: "1"), (name: "A", value: "2")])["A"]?.text == "2")
        let eight = Array(repeating: "B", count: 8).joined(separator: ".")
        #expect(throws: Never.self) { try TencentParameters(flat: [(name: eight, value: "1")]) }
    }

    @Test("a nonce longer than the bound is refused and not remembered", arguments: [129, 1 << 20])
    func nonceSize(bytes: Int) {
        let client = TestClient { $0.authentication = .acceptAnyKey }
        var request = client.aliyunRequest("DescribeInstances", [:])
        request.target = request.target.replacingOccurrences(
            of: "SignatureNonce=nonce-1",
            with: "SignatureNonce=" + String(repeating: "n", count: bytes)
        )
        let answer = client.send(request)
        #expect(answer.code == "InvalidParameter")
        #expect(client.emulator.nonces.isEmpty)
    }

    // MARK: The signature the SDK computes

    @Test("an RPC request with RegionId in both query and body is signed once, as aliyun-python-sdk-core signs it")
    func aliyunSignsMergedParameters() {
        let client = TestClient()
        var request = client.aliyunRequest("DescribeInstances", ["RegionId": "cn-hangzhou"])
        // The SDK's CommonRequest.add_body_params('RegionId', …) sends it in the form body too; the signature
        // covers dict(query) updated by the body, so the query's signature above is the SDK's.
        request.method = "GET"
        request.headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        request.body = Array("RegionId=cn-hangzhou".utf8)
        #expect(client.send(request).status == 200)
    }

    // MARK: What a restart shows

    @Test("a restart shows SpotStrategy, public IP and data disks as they were while running")
    func restartKeepsLaunchValues() throws {
        let journaled = JournalTests.JournaledClient()
        let client = journaled.client
        _ = client.runAliyun([
            "SpotStrategy": "SpotAsPriceGo", "InternetMaxBandwidthOut": "5", "DataDisk.1.Size": "20",
            "DataDisk.1.DeleteWithInstance": "false",
        ])
        _ = client.runTencent([
            ("InternetAccessible", .object([("PublicIpAssigned", true)])),
            ("DataDisks", [.object([("DeleteWithInstance", false)])]),
        ])
        journaled.collect()
        let restored = try journaled.restored()
        #expect(restored.snapshot() == client.emulator.snapshot())
        #expect(client.emulator.snapshot()["described"]?.first?["SpotStrategy"]?.text == "SpotAsPriceGo")
    }

    @Test("a journal of only its opening lines, or an empty one, is a valid journal with nothing to cut")
    func preambleOnlyJournal() throws {
        let client = TestClient()
        let preamble = client.emulator.journalPreamble().joined(separator: "\n") + "\n"
        let (restored, load) = try Emulator.restoring(
            configuration: client.emulator.configuration,
            wallClock: client.wall,
            journal: preamble
        )
        #expect(load.committedBytes == preamble.utf8.count)
        #expect(load.tornLines == 0)
        #expect(restored.now == client.now)
        let (_, empty) = try Emulator.restoring(
            configuration: client.emulator.configuration,
            wallClock: client.wall,
            journal: ""
        )
        #expect(empty.committedBytes == 0)
    }

    // MARK: Found by review (each once trapped, stalled, dropped entries or lost state)

    @Test(
        "a paging token past any list is refused, not overflowed",
        arguments: [
            ("DescribeInstances", ["NextToken": "emu-9223372036854775807"]),
            ("ListTagResources", ["ResourceType": "instance", "NextToken": "emu-9223372036854775807"]),
        ]
    )
    func pagingTokenOverflow(action: String, parameters: [String: String]) {
        let client = TestClient()
        #expect(client.aliyun(action, parameters).code == "InvalidParameter")
    }

    @Test("a batch name whose start number is past the documented digits is kept as written, not overflowed")
    func nameNumberOverflow() {
        let client = TestClient()
        let ecs = client.aliyun(
            "RunInstances",
            ["ImageId": "img", "Amount": "2", "InstanceName": "a[9223372036854775807,1]"]
        )
        #expect(ecs.status == 200)
        let cvm = client.tencent(
            "RunInstances",
            .object([("InstanceCount", 2), ("InstanceName", "{R:9223372036854775807}")])
        )
        #expect(cvm.code == nil)
    }

    @Test(
        "a numbered list with a gap, a 0 or a leading zero is refused, never cut short",
        arguments: [
            ("DescribeInstances", ["Tag.2.Key": "env"]), ("DescribeInstances", ["Tag.0.Key": "env"]),
            ("DeleteInstances", ["InstanceId.1": "i-a", "InstanceId.3": "i-b"]),
            ("StopInstances", ["InstanceId.01": "i-a"]),
        ]
    )
    func numberedListGaps(action: String, parameters: [String: String]) {
        let client = TestClient()
        let answer = client.aliyun(action, parameters)
        #expect(answer.code == "InvalidParameter")
    }

    @Test("a rate fault's counts, the describe countdown and the id counters survive a restart exactly")
    func countsSurviveRestart() throws {
        let journaled = JournalTests.JournaledClient { $0.settleAfterDescribes = 3 }
        let client = journaled.client
        _ = client.control("POST", "faults", .object([("fault", "throttle"), ("rate", .double(0.5)), ("seed", 3)]))
        _ = client.control("POST", "faults", .object([("fault", "bogus")]))
        for _ in 0..<6 { _ = client.tencent("DescribeInstances") }
        let id = client.runAliyun()
        _ = client.aliyun("DescribeInstances", ["InstanceIds": "[\"\(id)\"]"])
        journaled.collect()
        let restored = try journaled.restored()
        #expect(restored.snapshot() == client.emulator.snapshot())
        #expect(client.emulator.faultCounter == 1)
    }

    @Test("DeleteInstancesActionTimer naming a timer twice is refused whole (EM1)")
    func duplicateTimerIDs() {
        let client = TestClient()
        let id = client.runTencent()
        let imported = client.tencent(
            "ImportInstancesActionTimer",
            .object([
                ("InstanceIds", [.string(id)]), ("ActionTimer", .object([("ActionTime", "2026-01-01T05:00:00Z")])),
            ])
        )
        let timer = imported["ActionTimerIds"]?.firstString ?? ""
        let answer = client.tencent(
            "DeleteInstancesActionTimer",
            .object([("ActionTimerIds", [.string(timer), .string(timer)])])
        )
        #expect(answer.code == "InvalidParameterValue")
        #expect(client.tencent("DescribeInstancesActionTimer")["TotalCount"] == .int(1))
    }

    @Test("a seeded instance holding the next id does not block RunInstances")
    func seededIDs() {
        let client = TestClient()
        let seeded = client.control(
            "POST",
            "instances",
            .object([
                ("provider", "aliyun"), ("account", "alice"), ("region", "cn-hangzhou"), ("id", "i-emu00000001cr"),
            ])
        )
        #expect(seeded.status == 200)
        let created = client.runAliyun()
        #expect(created == "i-emu00000002cr")
    }
}
