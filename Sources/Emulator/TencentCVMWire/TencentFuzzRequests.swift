import EmulatorCore
import Foundation
import ReleaseCore
import Reporting

extension TencentFrontEnd {
    static let exampleRegion = "ap-guangzhou"
    static let accessKeyPrefix = "AKID"
    static func fuzzMutation(of request: RawRequest, choices: inout FuzzChoices) -> RawRequest {
        var request = request
        if choices.chance(50) {
            request.headers = request.headers.filter { $0.name != "X-TC-Action" }
        } else {
            request.headers = request.headers.map { $0.name == "X-TC-Version" ? ($0.name, "2099-01-01") : $0 }
        }
        return request
    }
    /// CVM refusals are `Response.Error.Code`, in a 200.
    static func refusalCode(in answer: JSONValue) -> String? { answer["Response"]?["Error"]?["Code"]?.text }

    /// Seeded requests for every CVM action the emulator serves, signed as tencentcloud-sdk-python signs
    /// (TC3-HMAC-SHA256): mostly valid, with the extreme values each parameter allows.
    static func fuzzRequest(
        ids: [String],
        now: Instant,
        keys: [SigningKey],
        wallClock: Instant,
        choices: inout FuzzChoices
    ) -> RawRequest {
        var body: [(String, JSONValue)] = []
        func list(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
        let action: String
        switch choices.below(14) {
        case 0, 1, 2:
            action = "RunInstances"
            if choices.chance(30) {
                body.append(("InstanceChargeType", .string(choices.pick(["PREPAID", "POSTPAID_BY_HOUR", "SPOTPAID"]))))
                body.append(
                    ("InstanceChargePrepaid", .object([("Period", .int(Int64(choices.pick([1, 12, 60, 61]))))]))
                )
            }
            if choices.chance(40) { body.append(("InstanceCount", .int(Int64(choices.pick([1, 2, 3, 0, 101]))))) }
            if choices.chance(30) { body.append(("DisableApiTermination", .bool(choices.chance(50)))) }
            if choices.chance(30) {
                var timer: [(String, JSONValue)] = [
                    ("ActionTime", .string(choices.time(after: now, secondPrecise: true)))
                ]
                if choices.chance(30) {
                    timer.append(("Externals", .object([("ReleaseAddress", .bool(choices.chance(50)))])))
                }
                if choices.chance(10) { timer.append(("TimerAction", "StopInstances")) }
                body.append(("ActionTimer", .object(timer)))
            }
            if choices.chance(30) {
                let cloud = choices.pick([1, 2, 20, 21]), local = choices.pick([0, 0, 1, 2])
                let disks: [JSONValue] =
                    (0..<cloud).map { _ in .object([("DeleteWithInstance", .bool(choices.chance(50)))]) }
                    + (0..<local).map { _ in .object([("DiskType", "LOCAL_BASIC")]) }
                body.append(("DataDisks", .array(disks)))
            }
            if choices.chance(30) {
                body.append(("InternetAccessible", .object([("PublicIpAssigned", .bool(choices.chance(50)))])))
            }
            if choices.chance(30) { body.append(("InstanceName", .string(choices.name(maximumBytes: 60)))) }
            if choices.chance(20) { body.append(("ClientToken", .string(choices.pick(["token-1", "token-2"])))) }
            if choices.chance(20) {
                body.append(("Placement", .object([("Zone", .string(choices.pick(["ap-guangzhou-3", ""])))])))
            }
            if choices.chance(25) {
                let tags: [JSONValue] = (0..<choices.pick([1, 2, 51])).map {
                    .object([
                        ("Key", .string(choices.pick(["team", "env", "k\($0)"]))),
                        ("Value", .string(choices.pick(["web", "db"]))),
                    ])
                }
                body.append(
                    (
                        "TagSpecification",
                        [
                            .object([
                                ("ResourceType", .string(choices.pick(["instance", "disk"]))), ("Tags", .array(tags)),
                            ])
                        ]
                    )
                )
            }
        case 3, 4:
            action = "DescribeInstances"
            if choices.chance(40) { body.append(("InstanceIds", list(choices.ids(ids, prefix: "ins-")))) }
            if choices.chance(30) {
                let filter = choices.pick([
                    "instance-state", "instance-name", "zone", "instance-charge-type", "tag-key", "tag:team",
                ])
                body.append(("Filters", [.object([("Name", .string(filter)), ("Values", ["RUNNING", "web-1"])])]))
            }
            if choices.chance(20) { body.append(("Limit", .int(Int64(choices.pick([1, 20, 100, 101]))))) }
            if choices.chance(20) { body.append(("Offset", .int(Int64(choices.pick([0, 1, 1_000]))))) }
        case 5, 6:
            action = choices.pick(["StopInstances", "StartInstances"])
            body.append(("InstanceIds", list(choices.ids(ids, prefix: "ins-"))))
            if choices.chance(30) { body.append(("StopType", .string(choices.pick(["SOFT", "HARD", "SOFT_FIRST"])))) }
            if choices.chance(30) {
                body.append(("StoppedMode", .string(choices.pick(["KEEP_CHARGING", "STOP_CHARGING"]))))
            }
        case 7, 8:
            action = "TerminateInstances"
            body.append(("InstanceIds", list(choices.ids(ids, prefix: "ins-"))))
            if choices.chance(30) { body.append(("ReleaseAddress", .bool(choices.chance(50)))) }
        case 9:
            action = "ImportInstancesActionTimer"
            body.append(("InstanceIds", list(choices.ids(ids, prefix: "ins-"))))
            body.append(
                ("ActionTimer", .object([("ActionTime", .string(choices.time(after: now, secondPrecise: true)))]))
            )
        case 10:
            action = choices.pick(["DescribeInstancesActionTimer", "DeleteInstancesActionTimer"])
            body.append(
                (
                    "ActionTimerIds",
                    list(["lt-0000000\(choices.below(4))", "lt-missing"].prefix(1 + choices.below(2)).map { $0 })
                )
            )
        case 11:
            action = "ModifyInstancesAttribute"
            body.append(("InstanceIds", list(choices.ids(ids, prefix: "ins-"))))
            if choices.chance(60) { body.append(("InstanceName", .string(choices.name(maximumBytes: 60)))) }
            if choices.chance(60) {
                body.append(("DisableApiTermination", choices.chance(80) ? .bool(choices.chance(50)) : "maybe"))
            }
        case 12:
            action = "RenewInstances"
            body.append(("InstanceIds", list(choices.ids(ids, prefix: "ins-"))))
            body.append(("InstanceChargePrepaid", .object([("Period", .int(Int64(choices.pick([1, 36, 61]))))])))
        default:
            action = choices.pick(["DescribeZones", "ResetInstance"])
        }
        return CVMRequestSigning.tc3(
            action,
            .object(body),
            key: choices.pick(keys),
            region: choices.chance(5) ? "ap-shanghai" : "ap-guangzhou",
            signedAt: wallClock
        )
    }
}
