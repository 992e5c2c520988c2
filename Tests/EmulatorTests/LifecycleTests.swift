import EmulatorFrontEnds
import Foundation
import ReleaseCore
import Reporting
import Testing

@testable import AliyunECSWire
@testable import EmulatorCore
@testable import TencentCVMWire

/// The release rules as the SDKs see them through the emulator: each test is named after the rule it drives.
@Suite("Lifecycle through the wire APIs")
struct LifecycleTests {
    @Test("T2: a TerminateInstances'd pay-as-you-go CVM instance sits 2 h in the recycle bin, restorable")
    func recycleBinAndRestore() throws {
        let client = TestClient()
        let id = client.runTencent()
        #expect(client.tencent("TerminateInstances", .object([("InstanceIds", [.string(id)])])).code == nil)
        let binned = try #require(client.tencentInstance(id))
        #expect(binned["InstanceState"] == "SHUTDOWN")
        #expect(binned["IsolatedSource"] == "MANMADE")
        #expect(binned["LatestOperation"] == "TerminateInstances")
        _ = client.advance(3_600)
        let restored = client.control("POST", "tencent/instances/\(id)/restore")
        #expect(restored.status == 200)
        #expect(client.tencentInstance(id)?["InstanceState"] == "STOPPED")
        _ = client.advance(3 * 3_600)
        #expect(client.tencentInstance(id)?["InstanceState"] == "STOPPED")
        // Destroyed again, the bin lets go 2 h later.
        _ = client.tencent("TerminateInstances", .object([("InstanceIds", [.string(id)])]))
        _ = client.advance(2 * 3_600 - 1)
        #expect(client.tencentInstance(id) != nil)
        let fired = client.advance(1)
        #expect(fired["fired"]?.first?["cause"] == "recycleBinExpiry")
        #expect(client.tencentInstance(id) == nil)
        let gone = client.tencent("TerminateInstances", .object([("InstanceIds", [.string(id)])]))
        #expect(gone.code == "InvalidInstanceId.NotFound")
    }

    @Test("TD1 (profile api-document): TerminateInstances destroys a pay-as-you-go instance directly")
    func apiDocumentTerminate() {
        let client = TestClient { $0.tencentTerminate = .apiDocument }
        let id = client.runTencent()
        let answer = client.tencent("TerminateInstances", .object([("InstanceIds", [.string(id)])]))
        #expect(answer.code == nil)
        #expect(answer.response.header("X-CloudRelease-Rules")?.contains("TD1") == true)
        #expect(client.tencentInstance(id) == nil)
    }

    @Test("T2/TD7: a scheduled destruction fires to the second and skips the recycle bin")
    func tencentSecondPrecision() {
        let client = TestClient()
        let at = client.now + .hours(1) + Seconds(1)
        let id = client.runTencent([
            ("ActionTimer", .object([("TimerAction", "TerminateInstances"), ("ActionTime", .string(at.iso8601))]))
        ])
        let timers = client.tencent("DescribeInstancesActionTimer", .object([("InstanceIds", [.string(id)])]))
        #expect(timers["ActionTimers"]?.first?["ActionTime"] == .string(at.iso8601))
        _ = client.advance(3_600)
        #expect(client.tencentInstance(id)?["InstanceState"] == "RUNNING")
        _ = client.advance(1)
        #expect(client.tencentInstance(id) == nil)
    }

    @Test("A4: ECS AutoReleaseTime is minute-precise: seconds are dropped and the release fires on the minute")
    func aliyunMinutePrecision() throws {
        let client = TestClient()
        let id = client.runAliyun()
        let wanted = client.now + .hours(1) + Seconds(59)
        let answer = client.aliyun(
            "ModifyInstanceAutoReleaseTime",
            ["InstanceId": id, "AutoReleaseTime": wanted.iso8601]
        )
        #expect(answer.status == 200)
        let listed = client.aliyun("DescribeInstances", ["InstanceIds": "[\"\(id)\"]"])["Instances"]?["Instance"]?.first
        #expect(listed?["AutoReleaseTime"] == .string(String(wanted.iso8601.prefix(16)) + "Z"))
        _ = client.advance(3_600)
        #expect(client.aliyunStatus(id) == nil)
    }

