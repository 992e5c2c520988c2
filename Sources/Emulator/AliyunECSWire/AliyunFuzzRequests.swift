import EmulatorCore
import Foundation
import ReleaseCore
import Reporting

extension AliyunFrontEnd {
    static let exampleRegion = "cn-hangzhou"
    static let accessKeyPrefix = "LTAI"
    static func fuzzMutation(of request: RawRequest, choices: inout FuzzChoices) -> RawRequest {
        var request = request
        if choices.chance(50) {
            request.target = request.target.replacingOccurrences(
                of: "SignatureNonce=",
                with: "SignatureNonce=" + String(repeating: "n", count: choices.pick([128, 129, 100_000]))
            )
        } else {
            request.target = request.target.replacingOccurrences(of: "Version=2014-05-26", with: "Version=2099-01-01")
        }
        return request
    }
    /// ECS refusals carry `Code` at the top of the body.
    static func refusalCode(in answer: JSONValue) -> String? { answer["Code"]?.text }

    /// Seeded requests for every ECS action the emulator serves, signed as aliyun-python-sdk-core signs (RPC,
    /// HMAC-SHA1): mostly valid, with the extreme values each parameter allows.
    static func fuzzRequest(
        ids: [String],
        now: Instant,
        keys: [SigningKey],
        wallClock: Instant,
        choices: inout FuzzChoices
    ) -> RawRequest {
        var parameters: [String: String] = [:]
        let action: String
        switch choices.below(17) {
        case 0, 1, 2:
            action = choices.pick(["RunInstances", "CreateInstance"])
            parameters["ImageId"] = choices.pick([
                "ubuntu_22_04_x64_20G_alibase", "img", String(repeating: "i", count: 65),
            ])
            if choices.chance(50) { parameters["Amount"] = String(choices.pick([1, 2, 3, 0, 101])) }
            if choices.chance(30) {
                parameters["InstanceChargeType"] = choices.pick(["PrePaid", "PostPaid", "Prepaid"])
                parameters["Period"] = String(choices.pick([1, 12, 60, 61]))
                parameters["PeriodUnit"] = choices.pick(["Month", "Year", "Week"])
            }
            if choices.chance(30) {
                parameters["SpotStrategy"] = choices.pick(["SpotAsPriceGo", "NoSpot", "SpotWithPriceLimit"])
            }
            if choices.chance(30) { parameters["DeletionProtection"] = choices.boolText() }
            if choices.chance(30) { parameters["AutoReleaseTime"] = choices.time(after: now, secondPrecise: false) }
            if choices.chance(30) {
                for index in 1...choices.pick([1, 2, 16, 17]) {
                    parameters["DataDisk.\(index).Size"] = "20"
                    if choices.chance(50) { parameters["DataDisk.\(index).DeleteWithInstance"] = choices.boolText() }
                    if choices.chance(30) {
                        parameters["DataDisk.\(index).Category"] = choices.pick(["cloud_essd", "ephemeral_ssd"])
                    }
                }
            }
            if choices.chance(30) {
                parameters["InternetMaxBandwidthOut"] = String(choices.pick([0, 1, 100, -1, 100_001]))
            }
            if choices.chance(30) { parameters["InstanceName"] = choices.name(maximumBytes: 128) }
            if choices.chance(20) {
                parameters["ClientToken"] = choices.pick(["token-1", "token-2", String(repeating: "t", count: 65)])
            }
            if choices.chance(10) { parameters["DryRun"] = choices.boolText() }
            if choices.chance(25) {
                for index in 1...choices.pick([1, 2, 20, 21]) {
                    parameters["Tag.\(index).Key"] = choices.pick(["team", "env", "acs:x", "k\(index)", ""])
                    if choices.chance(70) { parameters["Tag.\(index).Value"] = choices.pick(["web", "", "v\(index)"]) }
                }
            }
        case 3, 4:
            action = "DescribeInstances"
            if choices.chance(20) { parameters["Tag.1.Key"] = choices.pick(["team", "env"]) }
            if choices.chance(50) {
                let listed = choices.ids(ids, prefix: "i-")
                parameters["InstanceIds"] = JSONValue.array(listed.map { .string($0) }).serialized
            }
            if choices.chance(20) { parameters["Status"] = choices.pick(["Running", "Stopped", "Pending"]) }
            if choices.chance(20) { parameters["PageSize"] = String(choices.pick([1, 10, 100, 101])) }
            if choices.chance(20) { parameters["PageNumber"] = String(choices.pick([1, 2, 1_000_000])) }
        case 5, 6:
            action = choices.pick(["StopInstance", "StartInstance"])
            parameters["InstanceId"] = choices.id(ids, prefix: "i-")
            if choices.chance(30) { parameters["ForceStop"] = choices.boolText() }
            if choices.chance(30) {
                parameters["StoppedMode"] = choices.pick(["KeepCharging", "StopCharging", "Sleep"])
            }
            if choices.chance(10) { parameters["DryRun"] = choices.boolText() }
        case 7:
            action = choices.pick(["StopInstances", "StartInstances"])
            for (index, instance) in choices.ids(ids, prefix: "i-").enumerated() {
                parameters["InstanceId.\(index + 1)"] = instance
            }
            if choices.chance(50) { parameters["BatchOptimization"] = choices.pick(["AllTogether", "SuccessFirst"]) }
        case 8, 9:
            action = "DeleteInstance"
            parameters["InstanceId"] = choices.id(ids, prefix: "i-")
            if choices.chance(50) { parameters["Force"] = choices.boolText() }
            if choices.chance(20) { parameters["TerminateSubscription"] = choices.boolText() }
        case 10:
            action = "DeleteInstances"
            for (index, instance) in choices.ids(ids, prefix: "i-").enumerated() {
                parameters["InstanceId.\(index + 1)"] = instance
            }
            if choices.chance(50) { parameters["Force"] = choices.boolText() }
            if choices.chance(20) { parameters["ClientToken"] = "delete-token" }
        case 11, 12:
            action = "ModifyInstanceAutoReleaseTime"
            parameters["InstanceId"] = choices.id(ids, prefix: "i-")
            if choices.chance(80) { parameters["AutoReleaseTime"] = choices.time(after: now, secondPrecise: false) }
        case 13:
            action = "ModifyInstanceAttribute"
            parameters["InstanceId"] = choices.id(ids, prefix: "i-")
            if choices.chance(60) { parameters["InstanceName"] = choices.name(maximumBytes: 128) }
            if choices.chance(60) { parameters["DeletionProtection"] = choices.boolText() }
        case 14:
            action = "RenewInstance"
            parameters["InstanceId"] = choices.id(ids, prefix: "i-")
            parameters["Period"] = String(choices.pick([1, 12, 60, 61]))
            if choices.chance(30) { parameters["PeriodUnit"] = choices.pick(["Month", "Year"]) }
        case 15:
            action = choices.pick(["TagResources", "UntagResources", "ListTagResources"])
            parameters["ResourceType"] = choices.pick(["instance", "instance", "disk"])
            for (index, instance) in choices.ids(ids, prefix: "i-").enumerated() where choices.chance(90) {
                parameters["ResourceId.\(index + 1)"] = instance
            }
            if action == "UntagResources" {
                if choices.chance(50) {
                    parameters["TagKey.1"] = choices.pick(["team", "env", "mark"])
                } else {
                    parameters["All"] = choices.boolText()
                }
            } else {
                parameters["Tag.1.Key"] = choices.pick(["team", "mark", "aliyun-x"])
                parameters["Tag.1.Value"] = choices.pick(["web", "db", ""])
            }
        default:
            action = choices.pick(["ReActivateInstances", "DescribeRegions"])
            parameters["InstanceId"] = choices.id(ids, prefix: "i-")
        }
        if choices.chance(5) { parameters["RegionId"] = "cn-beijing" }
        return ECSRequestSigning.rpc(
            action,
            parameters,
            key: choices.pick(keys),
            signedAt: wallClock,
            nonce: choices.nextNonce()
        )
    }
}