    @Test("AD1/A2: release protection refuses DeleteInstance, not the automatic release")
    func protectionBlocksManualOnly() {
        let client = TestClient()
        let id = client.runAliyun(["DeletionProtection": "true"])
        let refused = client.aliyun("DeleteInstance", ["InstanceId": id, "Force": "True"])
        #expect(refused.status == 403)
        #expect(refused.code == "InvalidOperation.DeletionProtection")
        let release = (client.now + .hours(2)).iso8601
        #expect(
            client.aliyun("ModifyInstanceAutoReleaseTime", ["InstanceId": id, "AutoReleaseTime": release]).status == 200
        )
        _ = client.advance(2 * 3_600)
        #expect(client.aliyunStatus(id) == nil)
    }

    @Test("TD2: termination protection refuses TerminateInstances with UnsupportedOperation.InstancesProtected")
    func tencentProtection() {
        let client = TestClient()
        let id = client.runTencent([("DisableApiTermination", true)])
        let refused = client.tencent("TerminateInstances", .object([("InstanceIds", [.string(id)])]))
        #expect(refused.code == "UnsupportedOperation.InstancesProtected")
        #expect(client.tencentInstance(id)?["InstanceState"] == "RUNNING")
        #expect(
            client.tencent(
                "ModifyInstancesAttribute",
                .object([("InstanceIds", [.string(id)]), ("DisableApiTermination", false)])
            ).code == nil
        )
        #expect(client.tencent("TerminateInstances", .object([("InstanceIds", [.string(id)])])).code == nil)
    }

    @Test("T2: arrears on CVM: 2 h billed, shut down, released at 26 h")
    func tencentArrears() {
        let client = TestClient()
        let id = client.runTencent()
        #expect(client.control("POST", "accounts/alice/arrears").status == 200)
        _ = client.advance(2 * 3_600)
        #expect(client.tencentInstance(id)?["IsolatedSource"] == "ARREAR")
        _ = client.advance(24 * 3_600 - 1)
        #expect(client.tencentInstance(id) != nil)
        _ = client.advance(1)
        #expect(client.tencentInstance(id) == nil)
    }

    @Test("AD11: no ECS instance can be created while the account is in arrears; a top-up lifts it")
    func launchInArrears() {
        let client = TestClient()
        _ = client.control("POST", "accounts/alice/arrears")
        let refused = client.aliyun("RunInstances", ["ImageId": "img"])
        #expect(refused.code == "Account.Arrearage")
        #expect(client.control("GET", "instances")["instances"]?.count == 0)
        _ = client.control("POST", "accounts/alice/topup")
        #expect(client.aliyun("RunInstances", ["ImageId": "img"]).status == 200)
    }

    @Test("accounts are isolated: another account's instance is NotFound and not listed")
    func isolation() {
        let client = TestClient()
        let id = client.runAliyun()
        let bob = TestClient.Key.bob
        #expect(client.aliyun("DescribeInstances", ["InstanceIds": "[\"\(id)\"]"], key: bob)["TotalCount"] == 0)
        #expect(client.aliyun("DeleteInstance", ["InstanceId": id, "Force": "true"], key: bob).status == 404)
        #expect(client.aliyunStatus(id) == "Running")
    }

    @Test("TD2: a CVM instance is found only in its own region; named in another, it is NotFound and untouched")
    func tencentRegionScope() {
        let client = TestClient()
        let id = client.runTencent()
        let ids = JSONValue.object([("InstanceIds", [.string(id)])])
        for action in ["TerminateInstances", "StopInstances", "StartInstances"] {
            let elsewhere = client.tencent(action, ids, region: "ap-shanghai")
            #expect(elsewhere.code == "InvalidInstanceId.NotFound", "\(action)")
        }
        #expect(client.tencent("DescribeInstances", ids, region: "ap-shanghai")["TotalCount"] == 0)
        #expect(client.tencentInstance(id)?["InstanceState"] == "RUNNING")
        #expect(client.tencent("TerminateInstances", ids).code == nil)
    }

    @Test("AD1/AD3: an ECS instance is found only in its own region; named in another, it is not found and untouched")
    func aliyunRegionScope() {
        let client = TestClient()
        let id = client.runAliyun()
        let region = client.aliyun("DescribeInstances")["Instances"]?["Instance"]?.first?["RegionId"]?.text ?? ""
        #expect(!region.isEmpty)
        let elsewhere = region == "cn-shanghai" ? "cn-beijing" : "cn-shanghai"
        for (action, parameters, code) in [
            ("DeleteInstance", ["Force": "true"], "InvalidInstanceId.NotFound"),
            ("StopInstance", [:], "InvalidInstanceId.NotFound"),
            ("ModifyInstanceAutoReleaseTime", [:], "NoSuchResource"),
        ] as [(String, [String: String], String)] {
            let answer = client.aliyun(
                action,
                parameters.merging(["InstanceId": id, "RegionId": elsewhere]) { a, _ in a }
            )
            #expect(answer.status == 404, "\(action)")
            #expect(answer.code == code, "\(action): \(answer.code ?? "-")")
        }
        #expect(client.aliyunStatus(id) == "Running")
        #expect(client.aliyun("DeleteInstance", ["InstanceId": id, "Force": "true", "RegionId": region]).status == 200)
    }

    @Test("ClientToken: a retried RunInstances creates once")
    func clientToken() {
        let client = TestClient()
        let first = client.aliyun("RunInstances", ["ImageId": "img", "ClientToken": "t-1"])
        let second = client.aliyun("RunInstances", ["ImageId": "img", "ClientToken": "t-1"])
        #expect(first["InstanceIdSets"] == second["InstanceIdSets"])
        #expect(client.aliyun("DescribeInstances")["TotalCount"] == 1)
        let tencentFirst = client.tencent("RunInstances", .object([("ClientToken", "c-1"), ("InstanceCount", 2)]))
        let tencentSecond = client.tencent("RunInstances", .object([("ClientToken", "c-1"), ("InstanceCount", 2)]))
        #expect(tencentFirst["InstanceIdSet"] == tencentSecond["InstanceIdSet"])
        #expect(client.tencent("DescribeInstances")["TotalCount"] == 2)
    }

    @Test("AD2/Q5: DeleteInstances is all or nothing; DryRun answers DRYRUN.SUCCESS and changes nothing")
    func deleteInstancesBatch() {
        let client = TestClient()
        let free = client.runAliyun()
        let guarded = client.runAliyun(["DeletionProtection": "true"])
        var parameters = ["InstanceId.1": free, "InstanceId.2": guarded, "Force": "true"]
        #expect(client.aliyun("DeleteInstances", parameters).code == "InvalidOperation.DeletionProtection")
        #expect(client.aliyunStatus(free) == "Running")
        parameters["InstanceId.2"] = nil
        parameters["DryRun"] = "true"
        #expect(client.aliyun("DeleteInstances", parameters).code == "DRYRUN.SUCCESS")
        #expect(client.aliyunStatus(free) == "Running")
        parameters["DryRun"] = nil
        #expect(client.aliyun("DeleteInstances", parameters).status == 200)
        #expect(client.aliyunStatus(free) == nil)
    }

    @Test("TD1: more than 100 InstanceIds are refused with InvalidParameterValue.LimitExceeded")
    func tencentBatchLimit() {
        let client = TestClient()
        let ids = (0..<101).map { JSONValue.string("ins-\($0)") }
        let answer = client.tencent("TerminateInstances", .object([("InstanceIds", .array(ids))]))
        #expect(answer.code == "InvalidParameterValue.LimitExceeded")
    }

    @Test("a second ImportInstancesActionTimer is refused (SDK catalogue), or replaces the first under Q14")
    func secondTimer() {
        for choice in EmulatorConfiguration.SecondActionTimer.allCases {
            let client = TestClient { $0.secondActionTimer = choice }
            let id = client.runTencent()
            func timer(_ hours: Int64) -> JSONValue {
                .object([
                    ("InstanceIds", [.string(id)]),
                    (
                        "ActionTimer",
                        .object([
                            ("TimerAction", "TerminateInstances"),
                            ("ActionTime", .string((client.now + .hours(hours)).iso8601)),
                        ])
                    ),
                ])
            }
            #expect(client.tencent("ImportInstancesActionTimer", timer(1)).code == nil)
            let second = client.tencent("ImportInstancesActionTimer", timer(2))
            switch choice {
            case .refuse: #expect(second.code == "FailedOperation.MutActionTimerExist")
            case .replace: #expect(second.code == nil)
            }
            let timers = client.tencent("DescribeInstancesActionTimer", .object([]))["ActionTimers"]
            #expect(timers?.count == 1)
            let id0 = timers?.first?["ActionTimerId"] ?? .null
            #expect(client.tencent("DeleteInstancesActionTimer", .object([("ActionTimerIds", [id0])])).code == nil)
            #expect(client.tencent("DescribeInstancesActionTimer", .object([]))["ActionTimers"]?.count == 0)
        }
    }

    @Test("settle after N describes: Stopping is seen before Stopped (for SDK waiters)")
    func delayedSettle() {
        let client = TestClient { $0.settleAfterDescribes = 2 }
        let id = client.runAliyun()
        #expect(client.aliyunStatus(id) == "Pending")
        #expect(client.aliyunStatus(id) == "Running")
        #expect(client.aliyun("StopInstance", ["InstanceId": id]).status == 200)
        #expect(client.aliyunStatus(id) == "Stopping")
        #expect(client.aliyunStatus(id) == "Stopped")
    }

    @Test("the clock never goes backwards and reports what fired")
    func clock() {
        let client = TestClient()
        let start = client.now
        #expect(client.control("GET", "clock")["now"] == .string(start.iso8601))
        #expect(client.control("POST", "clock", .object([("set", "2025-01-01T00:00:00Z")])).status == 400)
        #expect(client.control("POST", "clock", .object([("advance", -1)])).status == 400)
        #expect(
            client.control("POST", "clock", .object([("advance", "26h")]))["now"]
                == .string((start + .hours(26)).iso8601)
        )
        #expect(client.control("POST", "reset").status == 200)
        #expect(client.control("GET", "instances")["instances"]?.count == 0)
    }

    @Test("The clock answers deadlines due in one second in launch order, whatever order they were set in")
    func clockTieOrder() {
        // Docs/Traces.md, "Time": same-second deadlines fire in the order their instances were launched. The
        // emulator's clock answer lists the fleet's timeline; random fleets, schedules set in shuffled order.
        // `CLOUDRELEASE_PROPERTY_RUNS` / 20 cases (50 by default).
        let runs = max(
            1,
            (ProcessInfo.processInfo.environment["CLOUDRELEASE_PROPERTY_RUNS"].flatMap(Int.init) ?? 1_000) / 20
        )
        var random = SplitMix64(seed: 0xC10C)
        for run in 0..<runs {
            let client = TestClient()
            let isAliyun = (0..<Int.random(in: 2...5, using: &random)).map { _ in Bool.random(using: &random) }
            let ids = isAliyun.map { $0 ? client.runAliyun() : client.runTencent() }
            // A whole minute 2 h ahead: inside both providers' windows (A4: minute precision, 30 min lead; TD7).
            let due = client.now + .hours(2)
            let order = ids.indices.shuffled(using: &random)
            for index in order {
                if isAliyun[index] {
                    let answer = client.aliyun(
                        "ModifyInstanceAutoReleaseTime",
                        ["InstanceId": ids[index], "AutoReleaseTime": due.iso8601]
                    )
                    #expect(answer.status == 200)
                } else {
                    let timer: JSONValue = .object([
                        ("InstanceIds", [.string(ids[index])]),
                        (
                            "ActionTimer",
                            .object([("TimerAction", "TerminateInstances"), ("ActionTime", .string(due.iso8601))])
                        ),
                    ])
                    #expect(client.tencent("ImportInstancesActionTimer", timer).code == nil)
                }
            }
            guard case .array(let fired)? = client.advance(2 * 3_600)["fired"] else {
                Issue.record("run \(run): the clock's answer has no fired array")
                return
            }
            let released = fired.filter { $0["cause"] == "scheduledRelease" }.compactMap { $0["instance"]?.text }
            #expect(released == ids, "run \(run): set in the order \(order)")
            if released != ids { return }
        }
    }

    @Test("GET /_cloudrelease/instances lists released instances too, with phase and deadlines")
    func dump() {
        let client = TestClient()
        let id = client.runAliyun()
        _ = client.aliyun("DeleteInstance", ["InstanceId": id, "Force": "true"])
        let listed = client.control("GET", "instances")["instances"]?.first
        #expect(listed?["phase"] == "released")
        #expect(listed?["account"] == "alice")
    }
}
